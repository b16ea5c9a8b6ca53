from dataclasses import dataclass
from typing import Any

import pytest

from puente.dialogues.models import Dialogue, Phase, ResultSnapshot
from puente.stakeholders.models import Membership
from tests.accounts.factories import UserFactory
from tests.agenda.factories import snapshot_create
from tests.dialogues.conftest import World, client_as, world  # noqa: F401  # shared fixtures
from tests.dialogues.factories import StatementFactory
from tests.stakeholders.factories import MembershipFactory

# org_admin: admin of a member organisation of the partnership; outsider_admin: admin of an
# organisation that is not a member.
ROLES = [
    "visitor",
    "stranger",
    "outsider",
    "member",
    "org_admin",
    "outsider_admin",
    "facilitator",
    "admin",
]


@dataclass
class AgendaWorld:
    world: World
    dialogue: Dialogue
    statements: list[Any]
    snapshot: ResultSnapshot

    def person(self, role):
        if role == "org_admin":
            return self.org_admin
        if role == "outsider_admin":
            return self.outsider_admin
        return self.world.person(role)

    org_admin: object = None
    outsider_admin: object = None


@pytest.fixture
def agenda_world(world):  # noqa: F811  # the fixture above
    dialogue = world.dialogue
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=Phase.PRIORITISE)
    dialogue.refresh_from_db()
    statements = [
        StatementFactory(dialogue=dialogue, text=f"Priority {n}: act on it.", language="en")
        for n in range(1, 7)
    ]
    statements[1].language = "es"
    statements[1].text = "Prioridad 2: conectar escuelas."
    statements[1].save()
    snapshot = snapshot_create(dialogue, statements)
    org_admin = UserFactory(name="Olga OrgAdmin")
    MembershipFactory(person=org_admin, organisation=world.organisation, role=Membership.Role.ADMIN)
    outsider_admin = UserFactory(name="Oscar OutsiderAdmin")
    MembershipFactory(
        person=outsider_admin, organisation=world.other_organisation, role=Membership.Role.ADMIN
    )
    return AgendaWorld(
        world=world,
        dialogue=dialogue,
        statements=statements,
        snapshot=snapshot,
        org_admin=org_admin,
        outsider_admin=outsider_admin,
    )
