"""People in each role around one initiative, for the core tests (services, permissions,
selectors): the roles are those of tests/api/conftest.py, plus the admins of the accountable
and of an implementing organisation."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from puente.accounts.models import User
from puente.agenda.models import Agenda, AgendaItem, AgendaVersion
from puente.initiatives.models import Initiative, OrganisationRole
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Membership, Organisation
from tests.accounts.factories import AdminFactory, UserFactory
from tests.dialogues.factories import DialogueFactory
from tests.initiatives.factories import InitiativeFactory, ParticipantFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

# member: member of a member organisation; implementing_admin: admin of an organisation that
# implements the initiative; accountable_admin: admin of the organisation accountable for it.
ROLES = (
    "visitor",
    "stranger",
    "member",
    "implementing_admin",
    "accountable_admin",
    "facilitator",
    "platform_admin",
)


@dataclass
class InitiativeWorld:
    partnership: Partnership
    initiative: Initiative
    member_organisation: Organisation
    accountable: Organisation
    implementing: Organisation
    people: dict[str, User | None] = field(default_factory=dict)

    def person(self, role: str) -> User | None:
        return self.people[role]

    def viewer(self, role: str) -> User | AnonymousUser:
        """Return the person playing the role; an anonymous user for a visitor."""
        return self.people[role] or AnonymousUser()


def published_item(partnership: Partnership, *, published: bool = True) -> AgendaItem:
    """Return an agenda item of a (published or draft) version of a dialogue of the partnership."""
    dialogue = DialogueFactory(partnership=partnership)
    agenda = Agenda.objects.create(dialogue=dialogue, title="Joint agenda")
    version = AgendaVersion.objects.create(agenda=agenda)
    item = AgendaItem.objects.create(
        version=version,
        position=1,
        text={"en": "Connect research networks"},
        original_language="en",
    )
    if published:
        # As agenda_publish leaves it; items cannot be added to a published version.
        AgendaVersion.objects.filter(pk=version.pk).update(
            status=AgendaVersion.Status.PUBLISHED, number=1, published_at=timezone.now()
        )
    return AgendaItem.objects.get(pk=item.pk)


def initiative_world() -> InitiativeWorld:
    """Build the partnership, the initiative and one person per role."""
    member_organisation = OrganisationFactory()
    accountable = OrganisationFactory()
    implementing = OrganisationFactory()
    facilitator = UserFactory()
    partnership = PartnershipFactory(
        facilitators=[facilitator], organisations=[member_organisation]
    )
    initiative = InitiativeFactory(partnership=partnership)
    ParticipantFactory(
        initiative=initiative, organisation=accountable, role=OrganisationRole.ACCOUNTABLE
    )
    ParticipantFactory(
        initiative=initiative, organisation=implementing, role=OrganisationRole.IMPLEMENTING
    )
    admin_role = Membership.Role.ADMIN
    return InitiativeWorld(
        partnership=partnership,
        initiative=initiative,
        member_organisation=member_organisation,
        accountable=accountable,
        implementing=implementing,
        people={
            "visitor": None,
            "stranger": UserFactory(),
            "member": MembershipFactory(organisation=member_organisation).person,
            "implementing_admin": MembershipFactory(
                organisation=implementing, role=admin_role
            ).person,
            "accountable_admin": MembershipFactory(
                organisation=accountable, role=admin_role
            ).person,
            "facilitator": facilitator,
            "platform_admin": AdminFactory(),
        },
    )
