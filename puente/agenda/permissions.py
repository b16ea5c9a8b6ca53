"""Who may draft, publish, read and endorse a dialogue's joint agenda."""

from puente.core.permissions import Viewer, is_platform_admin, is_signed_in
from puente.dialogues.models import Dialogue
from puente.dialogues.permissions import can_do
from puente.dialogues.phases import Action
from puente.partnerships.models import Partnership
from puente.partnerships.permissions import can_view_partnership, is_facilitator
from puente.stakeholders.models import Membership, Organisation

from .models import Agenda, AgendaVersion, Endorsement


def can_view_agenda(user: Viewer, agenda: Agenda) -> bool:
    """Whoever may read the partnership may read its published agenda versions."""
    return can_view_partnership(user, agenda.dialogue.partnership)


def can_view_drafts(user: Viewer, partnership: Partnership) -> bool:
    """Agenda drafts are for the partnership's facilitators and platform admins, in any phase."""
    return is_platform_admin(user) or is_facilitator(user, partnership)


def can_view_agenda_draft(user: Viewer, agenda: Agenda) -> bool:
    """The agenda's draft is for its partnership's facilitators and platform admins."""
    return can_view_drafts(user, agenda.dialogue.partnership)


def can_view_version(user: Viewer, version: AgendaVersion) -> bool:
    """Published versions go with the partnership; a draft with the facilitators."""
    if version.is_published:
        return can_view_agenda(user, version.agenda)
    return can_view_agenda_draft(user, version.agenda)


def can_draft_agenda(user: Viewer, dialogue: Dialogue) -> bool:
    """Facilitators and platform admins, when the dialogue's phase allows drafting the agenda."""
    return can_do(user, dialogue, Action.DRAFT_AGENDA)


def can_edit_draft(user: Viewer, version: AgendaVersion) -> bool:
    """Whoever may draft the agenda edits its draft; a published version never changes."""
    return not version.is_published and can_draft_agenda(user, version.agenda.dialogue)


def can_publish_agenda(user: Viewer, version: AgendaVersion) -> bool:
    """Whoever may draft the agenda publishes its draft."""
    return can_edit_draft(user, version)


def endorsing_organisations(user: Viewer, agenda: Agenda) -> list[Organisation]:
    """Return the member organisations of the partnership the user administers, by name."""
    if not is_signed_in(user) or not can_view_agenda(user, agenda):
        return []
    return list(
        Organisation.objects.filter(
            memberships__person=user.pk,
            memberships__role=Membership.Role.ADMIN,
            memberships__status=Membership.Status.ACTIVE,
            partnership_links__partnership=agenda.dialogue.partnership_id,
        )
        .order_by("name", "pk")
        .distinct()
    )


def is_latest_published(version: AgendaVersion) -> bool:
    """Return whether the version is its agenda's newest published version."""
    if not version.is_published:
        return False
    newest = (
        AgendaVersion.objects.filter(
            agenda=version.agenda_id, status=AgendaVersion.Status.PUBLISHED
        )
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    return newest == version.pk


def can_endorse(user: Viewer, version: AgendaVersion, organisation: Organisation) -> bool:
    """Admins of a member organisation endorse the newest published version for it."""
    return is_latest_published(version) and organisation in endorsing_organisations(
        user, version.agenda
    )


def can_endorse_any(user: Viewer, version: AgendaVersion) -> bool:
    """Return whether the user may endorse the version for at least one organisation."""
    return is_latest_published(version) and bool(endorsing_organisations(user, version.agenda))


def can_withdraw_endorsement(user: Viewer, endorsement: Endorsement) -> bool:
    """Admins of the endorsing organisation withdraw a standing endorsement."""
    if not endorsement.is_active or not is_signed_in(user):
        return False
    return Membership.objects.filter(
        person=user.pk,
        organisation=endorsement.organisation_id,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
    ).exists()
