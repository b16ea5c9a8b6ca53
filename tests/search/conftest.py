from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from puente.agenda.models import Agenda, AgendaItem, AgendaVersion
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Membership
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import DialogueFactory, StatementFactory
from tests.initiatives.factories import InitiativeFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory


def agenda_publish(dialogue: Any, texts: dict[str, str], *, title: str = "Joint agenda") -> Any:
    """Create an agenda whose first version, holding one item, is published."""
    agenda = Agenda.objects.create(dialogue=dialogue, title=title)
    version = AgendaVersion.objects.create(agenda=agenda)
    item = AgendaItem.objects.create(
        version=version, position=1, text=texts, original_language=next(iter(texts))
    )
    version.status = AgendaVersion.Status.PUBLISHED
    version.number = 1
    version.published_at = timezone.now()
    version.save()
    return item


@dataclass
class SearchWorld:
    member: Any
    outsider: Any
    eclac: Any
    closed: Any


@pytest.fixture
def search_world(db) -> SearchWorld:
    """ECLAC with its Spanish names, and a members-only partnership holding one of each kind."""
    eclac = OrganisationFactory(
        name="Economic Commission for Latin America and the Caribbean",
        acronym="ECLAC",
        also_known_as="CEPAL, CEPALC",
        description="A regional commission of the United Nations.",
    )
    closed = PartnershipFactory(
        title="Observação da Terra confidencial",
        description="Trabalho reservado aos membros.",
        visibility=Partnership.Visibility.MEMBERS,
        organisations=[eclac],
    )
    member = UserFactory()
    MembershipFactory(person=member, organisation=eclac, status=Membership.Status.ACTIVE)
    dialogue = DialogueFactory(partnership=closed, title="Diálogo sobre observação")
    StatementFactory(dialogue=dialogue, text="Satélites de observação para a Amazônia")
    agenda_publish(dialogue, {"pt": "Prioridade: observação costeira"})
    InitiativeFactory(
        partnership=closed, title="Centro de observação", visibility="members", language="pt"
    )
    return SearchWorld(member=member, outsider=UserFactory(), eclac=eclac, closed=closed)
