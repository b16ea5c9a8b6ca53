"""Who may see and manage partnerships."""

from puente.core.permissions import Viewer, is_platform_admin, is_signed_in
from puente.stakeholders.models import Organisation
from puente.stakeholders.permissions import is_organisation_admin

from .models import FacilitatorInvitation, Partnership, PartnershipJoinRequest


def is_facilitator(user: Viewer, partnership: Partnership) -> bool:
    """Return whether the user facilitates the partnership."""
    if not is_signed_in(user):
        return False
    prefetched = getattr(partnership, "_prefetched_objects_cache", {})
    if "facilitators" in prefetched:
        return any(person.pk == user.pk for person in prefetched["facilitators"])
    # Kept on the person's object, which lives as long as its request (it is never cached):
    # a page asks several permissions that each come down to this.
    known: dict[object, bool] = user.__dict__.setdefault("_facilitates", {})
    if partnership.pk not in known:
        known[partnership.pk] = partnership.facilitators.filter(pk=user.pk).exists()
    return known[partnership.pk]


def facilitator_note(user: Viewer, partnership: Partnership, *, facilitates: bool) -> None:
    """Record what a read has just found: whether the user facilitates the partnership.

    ``is_facilitator`` then answers from it for the rest of the request, without a query.
    """
    if is_signed_in(user):
        user.__dict__.setdefault("_facilitates", {})[partnership.pk] = facilitates


def can_view_partnership(user: Viewer, partnership: Partnership) -> bool:
    """Public partnerships are open to all; members-only ones to members and facilitators."""
    if partnership.visibility == Partnership.Visibility.PUBLIC:
        return True
    return Partnership.objects.visible_to(user).filter(pk=partnership.pk).exists()


def can_create_partnership(user: Viewer) -> bool:
    """Only platform admins open new partnerships."""
    return is_platform_admin(user)


def can_edit_partnership(user: Viewer, partnership: Partnership) -> bool:
    """Facilitators and platform admins edit the partnership's description and settings."""
    return is_platform_admin(user) or is_facilitator(user, partnership)


def can_manage_partnership_members(user: Viewer, partnership: Partnership) -> bool:
    """Only facilitators and platform admins add or remove organisations and facilitators."""
    return is_platform_admin(user) or is_facilitator(user, partnership)


def can_answer_facilitator_invitation(user: Viewer, invitation: FacilitatorInvitation) -> bool:
    """Only the signed-in person the invitation was addressed to may accept or decline it."""
    email = getattr(user, "email", "")
    return (
        is_signed_in(user) and isinstance(email, str) and email.lower() == invitation.email.lower()
    )


def can_see_partnership_exists(user: Viewer, partnership: Partnership) -> bool:
    """Readers see a partnership; others only its title, if facilitators made it discoverable."""
    return partnership.is_discoverable or can_view_partnership(user, partnership)


def can_request_partnership_join(
    user: Viewer, partnership: Partnership, organisation: Organisation
) -> bool:
    """An organisation's admins may ask for it to join a partnership it is not a member of."""
    return (
        is_organisation_admin(user, organisation)
        and not partnership.member_links.filter(organisation=organisation).exists()
        and can_see_partnership_exists(user, partnership)
    )


def can_decide_join_request(user: Viewer, join_request: PartnershipJoinRequest) -> bool:
    """The partnership's facilitators and platform admins approve or decline requests."""
    return can_manage_partnership_members(user, join_request.partnership)


def can_withdraw_join_request(user: Viewer, join_request: PartnershipJoinRequest) -> bool:
    """The requesting organisation's admins may withdraw its request."""
    return is_organisation_admin(user, join_request.organisation)
