"""Reads of dialogues, filtered by what the viewer may see."""

from django.db.models import QuerySet
from django.utils import timezone

from puente.accounts.models import User
from puente.core.permissions import Viewer, is_signed_in
from puente.partnerships.models import Partnership

from ..models import Dialogue, Participation, Phase
from ..phases import PHASE_ALLOWS, Action, dialogue_phase_now


def dialogue_list(*, partnership: Partnership, viewer: Viewer) -> QuerySet[Dialogue]:
    """Return the partnership's dialogues the viewer may read, newest first."""
    return (
        Dialogue.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .select_related("partnership")
        .order_by("-created_at", "-pk")
    )


def dialogue_open_for_votes_list(*, viewer: Viewer, limit: int) -> list[Dialogue]:
    """Return the dialogues the viewer may read that take votes now, latest phase change first."""
    candidates = (
        Dialogue.objects.visible_to(viewer)
        .exclude(phase=Phase.CLOSED)
        .select_related("partnership")
        .order_by("-phase_set_at", "-pk")[: limit * 4]
    )
    now = timezone.now()
    return [
        dialogue
        for dialogue in candidates
        if Action.VOTE in PHASE_ALLOWS[dialogue_phase_now(dialogue, now)]
    ][:limit]


def dialogue_get(*, partnership_slug: str, slug: str, viewer: Viewer) -> Dialogue:
    """Return one dialogue the viewer may read, with its partnership."""
    return (
        Dialogue.objects.visible_to(viewer)
        .select_related("partnership")
        .get(partnership__slug=partnership_slug, slug=slug)
    )


def participation_get(*, dialogue: Dialogue, person: Viewer) -> Participation | None:
    """Return the person's participation in the dialogue, with its organisation, if any."""
    if not is_signed_in(person) or not isinstance(person, User):
        return None
    return (
        Participation.objects.select_related("organisation")
        .filter(dialogue=dialogue, person=person)
        .first()
    )
