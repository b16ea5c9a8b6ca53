"""Who may do what with an initiative: one role x action table, asked of the predicates."""

import pytest

from puente.initiatives.models import OrganisationRole, Visibility
from puente.initiatives.permissions import (
    can_create_initiative,
    can_delete_initiative,
    can_edit_initiative,
    can_manage_pledges,
    can_view_initiative,
    is_partnership_member,
)
from puente.partnerships.models import Partnership
from tests.initiatives.factories import ParticipantFactory
from tests.initiatives.worlds import ROLES, initiative_world
from tests.stakeholders.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ALL = frozenset(ROLES)
MANAGERS = frozenset({"facilitator", "platform_admin"})
# Written out: this is the specification.
ALLOWED: dict[str, frozenset[str]] = {
    "view_public": ALL,
    "view_members_only": frozenset({"member", "facilitator", "platform_admin"}),
    "create": MANAGERS,
    "edit": MANAGERS | {"accountable_admin"},
    "delete": MANAGERS,
    "manage_pledges": MANAGERS,
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_the_table(role):
    world = initiative_world()
    viewer = world.viewer(role)
    initiative = world.initiative
    hidden = type(initiative).objects.get(pk=initiative.pk)
    hidden.visibility = Visibility.MEMBERS
    allowed = {
        "view_public": can_view_initiative(viewer, initiative),
        "view_members_only": can_view_initiative(viewer, hidden),
        "create": can_create_initiative(viewer, world.partnership),
        "edit": can_edit_initiative(viewer, initiative),
        "delete": can_delete_initiative(viewer, initiative),
        "manage_pledges": can_manage_pledges(viewer, world.partnership),
    }
    assert {action for action, yes in allowed.items() if yes} == {
        action for action, roles in ALLOWED.items() if role in roles
    }


def test_a_member_of_the_accountable_organisation_who_is_not_its_admin_may_not_edit():
    world = initiative_world()
    member = MembershipFactory(organisation=world.accountable).person

    assert not can_edit_initiative(member, world.initiative)


def test_the_admin_of_a_funding_organisation_may_not_edit():
    world = initiative_world()
    ParticipantFactory(
        initiative=world.initiative, organisation=world.implementing, role=OrganisationRole.FUNDING
    )

    assert not can_edit_initiative(world.viewer("implementing_admin"), world.initiative)


def test_an_accountable_admin_edits_only_the_initiative_they_are_accountable_for():
    world = initiative_world()
    other = initiative_world()

    assert can_edit_initiative(world.viewer("accountable_admin"), world.initiative)
    assert not can_edit_initiative(world.viewer("accountable_admin"), other.initiative)


def test_nobody_but_members_sees_initiatives_of_a_members_only_partnership():
    world = initiative_world()
    Partnership.objects.filter(pk=world.partnership.pk).update(
        visibility=Partnership.Visibility.MEMBERS
    )
    initiative = type(world.initiative).objects.get(pk=world.initiative.pk)

    seen = {role for role in ROLES if can_view_initiative(world.viewer(role), initiative)}

    assert seen == {"member", "facilitator", "platform_admin"}


def test_partnership_members_are_its_facilitators_and_members_of_its_organisations():
    world = initiative_world()

    members = {
        role for role in ROLES if is_partnership_member(world.viewer(role), world.partnership)
    }

    assert members == {"member", "facilitator"}
