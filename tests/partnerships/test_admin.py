import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from puente.partnerships.models import Partnership, PartnershipMember
from tests.accounts.factories import AdminFactory, UserFactory
from tests.core.name_cases import ORIGINAL
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


def test_change_page_shows_members_and_facilitators_and_edits_the_regions(
    admin_client, partnership
):
    response = admin_client.get(
        reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    )

    assert response.status_code == 200
    assert "member_links-TOTAL_FORMS" in response.text
    assert partnership.organisations.first().name in response.text
    assert str(partnership.facilitators.first()) in response.text
    assert "selectfilter" not in response.text, "facilitators are not picked here"
    assert 'name="regions" value="LAC"' in response.text


def test_admin_stores_only_known_regions(admin_client):
    url = reverse("admin:partnerships_partnership_add")
    data = {
        "title": "BELLA",
        "slug": "bella",
        "description": "",
        "description_language": "en",
        "visibility": "public",
        "member_links-TOTAL_FORMS": "0",
        "member_links-INITIAL_FORMS": "0",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
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


def _errors(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def _settings(partnership, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "title": partnership.title,
        "slug": partnership.slug,
        "description": partnership.description,
        "description_language": partnership.description_language,
        "regions": list(partnership.regions),
        "visibility": partnership.visibility,
        "facilitators": [person.pk for person in partnership.facilitators.all()],
        "member_links-TOTAL_FORMS": "0",
        "member_links-INITIAL_FORMS": "0",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_a_partnership_opened_in_the_admin_is_facilitated_by_its_opener(admin_client):
    response = admin_client.post(
        reverse("admin:partnerships_partnership_add"),
        {
            "title": "  Nueva   Alianza ",
            "description_language": "es",
            "regions": ["EU"],
            "visibility": "public",
            "member_links-TOTAL_FORMS": "0",
            "member_links-INITIAL_FORMS": "0",
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Partnership.objects.get(title="Nueva Alianza")
    assert list(created.facilitators.all()) == [response.wsgi_request.user]


def test_an_admin_title_change_to_a_look_alike_is_refused_and_nothing_is_written(
    admin_client, partnership
):
    PartnershipFactory(title=ORIGINAL)
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])

    response = admin_client.post(
        url,
        _settings(partnership, title="Red de G\u043ebierno Abierto", description="Changed."),
    )

    assert response.status_code == 302
    assert _errors(response) == ["This title cannot be used: choose another."]
    partnership.refresh_from_db()
    assert partnership.title == "EU-LAC Digital Alliance"
    assert partnership.description != "Changed."


def test_facilitators_are_not_set_through_the_admin_form(admin_client, partnership):
    before = set(partnership.facilitators.all())
    stranger = UserFactory()
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])

    response = admin_client.post(url, _settings(partnership, facilitators=[stranger.pk]))

    assert response.status_code == 302
    assert set(partnership.facilitators.all()) == before


def test_member_inline_removes_no_organisation(admin_client, partnership):
    link = PartnershipMember.objects.filter(partnership=partnership)[0]
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])

    admin_client.post(
        url,
        _settings(
            partnership,
            **{
                "member_links-TOTAL_FORMS": "1",
                "member_links-INITIAL_FORMS": "1",
                "translations-TOTAL_FORMS": "0",
                "translations-INITIAL_FORMS": "0",
                "member_links-0-id": link.pk,
                "member_links-0-partnership": partnership.pk,
                "member_links-0-organisation": link.organisation_id,
                "member_links-0-DELETE": "on",
            },
        ),
    )

    assert PartnershipMember.objects.filter(pk=link.pk).exists()


def test_member_admin_adds_and_removes_through_the_services(admin_client, partnership):
    organisation = OrganisationFactory()
    response = admin_client.post(
        reverse("admin:partnerships_partnershipmember_add"),
        {"partnership": partnership.pk, "organisation": organisation.pk},
    )
    assert response.status_code == 302
    link = PartnershipMember.objects.get(partnership=partnership, organisation=organisation)

    response = admin_client.post(
        reverse("admin:partnerships_partnershipmember_delete", args=[link.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not PartnershipMember.objects.filter(pk=link.pk).exists()
