"""Reads of votes and pairwise comparisons."""

from collections.abc import Iterable

from puente.core.permissions import Viewer, is_signed_in

from ..models import Dialogue, Vote


def votes_of(
    *, dialogue: Dialogue, participant: Viewer, statement_ids: Iterable[int]
) -> dict[int, int]:
    """Return the participant's current vote on each of the statements that has one, by id."""
    if not is_signed_in(participant):
        return {}
    return dict(
        Vote.objects.filter(
            dialogue=dialogue, participant=participant.pk, statement_id__in=list(statement_ids)
        ).values_list("statement_id", "choice")
    )
