"""Who may see and manage partnerships."""

from puente.core.permissions import Viewer, is_platform_admin, is_signed_in

from .models import FacilitatorInvitation, Partnership


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
