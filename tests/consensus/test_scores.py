"""Vote tallies and scores: parity with red-dwarf on real data, known answers, properties."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from reddwarf.implementations.polis import run_pipeline
from reddwarf.utils.consensus import select_consensus_statements
from reddwarf.utils.stats import (
    calculate_comment_statistics_dataframes,
    select_representative_statements,
)

from puente.consensus.scores import (
    VoteCounts,
    agree_probability,
    approval,
    consensus_details,
    consensus_statements,
    counts_by_grouping,
    divisiveness,
    group_informed_consensus,
    joint_support,
    overall_counts,
    representative_statements,
    vote_counts,
    vote_counts_and_overall,
)
from puente.consensus.types import Groupings, Votes, votes_from_records

ATOL = 1e-9
POLIS_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "polis"
CONVERSATIONS = sorted(
    path.name
    for path in (POLIS_DATA.iterdir() if POLIS_DATA.is_dir() else [])
    if (path / "votes.csv").is_file() or (path / "participants-votes.csv").is_file()
)
# red-dwarf's repness fields and ours.
REPNESS_FIELDS = {
    "n-success": "n_success",
    "n-trials": "n_trials",
    "p-success": "p_success",
    "p-test": "p_test",
    "repness": "repness",
    "repness-test": "repness_test",
    "repful-for": "repful_for",
}
CONSENSUS_FIELDS = {
    "n-success": "n_success",
    "n-trials": "n_trials",
    "p-success": "p_success",
    "p-test": "p_test",
}


# ---------------------------------------------------------------- helpers


def _votes_from_matrix(
    matrix: NDArray[np.float64], moderated_out: list[int] | tuple[int, ...] = ()
) -> Votes:
    """Build Votes from a dense matrix (nan unseen), keeping row and column order."""
    participant, statement = np.nonzero(~np.isnan(matrix))
    return votes_from_records(
        participant.tolist(),
        statement.tolist(),
        matrix[participant, statement].astype(int),
        moderated_out=[str(j) for j in moderated_out],
        participant_order=[str(i) for i in range(matrix.shape[0])],
        statement_order=[str(j) for j in range(matrix.shape[1])],
    )


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


def _read_polis_records(name: str) -> tuple[list[dict[str, int]], list[int]]:
    """Return the latest vote of every pair as red-dwarf records, and the moderated-out ids."""
    folder = POLIS_DATA / name
    latest: dict[tuple[int, int], dict[str, int]] = {}
    if (folder / "votes.csv").is_file():
        with (folder / "votes.csv").open(newline="") as file:
            for row in csv.DictReader(file):
                pair = (int(row["voter-id"]), int(row["comment-id"]))
                modified = int(row["timestamp"])
                if pair not in latest or modified >= latest[pair]["modified"]:
                    latest[pair] = {
                        "participant_id": pair[0],
                        "statement_id": pair[1],
                        "vote": int(row["vote"]),
                        "modified": modified,
                    }
    else:
        with (folder / "participants-votes.csv").open(newline="") as file:
            reader = csv.reader(file)
            header = next(reader)
            first = header.index("n-disagree") + 1
            for cells in reader:
                for column in range(first, len(header)):
                    if cells[column] != "":
                        pair = (int(cells[0]), int(header[column]))
                        latest[pair] = {
                            "participant_id": pair[0],
                            "statement_id": pair[1],
                            "vote": int(cells[column]),
                            "modified": 0,
                        }
    with (folder / "comments.csv").open(newline="") as file:
        moderated_out = [
            int(row["comment-id"]) for row in csv.DictReader(file) if row["moderated"] == "-1"
        ]
    return list(latest.values()), moderated_out


@dataclass
class Conversation:
    """A real conversation, red-dwarf's result on it and our tallies with red-dwarf's groups."""

    name: str
    votes: Votes
    moderated_out_ids: list[int]
    result: Any
    labels: NDArray[np.intp]
    by_group: VoteCounts

    def statement_id(self, index: int) -> int:
        return int(self.votes.statement_ids[index])

    def index_of(self, statement_ids: Any) -> NDArray[np.intp]:
        position = {int(s): j for j, s in enumerate(self.votes.statement_ids)}
        return np.array([position[int(s)] for s in statement_ids], dtype=np.intp)


_RED_DWARF_RUNS: dict[str, Conversation] = {}


@pytest.fixture(scope="module", params=CONVERSATIONS)
def conversation(request: pytest.FixtureRequest) -> Conversation:
    """Run red-dwarf once per conversation and tally our counts with its opinion groups."""
    name = request.param
    if name not in _RED_DWARF_RUNS:
        records, moderated_out = _read_polis_records(name)
        result = run_pipeline(votes=records, mod_out_statement_ids=moderated_out, random_state=0)
        votes = votes_from_records(
            [r["participant_id"] for r in records],
            [r["statement_id"] for r in records],
            [r["vote"] for r in records],
            moderated_out=[str(s) for s in moderated_out],
        )
        cluster = result.participants_df["cluster_id"]
        labels = np.array(
            [
                -1 if pd.isna(cluster.loc[int(p)]) else int(cluster.loc[int(p)])
                for p in votes.participant_ids
            ],
            dtype=np.intp,
        )
        n_groups = int(labels.max()) + 1
        _RED_DWARF_RUNS[name] = Conversation(
            name=name,
            votes=votes,
            moderated_out_ids=moderated_out,
            result=result,
            labels=labels,
            by_group=vote_counts(votes, labels, n_groups),
        )
    return _RED_DWARF_RUNS[name]


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


def test_consensus_lists_equal_red_dwarfs(conversation: Conversation) -> None:
    expected = conversation.result.consensus
    ours = consensus_details(conversation.votes)
    assert expected["agree"], "the parity check needs a non-empty consensus list"
    for direction in ("agree", "disagree"):
        assert [conversation.statement_id(e["statement"]) for e in ours[direction]] == [
            e["tid"] for e in expected[direction]
        ]
        for mine, theirs in zip(ours[direction], expected[direction], strict=True):
            for their_key, our_key in CONSENSUS_FIELDS.items():
                assert mine[our_key] == pytest.approx(theirs[their_key], rel=0, abs=ATOL)
    assert consensus_statements(conversation.votes) == {
        direction: [e["statement"] for e in entries] for direction, entries in ours.items()
    }


def test_representative_statements_equal_red_dwarfs(conversation: Conversation) -> None:
    expected = conversation.result.repness
    ours = representative_statements(
        conversation.by_group, moderated_out=conversation.votes.moderated_out
    )
    assert sorted(ours) == sorted(int(group) for group in expected)
    for group, their_entries in expected.items():
        our_entries = ours[int(group)]
        assert [conversation.statement_id(e["statement"]) for e in our_entries] == [
            e["tid"] for e in their_entries
        ]
        for mine, theirs in zip(our_entries, their_entries, strict=True):
            _assert_repness_entry_equal(mine, theirs)


def _assert_repness_entry_equal(mine: dict[str, Any], theirs: dict[str, Any]) -> None:
    for their_key, our_key in REPNESS_FIELDS.items():
        if isinstance(theirs[their_key], str):
            assert mine[our_key] == theirs[their_key]
        else:
            assert mine[our_key] == pytest.approx(theirs[their_key], rel=0, abs=ATOL)
    assert mine.get("best_agree", False) == theirs.get("best-agree", False)
    assert mine.get("n_agree") == theirs.get("n-agree")


# ---------------------------------------------------------------- parity on random small cases

N_RANDOM_CASES = 80


def _random_case(seed: int) -> tuple[NDArray[np.float64], NDArray[np.intp], int, list[int]]:
    """Return a small random vote matrix with group-dependent opinions, labels and mod-outs."""
    rng = np.random.default_rng(seed)
    n_participants = int(rng.integers(4, 40))
    n_statements = int(rng.integers(2, 25))
    n_groups = int(rng.integers(1, 5))
    labels = np.sort(rng.integers(0, n_groups, n_participants))
    labels[:n_groups] = np.arange(n_groups)
    labels = np.sort(labels).astype(np.intp)
    agree_rate = rng.uniform(0, 1, (n_groups, n_statements))[labels]
    pass_rate = rng.uniform(0, 0.5, (n_groups, n_statements))[labels]
    draw = rng.uniform(size=(n_participants, n_statements))
    matrix = np.where(
        draw < pass_rate, 0.0, np.where(draw < pass_rate + (1 - pass_rate) * agree_rate, 1.0, -1.0)
    )
    matrix[rng.uniform(size=matrix.shape) < rng.uniform(0, 0.6)] = np.nan
    matrix[0] = 1.0  # every statement has a vote, as in red-dwarf's matrix
    moderated_out = np.flatnonzero(rng.uniform(size=n_statements) < 0.15).tolist()
    return matrix, labels, n_groups, moderated_out


def _red_dwarf_frame(matrix: NDArray[np.float64]) -> pd.DataFrame:
    return pd.DataFrame(
        matrix,
        index=pd.Index(range(matrix.shape[0]), name="participant_id"),
        columns=pd.Index(range(matrix.shape[1]), name="statement_id"),
    )


def _random_case_results(
    seed: int,
) -> tuple[dict[int, list[dict[str, Any]]], Any, dict[str, list[dict[str, Any]]], Any]:
    matrix, labels, n_groups, moderated_out = _random_case(seed)
    votes = _votes_from_matrix(matrix, moderated_out)
    frame = _red_dwarf_frame(matrix)
    grouped, _ = calculate_comment_statistics_dataframes(frame, labels)
    their_repness = select_representative_statements(grouped, mod_out_statement_ids=moderated_out)
    their_consensus = select_consensus_statements(frame, mod_out_statement_ids=moderated_out)
    our_repness = representative_statements(
        vote_counts(votes, labels, n_groups), moderated_out=votes.moderated_out
    )
    return our_repness, their_repness, consensus_details(votes), their_consensus


@pytest.fixture(scope="module")
def random_case_results() -> list[Any]:
    return [_random_case_results(seed) for seed in range(N_RANDOM_CASES)]


def test_repness_and_consensus_equal_red_dwarfs_on_random_small_cases(
    random_case_results: list[Any],
) -> None:
    for seed, (our_repness, their_repness, our_consensus, their_consensus) in enumerate(
        random_case_results
    ):
        assert sorted(our_repness) == sorted(int(g) for g in their_repness), seed
        for group, their_entries in their_repness.items():
            our_entries = our_repness[int(group)]
            assert [e["statement"] for e in our_entries] == [e["tid"] for e in their_entries], (
                seed,
                group,
            )
            for mine, theirs in zip(our_entries, their_entries, strict=True):
                _assert_repness_entry_equal(mine, theirs)
        for direction in ("agree", "disagree"):
            assert [e["statement"] for e in our_consensus[direction]] == [
                e["tid"] for e in their_consensus[direction]
            ], (seed, direction)


def test_random_small_cases_reach_every_branch_of_the_repness_selection(
    random_case_results: list[Any],
) -> None:
    heads = [
        "empty" if not entries else "best agree" if entries[0].get("best_agree") else "fallback"
        for our_repness, *_ in random_case_results
        for entries in our_repness.values()
    ]
    assert {"empty", "best agree", "fallback"} <= set(heads)


# ---------------------------------------------------------------- known answers

CAMP_SIZE = 40
BOTH_LIKE = (0, 1)
A_ONLY, B_ONLY, A_MOSTLY = 2, 3, 4
BOTH_REJECT = 5


def _two_camps(size_a: int = CAMP_SIZE, size_b: int = CAMP_SIZE) -> tuple[Votes, NDArray[np.intp]]:
    """Return two opposed camps A and B voting on six statements, and their labels.

    Statements 0 and 1 are liked by both camps; 2 is loved by A and rejected by B, 3 the
    reverse, 4 is mostly liked by A and mostly rejected by B; both camps reject 5.
    """
    # (agree, disagree, pass) per camp and statement, as fractions of the camp.
    plan = {
        0: ((0.9, 0.1, 0.0), (0.85, 0.0, 0.15)),
        1: ((0.95, 0.0, 0.05), (0.85, 0.15, 0.0)),
        2: ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
        3: ((0.0, 1.0, 0.0), (1.0, 0.0, 0.0)),
        4: ((0.95, 0.05, 0.0), (0.1, 0.9, 0.0)),
        5: ((0.1, 0.9, 0.0), (0.0, 0.9, 0.1)),
    }
    matrix = np.full((size_a + size_b, len(plan)), np.nan)
    for statement, camps in plan.items():
        for rows, (agree, disagree, _) in zip(
            (slice(0, size_a), slice(size_a, size_a + size_b)), camps, strict=True
        ):
            size = rows.stop - rows.start
            n_agree = round(agree * size)
            n_disagree = round(disagree * size)
            column = np.zeros(size)
            column[:n_agree] = 1
            column[n_agree : n_agree + n_disagree] = -1
            matrix[rows, statement] = column
    labels = np.repeat(np.array([0, 1], dtype=np.intp), [size_a, size_b])
    return _votes_from_matrix(matrix), labels


def test_statements_both_camps_like_have_top_group_informed_consensus() -> None:
    for size_b in (CAMP_SIZE, CAMP_SIZE // 2):
        votes, labels = _two_camps(size_b=size_b)
        agree, disagree = group_informed_consensus(vote_counts(votes, labels, 2))
        assert set(np.argsort(-agree)[:2].tolist()) == set(BOTH_LIKE)
        assert int(np.argmax(disagree)) == BOTH_REJECT


def test_statements_both_camps_like_have_top_joint_support() -> None:
    votes, labels = _two_camps(size_b=CAMP_SIZE // 2)
    groupings = Groupings(categories={"camp": ("A", "B", "C")}, codes={"camp": labels})
    support = joint_support(votes, groupings)["camp"]
    assert set(np.argsort(-support)[:2].tolist()) == set(BOTH_LIKE)
    # The popular-in-A statement wins on plain approval, yet not on joint support.
    assert approval(overall_counts(votes))[A_ONLY] > approval(overall_counts(votes))[BOTH_REJECT]
    assert support[A_ONLY] < 0.5 * support[BOTH_LIKE[0]]


def test_a_statement_loved_by_one_camp_only_is_divisive_and_not_consensus() -> None:
    votes, labels = _two_camps()
    divisive = divisiveness(vote_counts(votes, labels, 2))
    for statement in (A_ONLY, B_ONLY, A_MOSTLY):
        assert divisive[statement] > 0.8
    for statement in (*BOTH_LIKE, BOTH_REJECT):
        assert divisive[statement] < 0.15
    consensus = consensus_statements(votes)
    assert set(consensus["agree"]) == set(BOTH_LIKE)
    assert consensus["disagree"] == [BOTH_REJECT]


def test_each_camp_is_represented_by_the_statements_it_alone_backs() -> None:
    votes, labels = _two_camps()
    repness = representative_statements(vote_counts(votes, labels, 2))
    camp_a = {(e["statement"], e["repful_for"]) for e in repness[0]}
    camp_b = {(e["statement"], e["repful_for"]) for e in repness[1]}
    assert {(A_ONLY, "agree"), (B_ONLY, "disagree")} <= camp_a
    assert {(B_ONLY, "agree"), (A_ONLY, "disagree")} <= camp_b
    assert repness[0][0]["statement"] == A_ONLY
    assert repness[0][0]["best_agree"]
    assert repness[1][0]["statement"] == B_ONLY
    assert repness[1][0]["best_agree"]


def test_divisiveness_is_zero_with_a_single_group() -> None:
    votes, _ = _two_camps()
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
    matrix, labels, n_groups, _ = _random_case(7)
    labels = labels.copy()
    labels[::5] = -1
    votes = _votes_from_matrix(matrix)
    counts = vote_counts(votes, labels, n_groups + 1)
    expected = _dense_counts(matrix, labels, n_groups + 1)
    for name, values in expected.items():
        assert getattr(counts, name).tolist() == values.tolist()
        assert getattr(counts, name).dtype == np.int64
    assert np.all(counts.seen[n_groups] == 0)  # a group without members
    assert (counts.seen == counts.agree + counts.disagree + counts.passed).all()
    assert counts.as_dict()["pass"] is counts.passed


def test_weighted_counts_sum_participant_weights() -> None:
    matrix, labels, n_groups, _ = _random_case(11)
    weights = np.random.default_rng(0).uniform(0.1, 3.0, size=(int(matrix.shape[0]),))
    counts = vote_counts(_votes_from_matrix(matrix), labels, n_groups, weights=weights)
    expected = _dense_counts(matrix, labels, n_groups, weights)
    for name, values in expected.items():
        np.testing.assert_allclose(getattr(counts, name), values)
    unit = vote_counts(
        _votes_from_matrix(matrix), labels, n_groups, weights=np.ones(matrix.shape[0])
    )
    assert (
        unit.agree.tolist()
        == vote_counts(_votes_from_matrix(matrix), labels, n_groups).agree.tolist()
    )


def test_overall_counts_are_the_counts_of_one_group_of_everyone() -> None:
    matrix, *_ = _random_case(3)
    votes = _votes_from_matrix(matrix)
    one_group = vote_counts(votes, np.zeros(votes.n_participants, dtype=np.intp), 1)
    overall = overall_counts(votes)
    for name in ("agree", "disagree", "passed", "seen"):
        assert getattr(overall, name).tolist() == getattr(one_group, name).tolist()


def test_counts_by_grouping_give_one_row_per_declared_category() -> None:
    votes, labels = _two_camps()
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
    votes, labels = _two_camps()
    with pytest.raises(ValueError, match="one label per participant"):
        vote_counts(votes, labels[:-1], 2)
    with pytest.raises(ValueError, match="n_groups"):
        vote_counts(votes, labels, 1)


# ---------------------------------------------------------------- degenerate input


def _degenerate_cases() -> dict[str, Votes]:
    return {
        "no votes": votes_from_records([], [], []),
        "one participant": _votes_from_matrix(np.array([[1.0, -1.0, 0.0]])),
        "one statement": _votes_from_matrix(np.array([[1.0], [-1.0], [1.0]])),
        "everyone identical": _votes_from_matrix(np.ones((6, 4))),
        "only passes": _votes_from_matrix(np.zeros((3, 2))),
        "all moderated out": _votes_from_matrix(np.ones((3, 2)), moderated_out=(0, 1)),
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
    votes = _votes_from_matrix(np.full((2, 3), np.nan))
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
    before = vote_counts(_votes_from_matrix(matrix), labels, 3)
    after = vote_counts(_votes_from_matrix(with_passes), labels, 3)
    assert after.agree.tolist() == before.agree.tolist()
    assert after.disagree.tolist() == before.disagree.tolist()
    added = (
        _dense_counts(with_passes, labels, 3)["passed"] - _dense_counts(matrix, labels, 3)["passed"]
    )
    assert (after.passed - before.passed).tolist() == added.tolist()
    assert overall_counts(_votes_from_matrix(with_passes)).agree.tolist() == (
        overall_counts(_votes_from_matrix(matrix)).agree.tolist()
    )


@settings(max_examples=60, deadline=None)
@given(case=_matrices_with_labels(), seed=st.integers(0, 2**32 - 1))
def test_reordering_participants_changes_no_count(
    case: tuple[NDArray[np.float64], NDArray[np.intp]], seed: int
) -> None:
    matrix, labels = case
    order = np.random.default_rng(seed).permutation(matrix.shape[0])
    counts = vote_counts(_votes_from_matrix(matrix), labels, 3)
    shuffled = vote_counts(_votes_from_matrix(matrix[order]), labels[order], 3)
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
