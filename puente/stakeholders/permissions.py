"""Who may do what to organisations and their members."""

from puente.core.permissions import Viewer, is_platform_admin, is_signed_in

from .models import Invitation, Membership, Organisation


def is_organisation_admin(user: Viewer, organisation: Organisation) -> bool:
    """Return whether the user is an active admin of the organisation."""
    if not is_signed_in(user):
        return False
    return Membership.objects.filter(
        person_id=user.pk,
        organisation=organisation,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
    ).exists()


def can_create_organisation(user: Viewer) -> bool:
    """Any signed-in person may register an organisation and becomes its admin."""
    return is_signed_in(user)


def can_edit_organisation(user: Viewer, organisation: Organisation) -> bool:
    """Only the organisation's admins and platform admins edit its profile."""
    return is_platform_admin(user) or is_organisation_admin(user, organisation)


def can_manage_members(user: Viewer, organisation: Organisation) -> bool:
    """Only the organisation's admins and platform admins invite, approve and remove."""
    return is_platform_admin(user) or is_organisation_admin(user, organisation)


def can_verify_organisation(user: Viewer) -> bool:
    """Only platform admins mark organisations as verified."""
    return is_platform_admin(user)


def can_request_membership(user: Viewer, organisation: Organisation) -> bool:
    """A signed-in person with no membership of the organisation may ask to join."""
    if not is_signed_in(user):
        return False
    return not Membership.objects.filter(person_id=user.pk, organisation=organisation).exists()


def can_leave_organisation(user: Viewer, membership: Membership) -> bool:
    """A person may leave (or withdraw a request to join) any organisation they belong to."""
    return is_signed_in(user) and membership.person_id == user.pk


def can_accept_invitation(user: Viewer, invitation: Invitation) -> bool:
    """Only the signed-in person the invitation was addressed to may accept it."""
    email = getattr(user, "email", "")
    return (
        is_signed_in(user) and isinstance(email, str) and email.lower() == invitation.email.lower()
    )
