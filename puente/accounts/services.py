"""Writes to people's own accounts: profile, language, two-factor, API tokens, deletion."""

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from puente.core.names import name_clean
from puente.core.registry import (
    AccountDeletionBlock,
    account_deletion_blockers,
    personal_data_sections,
)
from puente.core.types import UNSET, Unset

from .models import User
from .permissions import can_create_token

TOTP_SECRET_MIN_BYTES = 10


@transaction.atomic
def profile_update(
    *,
    person: User,
    name: str | Unset = UNSET,
    preferred_language: str | Unset = UNSET,
    country: str | Unset = UNSET,
    time_zone: str | Unset = UNSET,
) -> User:
    """Change the person's name, preferred language, country or time zone, as given."""
    given: dict[str, object] = {
        "name": name,
        "preferred_language": preferred_language,
        "country": country,
        "time_zone": time_zone,
    }
    changes = {field: value for field, value in given.items() if not isinstance(value, Unset)}
    previous = {field: getattr(person, field) for field in changes}
    errors: dict[str, list[str]] = {}
    if isinstance(name, str):
        try:
            changes["name"] = name_clean(name)
        except ValidationError as error:
            errors["name"] = error.messages
    for field, value in changes.items():
        setattr(person, field, value)
    try:
        try:
            person.full_clean(exclude=["password", "email", *errors], validate_unique=False)
        except ValidationError as error:
            errors = {**error.message_dict, **errors}
        if errors:
            raise ValidationError(errors)
    except ValidationError:
        # Leave the in-memory person (often request.user) as it was.
        for field, value in previous.items():
            setattr(person, field, value)
        raise
    person.save(update_fields=list(changes))
    return person


def language_set(*, person: User, language: str) -> User:
    """Remember a signed-in person's language choice on their profile."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    person.preferred_language = language
    person.save(update_fields=["preferred_language"])
    return person


def _totp_secret_check(secret: str) -> str:
    normalised = secret.strip().replace(" ", "").upper()
    try:
        decoded = base64.b32decode(normalised.encode("ascii"), casefold=True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as error:
        raise ValidationError(
            {"secret": _("The secret must be base32 text (letters A-Z and digits 2-7).")},
            code="invalid_secret",
        ) from error
    if len(decoded) < TOTP_SECRET_MIN_BYTES:
        raise ValidationError(
            {"secret": _("The secret is too short: use at least 16 base32 characters.")},
            code="short_secret",
        )
    return normalised


@transaction.atomic
def totp_enable(*, person: User, secret: str) -> Authenticator:
    """Turn on authenticator-app sign-in with a known base32 secret, plus recovery codes."""
    normalised = _totp_secret_check(secret)
    if Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
        raise ValidationError(
            {"secret": _("This person already uses an authenticator app.")},
            code="totp_exists",
        )
    authenticator: Authenticator = TOTP.activate(person, normalised).instance
    RecoveryCodes.activate(person)
    # Tokens made before the second factor were bought with a password alone.
    token_revoke_all(person=person)
    return authenticator


@dataclass(frozen=True)
class NewToken:
    """An API token just created, with its key: stored only hashed, so shown this once."""

    token: AuthToken
    key: str


@transaction.atomic
def token_create(*, person: User) -> NewToken:
    """Create an API token for the person, expiring after the configured time."""
    if not can_create_token(person):
        raise PermissionDenied(
            _("Turn on two-factor authentication before you create an API token.")
        )
    # Lock the person so that two requests at once cannot both pass the limit.
    list(User.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True))
    AuthToken.objects.filter(user=person, expiry__lte=timezone.now()).delete()
    limit: int | None = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None and AuthToken.objects.filter(user=person).count() >= limit:
        raise PermissionDenied(
            _("You already have %(limit)s API tokens, the most allowed: revoke one first.")
            % {"limit": limit}
        )
    token, key = AuthToken.objects.create(user=person)
    return NewToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, person: User, token: AuthToken) -> None:
    """Revoke one of the person's API tokens."""
    if token.user_id != person.pk:
        raise PermissionDenied
    token.delete()


@transaction.atomic
def token_revoke_all(*, person: User) -> int:
    """Revoke every API token of the person; return how many there were."""
    deleted: int = AuthToken.objects.filter(user=person).delete()[0]
    return deleted


def personal_data_export(*, person: User) -> dict[str, Any]:
    """Return everything Puente stores about the person, as JSON-ready data."""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": person.email,
            "name": person.name,
            "preferred_language": person.preferred_language,
            "country": str(person.country) if person.country else "",
            "time_zone": person.time_zone,
            "date_joined": person.date_joined.isoformat(),
            "last_login": person.last_login.isoformat() if person.last_login else None,
            "is_staff": person.is_staff,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=person).order_by("email")
        ],
        "two_factor_methods": [
            {"type": authenticator.type, "created_at": authenticator.created_at.isoformat()}
            for authenticator in Authenticator.objects.filter(user=person).order_by("pk")
        ],
    }
    for name, section in personal_data_sections():
        data[name] = section(person)
    return data


@transaction.atomic
def account_deletion_blocks(*, person: User) -> list[AccountDeletionBlock]:
    """Return why the person's account cannot be deleted now (nothing if it can)."""
    # Each app that needs a person (an organisation's last admin, a partnership's last
    # facilitator) registers its check, since accounts may not import those apps.
    return [
        reason
        for _name, blocker in account_deletion_blockers()
        for reason in blocker(person=person)
    ]


@transaction.atomic
def account_delete(*, person: User) -> None:
    """Delete the person; what they published stays, attributed to a former participant."""
    # The checks lock the rows they read, so that two last admins deleting at once cannot
    # both pass them: the second waits, then sees the first one gone.
    blocks = account_deletion_blocks(person=person)
    if blocks:
        raise ValidationError(
            [ValidationError(block.to_person, code="still_needed") for block in blocks]
        )
    try:
        person.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _(
                "Your account is still needed by records that cannot lose their author. "
                "Contact the platform team to delete it."
            ),
            code="protected",
        ) from error
