import pytest
from django.urls import reverse

from puente.stakeholders.models import Invitation, Membership, Organisation
from tests.accounts.factories import AdminFactory
from tests.core.image_files import gif_named_pdf
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
            "logo": gif_named_pdf(),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".png")
