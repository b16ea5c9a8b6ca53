"""Opinion groups: parity with red-dwarf on real Polis data, planted groups, degenerate input."""

import csv
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score

from bench.synthetic import synthetic_votes
from puente.consensus import kmeans
from puente.consensus.groups import (
    OpinionGroups,
    clusterable_mask,
    kmeans_polis,
    opinion_groups,
    opinion_groups_base_clusters,
    opinion_groups_direct,
    pca_project,
    silhouette,
)
from puente.consensus.kmeans import lloyd_runs
from puente.consensus.types import Votes, votes_from_records
from puente.consensus.weighted_kmeans import polis_kmeans, polis_kmeans_runs

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "polis"
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
SILHOUETTE_ATOL = 1e-12


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
def conversation(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Run red-dwarf once per conversation (default pipeline, plus an exact-solver reducer)."""
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


def test_direct_groups_equal_red_dwarf_groups(conversation):
    red_dwarf_labels = conversation["labels"]
    groups: OpinionGroups = conversation["direct"]
    is_clustered = ~np.isnan(red_dwarf_labels)
    np.testing.assert_array_equal(groups.clustered, is_clustered)
    np.testing.assert_array_equal(groups.labels[~is_clustered], -1)
    ari = adjusted_rand_score(red_dwarf_labels[is_clustered], groups.labels[is_clustered])
    assert ari == 1.0
    assert groups.n_groups == conversation["n_groups"]
    # Same label numbers too, not only the same partition.
    np.testing.assert_array_equal(groups.labels[is_clustered], red_dwarf_labels[is_clustered])
    assert groups.reason is None


def test_projection_equals_red_dwarf_pca_with_an_exact_solver(conversation):
    projection = conversation["direct"].projection
    np.testing.assert_allclose(
        projection.participant_xy, conversation["exact_participant_xy"], atol=PROJECTION_ATOL
    )
    np.testing.assert_allclose(
        projection.statement_xy, conversation["exact_statement_xy"], atol=PROJECTION_ATOL
    )
    np.testing.assert_allclose(
        projection.components, conversation["exact_components"], atol=PROJECTION_ATOL
    )
    np.testing.assert_allclose(projection.mean, conversation["exact_mean"], atol=PROJECTION_ATOL)
    np.testing.assert_allclose(
        projection.explained_variance, conversation["exact_variance"], rtol=1e-10
    )


def test_projection_is_close_to_red_dwarf_default_randomized_pca(conversation):
    projection = conversation["direct"].projection
    np.testing.assert_allclose(
        projection.participant_xy, conversation["participant_xy"], atol=RANDOMIZED_PCA_ATOL
    )


def test_base_clusters_agreement_with_polis_group_ids_is_recorded(conversation, record_property):
    votes = conversation["votes"]
    groups = opinion_groups(votes, method="base-clusters", rng=np.random.default_rng(0))
    polis = _polis_group_ids(DATA / conversation["name"], votes)
    both = groups.clustered & ~np.isnan(polis)
    ari = adjusted_rand_score(polis[both], groups.labels[both])
    direct = conversation["direct"]
    both_direct = direct.clustered & ~np.isnan(polis)
    ari_direct = adjusted_rand_score(polis[both_direct], direct.labels[both_direct])
    record_property(f"ari_base_clusters_vs_polis[{conversation['name']}]", ari)
    print(
        f"{conversation['name']}: ARI vs Polis group-id: base-clusters {ari:.3f} "
        f"({groups.n_groups} groups), direct {ari_direct:.3f} ({direct.n_groups} groups)"
    )
    assert math.isfinite(ari)
    assert -1.0 <= ari <= 1.0
    assert groups.n_groups >= 2


@pytest.mark.parametrize(
    ("n_points", "n_features", "n_clusters", "seed"),
    [(60, 2, 2, 0), (300, 2, 3, 1), (500, 2, 5, 2), (1200, 2, 4, 3), (400, 3, 6, 4)],
)
def test_silhouette_equals_sklearn_on_random_data(n_points, n_features, n_clusters, seed):
    rng = np.random.default_rng(seed)
    points = rng.standard_normal((n_points, n_features)) * rng.uniform(0.5, 5.0)
    labels = rng.integers(0, n_clusters, n_points)
    labels[0] = n_clusters  # a cluster of one point: its silhouette is 0
    assert abs(silhouette(points, labels) - silhouette_score(points, labels)) < SILHOUETTE_ATOL


def test_silhouette_equals_sklearn_with_repeated_points():
    rng = np.random.default_rng(5)
    points = np.round(rng.standard_normal((400, 2)), 1)
    labels = (points[:, 0] > 0).astype(int) + (points[:, 1] > 0.5)
    assert abs(silhouette(points, labels) - silhouette_score(points, labels)) < 1e-9


def test_silhouette_is_nan_when_undefined():
    points = np.arange(8.0).reshape(4, 2)
    assert math.isnan(silhouette(points, np.zeros(4, dtype=int)))
    assert math.isnan(silhouette(points, np.arange(4)))


@pytest.mark.parametrize(("n_clusters", "seed"), [(2, 0), (3, 1), (4, 2), (5, 3), (8, 4)])
def test_kmeans_polis_equals_sklearn_kmeans_from_the_same_centres(n_clusters, seed):
    rng = np.random.default_rng(seed)
    points = np.concatenate(
        [rng.normal(centre, 1.0, (150, 2)) for centre in rng.uniform(-6, 6, (4, 2))]
    )
    points = rng.permutation(points)
    labels, centres = kmeans_polis(points, n_clusters)
    start = np.unique(points, axis=0)[:n_clusters]
    reference = KMeans(n_clusters, init=start, n_init=1, algorithm="lloyd").fit(points)
    np.testing.assert_array_equal(labels, reference.labels_)
    np.testing.assert_allclose(centres, reference.cluster_centers_, atol=1e-12)


def _sklearn_lloyd(points, start):
    """Fit scikit-learn's Lloyd k-means from the given centres (its empty-cluster warning off)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return KMeans(len(start), init=start, n_init=1, algorithm="lloyd").fit(points)


def test_lloyd_relocates_empty_clusters_as_sklearn_does():
    rng = np.random.default_rng(7)
    points = rng.standard_normal((200, 2))
    # Two centres far from every point stay empty after the first assignment.
    start = np.array([[0.0, 0.0], [50.0, 50.0], [-40.0, 60.0], [1.0, 1.0]])
    labels, centres = lloyd_runs(points, [start], max_iter=300, tol=1e-4)[0]
    reference = _sklearn_lloyd(points, start)
    np.testing.assert_array_equal(labels, reference.labels_)
    np.testing.assert_allclose(centres, reference.cluster_centers_, atol=1e-12)


@pytest.mark.parametrize("chunk_elements", [1 << 18, 100])
def test_lloyd_runs_side_by_side_equal_sklearn_run_by_run(chunk_elements, monkeypatch):
    # Runs stop after different numbers of steps; one of them relocates an empty cluster;
    # they are not given by number of centres. Small chunks split the assignment step.
    monkeypatch.setattr(kmeans, "ASSIGN_CHUNK_ELEMENTS", chunk_elements)
    rng = np.random.default_rng(11)
    points = np.concatenate(
        [rng.normal(centre, 1.0, (120, 2)) for centre in rng.uniform(-5, 5, (3, 2))]
    )
    starts = [np.unique(points, axis=0)[:k] for k in range(2, 6)]
    starts.append(np.array([[0.0, 0.0], [80.0, 80.0], [1.0, 1.0]]))
    fits = lloyd_runs(points, starts, max_iter=300, tol=1e-4)
    for start, (labels, centres) in zip(starts, fits, strict=True):
        reference = _sklearn_lloyd(points, start)
        np.testing.assert_array_equal(labels, reference.labels_)
        np.testing.assert_allclose(centres, reference.cluster_centers_, atol=1e-12)


def test_lloyd_runs_give_exact_ties_to_the_lowest_centre_as_sklearn_does():
    # Symmetric points: those on the y axis are exactly as far from (-1, 0) as from (1, 0).
    points = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, -1.0], [0.0, 2.0], [0.0, -2.0]])
    starts = [np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 9.0]])]
    fits = lloyd_runs(points, starts, max_iter=300, tol=1e-4)
    for start, (labels, _) in zip(starts, fits, strict=True):
        reference = _sklearn_lloyd(points, start)
        np.testing.assert_array_equal(labels, reference.labels_)
    assert fits[0][0].tolist() == [0, 1, 0, 0, 0, 0]


def _naive_polis_kmeans(points, weights, start, max_iter):
    """Recompute every distance at every step (the behaviour the bounds must reproduce)."""
    centres = start.copy()
    labels = np.zeros(len(points), dtype=int)
    for _ in range(max_iter):
        distances = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)
        labels = np.argmin(distances, axis=1)
        mass = np.bincount(labels, weights=weights, minlength=len(centres))
        kept = mass > 0
        sums = np.stack(
            [
                np.bincount(labels, weights=weights * points[:, f], minlength=len(centres))
                for f in (0, 1)
            ],
            axis=1,
        )
        new = sums[kept] / mass[kept, None]
        moved = np.linalg.norm(new - centres[kept], axis=1)
        labels = (np.cumsum(kept) - 1)[labels]
        converged = kept.all() and np.all(moved < 0.01)
        centres = new
        if converged:
            break
    return labels, centres


@pytest.mark.parametrize(("n_points", "n_centres", "seed"), [(3000, 100, 0), (500, 40, 1)])
def test_polis_kmeans_with_bounds_equals_recomputing_every_distance(n_points, n_centres, seed):
    rng = np.random.default_rng(seed)
    points = np.concatenate(
        [rng.normal(centre, 0.7, (n_points // 3, 2)) for centre in ((0, 0), (4, 1), (1, 5))]
    )
    weights = rng.integers(1, 5, len(points)).astype(float)
    start = points[:n_centres]
    labels, centres = polis_kmeans(points, weights, start, max_iter=100)
    expected_labels, expected_centres = _naive_polis_kmeans(points, weights, start, 100)
    np.testing.assert_array_equal(labels, expected_labels)
    np.testing.assert_allclose(centres, expected_centres, atol=1e-12)


def test_polis_kmeans_runs_side_by_side_equal_each_run_alone():
    rng = np.random.default_rng(3)
    points = np.concatenate(
        [rng.normal(centre, 0.5, (40, 2)) for centre in ((0, 0), (3, 0), (0, 3))]
    )
    weights = rng.integers(1, 9, len(points)).astype(float)
    starts = [points[:k] for k in (2, 3, 5)]
    # Far centres lose their points at once and are dropped; runs stop at different steps.
    starts.append(np.array([[0.0, 0.0], [90.0, 90.0], [3.0, 0.0], [-70.0, 5.0]]))
    starts.append(points[[0, 50, 100]])
    fits = polis_kmeans_runs(points, weights, starts, max_iter=100)
    for start, (labels, centres) in zip(starts, fits, strict=True):
        expected_labels, expected_centres = _naive_polis_kmeans(points, weights, start, 100)
        np.testing.assert_array_equal(labels, expected_labels)
        np.testing.assert_allclose(centres, expected_centres, atol=1e-12)
    assert fits[3][1].shape[0] == 2


def _planted_votes(
    n_camps: int, n_per_camp: int = 200, n_statements: int = 60, seed: int = 0
) -> tuple[Votes, np.ndarray]:
    """Camps at evenly spaced points of a 2-D opinion space, people in random order.

    Each statement has a random direction in that space; a person agrees with probability
    rising with how far their camp lies along it, and skips 30% of the statements.
    """
    rng = np.random.default_rng(seed)
    angle = 2 * np.pi * np.arange(n_camps) / n_camps
    position = np.column_stack([np.cos(angle), np.sin(angle)])
    direction = rng.standard_normal((n_statements, 2))
    camp_of_person = rng.permutation(np.repeat(np.arange(n_camps), n_per_camp))
    participants, statements, values = [], [], []
    for person, camp in enumerate(camp_of_person):
        p_agree = 1 / (1 + np.exp(-4 * direction @ position[camp]))
        draw = rng.random(n_statements)
        vote = np.where(draw < p_agree, 1, -1)
        vote[rng.random(n_statements) < 0.1] = 0
        for statement in np.flatnonzero(rng.random(n_statements) > 0.3):
            participants.append(str(person))
            statements.append(str(statement))
            values.append(int(vote[statement]))
    votes = votes_from_records(participants, statements, values)
    return votes, camp_of_person[[int(pid) for pid in votes.participant_ids]]


@pytest.mark.parametrize("method", ["direct", "base-clusters"])
def test_two_planted_camps_give_two_groups(method):
    votes, camp = _planted_votes(2)
    groups = opinion_groups(votes, method=method, rng=np.random.default_rng(0))
    assert groups.n_groups == 2
    assert adjusted_rand_score(camp, groups.labels) == 1.0
    assert groups.silhouette > 0.5


@pytest.mark.parametrize(("n_camps", "seed"), [(2, 1), (3, 2), (4, 3)])
def test_base_clusters_recover_planted_groups(n_camps, seed):
    votes, camp = _planted_votes(n_camps, n_per_camp=250, seed=seed)
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
    votes, _ = _planted_votes(3, n_per_camp=100, seed=4)
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


def test_projection_matches_sklearn_pca_on_dense_imputed_matrix():
    # 80 statements exercise the Lanczos path; the moderated statement is zeroed for everyone.
    rng = np.random.default_rng(3)
    n_participants, n_statements = 150, 80
    dense = rng.choice([-1.0, 0.0, 1.0], size=(n_participants, n_statements))
    dense[rng.random(dense.shape) < 0.4] = np.nan
    participant, statement = np.nonzero(~np.isnan(dense))
    votes = votes_from_records(
        participant.astype(str),
        statement.astype(str),
        dense[participant, statement].astype(int),
        moderated_out=["5"],
    )
    order = [int(sid) for sid in votes.statement_ids]
    matrix = dense[[int(pid) for pid in votes.participant_ids]][:, order]
    matrix[:, order.index(5)] = 0.0
    n_seen = np.count_nonzero(~np.isnan(matrix), axis=1)
    imputed = np.where(np.isnan(matrix), np.nanmean(matrix, axis=0), matrix)
    pca = PCA(2, svd_solver="full").fit(imputed)
    expected = pca.transform(imputed) * np.sqrt(n_statements / n_seen)[:, None]
    projection = pca_project(votes)
    np.testing.assert_allclose(projection.participant_xy, expected, atol=1e-10)
    np.testing.assert_allclose(projection.components, pca.components_, atol=1e-10)
    np.testing.assert_allclose(projection.explained_variance, pca.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(projection.components[:, order.index(5)], 0.0, atol=1e-12)


def test_participants_and_statements_without_votes_sit_at_the_origin():
    votes = votes_from_records(
        ["a", "a", "b", "b", "c", "c"],
        ["1", "2", "1", "2", "1", "3"],
        [1, -1, -1, 1, 1, 1],
        participant_order=["a", "b", "c", "d"],
        statement_order=["1", "2", "3", "4"],
    )
    projection = pca_project(votes)
    np.testing.assert_array_equal(projection.participant_xy[3], 0.0)
    np.testing.assert_array_equal(projection.statement_xy[3], 0.0)
    np.testing.assert_array_equal(projection.components[:, 3], 0.0)


def test_clusterable_mask_counts_votes_on_moderated_statements():
    votes = votes_from_records(
        ["a"] * 3 + ["b"] * 2, ["1", "2", "3", "1", "2"], [1, 1, -1, 0, 1], moderated_out=["3"]
    )
    np.testing.assert_array_equal(clusterable_mask(votes, min_votes=3), [True, False])


def test_reordering_participants_permutes_the_projection():
    votes, _ = _planted_votes(2, n_per_camp=40)
    reversed_order = list(reversed(votes.participant_ids))
    position = {pid: i for i, pid in enumerate(reversed_order)}
    remapped = votes_from_records(
        [votes.participant_ids[p] for p in votes.participant],
        [votes.statement_ids[s] for s in votes.statement],
        votes.value,
        participant_order=reversed_order,
        statement_order=votes.statement_ids,
    )
    index = [position[pid] for pid in votes.participant_ids]
    np.testing.assert_allclose(
        pca_project(remapped).participant_xy[index], pca_project(votes).participant_xy, atol=1e-10
    )


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
