"""Order statements under a named score, with deterministic tie-breaking.

Scores are passed by method name: ``scores["joint-support"]``, ``scores["group-consensus"]``,
``scores["bridging"]`` and ``scores["approval"]``, one value per statement (higher is better).

- ``joint-support`` may also be a 2-D array, one row per declared grouping (such as region
  and stakeholder type): a statement's score is then its *minimum* over the groupings, the
  weakest backing it has. Each row is already a product over the grouping's categories; a
  product over groupings would count every participant once per grouping and shrink with
  the number of groupings, where the minimum keeps the scale of one grouping and says "every
  grouping backs it at least this much". Without a joint-support score, or with zero rows
  (no declared grouping), the ranking falls back to ``group-consensus``.
- Ties on the chosen score are broken by the other scores, in the order of
  ``RANKING_METHODS`` (``joint-support``, ``group-consensus``, ``bridging``, ``approval``),
  skipping the chosen one and any not given, then by statement id ascending in natural
  order (``s2`` before ``s10``; integer ids numerically).
- A score of nan counts as the lowest; statements not eligible (moderated out) are left
  out of the ranking.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["RANKING_METHODS", "rank_statements"]

RANKING_METHODS = ("joint-support", "group-consensus", "bridging", "approval")

_DIGITS = re.compile(r"(\d+)")


def rank_statements(
    scores: Mapping[str, NDArray[np.float64]],
    *,
    method: str,
    statement_ids: Sequence[str],
    eligible: NDArray[np.bool_] | None = None,
) -> list[int]:
    """Return the indices of the eligible statements, best first under the named method.

    Parameters
    ----------
    scores
        Score arrays by method name (see the module docstring).
    method
        One of ``RANKING_METHODS``.
    statement_ids
        External id of every statement, for the final tie-break.
    eligible
        Per statement, whether it may be ranked; all are when None.

    Raises
    ------
    ValueError
        For an unknown method, a missing score or a score of the wrong length.
    """
    if method not in RANKING_METHODS:
        raise ValueError(
            f"unknown ranking method {method!r}: choose one of {', '.join(RANKING_METHODS)}"
        )
    n_statements = len(statement_ids)
    resolved: dict[str, NDArray[np.float64]] = {}
    for name in RANKING_METHODS:
        if name in scores:
            vector = _score_vector(name, scores[name], n_statements)
            if vector is not None:  # None: a joint support without any declared grouping
                resolved[name] = vector
    primary = method
    if primary == "joint-support" and primary not in resolved:
        primary = "group-consensus"
    if primary not in resolved:
        raise ValueError(f"no {primary!r} score given for the {method!r} ranking")
    order = [primary] + [name for name in RANKING_METHODS if name != primary and name in resolved]
    # np.lexsort sorts by its last key first: id rank last in priority, primary score first.
    # Negated scores sort descending; nan becomes +inf after negation, so it comes last.
    keys = [_id_rank(statement_ids)]
    keys.extend(
        np.where(np.isnan(resolved[name]), np.inf, -resolved[name]) for name in reversed(order)
    )
    ranked = np.lexsort(keys)
    if eligible is not None:
        is_eligible = np.asarray(eligible, dtype=bool)
        if is_eligible.shape != (n_statements,):
            raise ValueError(f"eligible has shape {is_eligible.shape}, expected ({n_statements},)")
        ranked = ranked[is_eligible[ranked]]
    return [int(index) for index in ranked]


def _score_vector(
    name: str, values: NDArray[np.float64], n_statements: int
) -> NDArray[np.float64] | None:
    """Return one score per statement (the minimum over rows of a 2-D joint support)."""
    array = np.asarray(values, dtype=np.float64)
    if name == "joint-support" and array.ndim == 2:
        if array.shape[0] == 0:
            return None
        if array.shape[1] != n_statements:
            raise ValueError(f"{name} score has {array.shape[1]} columns, expected {n_statements}")
        # nan in any grouping (a statement it has no votes on) makes the minimum nan: lowest.
        return np.asarray(np.min(array, axis=0), dtype=np.float64)
    if array.shape != (n_statements,):
        raise ValueError(f"{name} score has shape {array.shape}, expected ({n_statements},)")
    return array


def _id_rank(statement_ids: Sequence[str]) -> NDArray[np.intp]:
    """Return each statement's position when the ids are sorted in natural order."""
    ids = [str(statement_id) for statement_id in statement_ids]
    numbers = _distinct_integers(ids)
    if numbers is not None:
        order = np.argsort(numbers, kind="stable")
    else:
        order = np.asarray(
            sorted(range(len(ids)), key=lambda index: _natural_key(ids[index])), dtype=np.intp
        )
    rank = np.empty(len(ids), dtype=np.intp)
    rank[order] = np.arange(len(ids), dtype=np.intp)
    return rank


def _distinct_integers(ids: list[str]) -> NDArray[np.int64] | None:
    """Return the ids as integers when all are distinct plain decimal numbers, else None."""
    if not all(text.isascii() and text.isdigit() and len(text) < 19 for text in ids):
        return None
    numbers = np.fromiter(map(int, ids), dtype=np.int64, count=len(ids))
    # "01" and "1" are the same number: natural order then looks at the digits themselves.
    if np.unique(numbers).shape[0] != len(ids):
        return None
    return numbers


def _natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Return a key ordering digit runs by number and other runs as text: s2 < s10."""
    parts = _DIGITS.split(text)
    # Tag numbers 0 and text 1 so the tuples always compare like with like, position by
    # position; the raw digits break ties such as "s01" and "s1".
    return tuple(
        (0, int(part), part) if index % 2 else (1, 0, part)
        for index, part in enumerate(parts)
        if part or index % 2
    )
