"""Where voting happens in a dialogue, and what its page says about it to the viewer."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from puente.core.permissions import Viewer

from ..models import Dialogue
from ..permissions import allowed_actions
from ..phases import Action, dialogue_phase_now, phase_allows
from ..selectors import VoteProgress, vote_progress


@dataclass(frozen=True)
class VotingSummary:
    """What the dialogue page says about voting to the viewer, and where to go."""

    # Whether the phase opens voting at all, to whoever may take part.
    is_open: bool
    can_vote: bool
    can_compare: bool
    progress: VoteProgress | None
    vote_url: str
    compare_url: str
    my_votes_url: str


def vote_urls(dialogue: Dialogue) -> dict[str, str]:
    """Return the addresses of the voting card, the pairs and the person's votes."""
    kwargs = {"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug}
    return {
        "vote_url": reverse("dialogues:vote-card", kwargs=kwargs),
        "compare_url": reverse("dialogues:compare", kwargs=kwargs),
        "my_votes_url": reverse("dialogues:my-votes", kwargs=kwargs),
    }


def voting_summary(viewer: Viewer, dialogue: Dialogue) -> VotingSummary:
    """Return what the viewer may do about voting in the dialogue now, with their progress."""
    now = timezone.now()
    actions = allowed_actions(viewer, dialogue, now)
    can_vote = Action.VOTE in actions
    progress = (
        vote_progress(dialogue=dialogue, participant=viewer)
        if viewer.is_authenticated and (can_vote or Action.COMPARE in actions)
        else None
    )
    return VotingSummary(
        is_open=phase_allows(dialogue_phase_now(dialogue, now), Action.VOTE),
        can_vote=can_vote,
        can_compare=Action.COMPARE in actions,
        progress=progress,
        **vote_urls(dialogue),
    )
