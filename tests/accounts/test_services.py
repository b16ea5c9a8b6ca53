"""Writes to a person's own account."""

import threading

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from puente.accounts.models import User
from puente.accounts.services import (
    account_delete,
    language_set,
    personal_data_export,
    profile_update,
    totp_enable,
)
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Membership
from tests.accounts.factories import TOTP_SECRET, UserFactory, totp_code
from tests.core.name_cases import INVISIBLE
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory


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
def test_account_delete_refuses_the_only_admin_and_names_each_organisation():
    person = UserFactory()
    for name in ["ECLAC", "GSMA"]:
        MembershipFactory(
            person=person, organisation=OrganisationFactory(name=name), role=Membership.Role.ADMIN
        )
    shared = OrganisationFactory(name="Shared")
    MembershipFactory(person=person, organisation=shared, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=shared, role=Membership.Role.ADMIN)

    with pytest.raises(ValidationError) as error:
        account_delete(person=person)

    [message] = error.value.messages
    assert message.startswith("You are the only administrator of ECLAC and GSMA: appoint another")
    assert "Shared" not in message
    assert error.value.error_list[0].code == "still_needed"
    assert User.objects.filter(pk=person.pk).exists()
    assert Membership.objects.filter(person=person).count() == 3


@pytest.mark.django_db
def test_account_delete_refuses_the_only_facilitator_and_names_the_partnership():
    person = UserFactory()
    PartnershipFactory(title="Copernicus LAC", facilitators=[person])
    PartnershipFactory(title="Shared space", facilitators=[person, UserFactory()])

    with pytest.raises(ValidationError) as error:
        account_delete(person=person)

    [message] = error.value.messages
    assert message.startswith("You are the only facilitator of Copernicus LAC: invite another")
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_account_delete_gives_one_reason_per_kind_of_role():
    person = UserFactory()
    MembershipFactory(person=person, role=Membership.Role.ADMIN)
    PartnershipFactory(facilitators=[person])

    with pytest.raises(ValidationError) as error:
        account_delete(person=person)

    assert len(error.value.messages) == 2


@pytest.mark.django_db
def test_account_delete_goes_ahead_when_another_admin_and_facilitator_remain():
    person = UserFactory()
    organisation = OrganisationFactory()
    MembershipFactory(person=person, organisation=organisation, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    MembershipFactory(person=person)  # an ordinary member is never needed
    partnership = PartnershipFactory(facilitators=[person, UserFactory()])

    account_delete(person=person)

    assert not User.objects.filter(pk=person.pk).exists()
    assert partnership.facilitators.count() == 1
    assert organisation.memberships.filter(role=Membership.Role.ADMIN).count() == 1


@pytest.mark.django_db
def test_a_pending_request_does_not_count_as_another_admin():
    person = UserFactory()
    organisation = OrganisationFactory()
    MembershipFactory(person=person, organisation=organisation, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)

    with pytest.raises(ValidationError):
        account_delete(person=person)


def _two_needed_people(kind: str) -> tuple[User, User]:
    first, second = UserFactory(), UserFactory()
    if kind == "admins":
        organisation = OrganisationFactory()
        for person in (first, second):
            MembershipFactory(person=person, organisation=organisation, role=Membership.Role.ADMIN)
    else:
        PartnershipFactory(facilitators=[first, second])
    return first, second


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", ["admins", "facilitators"])
def test_the_last_two_deleting_their_accounts_at_once_cannot_both_succeed(kind):
    first, second = _two_needed_people(kind)
    outcome: dict[str, object] = {}

    def delete_second() -> None:
        try:
            account_delete(person=User.objects.get(pk=second.pk))
            outcome["second"] = "deleted"
        except ValidationError as error:
            outcome["second"] = error.messages
        finally:
            connection.close()

    with transaction.atomic():
        account_delete(person=first)
        other = threading.Thread(target=delete_second)
        other.start()
        other.join(timeout=1)
        # The second deletion waits on the rows the first one locked.
        assert other.is_alive()
    other.join(timeout=20)

    assert not User.objects.filter(pk=first.pk).exists()
    assert User.objects.filter(pk=second.pk).exists()
    assert outcome["second"] != "deleted"


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
