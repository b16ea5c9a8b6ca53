"""PCA projection: scikit-learn's PCA of the imputed votes, unvoted rows at the origin."""

import numpy as np
from sklearn.decomposition import PCA

from puente.consensus.projection import pca_project
from puente.consensus.types import votes_from_records
from tests.consensus.conftest import planted_votes


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


def test_reordering_participants_permutes_the_projection():
    votes, _ = planted_votes(2, n_per_camp=40)
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


def test_a_wide_matrix_of_rank_one_falls_back_to_the_dense_axes():
    # Two camps voting opposite on all 70 statements, everyone on everything: one axis of
    # variance, so Lanczos finds one singular vector and the second comes from the dense path.
    n_statements = 70
    pattern = np.where(np.arange(n_statements) % 3 == 0, 1, -1)
    rows = [pattern if person % 2 else -pattern for person in range(20)]
    dense = np.asarray(rows, dtype=float)
    participant, statement = np.nonzero(np.ones_like(dense))
    votes = votes_from_records(
        participant.astype(str),
        statement.astype(str),
        dense[participant, statement].astype(int),
    )
    order = [int(sid) for sid in votes.statement_ids]
    matrix = dense[[int(pid) for pid in votes.participant_ids]][:, order]
    pca = PCA(2, svd_solver="full").fit(matrix)
    projection = pca_project(votes)
    np.testing.assert_allclose(projection.explained_variance, pca.explained_variance_, atol=1e-9)
    # Every loading has the same size, so the sign of the axis is a tie: compare sizes.
    expected = np.abs(pca.transform(matrix)[:, 0])
    np.testing.assert_allclose(np.abs(projection.participant_xy[:, 0]), expected)
    np.testing.assert_allclose(np.abs(projection.components[0]), np.abs(pca.components_[0]))
