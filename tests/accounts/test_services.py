"""Writes to a person's own account."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError

from puente.accounts.services import (
    account_delete,
    language_set,
    personal_data_export,
    profile_update,
    totp_enable,
)
from puente.partnerships.models import Partnership
from tests.accounts.factories import TOTP_SECRET, UserFactory, totp_code
from tests.core.name_cases import INVISIBLE
from tests.partnerships.factories import PartnershipFactory


@pytest.mark.django_db
def test_profile_update_saves_the_given_fields():
    person = UserFactory()
    profile_update(person=person, name="Ana", country="BR", time_zone="America/Sao_Paulo")
    person.refresh_from_db()
    assert (person.name, person.country.code, person.time_zone) == (
        "Ana",
        "BR",
        "America/Sao_Paulo",
    )


@pytest.mark.django_db
def test_profile_update_takes_no_argument_outside_the_profile():
    person = UserFactory()
    with pytest.raises(TypeError, match="is_staff"):
        profile_update(person=person, is_staff=True)  # type: ignore[call-arg]  # the claim
    person.refresh_from_db()
    assert not person.is_staff


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus_Mons"), ("preferred_language", "xx"), ("name", "x" * 151)],
)
def test_profile_update_refuses_bad_values_and_leaves_the_person_unchanged(field, value):
    person = UserFactory(name="Before", country="CL", time_zone="UTC")
    with pytest.raises(ValidationError) as caught:
        profile_update(person=person, **{"country": "BR", field: value})
    assert field in caught.value.message_dict
    assert (person.country.code, person.name) == ("CL", "Before"), "in-memory person restored"
    person.refresh_from_db()
    assert (person.country.code, person.name) == ("CL", "Before")


@pytest.mark.django_db
def test_language_set_stores_an_offered_language_only():
    person = UserFactory()
    language_set(person=person, language="pt")
    person.refresh_from_db()
    assert person.preferred_language == "pt"
    with pytest.raises(ValidationError):
        language_set(person=person, language="de")
    person.refresh_from_db()
    assert person.preferred_language == "pt"


@pytest.mark.django_db
def test_totp_enable_turns_on_the_app_and_recovery_codes():
    person = UserFactory()
    authenticator = totp_enable(person=person, secret=TOTP_SECRET.lower())
    assert authenticator.type == Authenticator.Type.TOTP
    assert TOTP(authenticator).validate_code(totp_code(TOTP_SECRET))
    types = set(Authenticator.objects.filter(user=person).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


@pytest.mark.django_db
@pytest.mark.parametrize("secret", ["not base32 at all!", "JBSWY3DP", "", "JBSWY3DPEHPK3PX1"])
def test_totp_enable_refuses_bad_secrets(secret):
    person = UserFactory()
    with pytest.raises(ValidationError) as caught:
        totp_enable(person=person, secret=secret)
    assert "secret" in caught.value.message_dict
    assert not Authenticator.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_totp_enable_refuses_a_second_app():
    person = UserFactory()
    totp_enable(person=person, secret=TOTP_SECRET)
    with pytest.raises(ValidationError):
        totp_enable(person=person, secret="KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF")
    assert Authenticator.objects.filter(user=person).count() == 2


@pytest.mark.django_db
def test_personal_data_export_lists_two_factor_methods_without_secrets():
    person = UserFactory()
    totp_enable(person=person, secret=TOTP_SECRET)
    data = personal_data_export(person=person)
    assert sorted(method["type"] for method in data["two_factor_methods"]) == [
        "recovery_codes",
        "totp",
    ]
    assert TOTP_SECRET not in str(data)


@pytest.mark.django_db
def test_account_delete_keeps_partnerships_they_created():
    person = UserFactory()
    partnership = PartnershipFactory(created_by=person)
    totp_enable(person=person, secret=TOTP_SECRET)
    account_delete(person=person)
    assert Partnership.objects.get(pk=partnership.pk).created_by is None
    assert not Authenticator.objects.filter(user_id=person.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", INVISIBLE)
def test_profile_update_refuses_invisible_and_control_characters_in_the_name(name):
    person = UserFactory(name="Before")
    with pytest.raises(ValidationError) as caught:
        profile_update(person=person, name=name)
    assert "name" in caught.value.message_dict
    assert person.name == "Before"
    person.refresh_from_db()
    assert person.name == "Before"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "stored"),
    [("  \uff21na   P\u00e9rez ", "Ana P\u00e9rez"), ("   ", ""), ("Jos\u0065\u0301", "Jos\u00e9")],
)
def test_profile_update_stores_the_name_normalised(given, stored):
    person = UserFactory()
    profile_update(person=person, name=given)
    person.refresh_from_db()
    assert person.name == stored


@pytest.mark.django_db
def test_profile_update_allows_the_same_name_as_someone_else():
    UserFactory(name="Ana P\u00e9rez")
    person = UserFactory()
    profile_update(person=person, name="ANA P\u00c9REZ")
    assert person.name == "ANA P\u00c9REZ"
