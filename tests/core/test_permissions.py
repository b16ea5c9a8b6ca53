"""Platform-admin and staff powers need two-factor: without it, a flag is an ordinary account."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from puente.core.permissions import is_platform_admin, is_staff_member, needs_second_factor
from puente.partnerships.models import Partnership
from tests.accounts.factories import AdminFactory, StaffFactory, UserFactory, totp_activate
from tests.api.conftest import session_client, token_client
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import OrganisationFactory

PEOPLE: dict[str, Callable[[], Any]] = {
    "visitor": AnonymousUser,
    "participant": UserFactory,
    "staff without two-factor": StaffFactory,
    "staff with two-factor": lambda: totp_activate(StaffFactory()).user,
    "superuser without two-factor": lambda: AdminFactory(two_factor=False),
    "superuser with two-factor": AdminFactory,
    "inactive superuser with two-factor": lambda: AdminFactory(is_active=False),
}

# who: (is_platform_admin, is_staff_member, needs_second_factor)
PREDICATES = {
    "visitor": (False, False, False),
    "participant": (False, False, False),
    "staff without two-factor": (False, False, True),
    "staff with two-factor": (False, True, False),
    "superuser without two-factor": (False, False, True),
    "superuser with two-factor": (True, True, False),
    "inactive superuser with two-factor": (False, False, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", PEOPLE)
def test_powers_follow_the_flags_only_with_two_factor(who):
    person = PEOPLE[who]()
    answers = (is_platform_admin(person), is_staff_member(person), needs_second_factor(person))
    assert answers == PREDICATES[who]


# The same rule where it is enforced: pages, the session API and the token API.


@pytest.fixture
def places(db):
    organisation = OrganisationFactory(name="Agencia Digital", slug="ad")
    secret = PartnershipFactory(
        title="Copernicus LAC",
        slug="copernicus-lac",
        visibility=Partnership.Visibility.MEMBERS,
        facilitators=[UserFactory()],
        organisations=[organisation],
    )
    return organisation, secret


def _verify_page(person, places):
    organisation, _secret = places
    client = Client()
    client.force_login(person)
    url = reverse("stakeholders:organisation-verify", kwargs={"slug": organisation.slug})
    response = client.post(url, {"is_verified": "on"})
    organisation.refresh_from_db()
    return response.status_code, organisation.is_verified


def _verify_api(auth):
    def act(person, places):
        organisation, _secret = places
        client = session_client(person) if auth == "session" else token_client(person)
        response = client.post(
            f"/api/v1/organisations/{organisation.slug}/verify/",
            {"is_verified": True},
            format="json",
        )
        organisation.refresh_from_db()
        return response.status_code, organisation.is_verified

    return act


def _create_partnership_page(person, places):
    client = Client()
    client.force_login(person)
    response = client.post(
        reverse("partnerships:partnership-create"), {"title": "BELLA", "visibility": "public"}
    )
    return response.status_code, Partnership.objects.filter(title="BELLA").exists()


def _create_partnership_api(auth):
    def act(person, places):
        client = session_client(person) if auth == "session" else token_client(person)
        response = client.post("/api/v1/partnerships/", {"title": "BELLA"}, format="json")
        return response.status_code, Partnership.objects.filter(title="BELLA").exists()

    return act


def _read_secret_page(person, places):
    _organisation, secret = places
    client = Client()
    client.force_login(person)
    shown = client.get(secret.get_absolute_url())
    listed = client.get(reverse("partnerships:partnership-list"))
    return shown.status_code, secret.title in listed.content.decode()


def _read_secret_api(auth):
    def act(person, places):
        _organisation, secret = places
        client = session_client(person) if auth == "session" else token_client(person)
        shown = client.get(f"/api/v1/partnerships/{secret.slug}/")
        listed = client.get("/api/v1/partnerships/")
        slugs = [row["slug"] for row in listed.json()["results"]]
        return shown.status_code, secret.slug in slugs

    return act


ACTIONS = {
    "verify an organisation (page)": _verify_page,
    "verify an organisation (session API)": _verify_api("session"),
    "verify an organisation (token API)": _verify_api("token"),
    "create a partnership (page)": _create_partnership_page,
    "create a partnership (session API)": _create_partnership_api("session"),
    "create a partnership (token API)": _create_partnership_api("token"),
    "read a members-only partnership (page and list)": _read_secret_page,
    "read a members-only partnership (session API detail and list)": _read_secret_api("session"),
    "read a members-only partnership (token API detail and list)": _read_secret_api("token"),
}

# who acts -> who they must behave exactly like
BEHAVES_LIKE = {
    "superuser without two-factor": "participant",
    "staff without two-factor": "participant",
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", sorted(BEHAVES_LIKE))
def test_an_account_without_two_factor_acts_exactly_as_an_ordinary_person(places, who, action):
    ordinary = ACTIONS[action](PEOPLE[BEHAVES_LIKE[who]](), places)
    flagged = ACTIONS[action](PEOPLE[who](), places)
    assert flagged == ordinary
    assert ordinary[1] is False, "the ordinary person must not succeed"


@pytest.mark.parametrize("action", ACTIONS)
def test_a_superuser_with_two_factor_acts_as_platform_admin(places, action):
    status, done = ACTIONS[action](AdminFactory(), places)
    assert done is True
    assert status < 400
