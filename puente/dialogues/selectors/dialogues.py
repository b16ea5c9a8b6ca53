"""Reads of dialogues, filtered by what the viewer may see."""

from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from puente.accounts.models import User
from puente.core.expressions import CorrelatedSql
from puente.core.permissions import Viewer, is_signed_in
from puente.partnerships.models import Partnership, PartnershipMember
from puente.partnerships.permissions import can_view_partnership, facilitator_note
from puente.stakeholders.models import Membership

from ..models import Dialogue, DialogueInvitation, Participation, Phase
from ..phases import Action, dialogue_phase_now, phase_allows


def dialogue_list(*, partnership: Partnership, viewer: Viewer) -> QuerySet[Dialogue]:
    """Return the partnership's dialogues the viewer may read, newest first."""
    return (
        Dialogue.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .select_related("partnership")
        .order_by("-created_at", "-pk")
    )


def dialogue_voting_now_list(*, viewer: Viewer, limit: int) -> list[Dialogue]:
    """Return the dialogues the viewer may read that take votes now, latest phase change first
    (what the home page shows happening; see dialogue_open_for_votes_list for a person's own)."""
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
        if phase_allows(dialogue_phase_now(dialogue, now), Action.VOTE)
    ][:limit]


class _Facilitates(CorrelatedSql):
    """Whether the person facilitates the dialogue's partnership (the ORM's ``Exists`` took
    longer to build than the query it saves)."""

    output_field = BooleanField()

    def __init__(self, person_id: int) -> None:
        super().__init__("partnership_id", person_id)

    def subquery(self, quote: Callable[[str], str], outer: str) -> str:
        through: Any = Partnership.facilitators.through._meta
        partnership = quote(through.get_field("partnership").column)
        person = quote(through.get_field("user").column)
        return (
            f"EXISTS (SELECT 1 FROM {quote(through.db_table)} "  # noqa: S608
            f"WHERE {partnership} = {outer} AND {person} = %s)"
        )


def dialogue_get(
    *, partnership_slug: str, slug: str, viewer: Viewer, with_facilitation: bool = False
) -> Dialogue:
    """Return one dialogue the viewer may read, with its partnership.

    Read by its slugs alone, then checked: building the visibility filter into the query
    cost more than running it, on every dialogue page, and a public partnership needs no
    further query. ``with_facilitation``, for pages that offer moderation: the same read
    also says whether a signed-in viewer facilitates the partnership, so that asking costs
    no query of its own (pages that do not ask do not pay for it).
    """
    dialogues = Dialogue.objects.select_related("partnership")
    asks = with_facilitation and isinstance(viewer, User) and is_signed_in(viewer)
    person = viewer if asks and isinstance(viewer, User) else None
    if person is not None:
        dialogues = dialogues.annotate(viewer_facilitates=_Facilitates(person.pk))
    dialogue = dialogues.get(partnership__slug=partnership_slug, slug=slug)
    if person is not None:
        facilitates = bool(getattr(dialogue, "viewer_facilitates", False))
        facilitator_note(person, dialogue.partnership, facilitates=facilitates)
    if not can_view_partnership(viewer, dialogue.partnership):
        raise Dialogue.DoesNotExist
    return dialogue


def participation_get(*, dialogue: Dialogue, person: Viewer) -> Participation | None:
    """Return the person's participation in the dialogue, with its organisation, if any."""
    if not is_signed_in(person) or not isinstance(person, User):
        return None
    return (
        Participation.objects.select_related("organisation")
        .filter(dialogue=dialogue, person=person)
        .first()
    )


def dialogue_open_for_votes_list(*, person: User, limit: int = 10) -> list[tuple[Dialogue, Phase]]:
    """Return dialogues whose phase now takes votes and whose audience admits the person.

    Three queries whatever the number of dialogues: the audience rules of can_take_part, in SQL.
    """
    if not is_signed_in(person):
        return []
    organisations = Membership.objects.filter(
        person=person, status=Membership.Status.ACTIVE
    ).values("organisation_id")
    member_of = PartnershipMember.objects.filter(organisation__in=organisations).values(
        "partnership_id"
    )
    emails = EmailAddress.objects.filter(user=person, verified=True).annotate(
        email_lower=Lower("email")
    )
    invited = (
        DialogueInvitation.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails.values("email_lower"))
        .values("dialogue_id")
    )
    admitted = (
        Q(participation=Dialogue.Audience.SIGNED_IN)
        | Q(participation=Dialogue.Audience.MEMBERS, partnership__in=member_of)
        | Q(participation=Dialogue.Audience.INVITED, pk__in=invited)
    )
    # A closed dialogue only opens again when a facilitator moves it back: left out here.
    candidates = (
        Dialogue.objects.visible_to(person)
        .filter(admitted)
        .exclude(phase=Phase.CLOSED)
        .select_related("partnership")
        .order_by("-created_at", "-pk")[: limit * 3]
    )
    now = timezone.now()
    found: list[tuple[Dialogue, Phase]] = []
    for dialogue in candidates:
        phase = dialogue_phase_now(dialogue, now)
        if phase_allows(phase, Action.VOTE):
            found.append((dialogue, phase))
    return found[:limit]
