"""Who may hold API tokens."""

from puente.core.permissions import Viewer, is_signed_in, needs_second_factor


def can_create_token(user: Viewer) -> bool:
    """Return whether the person may hold an API token: staff need two-factor turned on."""
    return is_signed_in(user) and not needs_second_factor(user)
