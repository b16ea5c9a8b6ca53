"""Rankings: the named score decides, ties are broken the same way every time."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from puente.consensus.ranking import RANKING_METHODS, rank_statements


def _scores(**values: list[float]) -> dict[str, np.ndarray]:
    return {
        name.replace("_", "-"): np.array(vector, dtype=float) for name, vector in values.items()
    }


@pytest.mark.parametrize("method", RANKING_METHODS)
def test_statements_are_ordered_by_the_named_score_descending(method):
    rng = np.random.default_rng(0)
    scores = {name: rng.random(6) for name in RANKING_METHODS}
    order = rank_statements(scores, method=method, statement_ids=[str(j) for j in range(6)])
    assert order == np.argsort(-scores[method]).tolist()


def test_ties_are_broken_by_the_next_scores_then_by_natural_id_order():
    ids = ["s10", "s2", "s1", "s3", "s20"]
    scores = _scores(
        group_consensus=[0.5, 0.5, 0.5, 0.5, 0.9],
        bridging=[0.1, 0.1, 0.1, 0.3, 0.0],
        approval=[0.7, 0.7, 0.7, 0.7, 0.7],
    )
    order = rank_statements(scores, method="group-consensus", statement_ids=ids)
    # s20 on group consensus; s3 on bridging; then s1 < s2 < s10 by id.
    assert [ids[j] for j in order] == ["s20", "s3", "s1", "s2", "s10"]


def test_integer_ids_break_ties_numerically():
    ids = ["10", "9", "100", "1"]
    order = rank_statements(_scores(approval=[0.5] * 4), method="approval", statement_ids=ids)
    assert [ids[j] for j in order] == ["1", "9", "10", "100"]


@given(
    values=st.lists(st.sampled_from([0.0, 0.5, 1.0, float("nan")]), min_size=1, max_size=12),
    seed=st.integers(0, 1000),
)
def test_the_ranking_does_not_depend_on_the_input_order(values, seed):
    n = len(values)
    ids = [f"s{j}" for j in range(n)]
    bridging = np.array(values)
    approval = np.array(values[::-1])
    order = rank_statements(
        {"bridging": bridging, "approval": approval}, method="bridging", statement_ids=ids
    )
    shuffle = np.random.default_rng(seed).permutation(n)
    shuffled = rank_statements(
        {"bridging": bridging[shuffle], "approval": approval[shuffle]},
        method="bridging",
        statement_ids=[ids[j] for j in shuffle],
    )
    assert [ids[j] for j in order] == [ids[shuffle[j]] for j in shuffled]
    assert sorted(order) == list(range(n))


def test_nan_scores_rank_last():
    order = rank_statements(
        _scores(bridging=[np.nan, -1.0, 0.5]), method="bridging", statement_ids=["a", "b", "c"]
    )
    assert order == [2, 1, 0]


def test_ineligible_statements_are_left_out():
    scores = _scores(approval=[0.9, 0.8, 0.7, 0.6])
    eligible = np.array([False, True, True, False])
    order = rank_statements(
        scores, method="approval", statement_ids=["a", "b", "c", "d"], eligible=eligible
    )
    assert order == [1, 2]


def test_joint_support_takes_the_weakest_grouping():
    joint = np.array([[0.9, 0.6, 0.5], [0.2, 0.55, 0.5]])  # region; stakeholder type
    order = rank_statements(
        {"joint-support": joint, "group-consensus": np.array([0.9, 0.1, 0.5])},
        method="joint-support",
        statement_ids=["a", "b", "c"],
    )
    # Minimums 0.2, 0.55, 0.5.
    assert order == [1, 2, 0]


@pytest.mark.parametrize("joint", [None, np.zeros((0, 3))], ids=["absent", "no-groupings"])
def test_joint_support_falls_back_to_group_consensus(joint):
    scores = {"group-consensus": np.array([0.2, 0.9, 0.5])}
    if joint is not None:
        scores["joint-support"] = joint
    order = rank_statements(scores, method="joint-support", statement_ids=["a", "b", "c"])
    assert order == [1, 2, 0]


def test_an_unknown_method_names_the_valid_ones():
    with pytest.raises(ValueError, match="joint-support, group-consensus, bridging, approval"):
        rank_statements(_scores(approval=[1.0]), method="popularity", statement_ids=["a"])


def test_a_missing_or_misshapen_score_is_refused():
    with pytest.raises(ValueError, match="bridging"):
        rank_statements(_scores(approval=[1.0]), method="bridging", statement_ids=["a"])
    with pytest.raises(ValueError, match="shape"):
        rank_statements(_scores(approval=[1.0, 2.0]), method="approval", statement_ids=["a"])
    with pytest.raises(ValueError, match="eligible"):
        rank_statements(
            _scores(approval=[1.0]),
            method="approval",
            statement_ids=["a"],
            eligible=np.array([True, False]),
        )


def test_no_statements_give_an_empty_ranking():
    assert rank_statements(_scores(approval=[]), method="approval", statement_ids=[]) == []


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["s10", "s9", "10", "a", "s9b"], ["10", "a", "s9", "s9b", "s10"]),
        (["10", "9", "01", "1"], ["01", "1", "9", "10"]),
        (["007", "7", "70"], ["007", "7", "70"]),
    ],
)
def test_natural_id_order_puts_numbers_first_and_compares_digit_runs_as_numbers(ids, expected):
    order = rank_statements({"approval": np.zeros(len(ids))}, method="approval", statement_ids=ids)
    assert [ids[j] for j in order] == expected
