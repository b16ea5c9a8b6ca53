"""Predicates shared by every app."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

Viewer = AbstractBaseUser | AnonymousUser


def is_signed_in(user: Viewer) -> bool:
    """Return whether the user is a signed-in, active person."""
    return bool(user.is_authenticated and user.is_active)


def has_admin_flag(user: Viewer) -> bool:
    """Return whether the account carries the staff or superuser flag, second factor or not."""
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


def needs_second_factor(user: Viewer) -> bool:
    """Return whether a signed-in staff or superuser account lacks the two-factor it needs."""
    # The one rule behind every platform-admin and staff power: a flag alone is not enough,
    # the second factor must be on. Until it is, the account acts as an ordinary person.
    return is_signed_in(user) and has_admin_flag(user) and not is_mfa_enabled(user)


def is_platform_admin(user: Viewer) -> bool:
    """Return whether the user administers the whole platform: superuser with two-factor on."""
    return (
        is_signed_in(user)
        and bool(getattr(user, "is_superuser", False))
        and not needs_second_factor(user)
    )


def is_staff_member(user: Viewer) -> bool:
    """Return whether the user may use the admin site: staff with two-factor on."""
    return (
        is_signed_in(user)
        and bool(getattr(user, "is_staff", False))
        and not needs_second_factor(user)
    )
