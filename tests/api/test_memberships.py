import pytest
from django.core import mail
from rest_framework.test import APIClient

from puente.stakeholders.models import Invitation, Membership
from tests.accounts.factories import UserFactory
from tests.api.conftest import ROLES, assert_error, token_client
from tests.stakeholders.factories import InvitationFactory, MembershipFactory, OrganisationFactory

LIST_URL = "/api/v1/memberships/"
INVITATIONS_URL = "/api/v1/invitations/"
ACCEPT_URL = "/api/v1/invitations/accept/"


def membership_url(membership: Membership, action: str = "") -> str:
    return f"/api/v1/memberships/{membership.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def applicant_request(world) -> Membership:
    """A pending request to join the world's organisation."""
    return MembershipFactory(organisation=world.organisation, status=Membership.Status.PENDING)


def membership_of(world, role: str) -> Membership:
    return Membership.objects.get(person=world.people[role], organisation=world.organisation)


# List


def test_a_signed_in_person_lists_only_their_own_memberships(world):
    MembershipFactory(person=world.people["member"])
    response = world.client("member").get(LIST_URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 2
    assert {row["person"]["id"] for row in rows} == {world.people["member"].pk}


def test_visitors_get_401_for_memberships():
    response = APIClient().get(LIST_URL)
    assert_error(response, 401)
    assert response["WWW-Authenticate"] == "Token"


LIST_ORGANISATION_STATUS = {
    "visitor": 401,
    "stranger": 403,
    "member": 403,
    "org_admin": 200,
    "facilitator": 403,
    "platform_admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_list_an_organisations_memberships(world, applicant_request, role):
    response = world.client(role).get(f"{LIST_URL}?organisation=eclac")
    assert response.status_code == LIST_ORGANISATION_STATUS[role], response.content
    if response.status_code == 200:
        assert response.json()["count"] == 3


def test_admins_filter_pending_requests(world, applicant_request):
    response = world.client("org_admin").get(f"{LIST_URL}?organisation=eclac&status=pending")
    [row] = response.json()["results"]
    assert row["id"] == applicant_request.pk
    assert row["status"] == "pending"


def test_memberships_order_on_request(world, applicant_request):
    response = world.client("org_admin").get(f"{LIST_URL}?organisation=eclac&ordering=-created_at")
    assert response.json()["results"][0]["id"] == applicant_request.pk


@pytest.mark.parametrize(
    ("query", "field"),
    [("organisation=nobody", "organisation"), ("status=maybe", "status"), ("role=king", "role")],
)
def test_bad_membership_filters_answer_400(world, query, field):
    assert_error(world.client("org_admin").get(f"{LIST_URL}?{query}"), 400, field)


@pytest.mark.django_db
@pytest.mark.parametrize("n_rows", [5, 30])
def test_list_costs_a_fixed_number_of_queries(django_assert_max_num_queries, n_rows):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    MembershipFactory.create_batch(n_rows, organisation=admin.organisation)
    for _index in range(n_rows):
        MembershipFactory(person=admin.person)
    client = token_client(admin.person)
    with django_assert_max_num_queries(5):
        response = client.get(f"{LIST_URL}?organisation={admin.organisation.slug}")
    assert response.json()["count"] == n_rows + 1
    with django_assert_max_num_queries(3):
        response = client.get(LIST_URL)
    assert response.json()["count"] == n_rows + 1


# Request to join


@pytest.mark.parametrize("role", ROLES)
def test_request_to_join_permissions(world, role):
    OrganisationFactory(slug="redclara")
    response = world.client(role).post(LIST_URL, {"organisation": "redclara"}, format="json")
    expected = 401 if role == "visitor" else 201
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["status"] == "pending"
        assert response.json()["role"] == "member"
    assert Membership.objects.filter(organisation__slug="redclara").count() == (expected == 201)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "organisation"),
        ({"organisation": "nobody"}, "organisation"),
        ({"organisation": 7}, "organisation"),
        ({"organisation": ["eclac"]}, "organisation"),
        ({"organisation": "eclac"}, "organisation"),
    ],
    ids=["missing", "unknown", "number", "list", "already-member"],
)
def test_request_to_join_refuses_bad_input(world, body, field):
    before = Membership.objects.count()
    response = world.client("member").post(LIST_URL, body, format="json")
    assert_error(response, 400, field)
    assert Membership.objects.count() == before


# Approve and decline


DECIDE_STATUS = {
    "visitor": 401,
    "stranger": 404,
    "member": 404,
    "org_admin": 200,
    "facilitator": 404,
    "platform_admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_approve_permissions(world, applicant_request, role):
    response = world.client(role).post(membership_url(applicant_request, "approve"))
    assert response.status_code == DECIDE_STATUS[role], response.content
    applicant_request.refresh_from_db()
    assert applicant_request.is_active == (DECIDE_STATUS[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_decline_permissions(world, applicant_request, role):
    response = world.client(role).post(membership_url(applicant_request, "decline"))
    expected = 204 if DECIDE_STATUS[role] == 200 else DECIDE_STATUS[role]
    assert response.status_code == expected, response.content
    assert Membership.objects.filter(pk=applicant_request.pk).exists() == (expected != 204)


def test_applicants_cannot_approve_themselves(applicant_request):
    response = token_client(applicant_request.person).post(
        membership_url(applicant_request, "approve")
    )
    assert_error(response, 403)
    applicant_request.refresh_from_db()
    assert not applicant_request.is_active


@pytest.mark.parametrize("action", ["approve", "decline"])
def test_deciding_an_active_membership_answers_400(world, action):
    member = membership_of(world, "member")
    response = world.client("org_admin").post(membership_url(member, action))
    assert_error(response, 400, "membership")
    assert Membership.objects.filter(pk=member.pk, status="active").exists()


@pytest.mark.parametrize("action", ["approve", "decline", "role", ""])
def test_unknown_membership_ids_answer_404(world, action):
    client = world.client("platform_admin")
    url = "/api/v1/memberships/999999/" + (f"{action}/" if action else "")
    response = client.delete(url) if not action else client.post(url, {"role": "admin"})
    assert_error(response, 404)


# Roles


ROLE_STATUS = {
    "visitor": 401,
    "stranger": 404,
    "member": 403,
    "org_admin": 200,
    "facilitator": 404,
    "platform_admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_role_set_permissions(world, role):
    target = membership_of(world, "member")
    response = world.client(role).post(membership_url(target, "role"), {"role": "admin"})
    assert response.status_code == ROLE_STATUS[role], response.content
    target.refresh_from_db()
    assert (target.role == "admin") == (ROLE_STATUS[role] == 200)


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "role"), ({"role": "king"}, "role"), ({"role": ["admin"]}, "role")],
)
def test_role_set_refuses_bad_input(world, body, field):
    target = membership_of(world, "member")
    response = world.client("org_admin").post(membership_url(target, "role"), body, format="json")
    assert_error(response, 400, field)
    target.refresh_from_db()
    assert target.role == "member"


def test_the_last_admin_cannot_step_down(world):
    admin = membership_of(world, "org_admin")
    response = world.client("org_admin").post(membership_url(admin, "role"), {"role": "member"})
    assert_error(response, 400, "role")
    admin.refresh_from_db()
    assert admin.role == "admin"


def test_a_pending_request_gets_no_role(world, applicant_request):
    response = world.client("org_admin").post(
        membership_url(applicant_request, "role"), {"role": "admin"}
    )
    assert_error(response, 400, "role")


# Remove and leave


REMOVE_STATUS = {
    "visitor": 401,
    "stranger": 404,
    "member": 204,
    "org_admin": 204,
    "facilitator": 404,
    "platform_admin": 204,
}


@pytest.mark.parametrize("role", ROLES)
def test_remove_permissions(world, role):
    target = membership_of(world, "member")
    response = world.client(role).delete(membership_url(target))
    assert response.status_code == REMOVE_STATUS[role], response.content
    assert Membership.objects.filter(pk=target.pk).exists() == (REMOVE_STATUS[role] != 204)


def test_applicants_withdraw_their_request(applicant_request):
    response = token_client(applicant_request.person).delete(membership_url(applicant_request))
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=applicant_request.pk).exists()


def test_a_member_cannot_remove_another_member(world):
    other = MembershipFactory(organisation=world.organisation)
    response = world.client("member").delete(membership_url(other))
    assert_error(response, 404)
    assert Membership.objects.filter(pk=other.pk).exists()


def test_the_last_admin_cannot_leave(world):
    admin = membership_of(world, "org_admin")
    response = world.client("org_admin").delete(membership_url(admin))
    assert_error(response, 400, "membership")
    assert Membership.objects.filter(pk=admin.pk).exists()


# Invitations


INVITE_STATUS = {
    "visitor": 401,
    "stranger": 403,
    "member": 403,
    "org_admin": 201,
    "facilitator": 403,
    "platform_admin": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_invitation_create_permissions(world, role, django_capture_on_commit_callbacks):
    body = {"organisation": "eclac", "email": "New.Person@Example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(role).post(INVITATIONS_URL, body, format="json")
    assert response.status_code == INVITE_STATUS[role], response.content
    created = INVITE_STATUS[role] == 201
    assert Invitation.objects.filter(email="new.person@example.org").exists() == created
    assert len(mail.outbox) == int(created)
    if created:
        assert "token" not in response.json()
        invitation = Invitation.objects.get()
        assert f"http://testserver/organisations/invitations/{invitation.token}/" in (
            mail.outbox[0].body
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "a" * 250 + "@example.org"}, "email"),
        ({"email": ["a@example.org"]}, "email"),
        ({"organisation": "nobody"}, "organisation"),
        ({"organisation": None}, "organisation"),
        ({"role": "owner"}, "role"),
    ],
)
def test_invitation_create_refuses_bad_input(world, changes, field):
    body = {"organisation": "eclac", "email": "new@example.org", **changes}
    response = world.client("org_admin").post(INVITATIONS_URL, body, format="json")
    assert_error(response, 400, field)
    assert Invitation.objects.count() == 0


def test_invitation_create_refuses_members_and_people_already_invited(world):
    client = world.client("org_admin")
    member_email = world.people["member"].email
    body = {"organisation": "eclac", "email": member_email}
    assert_error(client.post(INVITATIONS_URL, body, format="json"), 400, "email")
    InvitationFactory(organisation=world.organisation, email="invited@example.org")
    body = {"organisation": "eclac", "email": "invited@example.org"}
    assert_error(client.post(INVITATIONS_URL, body, format="json"), 400, "email")
    assert Invitation.objects.count() == 1


def test_an_admin_of_another_organisation_cannot_invite(world):
    other_admin = MembershipFactory(role=Membership.Role.ADMIN).person
    body = {"organisation": "eclac", "email": "new@example.org"}
    assert_error(token_client(other_admin).post(INVITATIONS_URL, body, format="json"), 403)
    assert Invitation.objects.count() == 0


def test_the_invitee_accepts_and_becomes_an_active_member(world):
    invitee = UserFactory(email="invitee@example.org")
    invitation = InvitationFactory(
        organisation=world.organisation, email="invitee@example.org", role="admin"
    )
    response = token_client(invitee).post(ACCEPT_URL, {"token": invitation.token}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "active"
    assert body["role"] == "admin"
    assert body["organisation"]["slug"] == "eclac"


@pytest.mark.parametrize("role", ROLES)
def test_nobody_else_accepts_an_invitation(world, role):
    invitation = InvitationFactory(organisation=world.organisation, email="invitee@example.org")
    response = world.client(role).post(ACCEPT_URL, {"token": invitation.token}, format="json")
    assert_error(response, 401 if role == "visitor" else 403)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize(
    "body", [{}, {"token": "unknown"}, {"token": ["x"]}, {"token": None}, {"token": 5}]
)
def test_invitation_accept_refuses_bad_tokens(world, body):
    before = Membership.objects.count()
    response = world.client("stranger").post(ACCEPT_URL, body, format="json")
    assert_error(response, 400, "token")
    assert Membership.objects.count() == before


def test_an_invitation_works_once(world):
    invitee = UserFactory(email="invitee@example.org")
    invitation = InvitationFactory(organisation=world.organisation, email="invitee@example.org")
    client = token_client(invitee)
    assert client.post(ACCEPT_URL, {"token": invitation.token}, format="json").status_code == 200
    response = client.post(ACCEPT_URL, {"token": invitation.token}, format="json")
    assert_error(response, 400, "invitation")
