"""Who may do what: the same role x action table, asked of the predicates and of the pages."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from puente.stakeholders.models import Invitation, Membership
from puente.stakeholders.permissions import (
    can_accept_invitation,
    can_create_organisation,
    can_edit_organisation,
    can_leave_organisation,
    can_manage_members,
    can_request_membership,
    can_verify_organisation,
    is_organisation_admin,
)
from tests.accounts.factories import UserFactory
from tests.stakeholders.conftest import ROLES, World
from tests.stakeholders.factories import InvitationFactory

ALL = frozenset(ROLES)
MANAGERS = frozenset({"org_admin", "platform_admin"})

# action -> the roles allowed to do it to world.organisation
ALLOWED: dict[str, frozenset[str]] = {
    "view": ALL,
    "edit": MANAGERS,
    "manage members": MANAGERS,
    "approve request": MANAGERS,
    "invite": MANAGERS,
    "verify": frozenset({"platform_admin"}),
    "request to join": frozenset({"stranger", "other_admin", "platform_admin"}),
    "leave": frozenset({"pending", "member", "org_admin"}),
}


def _viewer(world: World, role: str):
    return world.person(role) or AnonymousUser()


def _membership(world: World, role: str) -> Membership | None:
    person = world.person(role)
    if person is None:
        return None
    return Membership.objects.filter(person=person, organisation=world.organisation).first()


PREDICATES: dict[str, Callable[[World, str], bool]] = {
    "edit": lambda world, role: can_edit_organisation(_viewer(world, role), world.organisation),
    "manage members": lambda world, role: can_manage_members(
        _viewer(world, role), world.organisation
    ),
    "approve request": lambda world, role: can_manage_members(
        _viewer(world, role), world.pending_request.organisation
    ),
    "invite": lambda world, role: can_manage_members(_viewer(world, role), world.organisation),
    "verify": lambda world, role: can_verify_organisation(_viewer(world, role)),
    "request to join": lambda world, role: can_request_membership(
        _viewer(world, role), world.organisation
    ),
    "leave": lambda world, role: (
        (membership := _membership(world, role)) is not None
        and can_leave_organisation(_viewer(world, role), membership)
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(PREDICATES))
@pytest.mark.parametrize("role", ROLES)
def test_predicate_allows_exactly_the_roles_in_the_table(world, role, action):
    assert PREDICATES[action](world, role) is (role in ALLOWED[action])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [(role, role in {"org_admin"}) for role in ROLES],
)
def test_only_active_admins_count_as_organisation_admins(world, role, expected):
    assert is_organisation_admin(_viewer(world, role), world.organisation) is expected


@pytest.mark.django_db
def test_an_inactive_account_may_do_nothing(world):
    admin = world.person("org_admin")
    admin.is_active = False
    admin.save()
    assert not can_edit_organisation(admin, world.organisation)
    assert not can_create_organisation(admin)
    assert not can_request_membership(admin, world.other)


@pytest.mark.django_db
def test_only_the_addressee_may_accept_an_invitation():
    invitation = InvitationFactory(email="Guest@Example.org")
    assert can_accept_invitation(UserFactory(email="guest@example.org"), invitation)
    assert not can_accept_invitation(UserFactory(), invitation)
    assert not can_accept_invitation(AnonymousUser(), invitation)


# The same table, enforced by the pages: status code and what changed in the database.

NEW_EMAIL = "newcomer@example.org"


def _edit(client: Client, world: World):
    url = reverse("stakeholders:organisation-edit", kwargs={"slug": world.organisation.slug})
    response = client.post(
        url,
        {
            "name": world.organisation.name,
            "acronym": world.organisation.acronym,
            "stakeholder_type": world.organisation.stakeholder_type,
            "country": "CL",
            "region": "LAC",
            "description": "Edited.",
        },
    )
    world.organisation.refresh_from_db()
    return response, world.organisation.description == "Edited."


def _view(client: Client, world: World):
    response = client.get(world.organisation.get_absolute_url())
    return response, response.status_code == 200


def _manage(client: Client, world: World):
    url = reverse("stakeholders:member-list", kwargs={"slug": world.organisation.slug})
    response = client.get(url)
    return response, response.status_code == 200


def _approve(client: Client, world: World):
    request = world.pending_request
    url = reverse(
        "stakeholders:membership-approve",
        kwargs={"slug": world.organisation.slug, "pk": request.pk},
    )
    response = client.post(url)
    request.refresh_from_db()
    return response, request.status == Membership.Status.ACTIVE


def _invite(client: Client, world: World):
    url = reverse("stakeholders:invitation-create", kwargs={"slug": world.organisation.slug})
    response = client.post(url, {"email": NEW_EMAIL, "role": "member"})
    return response, Invitation.objects.filter(email=NEW_EMAIL).exists()


def _verify(client: Client, world: World):
    url = reverse("stakeholders:organisation-verify", kwargs={"slug": world.organisation.slug})
    response = client.post(url, {"is_verified": "on"})
    world.organisation.refresh_from_db()
    return response, world.organisation.is_verified


def _join(client: Client, world: World, person):
    before = Membership.objects.filter(organisation=world.organisation).count()
    url = reverse("stakeholders:membership-request", kwargs={"slug": world.organisation.slug})
    response = client.post(url)
    after = Membership.objects.filter(organisation=world.organisation).count()
    return response, after == before + 1


def _leave(client: Client, world: World, person):
    before = Membership.objects.filter(organisation=world.organisation).count()
    url = reverse("stakeholders:membership-leave", kwargs={"slug": world.organisation.slug})
    response = client.post(url)
    after = Membership.objects.filter(organisation=world.organisation).count()
    return response, after == before - 1


ACTIONS = {
    "view": lambda client, world, person: _view(client, world),
    "edit": lambda client, world, person: _edit(client, world),
    "manage members": lambda client, world, person: _manage(client, world),
    "approve request": lambda client, world, person: _approve(client, world),
    "invite": lambda client, world, person: _invite(client, world),
    "verify": lambda client, world, person: _verify(client, world),
    "request to join": _join,
    "leave": _leave,
}

SUCCESS_STATUS = {"view": 200, "manage members": 200}


def _denied_status(role: str, action: str) -> int:
    if role == "visitor":
        return 302  # to the log-in page
    if action == "request to join":
        return 400  # already a member or already asked
    if action == "leave":
        return 404  # no membership to leave
    return 403


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_page_allows_exactly_the_roles_in_the_table(client, world, role, action):
    person = world.person(role)
    if person is not None:
        client.force_login(person)
    response, changed = ACTIONS[action](client, world, person)
    if role in ALLOWED[action]:
        assert changed
        assert response.status_code == SUCCESS_STATUS.get(action, 302)
    else:
        assert not changed
        assert response.status_code == _denied_status(role, action)
        if role == "visitor":
            assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_managers_see_the_administration_buttons(client, world, role):
    person = world.person(role)
    if person is not None:
        client.force_login(person)
    html = client.get(world.organisation.get_absolute_url()).content.decode()
    slug = world.organisation.slug
    assert (reverse("stakeholders:organisation-edit", kwargs={"slug": slug}) in html) is (
        role in ALLOWED["edit"]
    )
    assert (reverse("stakeholders:member-list", kwargs={"slug": slug}) in html) is (
        role in ALLOWED["manage members"]
    )
    assert (reverse("stakeholders:organisation-verify", kwargs={"slug": slug}) in html) is (
        role in ALLOWED["verify"]
    )
    assert (reverse("stakeholders:membership-request", kwargs={"slug": slug}) in html) is (
        role in ALLOWED["request to join"]
    )
    assert (reverse("stakeholders:membership-leave", kwargs={"slug": slug}) in html) is (
        role in ALLOWED["leave"]
    )
