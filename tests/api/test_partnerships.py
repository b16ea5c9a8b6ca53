import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from puente.partnerships.models import FacilitatorInvitation, Partnership, PartnershipMember
from tests.accounts.factories import UserFactory
from tests.api.conftest import ROLES, assert_error, token_client
from tests.core.name_cases import COPIES, INVISIBLE, ORIGINAL
from tests.partnerships.conftest import make_join_world
from tests.partnerships.factories import (
    FacilitatorInvitationFactory,
    PartnershipFactory,
    PartnershipJoinRequestFactory,
)
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

LIST_URL = "/api/v1/partnerships/"


def detail_url(slug: str) -> str:
    return f"/api/v1/partnerships/{slug}/"


def members_url(slug: str) -> str:
    return f"/api/v1/partnerships/{slug}/organisations/"


def facilitators_url(slug: str) -> str:
    return f"/api/v1/partnerships/{slug}/facilitators/"


@pytest.fixture
def secret(world) -> Partnership:
    """A members-only partnership that the world's organisation and facilitator belong to."""
    return PartnershipFactory(
        title="Copernicus LAC",
        slug="copernicus-lac",
        visibility=Partnership.Visibility.MEMBERS,
        organisations=[world.organisation],
        facilitators=[world.people["facilitator"]],
    )


# Reads and visibility


def test_visitors_list_public_partnerships_with_member_counts(world):
    response = APIClient().get(LIST_URL)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == world.partnership.pk
    assert row["slug"] == "eu-lac-digital-alliance"
    assert row["n_organisations"] == 1
    assert row["regions"] == ["EU", "LAC"]


def test_retrieve_shows_organisations_and_facilitators(world):
    response = APIClient().get(detail_url("eu-lac-digital-alliance"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == world.partnership.pk
    assert body["organisations"] == [
        {"id": world.organisation.pk, "slug": "eclac", "name": "ECLAC"}
    ]
    facilitator = world.people["facilitator"]
    assert body["facilitators"] == [{"id": facilitator.pk, "name": facilitator.display_name}]


VISIBLE_TO = {
    "visitor": False,
    "stranger": False,
    "member": True,
    "org_admin": True,
    "facilitator": True,
    "platform_admin": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_members_only_partnership_is_hidden_from_outsiders_in_list_and_retrieve(
    world, secret, role
):
    client = world.client(role)
    slugs = {row["slug"] for row in client.get(LIST_URL).json()["results"]}
    assert ("copernicus-lac" in slugs) == VISIBLE_TO[role]
    response = client.get(detail_url("copernicus-lac"))
    if VISIBLE_TO[role]:
        assert response.status_code == 200
    else:
        assert_error(response, 404)


def test_pending_members_do_not_see_members_only_partnerships(world, secret):
    applicant = MembershipFactory(organisation=world.organisation, status="pending").person
    client = token_client(applicant)
    assert_error(client.get(detail_url("copernicus-lac")), 404)
    assert client.get(LIST_URL).json()["count"] == 1


@pytest.mark.parametrize("role", ["visitor", "stranger"])
def test_writes_to_an_invisible_partnership_answer_404(world, secret, role):
    client = world.client(role)
    expected = 401 if role == "visitor" else 404
    assert_error(
        client.patch(detail_url("copernicus-lac"), {"title": "X"}, format="json"), expected
    )
    if role == "stranger":
        for response in (
            client.post(members_url("copernicus-lac"), {"organisation": "eclac"}, format="json"),
            client.delete(f"{members_url('copernicus-lac')}eclac/"),
            client.post(facilitators_url("copernicus-lac"), {"person": 1}, format="json"),
        ):
            assert_error(response, 404)
    secret.refresh_from_db()
    assert secret.title == "Copernicus LAC"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=digital", {"eu-lac-digital-alliance"}),
        ("q=COPERNICUS", {"copernicus-lac"}),
        ("visibility=members", {"copernicus-lac"}),
        ("visibility=public", {"eu-lac-digital-alliance"}),
    ],
)
def test_filters_narrow_the_list(world, secret, query, expected):
    response = world.client("facilitator").get(f"{LIST_URL}?{query}")
    assert {row["slug"] for row in response.json()["results"]} == expected


def test_list_orders_by_title_and_created_at(world, secret):
    client = world.client("platform_admin")
    titles = [row["title"] for row in client.get(LIST_URL).json()["results"]]
    assert titles == ["Copernicus LAC", "EU-LAC Digital Alliance"]
    titles = [
        row["title"] for row in client.get(f"{LIST_URL}?ordering=created_at").json()["results"]
    ]
    assert titles == ["EU-LAC Digital Alliance", "Copernicus LAC"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["visibility=secret", "q=" + "x" * 201])
def test_bad_filters_answer_400(query):
    assert_error(APIClient().get(f"{LIST_URL}?{query}"), 400, query.split("=")[0])


@pytest.mark.django_db
@pytest.mark.parametrize("n_rows", [5, 30])
def test_list_costs_a_fixed_number_of_queries(django_assert_max_num_queries, n_rows):
    membership = MembershipFactory()
    organisations = OrganisationFactory.create_batch(3)
    for index in range(n_rows):
        PartnershipFactory(
            organisations=[membership.organisation, *organisations],
            visibility="members" if index % 2 else "public",
        )
    # One more than before translations: they are prefetched for the whole page at once.
    with django_assert_max_num_queries(4):
        assert APIClient().get(LIST_URL).status_code == 200
    client = token_client(membership.person)
    with django_assert_max_num_queries(5):
        response = client.get(f"{LIST_URL}?q=partnership")
    assert response.status_code == 200
    assert response.json()["count"] == n_rows


@pytest.mark.django_db
def test_retrieve_of_an_unknown_slug_answers_404():
    assert_error(APIClient().get(detail_url("nothing")), 404)


# Create


CREATE_STATUS = {
    "visitor": 401,
    "stranger": 403,
    "member": 403,
    "org_admin": 403,
    "facilitator": 403,
    "platform_admin": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_create_permissions(world, role):
    body = {"title": "Digital Accelerator", "regions": ["EU", "LAC"]}
    response = world.client(role).post(LIST_URL, body, format="json")
    assert response.status_code == CREATE_STATUS[role], response.content
    assert Partnership.objects.filter(title="Digital Accelerator").exists() == (
        CREATE_STATUS[role] == 201
    )


def test_create_with_members_and_facilitators(world):
    facilitator = world.people["facilitator"]
    body = {
        "title": "BELLA",
        "description": "A submarine cable between Europe and Latin America.",
        "regions": ["EU", "LAC"],
        "visibility": "members",
        "organisations": ["eclac"],
        "facilitators": [facilitator.pk],
    }
    response = world.client("platform_admin").post(LIST_URL, body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["slug"] == "bella"
    assert created["visibility"] == "members"
    assert [row["slug"] for row in created["organisations"]] == ["eclac"]
    assert [row["id"] for row in created["facilitators"]] == [facilitator.pk]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "EU-LAC Digital Alliance"}, "title"),
        ({"description": "x" * 10001}, "description"),
        ({"regions": ["EU", "MARS"]}, "regions[1]"),
        ({"regions": "EU"}, "regions"),
        ({"regions": ["EU", "LAC", "OTHER", "EU"]}, "regions"),
        ({"visibility": "secret"}, "visibility"),
        ({"organisations": ["eclac", "nobody"]}, "organisations"),
        ({"organisations": "eclac"}, "organisations"),
        ({"facilitators": [999999]}, "facilitators"),
        ({"facilitators": ["abc"]}, "facilitators"),
        ({"facilitators": [{"id": 1}]}, "facilitators"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(world, changes, field):
    body = {"title": "Digital Accelerator", **changes}
    response = world.client("platform_admin").post(LIST_URL, body, format="json")
    assert_error(response, 400, field)
    assert Partnership.objects.count() == 1
    assert PartnershipMember.objects.count() == 1


def test_create_refuses_inactive_facilitators(world):
    inactive = UserFactory(is_active=False)
    body = {"title": "Digital Accelerator", "facilitators": [inactive.pk]}
    response = world.client("platform_admin").post(LIST_URL, body, format="json")
    assert_error(response, 400, "facilitators")
    assert Partnership.objects.count() == 1


# Update


MANAGE_STATUS = {
    "visitor": 401,
    "stranger": 403,
    "member": 403,
    "org_admin": 403,
    "facilitator": 200,
    "platform_admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_update_permissions(world, role):
    response = world.client(role).patch(
        detail_url("eu-lac-digital-alliance"), {"description": "Changed."}, format="json"
    )
    assert response.status_code == MANAGE_STATUS[role], response.content
    world.partnership.refresh_from_db()
    assert (world.partnership.description == "Changed.") == (MANAGE_STATUS[role] == 200)


def test_put_replaces_the_settings(world):
    response = world.client("facilitator").put(
        detail_url("eu-lac-digital-alliance"), {"title": "EU-LAC Alliance"}, format="json"
    )
    assert response.status_code == 200, response.content
    world.partnership.refresh_from_db()
    assert world.partnership.title == "EU-LAC Alliance"
    assert world.partnership.regions == []
    assert world.partnership.description == ""
    assert world.partnership.slug == "eu-lac-digital-alliance"


def test_patch_makes_a_partnership_members_only(world):
    response = world.client("facilitator").patch(
        detail_url("eu-lac-digital-alliance"), {"visibility": "members"}, format="json"
    )
    assert response.status_code == 200
    assert_error(APIClient().get(detail_url("eu-lac-digital-alliance")), 404)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"regions": ["ASIA"]}, "regions[0]"),
        ({"regions": None}, "regions"),
        ({"visibility": None}, "visibility"),
        ({"description": ["a"]}, "description"),
    ],
)
def test_update_refuses_bad_input_and_changes_nothing(world, changes, field):
    before = Partnership.objects.values().get(pk=world.partnership.pk)
    response = world.client("facilitator").patch(
        detail_url("eu-lac-digital-alliance"), changes, format="json"
    )
    assert_error(response, 400, field)
    assert Partnership.objects.values().get(pk=world.partnership.pk) == before


def test_update_refuses_a_taken_title(world, secret):
    response = world.client("facilitator").patch(
        detail_url("eu-lac-digital-alliance"), {"title": "Copernicus LAC"}, format="json"
    )
    assert_error(response, 400, "title")


# Member organisations


ADD_STATUS = {**MANAGE_STATUS, "facilitator": 201, "platform_admin": 201}
REMOVE_STATUS = {**MANAGE_STATUS, "facilitator": 204, "platform_admin": 204}


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("role", ROLES)
def test_member_add_permissions(world, role, auth):
    OrganisationFactory(slug="redclara", name="RedCLARA")
    response = world.client(role, auth).post(
        members_url("eu-lac-digital-alliance"), {"organisation": "redclara"}, format="json"
    )
    assert response.status_code == ADD_STATUS[role], response.content
    added = PartnershipMember.objects.filter(organisation__slug="redclara").exists()
    assert added == (ADD_STATUS[role] == 201)
    if added:
        assert response.json()["organisation"]["slug"] == "redclara"


@pytest.mark.parametrize("role", ROLES)
def test_member_remove_permissions(world, role):
    response = world.client(role).delete(f"{members_url('eu-lac-digital-alliance')}eclac/")
    assert response.status_code == REMOVE_STATUS[role], response.content
    kept = PartnershipMember.objects.filter(organisation=world.organisation).exists()
    assert kept == (REMOVE_STATUS[role] != 204)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "organisation"),
        ({"organisation": "nobody"}, "organisation"),
        ({"organisation": ["eclac"]}, "organisation"),
        ({"organisation": None}, "organisation"),
        ({"organisation": "eclac"}, "organisation"),
    ],
    ids=["missing", "unknown", "list", "null", "already-member"],
)
def test_member_add_refuses_bad_input(world, body, field):
    response = world.client("facilitator").post(
        members_url("eu-lac-digital-alliance"), body, format="json"
    )
    assert_error(response, 400, field)
    assert PartnershipMember.objects.count() == 1


def test_member_remove_of_an_unknown_organisation_answers_404(world):
    response = world.client("facilitator").delete(
        f"{members_url('eu-lac-digital-alliance')}nobody/"
    )
    assert_error(response, 404)


def test_member_remove_of_a_non_member_answers_400(world):
    OrganisationFactory(slug="outsider")
    response = world.client("facilitator").delete(
        f"{members_url('eu-lac-digital-alliance')}outsider/"
    )
    assert_error(response, 400, "organisation")
    assert PartnershipMember.objects.count() == 1


# Facilitators


@pytest.mark.parametrize("role", ROLES)
def test_facilitator_invite_permissions(world, role):
    response = world.client(role).post(
        facilitators_url("eu-lac-digital-alliance"), {"email": "new@example.org"}, format="json"
    )
    assert response.status_code == ADD_STATUS[role], response.content
    invited = FacilitatorInvitation.objects.filter(email="new@example.org").exists()
    assert invited == (ADD_STATUS[role] == 201)
    assert world.partnership.facilitators.count() == 1, "nobody facilitates before accepting"


def test_facilitator_invite_answers_the_same_whether_or_not_an_account_exists(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.org")
    client = world.client("facilitator")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            facilitators_url("eu-lac-digital-alliance"), {"email": "known@example.org"}
        )
        unknown = client.post(
            facilitators_url("eu-lac-digital-alliance"), {"email": "unknown@example.org"}
        )

    assert known.status_code == unknown.status_code == 201
    shape = {"id", "partnership", "email", "invited_by", "created_at"}
    assert set(known.json()) == set(unknown.json()) == shape
    assert known.json()["partnership"] == {
        "slug": "eu-lac-digital-alliance",
        "title": "EU-LAC Digital Alliance",
    }
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "email"),
        ({"email": "not an address"}, "email"),
        ({"email": ["a@example.org"]}, "email"),
        ({"person": 1}, "email"),
    ],
    ids=["missing", "invalid", "list", "old-shape"],
)
def test_facilitator_invite_refuses_bad_input(world, body, field):
    response = world.client("facilitator").post(
        facilitators_url("eu-lac-digital-alliance"), body, format="json"
    )
    assert_error(response, 400, field)
    assert not FacilitatorInvitation.objects.exists()


def test_facilitator_invite_refuses_a_second_open_invitation_to_the_same_address(world):
    client = world.client("facilitator")
    client.post(facilitators_url("eu-lac-digital-alliance"), {"email": "a@example.org"})

    response = client.post(facilitators_url("eu-lac-digital-alliance"), {"email": "A@example.org"})

    assert_error(response, 400, "email")
    assert FacilitatorInvitation.objects.count() == 1


def invitations_url(slug: str) -> str:
    return f"/api/v1/partnerships/{slug}/facilitator-invitations/"


LIST_INVITATIONS_STATUS = {**MANAGE_STATUS, "facilitator": 200, "platform_admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_facilitator_invitation_list_permissions(world, role):
    FacilitatorInvitationFactory(partnership=world.partnership, email="a@example.org")
    response = world.client(role).get(invitations_url("eu-lac-digital-alliance"))
    assert response.status_code == LIST_INVITATIONS_STATUS[role], response.content
    if response.status_code == 200:
        assert [row["email"] for row in response.json()["results"]] == ["a@example.org"]


@pytest.mark.parametrize("role", ROLES)
def test_facilitator_invitation_revoke_permissions(world, role):
    invitation = FacilitatorInvitationFactory(partnership=world.partnership)
    response = world.client(role).delete(
        f"{invitations_url('eu-lac-digital-alliance')}{invitation.pk}/"
    )
    assert response.status_code == REMOVE_STATUS[role], response.content
    kept = FacilitatorInvitation.objects.filter(pk=invitation.pk).exists()
    assert kept == (REMOVE_STATUS[role] != 204)


def test_facilitator_invitation_revoke_of_another_partnerships_invitation_is_404(world, secret):
    invitation = FacilitatorInvitationFactory(partnership=secret)
    response = world.client("platform_admin").delete(
        f"{invitations_url('eu-lac-digital-alliance')}{invitation.pk}/"
    )
    assert_error(response, 404)
    assert FacilitatorInvitation.objects.filter(pk=invitation.pk).exists()


def test_the_invited_person_accepts_by_token_and_then_facilitates(world, secret):
    person = UserFactory(email="ana@example.org")
    invitation = FacilitatorInvitationFactory(partnership=secret, email="ana@example.org")

    response = token_client(person).post(
        "/api/v1/facilitator-invitations/accept/", {"token": invitation.token}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["slug"] == "copernicus-lac"
    assert secret.facilitators.filter(pk=person.pk).exists()
    again = token_client(person).post(
        "/api/v1/facilitator-invitations/accept/", {"token": invitation.token}, format="json"
    )
    assert_error(again, 400, "invitation")


def test_the_invited_person_declines_by_token(world):
    person = UserFactory(email="ana@example.org")
    invitation = FacilitatorInvitationFactory(
        partnership=world.partnership, email="ana@example.org"
    )

    response = token_client(person).post(
        "/api/v1/facilitator-invitations/decline/", {"token": invitation.token}, format="json"
    )

    assert response.status_code == 204
    invitation.refresh_from_db()
    assert invitation.declined_at is not None


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_only_the_addressee_answers_an_invitation(world, answer):
    invitation = FacilitatorInvitationFactory(partnership=world.partnership, email="a@example.org")

    response = world.client("stranger").post(
        f"/api/v1/facilitator-invitations/{answer}/", {"token": invitation.token}, format="json"
    )

    assert_error(response, 403)
    invitation.refresh_from_db()
    assert invitation.is_open


@pytest.mark.parametrize(("body", "field"), [({}, "token"), ({"token": "nope"}, "token")])
def test_answering_without_a_known_token_is_a_400(world, body, field):
    response = world.client("stranger").post(
        "/api/v1/facilitator-invitations/accept/", body, format="json"
    )
    assert_error(response, 400, field)


@pytest.mark.parametrize("role", ROLES)
def test_facilitator_remove_permissions(world, role):
    second = UserFactory()
    world.partnership.facilitators.add(second)
    response = world.client(role).delete(
        f"{facilitators_url('eu-lac-digital-alliance')}{second.pk}/"
    )
    assert response.status_code == REMOVE_STATUS[role], response.content
    kept = world.partnership.facilitators.filter(pk=second.pk).exists()
    assert kept == (REMOVE_STATUS[role] != 204)


def test_the_last_facilitator_cannot_step_down(world):
    facilitator = world.people["facilitator"]
    response = world.client("facilitator").delete(
        f"{facilitators_url('eu-lac-digital-alliance')}{facilitator.pk}/"
    )
    assert_error(response, 400, "person")
    assert world.partnership.facilitators.count() == 1


def test_facilitator_remove_of_an_unknown_person_answers_404(world):
    response = world.client("facilitator").delete(
        f"{facilitators_url('eu-lac-digital-alliance')}999999/"
    )
    assert_error(response, 404)


def test_facilitator_remove_of_a_non_facilitator_answers_400(world):
    response = world.client("facilitator").delete(
        f"{facilitators_url('eu-lac-digital-alliance')}{world.people['member'].pk}/"
    )
    assert_error(response, 400, "person")


@pytest.mark.parametrize("copy", [*COPIES, *INVISIBLE])
def test_update_refuses_copies_of_a_title_naming_the_field(world, copy):
    PartnershipFactory(title=ORIGINAL)
    response = world.client("facilitator").patch(
        detail_url("eu-lac-digital-alliance"), {"title": copy}, format="json"
    )
    assert_error(response, 400, "title")
    assert Partnership.objects.get(pk=world.partnership.pk).title == "EU-LAC Digital Alliance"


def test_update_refuses_a_hidden_title_without_saying_it_exists(world):
    PartnershipFactory(title="Hidden Alliance", visibility=Partnership.Visibility.MEMBERS)
    PartnershipFactory(title="Open Alliance")
    url = detail_url("eu-lac-digital-alliance")
    client = world.client("facilitator")

    hidden = client.patch(url, {"title": "Hidden Alliance"}, format="json")
    look_alike = client.patch(url, {"title": "\u041epen Alliance"}, format="json")

    assert_error(hidden, 400, "title")
    assert hidden.json() == look_alike.json()
    assert "exist" not in hidden.content.decode().lower()


# Requests to join


@pytest.fixture
def join_world(db):
    return make_join_world()


def join_requests_url(slug: str, pk: int | None = None, action: str = "") -> str:
    base = f"/api/v1/partnerships/{slug}/join-requests/"
    return f"{base}{pk}/{action}/" if pk is not None else base


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "n_seen"),
    [("outsider_admin", 1), ("facilitator", 2), ("platform_admin", 2), ("member_admin", 0)],
)
def test_join_requests_are_listed_to_facilitators_and_to_their_organisations(
    join_world, role, n_seen
):
    PartnershipJoinRequestFactory(partnership=join_world.partnership)

    response = token_client(join_world.person(role)).get(
        join_requests_url(join_world.partnership.slug)
    )

    assert response.status_code == 200
    assert response.json()["count"] == n_seen


@pytest.mark.django_db
def test_listing_join_requests_needs_a_signed_in_person(join_world):
    response = APIClient().get(join_requests_url(join_world.partnership.slug))

    assert_error(response, 401)


@pytest.mark.django_db
def test_an_organisation_admin_asks_to_join(join_world):
    join_world.pending.delete()

    response = token_client(join_world.person("outsider_admin")).post(
        join_requests_url(join_world.partnership.slug),
        {"organisation": join_world.outsider.slug, "message": "Hola"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["organisation"]["slug"] == join_world.outsider.slug
    assert body["message"] == "Hola"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "organisation"),
        ({"organisation": "no-such-organisation"}, "organisation"),
        ({"organisation": "OUTSIDER", "message": "x" * 1001}, "message"),
        ({"organisation": "MEMBER"}, "organisation"),
    ],
)
def test_asking_to_join_with_bad_input_names_the_field(join_world, data, field):
    join_world.pending.delete()
    slugs = {"OUTSIDER": join_world.outsider.slug, "MEMBER": join_world.member_organisation.slug}
    if "organisation" in data:
        data = {**data, "organisation": slugs.get(data["organisation"], data["organisation"])}

    response = token_client(join_world.person("outsider_admin")).post(
        join_requests_url(join_world.partnership.slug), data, format="json"
    )

    assert_error(response, 400, field)


@pytest.mark.django_db
def test_a_hidden_partnership_is_404_unless_discoverable(join_world):
    join_world.pending.delete()
    Partnership.objects.filter(pk=join_world.partnership.pk).update(visibility="members")
    client = token_client(join_world.person("outsider_admin"))
    url = join_requests_url(join_world.partnership.slug)
    data = {"organisation": join_world.outsider.slug}

    assert_error(client.post(url, data, format="json"), 404)
    Partnership.objects.filter(pk=join_world.partnership.pk).update(is_discoverable=True)
    assert client.post(url, data, format="json").status_code == 201
    assert_error(client.get(detail_url(join_world.partnership.slug)), 404)


@pytest.mark.django_db
def test_a_facilitator_approves(join_world):
    response = token_client(join_world.person("facilitator")).post(
        join_requests_url(join_world.partnership.slug, join_world.pending.pk, "approve")
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert join_world.partnership.organisations.filter(pk=join_world.outsider.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("outsider_admin", 403), ("person", 404)])
def test_others_may_not_approve(join_world, role, status):
    response = token_client(join_world.person(role)).post(
        join_requests_url(join_world.partnership.slug, join_world.pending.pk, "approve")
    )

    assert_error(response, status)
    join_world.pending.refresh_from_db()
    assert join_world.pending.is_pending


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 1001}])
def test_declining_needs_a_reason(join_world, data):
    response = token_client(join_world.person("facilitator")).post(
        join_requests_url(join_world.partnership.slug, join_world.pending.pk, "decline"),
        data,
        format="json",
    )

    assert_error(response, 400, "reason")
    join_world.pending.refresh_from_db()
    assert join_world.pending.is_pending


@pytest.mark.django_db
def test_a_facilitator_declines_with_a_reason(join_world):
    response = token_client(join_world.person("facilitator")).post(
        join_requests_url(join_world.partnership.slug, join_world.pending.pk, "decline"),
        {"reason": "Not this year."},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["decision_reason"] == "Not this year."


@pytest.mark.django_db
def test_deciding_twice_is_a_400_naming_the_request(join_world):
    client = token_client(join_world.person("facilitator"))
    url = join_requests_url(join_world.partnership.slug, join_world.pending.pk, "approve")
    client.post(url)

    assert_error(client.post(url), 400, "join_request")


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("outsider_admin", 200), ("facilitator", 403)])
def test_the_organisation_admins_withdraw(join_world, role, status):
    response = token_client(join_world.person(role)).post(
        join_requests_url(join_world.partnership.slug, join_world.pending.pk, "withdraw")
    )

    assert response.status_code == status, response.content


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "shown"), [("facilitator", False), ("member_admin", None)])
def test_is_discoverable_is_given_to_those_who_may_change_it(join_world, role, shown):
    response = token_client(join_world.person(role)).get(detail_url(join_world.partnership.slug))

    assert response.json()["is_discoverable"] is shown


@pytest.mark.django_db
def test_facilitators_change_is_discoverable(join_world):
    client = token_client(join_world.person("facilitator"))

    response = client.patch(
        detail_url(join_world.partnership.slug), {"is_discoverable": True}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["is_discoverable"] is True


@pytest.mark.django_db
def test_the_join_request_list_costs_a_fixed_number_of_queries(
    join_world, django_assert_max_num_queries
):
    client = token_client(join_world.person("facilitator"))
    url = join_requests_url(join_world.partnership.slug)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    PartnershipJoinRequestFactory.create_batch(15, partnership=join_world.partnership)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.json()["count"] == 16
