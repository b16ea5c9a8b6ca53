from dataclasses import dataclass, field

import pytest
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from puente.accounts.models import User
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Membership, Organisation
from tests.accounts.factories import AdminFactory, UserFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

ROLES = ("visitor", "stranger", "member", "org_admin", "facilitator", "platform_admin")


@dataclass
class World:
    """An organisation with a member and an admin, in a partnership with a facilitator."""

    organisation: Organisation
    partnership: Partnership
    people: dict[str, User | None] = field(default_factory=dict)

    def client(self, role: str, auth: str = "token") -> APIClient:
        """Return a client signed in as the role by token or session (none for visitors)."""
        person = self.people[role]
        return session_client(person) if auth == "session" else token_client(person)

    def page_client(self, role: str) -> Client:
        """Return a browser-like client signed in as the role (none for visitors)."""
        client = Client()
        person = self.people[role]
        if person is not None:
            client.force_login(person)
        return client


def token_client(person: User | None) -> APIClient:
    """Return a client that authenticates with a new API token of the person."""
    client = APIClient()
    if person is not None:
        # Straight from knox, so that even accounts the services refuse a token can be tried.
        _token, key = AuthToken.objects.create(user=person)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def session_client(person: User | None) -> APIClient:
    """Return a client with the person's website session that sends the CSRF token."""
    client = APIClient(enforce_csrf_checks=True)
    secret = "b" * 32
    client.cookies["csrftoken"] = secret
    client.credentials(HTTP_X_CSRFTOKEN=secret)
    if person is not None:
        client.force_login(person)
    return client


@pytest.fixture
def world(db) -> World:
    organisation = OrganisationFactory(name="ECLAC", slug="eclac", acronym="ECLAC")
    member = MembershipFactory(organisation=organisation).person
    org_admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).person
    facilitator = UserFactory()
    partnership = PartnershipFactory(
        title="EU-LAC Digital Alliance",
        slug="eu-lac-digital-alliance",
        facilitators=[facilitator],
        organisations=[organisation],
    )
    return World(
        organisation=organisation,
        partnership=partnership,
        people={
            "visitor": None,
            "stranger": UserFactory(),
            "member": member,
            "org_admin": org_admin,
            "facilitator": facilitator,
            "platform_admin": AdminFactory(),
        },
    )


def assert_error(response, status: int, field: str | None = None) -> None:
    """Assert a JSON error in the API format; when given, that it names the field."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["errors"], body
    if field is not None:
        assert field in [error["field"] for error in body["errors"]], body
