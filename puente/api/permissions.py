"""Who may obtain API tokens, and the signed-in person behind a request."""

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from puente.accounts.models import User
from puente.core.permissions import Viewer, has_admin_flag, is_signed_in, needs_second_factor


def person_of(request: Request) -> User:
    """Return the signed-in person making the request, or refuse with 401."""
    user = request.user
    if not isinstance(user, User) or not is_signed_in(user):
        raise NotAuthenticated
    return user


def has_verified_email(user: User) -> bool:
    """Return whether the person confirmed their primary e-mail address."""
    return bool(
        EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )


def can_create_token_with_password(user: User) -> bool:
    """Return whether a password alone may buy a token: never for staff or two-factor accounts."""
    # A token never asks for the second factor, so a password must not buy one where
    # two-factor authentication protects (or should protect) the account.
    return is_signed_in(user) and not has_admin_flag(user) and not is_mfa_enabled(user)


def can_create_token_from_session(user: Viewer) -> bool:
    """Return whether a signed-in session may buy a token: staff need two-factor turned on."""
    if not isinstance(user, User) or not is_signed_in(user):
        return False
    return not needs_second_factor(user)
