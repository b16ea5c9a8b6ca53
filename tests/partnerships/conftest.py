from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from puente.partnerships.models import Partnership
from puente.stakeholders.models import Membership
from tests.accounts.factories import AdminFactory, UserFactory
from tests.partnerships.factories import PartnershipFactory, PartnershipJoinRequestFactory
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


JOIN_ROLES = [
    "visitor",
    "person",
    "outsider_admin",
    "member_admin",
    "facilitator",
    "platform_admin",
]


@dataclass
class JoinWorld:
    """A public partnership with one member organisation, an organisation outside it and its
    pending request to join, and one person per role."""

    partnership: Partnership
    member_organisation: object
    outsider: object
    pending: object
    people: Mapping[str, object]

    def person(self, role):
        """Return the person playing the role; None for a visitor."""
        return self.people.get(role)

    def organisation_of(self, role):
        """Return the organisation the role would ask for: its own, else the outsider."""
        return self.member_organisation if role == "member_admin" else self.outsider


@pytest.fixture
def join_world(db):
    return make_join_world()


def make_join_world():
    """Build the JoinWorld (the api tests share it)."""
    member_organisation = OrganisationFactory(name="Red Andina")
    outsider = OrganisationFactory(name="Observatorio Digital")
    people = {
        "person": UserFactory(name="Pat Person"),
        "outsider_admin": UserFactory(name="Olga Outsider"),
        "member_admin": UserFactory(name="Marta Member"),
        "facilitator": UserFactory(name="Fiona Facilitator"),
        "platform_admin": AdminFactory(name="Ada Admin"),
    }
    MembershipFactory(
        person=people["outsider_admin"], organisation=outsider, role=Membership.Role.ADMIN
    )
    MembershipFactory(
        person=people["member_admin"],
        organisation=member_organisation,
        role=Membership.Role.ADMIN,
    )
    partnership = PartnershipFactory(
        title="EU-LAC Digital Alliance",
        slug="eu-lac-digital-alliance",
        facilitators=[people["facilitator"]],
        organisations=[member_organisation],
    )
    return JoinWorld(
        partnership=partnership,
        member_organisation=member_organisation,
        outsider=outsider,
        pending=PartnershipJoinRequestFactory(
            partnership=partnership, organisation=outsider, requested_by=people["outsider_admin"]
        ),
        people=people,
    )
