"""Predicates shared by every app."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

Viewer = AbstractBaseUser | AnonymousUser


def is_signed_in(user: Viewer) -> bool:
    """Return whether the user is a signed-in, active person."""
    return bool(user.is_authenticated and user.is_active)


def is_platform_admin(user: Viewer) -> bool:
    """Return whether the user administers the whole platform."""
    return bool(is_signed_in(user) and getattr(user, "is_superuser", False))
