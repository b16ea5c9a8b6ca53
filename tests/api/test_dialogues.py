import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from puente.dialogues.models import Dialogue, Participation, Phase
from puente.partnerships.models import Partnership
from tests.api.conftest import assert_error
from tests.dialogues.factories import DialogueFactory
from tests.partnerships.factories import PartnershipFactory

LIST_URL = "/api/v1/partnerships/eu-lac-digital-alliance/dialogues/"


def detail_url(slug: str, partnership: str = "eu-lac-digital-alliance") -> str:
    return f"/api/v1/partnerships/{partnership}/dialogues/{slug}/"


@pytest.fixture
def dialogue(world) -> Dialogue:
    return DialogueFactory(
        partnership=world.partnership,
        title="Shared priorities",
        slug="shared-priorities",
        participation=Dialogue.Audience.SIGNED_IN,
    )


@pytest.fixture
def hidden(world) -> Dialogue:
    """A dialogue of a members-only partnership that the world's organisation belongs to."""
    partnership = PartnershipFactory(
        slug="copernicus-lac",
        visibility=Partnership.Visibility.MEMBERS,
        organisations=[world.organisation],
        facilitators=[world.people["facilitator"]],
    )
    return DialogueFactory(partnership=partnership, slug="satellites")


NEW = {
    "title": "Skills for all",
    "framing_question": "Which digital skills are missing?",
    "languages": ["en", "es"],
}


def test_visitors_list_a_partnerships_dialogues_paginated(world, dialogue):
    response = APIClient().get(LIST_URL)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["slug"] == "shared-priorities"
    assert row["phase"] == "contribute"
    assert row["partnership"] == {
        "slug": "eu-lac-digital-alliance",
        "title": world.partnership.title,
    }
    assert response.json()["count"] == 1


def test_the_list_runs_a_fixed_number_of_queries(world, dialogue):
    APIClient().get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        APIClient().get(LIST_URL)
    DialogueFactory.create_batch(5, partnership=world.partnership)
    with CaptureQueriesContext(connection) as many:
        APIClient().get(LIST_URL)
    assert len(many) == len(few)


def test_members_only_dialogues_are_404_to_outsiders_everywhere(world, hidden):
    for role in ("visitor", "stranger"):
        client = world.client(role)
        assert_error(client.get("/api/v1/partnerships/copernicus-lac/dialogues/"), 404)
        assert_error(client.get(detail_url("satellites", "copernicus-lac")), 404)
        assert_error(
            client.put(
                detail_url("satellites", "copernicus-lac") + "participation/",
                {"organisation": None},
                format="json",
            ),
            401 if role == "visitor" else 404,
        )
    response = world.client("member").get(detail_url("satellites", "copernicus-lac"))
    assert response.status_code == 200


def test_the_detail_says_what_the_requester_may_do_now(world, dialogue):
    body = world.client("member").get(detail_url("shared-priorities")).json()
    assert body["phase"] == "contribute"
    assert body["allowed_actions"] == ["contribute", "comment", "vote"]
    assert APIClient().get(detail_url("shared-priorities")).json()["allowed_actions"] == []


def test_facilitators_open_a_dialogue(world):
    response = world.client("facilitator").post(LIST_URL, NEW, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["slug"], body["phase"], body["participation"]) == (
        "skills-for-all",
        "contribute",
        "members",
    )
    assert body["allowed_actions"] == []


@pytest.mark.parametrize("role", ["stranger", "member", "org_admin"])
def test_others_may_not_open_a_dialogue(world, role):
    assert_error(world.client(role).post(LIST_URL, NEW, format="json"), 403)
    assert not Dialogue.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": " " + "x" * 200}, "title"),
        ({"languages": []}, "languages"),
        ({"languages": ["de"]}, "languages[0]"),
        ({"participation": "everyone"}, "participation"),
        (
            {"closes_at": "2027-01-01T00:00:00Z", "deliberate_starts_at": "2027-02-01T00:00:00Z"},
            "closes_at",
        ),
        ({"closes_at": "soon"}, "closes_at"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(world, change, field):
    response = world.client("facilitator").post(LIST_URL, {**NEW, **change}, format="json")
    assert_error(response, 400, field)
    assert not Dialogue.objects.exists()


def test_patch_changes_only_what_is_given(world, dialogue):
    response = world.client("facilitator").patch(
        detail_url("shared-priorities"), {"title": "Renamed"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Renamed"
    dialogue.refresh_from_db()
    assert dialogue.languages == ["en", "es"]


def test_patch_with_dates_out_of_order_changes_nothing(world, dialogue):
    response = world.client("facilitator").patch(
        detail_url("shared-priorities"),
        {
            "title": "Renamed",
            "contribute_starts_at": "2027-03-01T00:00:00Z",
            "closes_at": "2027-01-01T00:00:00Z",
        },
        format="json",
    )
    assert_error(response, 400, "closes_at")
    dialogue.refresh_from_db()
    assert dialogue.title == "Shared priorities"


def test_members_may_not_patch(world, dialogue):
    assert_error(
        world.client("member").patch(
            detail_url("shared-priorities"), {"title": "x"}, format="json"
        ),
        403,
    )


def test_facilitators_move_the_phase(world, dialogue):
    response = world.client("facilitator").post(
        detail_url("shared-priorities") + "phase/", {"phase": "prioritise"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["phase"] == "prioritise"
    dialogue.refresh_from_db()
    assert dialogue.phase == Phase.PRIORITISE


def test_an_unknown_phase_is_a_400(world, dialogue):
    response = world.client("facilitator").post(
        detail_url("shared-priorities") + "phase/", {"phase": "voting"}, format="json"
    )
    assert_error(response, 400, "phase")


def test_participants_may_not_move_the_phase(world, dialogue):
    response = world.client("member").post(
        detail_url("shared-priorities") + "phase/", {"phase": "closed"}, format="json"
    )
    assert_error(response, 403)


def test_set_my_participation_for_an_organisation_then_as_an_individual(world, dialogue):
    client = world.client("member")
    url = detail_url("shared-priorities") + "participation/"
    response = client.put(url, {"organisation": "eclac"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["organisation"]["slug"] == "eclac"
    assert response.json()["stakeholder_type"] == world.organisation.stakeholder_type

    response = client.put(url, {"organisation": None}, format="json")
    assert response.status_code == 200
    assert response.json()["organisation"] is None
    assert response.json()["stakeholder_type"] == ""
    assert Participation.objects.filter(person=world.people["member"]).count() == 1


def test_taking_part_for_someone_elses_organisation_is_a_400(world, dialogue):
    response = world.client("stranger").put(
        detail_url("shared-priorities") + "participation/", {"organisation": "eclac"}, format="json"
    )
    assert_error(response, 400, "organisation")
    assert not Participation.objects.exists()


def test_an_unknown_organisation_is_a_400(world, dialogue):
    response = world.client("member").put(
        detail_url("shared-priorities") + "participation/", {"organisation": "nope"}, format="json"
    )
    assert_error(response, 400, "organisation")
