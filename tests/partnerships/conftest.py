from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from puente.partnerships.models import Partnership
from tests.accounts.factories import AdminFactory, UserFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

ROLES = ["visitor", "stranger", "member", "facilitator", "other_facilitator", "admin"]


@dataclass
class World:
    """Two partnerships on the same member organisation, and one person per role."""

    public: Partnership
    members_only: Partnership
    other: Partnership
    people: Mapping[str, object]
    organisation: object

    def person(self, role):
        """Return the person playing the role; None for a visitor."""
        return self.people.get(role)


@pytest.fixture
def world(db):
    organisation = OrganisationFactory()
    facilitator = UserFactory(name="Fiona Facilitator")
    other_facilitator = UserFactory(name="Oscar Other")
    member = UserFactory(name="Mia Member")
    MembershipFactory(person=member, organisation=organisation)
    people = {
        "stranger": UserFactory(name="Sam Stranger"),
        "member": member,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "admin": AdminFactory(name="Ada Admin"),
    }
    return World(
        public=PartnershipFactory(
            title="EU-LAC Digital Alliance",
            slug="eu-lac-digital-alliance",
            facilitators=[facilitator],
            organisations=[organisation],
        ),
        members_only=PartnershipFactory(
            title="Copernicus LAC",
            slug="copernicus-lac",
            visibility=Partnership.Visibility.MEMBERS,
            facilitators=[facilitator],
            organisations=[organisation],
        ),
        other=PartnershipFactory(
            title="Digital Accelerator",
            slug="digital-accelerator",
            visibility=Partnership.Visibility.MEMBERS,
            facilitators=[other_facilitator],
        ),
        people=people,
        organisation=organisation,
    )


@pytest.fixture
def client_as(client):
    """Return a test client signed in as the person (or anonymous for None)."""

    def _client_as(person):
        if person is not None:
            client.force_login(person)
        return client

    return _client_as
