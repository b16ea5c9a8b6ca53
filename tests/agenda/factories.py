"""Agenda test data: results snapshots computed by the engine from small synthetic votes."""

from collections.abc import Sequence

import numpy as np
from django.utils import timezone

from puente.consensus import Groupings, analyze, votes_from_records
from puente.dialogues.models import Dialogue, ResultSnapshot, Statement

REGIONS = ("EU", "LAC")
TYPES = ("public_sector", "civil_society")


def snapshot_create(
    dialogue: Dialogue,
    statements: Sequence[Statement],
    *,
    n_participants: int = 12,
    method: str = "joint-support",
) -> ResultSnapshot:
    """Store the engine's result for votes where statement i has i disagreeing participants.

    Participants alternate between the regions and the stakeholder types, so the first
    statements are backed across all of them and the ranking follows the statements' order.
    """
    participants, statement_ids, values = [], [], []
    for index, statement in enumerate(statements):
        for participant in range(n_participants):
            participants.append(f"p{participant}")
            statement_ids.append(str(statement.pk))
            values.append(-1 if participant < index else 1)
    order = [f"p{participant}" for participant in range(n_participants)]
    votes = votes_from_records(
        participants,
        statement_ids,
        values,
        participant_order=order,
        statement_order=[str(statement.pk) for statement in statements],
    )

    groupings = Groupings(
        categories={"region": REGIONS, "stakeholder_type": TYPES},
        codes={
            "region": np.array([p % 2 for p in range(n_participants)], dtype=np.intp),
            "stakeholder_type": np.array(
                [(p // 2) % 2 for p in range(n_participants)], dtype=np.intp
            ),
        },
    )
    result = analyze(votes, groupings=groupings, clustering="direct", method=method, seed=0)
    return ResultSnapshot.objects.create(
        dialogue=dialogue,
        result=result.to_dict(),
        n_votes=len(values),
        n_participants=n_participants,
        computed_at=timezone.now(),
        duration_ms=1,
        ranking_method=method,
    )
