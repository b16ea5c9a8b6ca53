"""Consensus lists and representative statements: parity with red-dwarf on real and random data."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.typing import NDArray
from reddwarf.utils.consensus import select_consensus_statements
from reddwarf.utils.stats import (
    calculate_comment_statistics_dataframes,
    select_representative_statements,
)

from puente.consensus.repness import (
    consensus_details,
    consensus_statements,
    representative_statements,
)
from puente.consensus.scores import vote_counts
from tests.consensus.conftest import (
    A_ONLY,
    ATOL,
    B_ONLY,
    Conversation,
    random_case,
    two_camps,
    votes_from_matrix,
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


# ---------------------------------------------------------------- parity with red-dwarf


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


def _red_dwarf_frame(matrix: NDArray[np.float64]) -> pd.DataFrame:
    return pd.DataFrame(
        matrix,
        index=pd.Index(range(matrix.shape[0]), name="participant_id"),
        columns=pd.Index(range(matrix.shape[1]), name="statement_id"),
    )


def _random_case_results(
    seed: int,
) -> tuple[dict[int, list[dict[str, Any]]], Any, dict[str, list[dict[str, Any]]], Any]:
    matrix, labels, n_groups, moderated_out = random_case(seed)
    votes = votes_from_matrix(matrix, moderated_out)
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


def test_each_camp_is_represented_by_the_statements_it_alone_backs() -> None:
    votes, labels = two_camps()
    repness = representative_statements(vote_counts(votes, labels, 2))
    camp_a = {(e["statement"], e["repful_for"]) for e in repness[0]}
    camp_b = {(e["statement"], e["repful_for"]) for e in repness[1]}
    assert {(A_ONLY, "agree"), (B_ONLY, "disagree")} <= camp_a
    assert {(B_ONLY, "agree"), (A_ONLY, "disagree")} <= camp_b
    assert repness[0][0]["statement"] == A_ONLY
    assert repness[0][0]["best_agree"]
    assert repness[1][0]["statement"] == B_ONLY
    assert repness[1][0]["best_agree"]
