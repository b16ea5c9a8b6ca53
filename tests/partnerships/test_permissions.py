"""Who may do what with a partnership, role by action."""

import pytest
from django.contrib.auth.models import AnonymousUser

from puente.partnerships.permissions import (
    can_create_partnership,
    can_edit_partnership,
    can_manage_partnership_members,
    can_view_partnership,
    is_facilitator,
)
from puente.partnerships.selectors import partnership_get
from tests.accounts.factories import UserFactory
from tests.partnerships.conftest import ROLES
from tests.stakeholders.factories import MembershipFactory

pytestmark = pytest.mark.django_db

# role: (view public, view members-only, edit, manage members, create)
ALLOWED = {
    "visitor": (True, False, False, False, False),
    "stranger": (True, False, False, False, False),
    "member": (True, True, False, False, False),
    "facilitator": (True, True, True, True, False),
    "other_facilitator": (True, False, False, False, False),
    "admin": (True, True, True, True, True),
}


def _viewer(world, role):
    return world.person(role) or AnonymousUser()


@pytest.mark.parametrize("role", ROLES)
def test_viewing_a_public_partnership(world, role):
    assert can_view_partnership(_viewer(world, role), world.public) is ALLOWED[role][0]


@pytest.mark.parametrize("role", ROLES)
def test_viewing_a_members_only_partnership(world, role):
    assert can_view_partnership(_viewer(world, role), world.members_only) is ALLOWED[role][1]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["public", "members_only"])
def test_editing(world, role, which):
    partnership = getattr(world, which)
    assert can_edit_partnership(_viewer(world, role), partnership) is ALLOWED[role][2]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["public", "members_only"])
def test_managing_organisations_and_facilitators(world, role, which):
    partnership = getattr(world, which)
    assert can_manage_partnership_members(_viewer(world, role), partnership) is ALLOWED[role][3]


@pytest.mark.parametrize("role", ROLES)
def test_opening_a_partnership(world, role):
    assert can_create_partnership(_viewer(world, role)) is ALLOWED[role][4]


def test_a_pending_member_does_not_see_a_members_only_partnership(world):
    applicant = UserFactory()
    MembershipFactory(person=applicant, organisation=world.organisation, status="pending")

    assert not can_view_partnership(applicant, world.members_only)


def test_an_inactive_facilitator_is_no_facilitator(world):
    facilitator = world.person("facilitator")
    facilitator.is_active = False

    assert not is_facilitator(facilitator, world.public)
    assert not can_edit_partnership(facilitator, world.public)


def test_is_facilitator_answers_from_prefetched_facilitators_without_a_query(
    world, django_assert_num_queries
):
    partnership = partnership_get(slug=world.public.slug, viewer=AnonymousUser())

    with django_assert_num_queries(0):
        assert is_facilitator(world.person("facilitator"), partnership)
        assert not is_facilitator(world.person("other_facilitator"), partnership)
