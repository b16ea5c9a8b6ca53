"""Writes to people's own accounts: profile, language, data export and deletion."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from puente.core.registry import personal_data_sections

from .models import User

PROFILE_FIELDS = ("name", "preferred_language", "country", "time_zone")


@transaction.atomic
def profile_update(*, person: User, **fields: object) -> User:
    """Change a person's name, preferred language, country or time zone."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean(exclude=["password", "email"])
    person.save(update_fields=list(fields))
    return person


def language_set(*, person: User, language: str) -> User:
    """Remember a signed-in person's language choice on their profile."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    person.preferred_language = language
    person.save(update_fields=["preferred_language"])
    return person


def personal_data_export(*, person: User) -> dict[str, Any]:
    """Return everything Puente stores about the person, as JSON-ready data."""
    data: dict[str, Any] = {
        "account": {
            "email": person.email,
            "name": person.name,
            "preferred_language": person.preferred_language,
            "country": str(person.country) if person.country else "",
            "time_zone": person.time_zone,
            "date_joined": person.date_joined.isoformat(),
            "last_login": person.last_login.isoformat() if person.last_login else None,
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
def account_delete(*, person: User) -> None:
    """Delete the person; what they published stays, attributed to a former participant."""
    person.delete()
