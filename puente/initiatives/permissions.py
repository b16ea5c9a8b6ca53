"""Who may read and edit initiatives: one predicate per question, used by views, API and tests."""

from puente.core.permissions import Viewer, is_platform_admin, is_signed_in
from puente.partnerships.models import Partnership
from puente.partnerships.permissions import can_view_partnership, is_facilitator
from puente.stakeholders.models import Membership

from .models import Initiative, OrganisationRole, Visibility


def is_partnership_member(user: Viewer, partnership: Partnership) -> bool:
    """Return whether the user facilitates the partnership or belongs to a member organisation."""
    if not is_signed_in(user):
        return False
    if is_facilitator(user, partnership):
        return True
    return Membership.objects.filter(
        person_id=user.pk,
        status=Membership.Status.ACTIVE,
        organisation__partnership_links__partnership=partnership,
    ).exists()


def can_view_initiative(user: Viewer, initiative: Initiative) -> bool:
    """Readers of the partnership see its public initiatives; members see them all."""
    partnership = initiative.partnership
    if not can_view_partnership(user, partnership):
        return False
    if initiative.visibility == Visibility.PUBLIC:
        return True
    return is_platform_admin(user) or is_partnership_member(user, partnership)


def can_create_initiative(user: Viewer, partnership: Partnership) -> bool:
    """The partnership's facilitators and platform admins add initiatives."""
    return is_platform_admin(user) or is_facilitator(user, partnership)


def is_accountable_admin(user: Viewer, initiative: Initiative) -> bool:
    """Return whether the user administers an organisation accountable for the initiative."""
    if not is_signed_in(user):
        return False
    return Membership.objects.filter(
        person_id=user.pk,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
        organisation__initiative_roles__initiative=initiative,
        organisation__initiative_roles__role=OrganisationRole.ACCOUNTABLE,
    ).exists()


def can_edit_initiative(user: Viewer, initiative: Initiative) -> bool:
    """Facilitators, admins of the accountable organisation and platform admins edit it."""
    return (
        is_platform_admin(user)
        or is_facilitator(user, initiative.partnership)
        or is_accountable_admin(user, initiative)
    )


def can_delete_initiative(user: Viewer, initiative: Initiative) -> bool:
    """Only the partnership's facilitators and platform admins delete an initiative."""
    return can_create_initiative(user, initiative.partnership)


def can_manage_pledges(user: Viewer, partnership: Partnership) -> bool:
    """Facilitators and platform admins record and update the partnership's pledges."""
    return can_create_initiative(user, partnership)
