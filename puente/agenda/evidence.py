"""Evidence for agenda items, read from a results snapshot (the consensus engine's JSON)."""

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from puente.consensus import RANKING_METHODS, rank_statements
from puente.dialogues.models import ResultSnapshot

# The per-statement figures an item keeps, as the engine names them.
_FIGURES = (
    "agree",
    "disagree",
    "pass",
    "group_consensus",
    "joint_support",
    "bridging",
    "approval",
    "divisiveness",
    "by_grouping",
    "pairwise",
)


def _value(number: object) -> float:
    if isinstance(number, int | float) and not math.isnan(float(number)):
        return float(number)
    return math.nan


def joint_score(entry: Mapping[str, Any]) -> float | None:
    """Return the weakest joint support over the groupings, else the group consensus."""
    support = [
        float(value)
        for value in (entry.get("joint_support") or {}).values()
        if isinstance(value, int | float)
    ]
    if support:
        return min(support)
    consensus = entry.get("group_consensus")
    return float(consensus) if isinstance(consensus, int | float) else None


def ranking(result: Mapping[str, Any], method: str) -> list[str]:
    """Return the statement ids of the result, best first under the ranking method."""
    if method not in RANKING_METHODS:
        raise ValueError(method)
    stored = result.get("ranking") or {}
    if stored.get("method") == method:
        return [str(statement_id) for statement_id in stored.get("order", [])]
    entries = list(result.get("statement_results") or [])
    ids = [str(entry["id"]) for entry in entries]
    groupings = sorted({name for entry in entries for name in entry.get("joint_support") or {}})
    scores: dict[str, Any] = {
        "group-consensus": np.array([_value(e.get("group_consensus")) for e in entries]),
        "bridging": np.array([_value(e.get("bridging")) for e in entries]),
        "approval": np.array([_value(e.get("approval")) for e in entries]),
    }
    if groupings:
        scores["joint-support"] = np.array(
            [
                [_value((e.get("joint_support") or {}).get(name)) for e in entries]
                for name in groupings
            ]
        )
    eligible = np.array([not e.get("moderated_out", False) for e in entries], dtype=bool)
    order = rank_statements(scores, method=method, statement_ids=ids, eligible=eligible)
    return [ids[index] for index in order]


def statement_evidence(result: Mapping[str, Any], method: str) -> dict[str, dict[str, Any]]:
    """Return each statement's figures and rank under the method, by statement id."""
    ranks = {statement_id: rank for rank, statement_id in enumerate(ranking(result, method), 1)}
    evidence: dict[str, dict[str, Any]] = {}
    for entry in result.get("statement_results") or []:
        statement_id = str(entry["id"])
        figures = {name: entry.get(name) for name in _FIGURES}
        figures["joint_score"] = joint_score(entry)
        figures["rank"] = ranks.get(statement_id)
        figures["statement_id"] = statement_id
        evidence[statement_id] = figures
    return evidence


def snapshot_summary(snapshot: ResultSnapshot, method: str) -> dict[str, Any]:
    """Return what a version records of the snapshot its evidence comes from."""
    return {
        "snapshot_id": snapshot.pk,
        "computed_at": snapshot.computed_at.isoformat(),
        "ranking_method": method,
        "n_participants": snapshot.n_participants,
        "n_votes": snapshot.n_votes,
        "n_comparisons": snapshot.n_comparisons,
    }


def item_evidence(
    evidence: Mapping[str, Mapping[str, Any]], statement_ids: list[int]
) -> dict[str, Any]:
    """Return an item's evidence: the figures of its best-ranked statement, and their ids."""
    known = [evidence[str(pk)] for pk in statement_ids if str(pk) in evidence]
    if not known:
        return {}
    lead = min(known, key=lambda figures: figures.get("rank") or math.inf)
    return {**lead, "statement_ids": [str(pk) for pk in statement_ids]}
