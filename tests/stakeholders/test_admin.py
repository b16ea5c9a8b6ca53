import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from puente.core.models import Theme
from puente.stakeholders.models import Invitation, Membership, Organisation, OrganisationTranslation
from tests.accounts.factories import AdminFactory, UserFactory
from tests.core.image_files import gif_named_pdf
from tests.core.name_cases import ORIGINAL
from tests.stakeholders.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    # AdminFactory turns two-factor on: the admin site is closed to staff without it.
    client.force_login(AdminFactory())
    return client


@pytest.mark.parametrize("model", [Organisation, Membership, Invitation])
def test_admin_changelists_open(admin_client, model):
    MembershipFactory()
    InvitationFactory()
    url = reverse(f"admin:stakeholders_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


def test_admin_organisation_changelist_searches_and_filters(admin_client):
    OrganisationFactory(name="Agencia Digital", acronym="AGD", is_verified=True)
    OrganisationFactory(name="Other", acronym="OTH")
    url = reverse("admin:stakeholders_organisation_changelist")
    response = admin_client.get(url, {"q": "AGD"})
    assert [o.name for o in response.context["cl"].result_list] == ["Agencia Digital"]
    response = admin_client.get(url, {"is_verified__exact": "0"})
    assert [o.name for o in response.context["cl"].result_list] == ["Other"]


def test_admin_mark_verified_action_verifies_the_selected_organisations(admin_client):
    chosen = OrganisationFactory()
    untouched = OrganisationFactory()
    url = reverse("admin:stakeholders_organisation_changelist")
    response = admin_client.post(url, {"action": "mark_verified", "_selected_action": [chosen.pk]})
    assert response.status_code == 302
    chosen.refresh_from_db()
    untouched.refresh_from_db()
    assert chosen.is_verified
    assert not untouched.is_verified


def test_admin_membership_changelist_filters_by_status(admin_client):
    MembershipFactory(status=Membership.Status.PENDING)
    MembershipFactory()
    url = reverse("admin:stakeholders_membership_changelist")
    response = admin_client.get(url, {"status__exact": "pending"})
    assert [m.status for m in response.context["cl"].result_list] == ["pending"]


def test_admin_organisation_change_page_opens(admin_client):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation)
    url = reverse("admin:stakeholders_organisation_change", args=[organisation.pk])
    assert admin_client.get(url).status_code == 200


def test_admin_logo_upload_is_re_encoded_as_png(admin_client):
    organisation = OrganisationFactory()
    url = reverse("admin:stakeholders_organisation_change", args=[organisation.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"logo", "themes"}
    }
    data.update(
        {
            "country": str(organisation.country),
            "themes": [],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
            "logo": gif_named_pdf(),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".png")


# Every write goes through the services: their rules hold, a refusal is a message, and
# nothing is written.


def _errors(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def _organisation_form(organisation: Organisation, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "name": organisation.name,
        "slug": organisation.slug,
        "acronym": organisation.acronym,
        "stakeholder_type": organisation.stakeholder_type,
        "region": organisation.region,
        "country": str(organisation.country),
        "website": organisation.website,
        "description": organisation.description,
        "description_language": organisation.description_language,
        "themes": [theme.pk for theme in organisation.themes.all()],
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    if organisation.is_verified:
        data["is_verified"] = "on"
    data.update(changes)
    return data


def test_the_verified_flag_is_not_editable_in_the_list(admin_client):
    organisation = OrganisationFactory()
    url = reverse("admin:stakeholders_organisation_changelist")
    admin_client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": organisation.pk,
            "form-0-is_verified": "on",
            "_save": "Save",
        },
    )
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_removing_the_last_admin_through_the_admin_is_refused_and_nothing_is_written(
    admin_client,
):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    url = reverse("admin:stakeholders_membership_delete", args=[admin.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert _errors(response) == ["Appoint another administrator before the last one leaves."]
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_demoting_the_last_admin_through_the_admin_is_refused(admin_client):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    url = reverse("admin:stakeholders_membership_change", args=[admin.pk])

    response = admin_client.post(url, {"role": Membership.Role.MEMBER})

    assert _errors(response) == ["An organisation needs at least one administrator."]
    admin.refresh_from_db()
    assert admin.role == Membership.Role.ADMIN


def test_a_role_change_through_the_admin_uses_the_service(admin_client):
    MembershipFactory(role=Membership.Role.ADMIN)
    member = MembershipFactory()
    url = reverse("admin:stakeholders_membership_change", args=[member.pk])

    response = admin_client.post(url, {"role": Membership.Role.ADMIN})

    assert response.status_code == 302
    assert not _errors(response)
    member.refresh_from_db()
    assert member.role == Membership.Role.ADMIN


def test_bulk_removal_that_breaks_the_last_admin_rule_removes_no_one(admin_client):
    last_admin = MembershipFactory(role=Membership.Role.ADMIN)
    member = MembershipFactory(organisation=last_admin.organisation)
    url = reverse("admin:stakeholders_membership_changelist")

    response = admin_client.post(
        url,
        {
            "action": "delete_selected",
            "_selected_action": [member.pk, last_admin.pk],
            "post": "yes",
        },
    )

    assert _errors(response)
    assert Membership.objects.filter(pk__in=[member.pk, last_admin.pk]).count() == 2


def test_the_organisation_page_cannot_demote_the_last_admin_through_the_inline(admin_client):
    last_admin = MembershipFactory(role=Membership.Role.ADMIN)
    organisation = last_admin.organisation
    url = reverse("admin:stakeholders_organisation_change", args=[organisation.pk])

    admin_client.post(
        url,
        _organisation_form(
            organisation,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "1",
                "translations-TOTAL_FORMS": "0",
                "translations-INITIAL_FORMS": "0",
                "memberships-0-id": last_admin.pk,
                "memberships-0-organisation": organisation.pk,
                "memberships-0-person": last_admin.person.pk,
                "memberships-0-role": Membership.Role.MEMBER,
                "memberships-0-status": Membership.Status.ACTIVE,
                "memberships-0-decided_at": "",
            },
        ),
    )

    last_admin.refresh_from_db()
    assert last_admin.role == Membership.Role.ADMIN


def test_an_admin_edit_goes_through_the_service_and_the_verification_service(admin_client):
    organisation = OrganisationFactory(name="Before", country="CL")
    url = reverse("admin:stakeholders_organisation_change", args=[organisation.pk])

    response = admin_client.post(
        url,
        _organisation_form(
            organisation,
            name="  After   the  edit ",
            is_verified="on",
            themes=[Theme.objects.get(code="ai").pk],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.name == "After the edit"
    assert organisation.is_verified
    assert [theme.code for theme in organisation.themes.all()] == ["ai"]


def test_an_admin_edit_to_a_copy_of_a_verified_name_is_refused_and_nothing_is_written(
    admin_client,
):
    OrganisationFactory(name=ORIGINAL, is_verified=True)
    organisation = OrganisationFactory(name="Before", themes=list(Theme.objects.filter(code="ai")))
    url = reverse("admin:stakeholders_organisation_change", args=[organisation.pk])

    response = admin_client.post(
        url,
        _organisation_form(
            organisation,
            name="Red de G\u043ebierno Abierto",
            themes=[Theme.objects.get(code="connectivity").pk],
        ),
    )

    assert response.status_code == 302
    assert ORIGINAL in _errors(response)[0]
    organisation.refresh_from_db()
    assert organisation.name == "Before"
    assert [theme.code for theme in organisation.themes.all()] == ["ai"]


def test_an_organisation_added_in_the_admin_is_registered_through_the_service(admin_client):
    url = reverse("admin:stakeholders_organisation_add")
    data = {
        "name": "Red Nueva",
        "stakeholder_type": "academia",
        "region": "EU",
        "country": "FR",
        "description_language": "fr",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation = Organisation.objects.get(name="Red Nueva")
    assert organisation.slug
    creator = response.wsgi_request.user
    assert Membership.objects.get(organisation=organisation).person == creator


def test_an_accepted_invitation_cannot_be_deleted_through_the_admin(admin_client):
    invitation = InvitationFactory(accepted_at="2026-01-01T00:00:00Z")
    url = reverse("admin:stakeholders_invitation_delete", args=[invitation.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert _errors(response) == ["This invitation has already been used."]
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_invitations_are_not_edited_in_the_admin(admin_client):
    invitation = InvitationFactory()
    url = reverse("admin:stakeholders_invitation_change", args=[invitation.pk])

    admin_client.post(url, {"email": "other@example.org", "role": "admin"})

    invitation.refresh_from_db()
    assert invitation.email != "other@example.org"
    assert admin_client.get(reverse("admin:stakeholders_invitation_add")).status_code == 403


def test_a_platform_admin_deletes_an_organisation_through_the_service(admin_client):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, person=UserFactory())
    url = reverse("admin:stakeholders_organisation_delete", args=[organisation.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()


def test_an_organisation_shows_its_description_translations(admin_client):
    organisation = OrganisationFactory()
    OrganisationTranslation.objects.create(
        organisation=organisation, language="pt", description="Uma rede de investigação."
    )

    url = reverse("admin:stakeholders_organisation_change", args=[organisation.pk])
    response = admin_client.get(url)

    assert response.status_code == 200
    assert "Description translations" in response.text
    assert 'name="translations-TOTAL_FORMS" value="1"' in response.text
