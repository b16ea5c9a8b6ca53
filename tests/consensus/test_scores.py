"""Vote tallies and scores: parity with red-dwarf on real data, known answers, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from puente.consensus.repness import consensus_statements, representative_statements
from puente.consensus.scores import (
    VoteCounts,
    agree_probability,
    approval,
    counts_by_grouping,
    divisiveness,
    group_informed_consensus,
    joint_support,
    overall_counts,
    vote_counts,
    vote_counts_and_overall,
)
from puente.consensus.types import Groupings, Votes, votes_from_records
from tests.consensus.conftest import (
    A_MOSTLY,
    A_ONLY,
    ATOL,
    B_ONLY,
    BOTH_LIKE,
    BOTH_REJECT,
    CAMP_SIZE,
    CONVERSATIONS,
    POLIS_DATA,
    Conversation,
    random_case,
    two_camps,
    votes_from_matrix,
)

# ---------------------------------------------------------------- helpers


def _dense_counts(
    matrix: NDArray[np.float64],
    labels: NDArray[np.intp],
    n_groups: int,
    weights: NDArray[np.float64] | None = None,
) -> dict[str, NDArray[np.float64]]:
    """Count votes per group from a dense matrix, the slow and obvious way."""
    weight = np.ones(matrix.shape[0]) if weights is None else weights
    result = {
        name: np.zeros((n_groups, matrix.shape[1])) for name in ("agree", "disagree", "passed")
    }
    for group in range(n_groups):
        rows = matrix[labels == group]
        row_weight = weight[labels == group][:, None]
        result["agree"][group] = ((rows == 1) * row_weight).sum(axis=0)
        result["disagree"][group] = ((rows == -1) * row_weight).sum(axis=0)
        result["passed"][group] = ((rows == 0) * row_weight).sum(axis=0)
    return result


# ---------------------------------------------------------------- parity with red-dwarf


def test_real_conversations_are_available() -> None:
    if not POLIS_DATA.is_dir():
        pytest.skip(f"no Polis data at {POLIS_DATA}")
    assert len(CONVERSATIONS) >= 3


def test_group_counts_equal_red_dwarfs_group_comment_stats(conversation: Conversation) -> None:
    stats = conversation.result.group_comment_stats
    counts = conversation.by_group
    assert counts.n_groups == len(stats.index.get_level_values("group_id").unique()) >= 2
    for group, frame in stats.groupby(level="group_id"):
        columns = conversation.index_of(frame.index.get_level_values("statement_id"))
        assert counts.agree[int(group), columns].tolist() == frame["na"].tolist()
        assert counts.disagree[int(group), columns].tolist() == frame["nd"].tolist()
        assert counts.seen[int(group), columns].tolist() == frame["ns"].tolist()
        passed = (frame["ns"] - frame["na"] - frame["nd"]).tolist()
        assert counts.passed[int(group), columns].tolist() == passed
        np.testing.assert_allclose(agree_probability(counts)[int(group), columns], frame["pa"])


def test_group_informed_consensus_equals_red_dwarfs(conversation: Conversation) -> None:
    statements = conversation.result.statements_df
    columns = conversation.index_of(statements.index)
    assert len(columns) == conversation.votes.n_statements
    agree, disagree = group_informed_consensus(conversation.by_group)
    np.testing.assert_allclose(
        agree[columns], statements["group-aware-consensus-agree"], rtol=0, atol=ATOL
    )
    np.testing.assert_allclose(
        disagree[columns], statements["group-aware-consensus-disagree"], rtol=0, atol=ATOL
    )


@pytest.mark.parametrize("with_moderated_out", [True, False])
def test_top_10_statements_by_group_informed_consensus_are_red_dwarfs(
    conversation: Conversation, with_moderated_out: bool
) -> None:
    gac = conversation.result.statements_df["group-aware-consensus-agree"]
    if not with_moderated_out:
        gac = gac[~gac.index.isin(conversation.moderated_out_ids)]
    expected = gac.sort_values(ascending=False, kind="stable").index[:10].tolist()
    agree, _ = group_informed_consensus(conversation.by_group)
    eligible = np.ones_like(agree, dtype=bool)
    if not with_moderated_out:
        eligible = ~conversation.votes.moderated_out
    candidates = np.flatnonzero(eligible)
    top = candidates[np.argsort(-agree[candidates], kind="stable")[:10]]
    assert [conversation.statement_id(j) for j in top] == expected


# ---------------------------------------------------------------- known answers


def test_statements_both_camps_like_have_top_group_informed_consensus() -> None:
    for size_b in (CAMP_SIZE, CAMP_SIZE // 2):
        votes, labels = two_camps(size_b=size_b)
        agree, disagree = group_informed_consensus(vote_counts(votes, labels, 2))
        assert set(np.argsort(-agree)[:2].tolist()) == set(BOTH_LIKE)
        assert int(np.argmax(disagree)) == BOTH_REJECT


def test_statements_both_camps_like_have_top_joint_support() -> None:
    votes, labels = two_camps(size_b=CAMP_SIZE // 2)
    groupings = Groupings(categories={"camp": ("A", "B", "C")}, codes={"camp": labels})
    support = joint_support(votes, groupings)["camp"]
    assert set(np.argsort(-support)[:2].tolist()) == set(BOTH_LIKE)
    # The popular-in-A statement wins on plain approval, yet not on joint support.
    assert approval(overall_counts(votes))[A_ONLY] > approval(overall_counts(votes))[BOTH_REJECT]
    assert support[A_ONLY] < 0.5 * support[BOTH_LIKE[0]]


def test_a_statement_loved_by_one_camp_only_is_divisive_and_not_consensus() -> None:
    votes, labels = two_camps()
    divisive = divisiveness(vote_counts(votes, labels, 2))
    for statement in (A_ONLY, B_ONLY, A_MOSTLY):
        assert divisive[statement] > 0.8
    for statement in (*BOTH_LIKE, BOTH_REJECT):
        assert divisive[statement] < 0.15
    consensus = consensus_statements(votes)
    assert set(consensus["agree"]) == set(BOTH_LIKE)
    assert consensus["disagree"] == [BOTH_REJECT]


def test_divisiveness_is_zero_with_a_single_group() -> None:
    votes, _ = two_camps()
    single = np.zeros(votes.n_participants, dtype=np.intp)
    assert np.all(divisiveness(vote_counts(votes, single, 1)) == 0)
    assert np.all(divisiveness(vote_counts(votes, single - 1, 0)) == 0)


def test_divisiveness_weights_groups_by_their_sided_votes() -> None:
    # Group 0: 3 agree; group 1: 1 disagree and 5 passes (passes take no side).
    counts = VoteCounts(
        agree=np.array([[3], [0]]),
        disagree=np.array([[0], [1]]),
        passed=np.array([[0], [5]]),
        seen=np.array([[3], [6]]),
    )
    p = np.array([4 / 5, 1 / 3])
    weight = np.array([3, 1])
    mean = (weight * p).sum() / weight.sum()
    expected = 2 * np.sqrt((weight * (p - mean) ** 2).sum() / weight.sum())
    assert divisiveness(counts)[0] == pytest.approx(expected)


def test_counts_match_a_dense_count_and_ignore_unclustered_participants() -> None:
    matrix, labels, n_groups, _ = random_case(7)
    labels = labels.copy()
    labels[::5] = -1
    votes = votes_from_matrix(matrix)
    counts = vote_counts(votes, labels, n_groups + 1)
    expected = _dense_counts(matrix, labels, n_groups + 1)
    for name, values in expected.items():
        assert getattr(counts, name).tolist() == values.tolist()
        assert getattr(counts, name).dtype == np.int64
    assert np.all(counts.seen[n_groups] == 0)  # a group without members
    assert (counts.seen == counts.agree + counts.disagree + counts.passed).all()
    assert counts.as_dict()["pass"] is counts.passed


def test_weighted_counts_sum_participant_weights() -> None:
    matrix, labels, n_groups, _ = random_case(11)
    weights = np.random.default_rng(0).uniform(0.1, 3.0, size=(int(matrix.shape[0]),))
    counts = vote_counts(votes_from_matrix(matrix), labels, n_groups, weights=weights)
    expected = _dense_counts(matrix, labels, n_groups, weights)
    for name, values in expected.items():
        np.testing.assert_allclose(getattr(counts, name), values)
    unit = vote_counts(
        votes_from_matrix(matrix), labels, n_groups, weights=np.ones(matrix.shape[0])
    )
    assert (
        unit.agree.tolist()
        == vote_counts(votes_from_matrix(matrix), labels, n_groups).agree.tolist()
    )


def test_overall_counts_are_the_counts_of_one_group_of_everyone() -> None:
    matrix, *_ = random_case(3)
    votes = votes_from_matrix(matrix)
    one_group = vote_counts(votes, np.zeros(votes.n_participants, dtype=np.intp), 1)
    overall = overall_counts(votes)
    for name in ("agree", "disagree", "passed", "seen"):
        assert getattr(overall, name).tolist() == getattr(one_group, name).tolist()


def test_counts_by_grouping_give_one_row_per_declared_category() -> None:
    votes, labels = two_camps()
    region = np.where(np.arange(votes.n_participants) % 2 == 0, 0, 2).astype(np.intp)
    region[:3] = -1
    groupings = Groupings(
        categories={"camp": ("A", "B"), "region": ("EU", "Africa", "LAC")},
        codes={"camp": labels, "region": region},
    )
    by_grouping = counts_by_grouping(votes, groupings)
    assert by_grouping["camp"].agree.tolist() == vote_counts(votes, labels, 2).agree.tolist()
    assert by_grouping["region"].n_groups == 3
    assert int(by_grouping["region"].seen[1].sum()) == 0
    # The empty category (Africa) is skipped, not counted as a group that saw nothing.
    region_counts = by_grouping["region"]
    present = VoteCounts(
        agree=region_counts.agree[[0, 2]],
        disagree=region_counts.disagree[[0, 2]],
        passed=region_counts.passed[[0, 2]],
        seen=region_counts.seen[[0, 2]],
    )
    np.testing.assert_array_equal(
        joint_support(votes, groupings)["region"], group_informed_consensus(present)[0]
    )


def test_group_informed_consensus_is_the_product_of_smoothed_group_probabilities() -> None:
    counts = VoteCounts(
        agree=np.array([[3, 0], [1, 2]]),
        disagree=np.array([[1, 0], [1, 0]]),
        passed=np.array([[0, 0], [1, 0]]),
        seen=np.array([[4, 0], [3, 2]]),
    )
    agree, disagree = group_informed_consensus(counts)
    np.testing.assert_allclose(agree, [(4 / 6) * (2 / 5), (1 / 2) * (3 / 4)])
    np.testing.assert_allclose(disagree, [(2 / 6) * (2 / 5), (1 / 2) * (1 / 4)])


def test_the_wrong_number_of_labels_is_refused() -> None:
    votes, labels = two_camps()
    with pytest.raises(ValueError, match="one label per participant"):
        vote_counts(votes, labels[:-1], 2)
    with pytest.raises(ValueError, match="n_groups"):
        vote_counts(votes, labels, 1)


# ---------------------------------------------------------------- degenerate input


def _degenerate_cases() -> dict[str, Votes]:
    return {
        "no votes": votes_from_records([], [], []),
        "one participant": votes_from_matrix(np.array([[1.0, -1.0, 0.0]])),
        "one statement": votes_from_matrix(np.array([[1.0], [-1.0], [1.0]])),
        "everyone identical": votes_from_matrix(np.ones((6, 4))),
        "only passes": votes_from_matrix(np.zeros((3, 2))),
        "all moderated out": votes_from_matrix(np.ones((3, 2)), moderated_out=(0, 1)),
    }


@pytest.mark.parametrize("case", list(_degenerate_cases()))
def test_degenerate_input_gives_valid_scores(case: str) -> None:
    votes = _degenerate_cases()[case]
    n_statements = votes.n_statements
    for labels, n_groups in (
        (np.zeros(votes.n_participants, dtype=np.intp), 1),
        (np.full(votes.n_participants, -1, dtype=np.intp), 0),
        (np.arange(votes.n_participants, dtype=np.intp) % 2, 2),
    ):
        counts = vote_counts(votes, labels, n_groups)
        assert counts.agree.shape == (n_groups, n_statements)
        agree, disagree = group_informed_consensus(counts)
        assert agree.shape == disagree.shape == (n_statements,)
        assert np.isfinite(agree).all()
        assert np.isfinite(divisiveness(counts)).all()
        assert np.isfinite(approval(counts)).all()
        assert divisiveness(counts).shape == (n_statements,)
        repness = representative_statements(counts, moderated_out=votes.moderated_out)
        assert sorted(repness) == list(range(n_groups))
    consensus = consensus_statements(votes)
    assert set(consensus) == {"agree", "disagree"}
    assert approval(overall_counts(votes)).shape == (n_statements,)
    groupings = Groupings(
        categories={"region": ("EU", "LAC")},
        codes={"region": np.zeros(votes.n_participants, dtype=np.intp)},
    )
    assert joint_support(votes, groupings)["region"].shape == (n_statements,)


def test_without_any_vote_group_informed_consensus_is_the_prior() -> None:
    votes = votes_from_matrix(np.full((2, 3), np.nan))
    agree, disagree = group_informed_consensus(vote_counts(votes, np.zeros(2, dtype=np.intp), 1))
    assert agree.tolist() == disagree.tolist() == [0.5, 0.5, 0.5]


# ---------------------------------------------------------------- properties

_cell = st.sampled_from([np.nan, -1.0, 0.0, 1.0])


@st.composite
def _matrices_with_labels(draw: st.DrawFn) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    n_participants = draw(st.integers(1, 8))
    n_statements = draw(st.integers(1, 6))
    cells = draw(st.lists(_cell, min_size=n_participants * n_statements, max_size=48))
    matrix = np.array(cells[: n_participants * n_statements]).reshape(n_participants, n_statements)
    labels = np.array(
        draw(st.lists(st.integers(-1, 2), min_size=n_participants, max_size=n_participants)),
        dtype=np.intp,
    )
    return matrix, labels


@settings(max_examples=80, deadline=None)
@given(case=_matrices_with_labels(), data=st.data())
def test_adding_pass_votes_changes_no_agree_or_disagree_count(
    case: tuple[NDArray[np.float64], NDArray[np.intp]], data: st.DataObject
) -> None:
    matrix, labels = case
    unseen = np.argwhere(np.isnan(matrix))
    chosen = (
        data.draw(st.lists(st.sampled_from(range(len(unseen))), unique=True)) if len(unseen) else []
    )
    with_passes = matrix.copy()
    for row, column in unseen[chosen]:
        with_passes[row, column] = 0.0
    before = vote_counts(votes_from_matrix(matrix), labels, 3)
    after = vote_counts(votes_from_matrix(with_passes), labels, 3)
    assert after.agree.tolist() == before.agree.tolist()
    assert after.disagree.tolist() == before.disagree.tolist()
    added = (
        _dense_counts(with_passes, labels, 3)["passed"] - _dense_counts(matrix, labels, 3)["passed"]
    )
    assert (after.passed - before.passed).tolist() == added.tolist()
    assert overall_counts(votes_from_matrix(with_passes)).agree.tolist() == (
        overall_counts(votes_from_matrix(matrix)).agree.tolist()
    )


@settings(max_examples=60, deadline=None)
@given(case=_matrices_with_labels(), seed=st.integers(0, 2**32 - 1))
def test_reordering_participants_changes_no_count(
    case: tuple[NDArray[np.float64], NDArray[np.intp]], seed: int
) -> None:
    matrix, labels = case
    order = np.random.default_rng(seed).permutation(matrix.shape[0])
    counts = vote_counts(votes_from_matrix(matrix), labels, 3)
    shuffled = vote_counts(votes_from_matrix(matrix[order]), labels[order], 3)
    for name in ("agree", "disagree", "passed", "seen"):
        assert getattr(counts, name).tolist() == getattr(shuffled, name).tolist()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_groups=st.integers(0, 4))
def test_counts_per_group_and_overall_in_one_pass_equal_separate_tallies(seed, n_groups):
    rng = np.random.default_rng(seed)
    n_participants, n_statements = 40, 12
    seen = rng.random((n_participants, n_statements)) < 0.6
    participants, statements = np.nonzero(seen)
    votes = votes_from_records(
        participants.tolist(), statements.tolist(), rng.integers(-1, 2, participants.size)
    )
    # Some participants are left out of every group (-1).
    labels = (
        rng.integers(-1, n_groups, votes.n_participants)
        if n_groups
        else np.full(votes.n_participants, -1)
    )
    by_group, overall = vote_counts_and_overall(votes, labels, n_groups)
    expected_by_group = vote_counts(votes, labels, n_groups)
    expected_overall = overall_counts(votes)
    for name in ("agree", "disagree", "passed", "seen"):
        np.testing.assert_array_equal(getattr(by_group, name), getattr(expected_by_group, name))
        np.testing.assert_array_equal(getattr(overall, name), getattr(expected_overall, name))
