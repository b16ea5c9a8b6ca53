import numpy as np
import pytest

from puente.consensus.types import votes_from_records


def test_the_latest_vote_of_a_pair_counts():
    votes = votes_from_records(
        ["2", "1", "1", "10"], ["a", "a", "a", "b"], [1, -1, 1, 0], timestamps=[5, 2, 1, 3]
    )
    assert votes.participant_ids == ("1", "2", "10")
    assert votes.statement_ids == ("a", "b")
    matrix = votes.dense()
    assert matrix[0, 0] == -1  # participant 1 changed from agree (t=1) to disagree (t=2)
    assert matrix[1, 0] == 1
    assert matrix[2, 1] == 0
    assert np.isnan(matrix[0, 1])


def test_without_timestamps_the_last_record_of_a_pair_counts():
    votes = votes_from_records(["1", "1"], ["a", "a"], [1, -1])
    assert votes.value.tolist() == [-1]


def test_integer_ids_are_ordered_numerically_and_rows_sorted_by_participant():
    votes = votes_from_records([10, 9, 100], [3, 20, 3], [1, 1, -1])
    assert votes.participant_ids == ("9", "10", "100")
    assert votes.statement_ids == ("3", "20")
    assert votes.participant.tolist() == sorted(votes.participant.tolist())
    assert votes.row_pointer().tolist() == [0, 1, 2, 3]


def test_moderated_out_statements_are_flagged():
    votes = votes_from_records(["1", "2"], ["a", "b"], [1, 1], moderated_out=["b", "zzz"])
    assert votes.moderated_out.tolist() == [False, True]


def test_unknown_vote_values_are_refused():
    with pytest.raises(ValueError, match="-1, 0 or 1"):
        votes_from_records(["1"], ["a"], [2])


def test_an_explicit_statement_order_is_kept_and_unknown_ids_refused():
    votes = votes_from_records(["1", "1"], ["a", "b"], [1, 0], statement_order=["b", "a"])
    assert votes.statement_ids == ("b", "a")
    assert votes.statement.tolist() == [0, 1]
    with pytest.raises(ValueError, match="not in the given order"):
        votes_from_records(["1"], ["c"], [1], statement_order=["a", "b"])


def test_no_votes_give_an_empty_but_valid_structure():
    votes = votes_from_records([], [], [])
    assert votes.n_votes == 0
    assert votes.n_participants == 0
    assert votes.dense().shape == (0, 0)
