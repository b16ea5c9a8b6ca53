"""Glue from allauth's events to the account services."""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed

from .models import User
from .services import token_revoke_all


def _tokens_revoke(sender: object, user: User | None = None, **kwargs: Any) -> None:
    """Revoke the person's API tokens: their password or second factor just changed."""
    if isinstance(user, User):
        token_revoke_all(person=user)


def connect() -> None:
    """Revoke API tokens on password change, set and reset, and two-factor on or off."""
    for signal in (
        password_changed,
        password_set,
        password_reset,
        authenticator_added,
        authenticator_removed,
    ):
        signal.connect(_tokens_revoke, dispatch_uid="puente.accounts.tokens_revoke")
