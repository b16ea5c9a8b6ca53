"""Opinion groups: parity with red-dwarf on real Polis data, planted groups, degenerate input."""

import csv
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score, silhouette_score

from bench.synthetic import synthetic_votes
from puente.consensus.groups import (
    OpinionGroups,
    clusterable_mask,
    opinion_groups,
    opinion_groups_base_clusters,
    opinion_groups_direct,
)
from puente.consensus.types import Votes, votes_from_records
from tests.consensus.conftest import POLIS_DATA, planted_votes

DATA = POLIS_DATA
CONVERSATIONS = [
    "vtaiwan.uberx",
    "austria-climate.5twd2jsnkf.2022-08-08",
    "american-assembly.bowling-green",
]
# Against red-dwarf's reducer run with an exact solver (covariance eigendecomposition).
PROJECTION_ATOL = 1e-9
# red-dwarf's default PCA uses scikit-learn's randomized SVD (7 power iterations), which on
# these conversations stops up to ~3e-4 away from the exact principal axes.
RANDOMIZED_PCA_ATOL = 1e-3


def _votes_from_votes_csv(folder: Path) -> Votes:
    with open(folder / "votes.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return votes_from_records(
        [row["voter-id"] for row in rows],
        [row["comment-id"] for row in rows],
        [int(row["vote"]) for row in rows],
        timestamps=[float(row["timestamp"]) for row in rows],
        moderated_out=_moderated_out(folder),
    )


def _votes_from_participants_votes_csv(folder: Path) -> Votes:
    participants, statements, values = [], [], []
    with open(folder / "participants-votes.csv", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = [(i, name) for i, name in enumerate(header) if name.isdigit()]
        for row in reader:
            for i, name in columns:
                if row[i] != "":
                    participants.append(row[0])
                    statements.append(name)
                    values.append(int(float(row[i])))
    return votes_from_records(
        participants, statements, values, moderated_out=_moderated_out(folder)
    )


def _moderated_out(folder: Path) -> list[str]:
    with open(folder / "comments.csv", newline="") as handle:
        return [row["comment-id"] for row in csv.DictReader(handle) if row["moderated"] == "-1"]


def _polis_group_ids(folder: Path, votes: Votes) -> np.ndarray:
    with open(folder / "participants-votes.csv", newline="") as handle:
        group = {row["participant"]: row["group-id"] for row in csv.DictReader(handle)}
    return np.array(
        [float(group[pid]) if group.get(pid, "") != "" else np.nan for pid in votes.participant_ids]
    )


def _load(name: str) -> Votes:
    folder = DATA / name
    if (folder / "votes.csv").exists():
        return _votes_from_votes_csv(folder)
    return _votes_from_participants_votes_csv(folder)


@pytest.fixture(scope="module", params=CONVERSATIONS)
def parity_run(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Run red-dwarf once per conversation (default pipeline, plus an exact-solver reducer).

    Not conftest's ``conversation``: it also holds red-dwarf's projections and our direct
    groups, for the parity tests of this module.
    """
    from reddwarf.implementations.polis import run_pipeline
    from reddwarf.utils.reducer.base import run_reducer

    name = request.param
    if not (DATA / name).exists():
        pytest.skip(f"{name} data not available")
    votes = _load(name)
    records = [
        {
            "participant_id": int(votes.participant_ids[p]),
            "statement_id": int(votes.statement_ids[s]),
            "vote": int(v),
            "modified": 0,
        }
        for p, s, v in zip(votes.participant, votes.statement, votes.value, strict=True)
    ]
    moderated = [int(votes.statement_ids[j]) for j in np.flatnonzero(votes.moderated_out)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_pipeline(votes=records, mod_out_statement_ids=moderated, random_state=0)
        exact_participants, exact_statements, exact_pca = run_reducer(
            vote_matrix=result.filtered_vote_matrix.values,
            reducer="pca",
            svd_solver="covariance_eigh",
        )
    participant_ids = [int(pid) for pid in votes.participant_ids]
    statement_ids = [int(sid) for sid in votes.statement_ids]
    matrix = result.filtered_vote_matrix
    assert list(matrix.index) == participant_ids
    assert list(matrix.columns) == statement_ids
    cluster = result.participants_df.loc[participant_ids, "cluster_id"]
    return {
        "name": name,
        "votes": votes,
        "labels": cluster.to_numpy(dtype=float, na_value=np.nan),
        "n_groups": int(result.clusterer.n_clusters),
        "participant_xy": result.participants_df.loc[participant_ids, ["x", "y"]].to_numpy(),
        "exact_participant_xy": exact_participants,
        "exact_statement_xy": exact_statements,
        "exact_components": exact_pca.components_,
        "exact_mean": exact_pca.mean_,
        "exact_variance": exact_pca.explained_variance_,
        "direct": opinion_groups(votes, method="direct", rng=np.random.default_rng(0)),
    }


def test_direct_groups_equal_red_dwarf_groups(parity_run):
    red_dwarf_labels = parity_run["labels"]
    groups: OpinionGroups = parity_run["direct"]
    is_clustered = ~np.isnan(red_dwarf_labels)
    np.testing.assert_array_equal(groups.clustered, is_clustered)
    np.testing.assert_array_equal(groups.labels[~is_clustered], -1)
    ari = adjusted_rand_score(red_dwarf_labels[is_clustered], groups.labels[is_clustered])
    assert ari == 1.0
    assert groups.n_groups == parity_run["n_groups"]
    # Same label numbers too, not only the same partition.
    np.testing.assert_array_equal(groups.labels[is_clustered], red_dwarf_labels[is_clustered])
    assert groups.reason is None


def test_projection_equals_red_dwarf_pca_with_an_exact_solver(parity_run):
    projection = parity_run["direct"].projection
    np.testing.assert_allclose(
        projection.participant_xy, parity_run["exact_participant_xy"], atol=PROJECTION_ATOL
    )
    np.testing.assert_allclose(
        projection.statement_xy, parity_run["exact_statement_xy"], atol=PROJECTION_ATOL
    )
    np.testing.assert_allclose(
        projection.components, parity_run["exact_components"], atol=PROJECTION_ATOL
    )
    np.testing.assert_allclose(projection.mean, parity_run["exact_mean"], atol=PROJECTION_ATOL)
    np.testing.assert_allclose(
        projection.explained_variance, parity_run["exact_variance"], rtol=1e-10
    )


def test_projection_is_close_to_red_dwarf_default_randomized_pca(parity_run):
    projection = parity_run["direct"].projection
    np.testing.assert_allclose(
        projection.participant_xy, parity_run["participant_xy"], atol=RANDOMIZED_PCA_ATOL
    )


def test_base_clusters_agreement_with_polis_group_ids_is_recorded(parity_run, record_property):
    votes = parity_run["votes"]
    groups = opinion_groups(votes, method="base-clusters", rng=np.random.default_rng(0))
    polis = _polis_group_ids(DATA / parity_run["name"], votes)
    both = groups.clustered & ~np.isnan(polis)
    ari = adjusted_rand_score(polis[both], groups.labels[both])
    direct = parity_run["direct"]
    both_direct = direct.clustered & ~np.isnan(polis)
    ari_direct = adjusted_rand_score(polis[both_direct], direct.labels[both_direct])
    record_property(f"ari_base_clusters_vs_polis[{parity_run['name']}]", ari)
    print(
        f"{parity_run['name']}: ARI vs Polis group-id: base-clusters {ari:.3f} "
        f"({groups.n_groups} groups), direct {ari_direct:.3f} ({direct.n_groups} groups)"
    )
    assert math.isfinite(ari)
    assert -1.0 <= ari <= 1.0
    assert groups.n_groups >= 2


@pytest.mark.parametrize("method", ["direct", "base-clusters"])
def test_two_planted_camps_give_two_groups(method):
    votes, camp = planted_votes(2)
    groups = opinion_groups(votes, method=method, rng=np.random.default_rng(0))
    assert groups.n_groups == 2
    assert adjusted_rand_score(camp, groups.labels) == 1.0
    assert groups.silhouette > 0.5


@pytest.mark.parametrize(("n_camps", "seed"), [(2, 1), (3, 2), (4, 3)])
def test_base_clusters_recover_planted_groups(n_camps, seed):
    votes, camp = planted_votes(n_camps, n_per_camp=250, seed=seed)
    groups = opinion_groups(votes, method="base-clusters", rng=np.random.default_rng(0))
    assert adjusted_rand_score(camp, groups.labels) >= 0.95
    sizes = np.bincount(groups.labels)
    assert list(sizes) == sorted(sizes, reverse=True)


def test_base_clusters_from_a_sample_recover_planted_groups_on_many_participants():
    # 12,000 participants: the base k-means iterates on a sample, then everyone joins the
    # nearest base cluster.
    data = synthetic_votes(12_000, 100, density=0.6, rng=np.random.default_rng(5))
    groups = opinion_groups(data.votes, method="base-clusters", rng=np.random.default_rng(0))
    assert adjusted_rand_score(data.groups, groups.labels) >= 0.95
    search = opinion_groups_base_clusters(
        groups.projection.participant_xy, rng=np.random.default_rng(0)
    )
    assert search.base_labels is not None
    assert search.base_centers is not None
    # Every base cluster is the mean of the participants that joined it.
    for cluster in range(search.base_centers.shape[0]):
        members = groups.projection.participant_xy[search.base_labels == cluster]
        np.testing.assert_allclose(search.base_centers[cluster], members.mean(axis=0), atol=1e-12)


def test_base_clusters_are_reproducible_for_a_seed():
    votes, _ = planted_votes(3, n_per_camp=100, seed=4)
    first = opinion_groups(votes, method="base-clusters", rng=np.random.default_rng(11))
    again = opinion_groups(votes, method="base-clusters", rng=np.random.default_rng(11))
    np.testing.assert_array_equal(first.labels, again.labels)
    assert first.silhouette == again.silhouette


def test_base_clusters_use_at_most_as_many_base_clusters_as_distinct_points():
    points = np.repeat(np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]]), 10, axis=0)
    search = opinion_groups_base_clusters(points, rng=np.random.default_rng(0))
    assert search.base_centers is not None
    assert search.base_centers.shape[0] == 4
    assert search.n_groups == 2
    assert adjusted_rand_score(points[:, 0] > 1, search.labels) == 1.0


def test_direct_search_keeps_the_smallest_k_when_no_silhouette_is_defined():
    # red-dwarf's grid search ranks all-nan scores equal and keeps the first k.
    search = opinion_groups_direct(np.array([[0.0, 0.0], [1.0, 1.0]]))
    assert search.n_groups == 2
    assert search.reason is None
    assert math.isnan(search.silhouette)
    np.testing.assert_array_equal(search.labels, [0, 1])


def test_direct_search_skips_k_above_the_number_of_distinct_points():
    points = np.array([[0.0, 0.0], [0.2, 0.0], [10.0, 0.0]] * 4)
    search = opinion_groups_direct(points)
    assert sorted(search.silhouette_by_k) == [2, 3]
    assert search.n_groups == 3
    assert search.silhouette == pytest.approx(silhouette_score(points, search.labels), abs=1e-12)


def test_clusterable_mask_counts_votes_on_moderated_statements():
    votes = votes_from_records(
        ["a"] * 3 + ["b"] * 2, ["1", "2", "3", "1", "2"], [1, 1, -1, 0, 1], moderated_out=["3"]
    )
    np.testing.assert_array_equal(clusterable_mask(votes, min_votes=3), [True, False])


def _degenerate_cases() -> dict[str, Votes]:
    empty = votes_from_records([], [], [], participant_order=["a"], statement_order=["1"])
    one_participant = votes_from_records(["a"] * 8, [str(s) for s in range(8)], [1] * 8)
    one_statement = votes_from_records([str(p) for p in range(20)], ["1"] * 20, [1, -1] * 10)
    identical = votes_from_records(
        [str(p) for p in range(20) for _ in range(8)],
        [str(s) for _ in range(20) for s in range(8)],
        [1, -1, 0, 1, 1, -1, 1, 1] * 20,
    )
    return {
        "no votes": empty,
        "one participant": one_participant,
        "one statement": one_statement,
        "identical votes": identical,
    }


@pytest.mark.parametrize("case", list(_degenerate_cases()))
@pytest.mark.parametrize("method", ["direct", "base-clusters"])
def test_degenerate_input_gives_no_groups_and_a_reason(case, method):
    votes = _degenerate_cases()[case]
    groups = opinion_groups(votes, method=method, rng=np.random.default_rng(0))
    if case == "one statement" and method == "base-clusters":
        # Polis clusters on one statement (min votes = number of statements): agree vs disagree.
        assert groups.n_groups == 2
        return
    assert groups.n_groups == 0
    assert groups.reason
    assert (groups.labels == -1).all()
    assert math.isnan(groups.silhouette)
    assert groups.projection.participant_xy.shape == (votes.n_participants, 2)
    assert np.isfinite(groups.projection.participant_xy).all()


def test_degenerate_points_give_no_groups_and_a_reason():
    for points in (np.zeros((0, 2)), np.zeros((1, 2)), np.ones((10, 2))):
        for search in (
            opinion_groups_direct(points),
            opinion_groups_base_clusters(points, rng=np.random.default_rng(0)),
        ):
            assert search.n_groups == 0
            assert search.reason
            assert search.labels.shape == (points.shape[0],)
