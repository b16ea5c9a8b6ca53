from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from puente.dialogues.models import Dialogue
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation
from tests.accounts.factories import AdminFactory, UserFactory
from tests.dialogues.factories import DialogueFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

# outsider: active member of an organisation that is not a member of the partnership.
ROLES = ["visitor", "stranger", "outsider", "member", "facilitator", "admin"]


@dataclass
class World:
    """A partnership with a member organisation, its dialogues, and one person per role."""

    partnership: Partnership
    members_only: Partnership
    organisation: Organisation
    other_organisation: Organisation
    dialogue: Dialogue  # for members, public partnership
    open_dialogue: Dialogue  # any signed-in person, public partnership
    hidden_dialogue: Dialogue  # in the members-only partnership
    people: Mapping[str, object]

    def person(self, role):
        """Return the person playing the role; None for a visitor."""
        return self.people.get(role)


@pytest.fixture
def world(db):
    organisation = OrganisationFactory(name="ECLAC", country="CL", region="LAC")
    other_organisation = OrganisationFactory(
        name="Fraunhofer", country="DE", region="EU", stakeholder_type="academia"
    )
    member = UserFactory(name="Mia Member", country="BR")
    MembershipFactory(person=member, organisation=organisation)
    outsider = UserFactory(name="Otto Outsider", country="DE")
    MembershipFactory(person=outsider, organisation=other_organisation)
    facilitator = UserFactory(name="Fiona Facilitator")
    partnership = PartnershipFactory(
        title="EU-LAC Digital Alliance",
        slug="eu-lac-digital-alliance",
        facilitators=[facilitator],
        organisations=[organisation],
    )
    members_only = PartnershipFactory(
        title="Copernicus LAC",
        slug="copernicus-lac",
        visibility=Partnership.Visibility.MEMBERS,
        facilitators=[facilitator],
        organisations=[organisation],
    )
    return World(
        partnership=partnership,
        members_only=members_only,
        organisation=organisation,
        other_organisation=other_organisation,
        dialogue=DialogueFactory(
            partnership=partnership, title="Shared priorities", slug="shared-priorities"
        ),
        open_dialogue=DialogueFactory(
            partnership=partnership,
            title="Open consultation",
            slug="open-consultation",
            participation=Dialogue.Audience.SIGNED_IN,
        ),
        hidden_dialogue=DialogueFactory(
            partnership=members_only, title="Hidden satellites", slug="hidden-satellites"
        ),
        people={
            "stranger": UserFactory(name="Sam Stranger", country="MX"),
            "outsider": outsider,
            "member": member,
            "facilitator": facilitator,
            "admin": AdminFactory(name="Ada Admin"),
        },
    )


@pytest.fixture
def client_as(client):
    """Return a test client signed in as the person (or anonymous for None)."""

    def _client_as(person):
        if person is not None:
            client.force_login(person)
        return client

    return _client_as
