import pytest
from django.urls import reverse

from puente.partnerships.models import Partnership
from tests.accounts.factories import AdminFactory, UserFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    """A client signed in as a platform admin with two-factor turned on."""
    admin = AdminFactory()
    client.force_login(admin)
    return client


@pytest.fixture
def partnership():
    return PartnershipFactory(
        title="EU-LAC Digital Alliance",
        facilitators=[UserFactory()],
        organisations=OrganisationFactory.create_batch(2),
    )


def test_changelist_lists_title_visibility_and_creation_date(admin_client, partnership):
    response = admin_client.get(reverse("admin:partnerships_partnership_changelist"))

    assert response.status_code == 200
    assert "EU-LAC Digital Alliance" in response.text
    assert "column-visibility" in response.text
    assert "column-created_at" in response.text


def test_changelist_searches_and_filters(admin_client, partnership):
    PartnershipFactory(title="Copernicus LAC", visibility=Partnership.Visibility.MEMBERS)
    url = reverse("admin:partnerships_partnership_changelist")

    searched = admin_client.get(url, {"q": "copernicus"})
    filtered = admin_client.get(url, {"visibility__exact": "public"})

    assert "Copernicus LAC" in searched.text
    assert "EU-LAC Digital Alliance" not in searched.text
    assert "EU-LAC Digital Alliance" in filtered.text
    assert "Copernicus LAC" not in filtered.text


def test_change_page_has_member_inline_and_facilitator_picker(admin_client, partnership):
    response = admin_client.get(
        reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    )

    assert response.status_code == 200
    assert "member_links-TOTAL_FORMS" in response.text
    assert "selectfilter" in response.text
    assert 'name="regions" value="LAC"' in response.text


def test_admin_stores_only_known_regions(admin_client):
    url = reverse("admin:partnerships_partnership_add")
    data = {
        "title": "BELLA",
        "slug": "bella",
        "description": "",
        "visibility": "public",
        "member_links-TOTAL_FORMS": "0",
        "member_links-INITIAL_FORMS": "0",
    }

    refused = admin_client.post(url, {**data, "regions": ["EU", "MARS"]})
    saved = admin_client.post(url, {**data, "regions": ["EU", "LAC"]})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["regions"]
    assert saved.status_code == 302
    stored = Partnership.objects.get(slug="bella")
    assert stored.regions == ["EU", "LAC"]
    assert stored.created_by == refused.wsgi_request.user


def test_member_changelist_shows_organisation_and_partnership(admin_client, partnership):
    response = admin_client.get(reverse("admin:partnerships_partnershipmember_changelist"))

    assert response.status_code == 200
    assert partnership.organisations.first().name in response.text
