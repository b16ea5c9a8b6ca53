"""The demo's joint agenda: drafted and published from the demo dialogue's results."""

from typing import Any

from django.db.models import Exists, OuterRef

from puente.accounts.models import User
from puente.dialogues.demo import DEMO_DIALOGUE, DEMO_PARTNERSHIP
from puente.dialogues.models import Dialogue
from puente.dialogues.selectors import snapshot_latest
from puente.stakeholders.models import Membership, Organisation

from .models import Agenda, AgendaVersion, Endorsement
from .permissions import can_draft_agenda
from .services import agenda_draft_create, agenda_publish, endorsement_create

DEMO_ITEMS = 8
DEMO_ENDORSEMENTS = 4
DEMO_NOTE = (
    "The first joint agenda of the Alliance: the priorities that participants from both "
    "regions and from every kind of organisation backed most."
)


def _endorsers(dialogue: Dialogue) -> list[tuple[Organisation, User]]:
    """Return up to a few member organisations of the partnership, each with an admin."""
    admins = Membership.objects.filter(
        organisation=OuterRef("pk"),
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
    )
    organisations = (
        Organisation.objects.filter(partnership_links__partnership=dialogue.partnership_id)
        .filter(Exists(admins))
        .order_by("name", "pk")
        .distinct()[:DEMO_ENDORSEMENTS]
    )
    pairs = []
    for organisation in organisations:
        membership = (
            Membership.objects.filter(
                organisation=organisation,
                role=Membership.Role.ADMIN,
                status=Membership.Status.ACTIVE,
            )
            .select_related("person")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            pairs.append((organisation, membership.person))
    return pairs


def agenda_demo_load(*, report: Any) -> None:
    """Publish version 1 of the demo dialogue's agenda when it has results; keep what exists.

    Nothing happens while the dialogue has no results snapshot, or while its phase does not
    allow drafting the agenda: the demo follows the same rules as everyone.
    """
    dialogue = (
        Dialogue.objects.select_related("partnership")
        .filter(partnership__slug=DEMO_PARTNERSHIP, slug=DEMO_DIALOGUE["slug"])
        .first()
    )
    if dialogue is None:
        return
    agenda = Agenda.objects.filter(dialogue=dialogue).first()
    if agenda is not None and AgendaVersion.objects.filter(agenda=agenda).exists():
        report.kept["agenda versions"] += AgendaVersion.objects.filter(agenda=agenda).count()
        report.kept["endorsements"] += Endorsement.objects.filter(version__agenda=agenda).count()
        return
    facilitator = dialogue.partnership.facilitators.order_by("pk").first()
    if (
        not isinstance(facilitator, User)
        or snapshot_latest(dialogue=dialogue) is None
        or not can_draft_agenda(facilitator, dialogue)
    ):
        return
    draft = agenda_draft_create(actor=facilitator, dialogue=dialogue, n_items=DEMO_ITEMS)
    version = agenda_publish(actor=facilitator, version=draft, note=DEMO_NOTE)
    report.created["agenda versions"] += 1
    for organisation, admin in _endorsers(dialogue):
        endorsement_create(actor=admin, version=version, organisation=organisation)
        report.created["endorsements"] += 1
