"""An organisation's other names: edited by its admins, shown on its page, in the API."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from puente.search.selectors import search_entry_list, search_query_parse
from puente.stakeholders.models import Membership
from puente.stakeholders.services import also_known_as_clean
from tests.api.conftest import assert_error, token_client
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory
from tests.stakeholders.test_views import _profile

pytestmark = pytest.mark.django_db


def _admin_of(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).person


def test_names_are_trimmed_and_repeats_dropped():
    assert also_known_as_clean(" CEPAL ,cepal, CEPALC ,, Comisión  Económica ") == (
        "CEPAL, CEPALC, Comisión Económica"
    )


def test_an_admin_sets_them_on_the_edit_form_and_the_page_and_search_show_them(client):
    organisation = OrganisationFactory(slug="eclac", acronym="ECLAC")
    client.force_login(_admin_of(organisation))
    edit_url = reverse("stakeholders:organisation-edit", kwargs={"slug": "eclac"})
    assert "also_known_as" in client.get(edit_url).context["form"].fields
    response = client.post(edit_url, _profile(name="ECLAC", also_known_as="CEPAL,  CEPALC"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.also_known_as == "CEPAL, CEPALC"
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert '<dt class="col-sm-3">Also known as</dt>' in page
    assert "CEPAL, CEPALC" in page
    entries = search_entry_list(query=search_query_parse("cepalc"), viewer=AnonymousUser())
    assert [entry.object_id for entry in entries] == [organisation.pk]


def test_the_edit_form_refuses_names_over_300_characters(client):
    organisation = OrganisationFactory(slug="long")
    client.force_login(_admin_of(organisation))
    edit_url = reverse("stakeholders:organisation-edit", kwargs={"slug": "long"})
    response = client.post(edit_url, _profile(name="Long", also_known_as="x" * 301))
    assert response.status_code == 400
    assert "also_known_as" in response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.also_known_as == ""


def test_the_api_shows_and_changes_them(db):
    organisation = OrganisationFactory(slug="eclac", also_known_as="CEPAL")
    assert token_client(None).get("/api/v1/organisations/eclac/").json()["also_known_as"] == (
        "CEPAL"
    )
    client = token_client(_admin_of(organisation))
    response = client.patch(
        "/api/v1/organisations/eclac/", {"also_known_as": "CEPAL, CEPALC"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["also_known_as"] == "CEPAL, CEPALC"
    assert_error(
        client.patch("/api/v1/organisations/eclac/", {"also_known_as": "x" * 301}, format="json"),
        400,
        "also_known_as",
    )
    organisation.refresh_from_db()
    assert organisation.also_known_as == "CEPAL, CEPALC"


def test_the_directory_filter_matches_them(client):
    OrganisationFactory(name="Economic Commission", also_known_as="CEPAL")
    body = client.get("/organisations/", {"q": "cepal"}).content.decode()
    assert "Economic Commission" in body
