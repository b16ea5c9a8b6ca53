import time
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt, is_mfa_enabled
from django.core import mail
from django.core.management import call_command

from puente.accounts.models import User
from puente.core.choices import Region, StakeholderType, region_for
from puente.notifications.models import Notification
from puente.partnerships.demo import (
    DEMO_ADMIN_TOTP_SECRET,
    DEMO_ORGANISATION_NOTE,
    DEMO_PASSWORD,
    PEOPLE,
    demo_load,
)
from puente.partnerships.models import Partnership, PartnershipJoinRequest, PartnershipMember
from puente.partnerships.permissions import can_view_partnership, is_facilitator
from puente.stakeholders.models import Membership, Organisation
from puente.stakeholders.permissions import can_manage_members, is_organisation_admin
from puente.stakeholders.services import organisation_create, organisation_update

pytestmark = pytest.mark.django_db

ADMIN = "admin@demo.puente.example"
FACILITATOR = "facilitator@demo.puente.example"
ORGADMIN = "orgadmin@demo.puente.example"
PARTICIPANT = "participant@demo.puente.example"
APPLICANT = "applicant@demo.puente.example"


def _row_counts() -> dict[str, int]:
    return {
        "people": User.objects.count(),
        "email addresses": EmailAddress.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "organisations": Organisation.objects.count(),
        "organisation themes": Organisation.themes.through.objects.count(),
        "memberships": Membership.objects.count(),
        "partnerships": Partnership.objects.count(),
        "partnership members": PartnershipMember.objects.count(),
        "facilitators": Partnership.facilitators.through.objects.count(),
        "partnership join requests": PartnershipJoinRequest.objects.count(),
    }


@pytest.fixture
def demo() -> None:
    demo_load()


def test_loading_twice_creates_nothing_new():
    first = demo_load()
    counts = _row_counts()

    second = demo_load()

    assert _row_counts() == counts
    assert sum(second.created.values()) == 0
    assert second.kept == first.created


def test_command_prints_created_and_kept_counts():
    out = StringIO()
    call_command("demo_load", stdout=out)
    call_command("demo_load", stdout=out)

    text = out.getvalue()
    assert "organisations: 37 created, 0 kept" in text
    assert "organisations: 0 created, 37 kept" in text


def test_command_is_silent_at_verbosity_zero():
    out = StringIO()
    call_command("demo_load", verbosity=0, stdout=out)

    assert out.getvalue() == ""
    assert Organisation.objects.exists()


def test_user_edited_description_survives_a_reload(demo):
    admin = User.objects.get(email=ADMIN)
    organisation = Organisation.objects.get(slug="eclac")
    organisation_update(actor=admin, organisation=organisation, description="Edited by a person.")

    demo_load()

    organisation.refresh_from_db()
    assert organisation.description == "Edited by a person."


def test_user_changed_password_survives_a_reload(demo):
    person = User.objects.get(email=PARTICIPANT)
    person.set_password("a-new-password-of-her-own")
    person.save()

    demo_load()

    person.refresh_from_db()
    assert person.check_password("a-new-password-of-her-own")


def test_user_added_organisation_survives_a_reload(demo):
    participant = User.objects.get(email=PARTICIPANT)
    added = organisation_create(
        creator=participant, name="Added By Hand", stakeholder_type="civil", country="SN"
    )

    demo_load()

    assert Organisation.objects.filter(pk=added.pk, name="Added By Hand").exists()


def test_removed_partnership_member_stays_removed_after_a_reload(demo):
    alliance = Partnership.objects.get(slug="eu-lac-digital-alliance")
    PartnershipMember.objects.filter(partnership=alliance, organisation__slug="giz").delete()

    demo_load()

    assert not alliance.organisations.filter(slug="giz").exists()


def test_deleted_demo_organisation_comes_back_with_its_links(demo):
    Organisation.objects.filter(slug="instituto-amazonico-observacao-terra").delete()

    report = demo_load()

    organisation = Organisation.objects.get(slug="instituto-amazonico-observacao-terra")
    assert report.created["organisations"] == 1
    assert organisation.partnerships.count() == 3
    assert is_organisation_admin(User.objects.get(email=ORGADMIN), organisation)


def test_demo_spans_both_regions_every_type_and_twelve_countries(demo):
    organisations = Organisation.objects.all()

    assert len({str(organisation.country) for organisation in organisations}) >= 12
    assert {organisation.stakeholder_type for organisation in organisations} == set(
        StakeholderType.values
    )
    assert {Region.EU.value, Region.LAC.value} <= {o.region for o in organisations}
    assert 30 <= organisations.count() <= 40


@pytest.mark.parametrize("region", [Region.EU, Region.LAC])
def test_every_stakeholder_type_is_present_in_each_region(demo, region):
    types = set(
        Organisation.objects.filter(region=region).values_list("stakeholder_type", flat=True)
    )

    assert types == set(StakeholderType.values)


def test_every_region_matches_its_country(demo):
    for organisation in Organisation.objects.all():
        assert organisation.region == region_for(str(organisation.country))


def test_every_invented_organisation_says_it_is_a_demo(demo):
    invented = Organisation.objects.filter(is_verified=False)

    assert invented.count() >= 20
    for organisation in invented:
        assert organisation.description.endswith(DEMO_ORGANISATION_NOTE)
    for organisation in Organisation.objects.filter(is_verified=True):
        assert "demo" not in organisation.description.lower()


def test_real_institutions_are_verified(demo):
    verified = set(Organisation.objects.filter(is_verified=True).values_list("slug", flat=True))

    assert {"eclac", "european-commission", "redclara", "geant", "bella"} <= verified


def test_every_organisation_passes_model_validation(demo):
    for organisation in Organisation.objects.all():
        organisation.full_clean(exclude=["logo"])
        assert organisation.themes.exists()


@pytest.mark.parametrize("slug", ["eu-lac-digital-alliance", "d4d-hub-lac"])
def test_main_partnerships_have_members_of_every_type_from_both_regions(demo, slug):
    partnership = Partnership.objects.get(slug=slug)
    members = partnership.organisations.all()

    assert partnership.visibility == Partnership.Visibility.PUBLIC
    assert partnership.regions == [Region.EU.value, Region.LAC.value]
    assert members.count() >= 20
    for region in (Region.EU, Region.LAC):
        types = set(members.filter(region=region).values_list("stakeholder_type", flat=True))
        assert types == set(StakeholderType.values)


def test_alliance_description_states_the_launch_and_contribution(demo):
    description = Partnership.objects.get(slug="eu-lac-digital-alliance").description

    for fact in ("March 2023", "EUR 145 million", "BELLA", "Panama", "Chile", "Accelerator"):
        assert fact in description


def test_every_organisation_creator_is_its_active_admin(demo):
    created = Organisation.objects.filter(created_by__isnull=False)

    assert created.exists()
    for organisation in created:
        assert organisation.created_by is not None
        assert is_organisation_admin(organisation.created_by, organisation)


def test_demo_admin_has_totp_with_the_documented_secret(demo):
    admin = User.objects.get(email=ADMIN)
    authenticator = Authenticator.objects.get(user=admin, type=Authenticator.Type.TOTP)

    assert admin.is_staff
    assert admin.is_superuser
    assert is_mfa_enabled(admin)
    assert decrypt(authenticator.data["secret"]) == DEMO_ADMIN_TOTP_SECRET


def test_documented_totp_code_is_accepted(demo):
    authenticator = Authenticator.objects.get(user__email=ADMIN, type=Authenticator.Type.TOTP)
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(DEMO_ADMIN_TOTP_SECRET, counter))

    assert TOTP(authenticator).validate_code(code)


def test_wrong_totp_code_is_refused(demo):
    authenticator = Authenticator.objects.get(user__email=ADMIN, type=Authenticator.Type.TOTP)
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    right = format_hotp_value(hotp_value(DEMO_ADMIN_TOTP_SECRET, counter))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    assert not TOTP(authenticator).validate_code(wrong)


@pytest.mark.parametrize("email", [person.email for person in PEOPLE])
def test_each_demo_account_logs_in_with_the_documented_password(demo, client, email):
    person = User.objects.get(email=email)

    assert person.check_password(DEMO_PASSWORD)
    assert EmailAddress.objects.filter(user=person, email=email, verified=True, primary=True)
    assert client.login(email=email, password=DEMO_PASSWORD)


def test_demo_people_prefer_different_languages(demo):
    languages = set(User.objects.values_list("preferred_language", flat=True))

    assert {"en", "es", "pt-br", "fr"} <= languages


@pytest.mark.parametrize(
    ("email", "can_manage"),
    [(ADMIN, True), (FACILITATOR, False), (ORGADMIN, True), (PARTICIPANT, False)],
)
def test_pending_join_request_is_decided_by_organisation_admins(demo, email, can_manage):
    request = Membership.objects.get(person__email=APPLICANT)

    assert request.status == Membership.Status.PENDING
    assert can_manage_members(User.objects.get(email=email), request.organisation) is can_manage


def test_participant_is_an_active_member(demo):
    membership = Membership.objects.get(person__email=PARTICIPANT)

    assert membership.status == Membership.Status.ACTIVE
    assert membership.role == Membership.Role.MEMBER


@pytest.mark.parametrize(
    ("email", "is_allowed"),
    [
        (ADMIN, True),
        (FACILITATOR, True),
        (ORGADMIN, True),
        (PARTICIPANT, False),
        (APPLICANT, False),
    ],
)
def test_members_only_working_group_is_visible_to_its_members(demo, email, is_allowed):
    working_group = Partnership.objects.get(slug="copernicus-lac-working-group")

    assert working_group.visibility == Partnership.Visibility.MEMBERS
    assert can_view_partnership(User.objects.get(email=email), working_group) is is_allowed


def test_facilitator_facilitates_the_alliance(demo):
    alliance = Partnership.objects.get(slug="eu-lac-digital-alliance")

    assert is_facilitator(User.objects.get(email=FACILITATOR), alliance)


def test_a_request_to_join_waits_for_the_facilitator(demo):
    waiting = PartnershipJoinRequest.objects.get(status=PartnershipJoinRequest.Status.PENDING)

    assert waiting.partnership.slug == "copernicus-lac-working-group"
    assert not waiting.partnership.organisations.filter(pk=waiting.organisation_id).exists()
    assert waiting.partnership.facilitators.filter(email="facilitator@demo.puente.example").exists()


def test_a_declined_demo_request_is_not_asked_again_on_reload(demo):
    PartnershipJoinRequest.objects.update(status=PartnershipJoinRequest.Status.DECLINED)

    report = demo_load()

    assert not PartnershipJoinRequest.objects.filter(status="pending").exists()
    assert report.kept["partnership join requests"] == 1


def test_some_descriptions_have_spanish_or_portuguese_translations(demo):
    eclac = Organisation.objects.get(slug="eclac")
    d4d = Partnership.objects.get(slug="d4d-hub-lac")

    assert set(eclac.translations.values_list("language", flat=True)) == {"es", "pt-br"}
    assert set(d4d.translations.values_list("language", flat=True)) == {"es", "pt"}
    assert eclac.shown_in("es").text.startswith("Una de las cinco comisiones")
    assert "(Organización de demostración.)" in (
        Organisation.objects.get(slug="san-isidro-del-valle-innovation").shown_in("es").text
    )


def test_a_deleted_translation_of_a_rewritten_description_does_not_come_back(demo):
    eclac = Organisation.objects.get(slug="eclac")
    Organisation.objects.filter(pk=eclac.pk).update(description="Rewritten by its admin.")
    eclac.translations.all().delete()

    demo_load()

    assert not eclac.translations.exists()


def test_loading_the_demo_mails_nobody_but_its_people_see_their_notifications(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        demo_load()
    assert mail.outbox == []
    assert Notification.objects.filter(
        recipient__email="orgadmin@demo.puente.example", read_at__isnull=True
    ).exists()
