"""Who may do what with a partnership, role by action."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from puente.partnerships.models import PartnershipJoinRequest
from puente.partnerships.permissions import (
    can_create_partnership,
    can_decide_join_request,
    can_edit_partnership,
    can_manage_partnership_members,
    can_request_partnership_join,
    can_view_partnership,
    can_withdraw_join_request,
    is_facilitator,
)
from puente.partnerships.selectors import join_request_list, partnership_get
from tests.accounts.factories import UserFactory
from tests.partnerships.conftest import JOIN_ROLES, ROLES
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


# Requests to join: action -> the roles allowed, for join_world's pending request (or, to
# ask, for the organisation the role would ask for: its own, or the outsider).
JOIN_ALLOWED: dict[str, frozenset[str]] = {
    "ask": frozenset({"outsider_admin"}),
    "approve": frozenset({"facilitator", "platform_admin"}),
    "decline": frozenset({"facilitator", "platform_admin"}),
    "withdraw": frozenset({"outsider_admin"}),
    "see requests": frozenset({"outsider_admin", "facilitator", "platform_admin"}),
}

JOIN_PREDICATES = {
    "ask": lambda world, viewer, role: can_request_partnership_join(
        viewer, world.partnership, world.organisation_of(role)
    ),
    "approve": lambda world, viewer, role: can_decide_join_request(viewer, world.pending),
    "decline": lambda world, viewer, role: can_decide_join_request(viewer, world.pending),
    "withdraw": lambda world, viewer, role: can_withdraw_join_request(viewer, world.pending),
    "see requests": lambda world, viewer, role: (
        join_request_list(partnership=world.partnership, viewer=viewer)
        .filter(pk=world.pending.pk)
        .exists()
    ),
}


@pytest.mark.parametrize("action", sorted(JOIN_ALLOWED))
@pytest.mark.parametrize("role", JOIN_ROLES)
def test_join_request_predicates_allow_exactly_the_roles_in_the_table(join_world, role, action):
    if action == "ask":
        join_world.pending.delete()
    viewer = join_world.person(role) or AnonymousUser()

    assert JOIN_PREDICATES[action](join_world, viewer, role) is (role in JOIN_ALLOWED[action])


def _join_url(name, world, **kwargs):
    return reverse(f"partnerships:{name}", kwargs={"slug": world.partnership.slug, **kwargs})


def _page_does(client, world, role, action):
    """Do the action through the pages; return whether it took effect (or was shown)."""
    pending = world.pending
    if action == "ask":
        pending.delete()
        client.post(
            _join_url("join-request-create", world),
            {"organisation": world.organisation_of(role).pk, "message": ""},
        )
        return PartnershipJoinRequest.objects.exists()
    if action == "see requests":
        listing = client.get(_join_url("join-request-list", world))
        page = client.get(world.partnership.get_absolute_url())
        return (listing.status_code == 200 and "Observatorio Digital" in listing.text) or (
            "Observatorio Digital" in page.text
        )
    data = {"reason": "Not now."} if action == "decline" else {}
    client.post(_join_url(f"join-request-{action}", world, pk=pending.pk), data)
    pending.refresh_from_db()
    return not pending.is_pending


@pytest.mark.parametrize("action", sorted(JOIN_ALLOWED))
@pytest.mark.parametrize("role", JOIN_ROLES)
def test_join_request_pages_allow_exactly_the_roles_in_the_table(client, join_world, role, action):
    person = join_world.person(role)
    if person is not None:
        client.force_login(person)

    assert _page_does(client, join_world, role, action) is (role in JOIN_ALLOWED[action])
