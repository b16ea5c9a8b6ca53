"""What each phase of a dialogue allows (the one table), and which phase a dialogue is in now."""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import PHASE_DATES, Dialogue, Phase


class Action(models.TextChoices):
    """What people do in a dialogue; the phase decides which of these are open."""

    CONTRIBUTE = "contribute", _("Add statements")
    COMMENT = "comment", _("Comment")
    VOTE = "vote", _("Vote")
    COMPARE = "compare", _("Compare pairs")
    SEE_RESULTS = "see_results", _("See results")
    DRAFT_AGENDA = "draft_agenda", _("Draft the agenda")


PHASE_ALLOWS: dict[Phase, frozenset[Action]] = {
    Phase.CONTRIBUTE: frozenset({Action.CONTRIBUTE, Action.COMMENT, Action.VOTE}),
    Phase.DELIBERATE: frozenset({Action.COMMENT, Action.VOTE, Action.SEE_RESULTS}),
    Phase.PRIORITISE: frozenset(
        {Action.VOTE, Action.COMPARE, Action.SEE_RESULTS, Action.DRAFT_AGENDA}
    ),
    Phase.CLOSED: frozenset({Action.SEE_RESULTS, Action.DRAFT_AGENDA}),
}

_ORDER = {phase: position for position, phase in enumerate(Phase)}


def dialogue_phase_now(dialogue: Dialogue, now: datetime) -> Phase:
    """Return the dialogue's phase at now: the phase last set, moved forward by passed dates.

    The phase a facilitator set (or the first phase, at creation) holds until a phase date
    passes that is later than the moment it was set; the dialogue is then in the phase of the
    latest such date. Dates move a dialogue forward, never back: a passed date of a phase
    earlier than the one set changes nothing. A facilitator may move a dialogue to any phase,
    even back, and that phase then holds until the next date passes.
    """
    phase = Phase(dialogue.phase)
    for name, phase_of_date in PHASE_DATES:
        starts_at: datetime | None = getattr(dialogue, name)
        if (
            starts_at is not None
            and dialogue.phase_set_at < starts_at <= now
            and _ORDER[phase_of_date] > _ORDER[phase]
        ):
            phase = phase_of_date
    return phase


def phase_allows(phase: Phase, action: Action) -> bool:
    """Return whether the phase allows the action, by the table."""
    return action in PHASE_ALLOWS[phase]


def phase_actions(phase: Phase) -> list[Action]:
    """Return what the phase allows, in the order of Action."""
    return [action for action in Action if action in PHASE_ALLOWS[phase]]
