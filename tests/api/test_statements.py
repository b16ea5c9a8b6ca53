"""The statements API: the same rules as the pages, errors that name their fields."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from puente.dialogues.models import Comment, Dialogue, Flag, Participation, Phase, Statement, Vote
from puente.partnerships.models import Partnership
from tests.api.conftest import assert_error
from tests.dialogues.factories import (
    CommentFactory,
    DialogueFactory,
    StatementFactory,
    VoteFactory,
)
from tests.partnerships.factories import PartnershipFactory

BASE = "/api/v1/partnerships/eu-lac-digital-alliance/dialogues/shared-priorities/statements/"


def item(statement_id: int, rest: str = "") -> str:
    return f"{BASE}{statement_id}/{rest}"


@pytest.fixture
def dialogue(world) -> Dialogue:
    return DialogueFactory(
        partnership=world.partnership,
        title="Shared priorities",
        slug="shared-priorities",
        participation=Dialogue.Audience.MEMBERS,
    )


@pytest.fixture
def taking_part(world, dialogue):
    Participation.objects.create(
        dialogue=dialogue,
        person=world.people["member"],
        organisation=world.organisation,
        country="CL",
        region="LAC",
    )
    return world.people["member"]


@pytest.fixture
def hidden_base(world) -> str:
    partnership = PartnershipFactory(
        slug="copernicus-lac",
        visibility=Partnership.Visibility.MEMBERS,
        organisations=[world.organisation],
        facilitators=[world.people["facilitator"]],
    )
    DialogueFactory(partnership=partnership, slug="satellites")
    return "/api/v1/partnerships/copernicus-lac/dialogues/satellites/statements/"


NEW = {"text": "Connect every school", "kind": "proposal", "language": "en"}


def test_visitors_list_published_statements_with_counts(world, dialogue):
    shown = StatementFactory(dialogue=dialogue, text="Open data")
    VoteFactory.create_batch(2, statement=shown)
    CommentFactory(statement=shown)
    StatementFactory(dialogue=dialogue, status="pending")
    response = world.client("visitor").get(BASE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["text"] == "Open data"
    assert (row["n_votes"], row["n_comments"]) == (2, 1)
    assert row["url"].endswith(shown.get_absolute_url())


def test_the_list_filters_and_orders(world, dialogue):
    StatementFactory(dialogue=dialogue, text="Fibre", kind="expectation")
    popular = StatementFactory(dialogue=dialogue, text="Satellites", kind="proposal")
    VoteFactory(statement=popular)
    client = world.client("visitor")
    assert [r["text"] for r in client.get(BASE, {"kind": "expectation"}).json()["results"]] == [
        "Fibre"
    ]
    assert [r["text"] for r in client.get(BASE, {"q": "satel"}).json()["results"]] == ["Satellites"]
    ordered = client.get(BASE, {"order": "most_votes"}).json()["results"]
    assert ordered[0]["text"] == "Satellites"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "wish"}, "kind"),
        ({"order": "random"}, "order"),
        ({"q": ""}, "q"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_list_parameters_are_400_naming_them(world, dialogue, params, field):
    StatementFactory(dialogue=dialogue)
    assert_error(world.client("visitor").get(BASE, params), 400, field)


def test_the_list_has_a_query_budget(world, dialogue):
    for _ in range(30):
        statement = StatementFactory(dialogue=dialogue)
        VoteFactory(statement=statement)
    client = world.client("member")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BASE, {"page_size": 30})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 30
    assert len(queries) <= 12, [q["sql"][:80] for q in queries]


def test_invisible_dialogues_answer_404_everywhere(world, hidden_base):
    client = world.client("stranger")
    assert_error(client.get(hidden_base), 404)
    assert_error(client.post(hidden_base, NEW, format="json"), 404)
    assert_error(client.get(f"{hidden_base}1/"), 404)
    assert_error(client.get(f"{hidden_base}1/comments/"), 404)
    assert world.client("member").get(hidden_base).status_code == 200


def test_a_participant_adds_a_statement_for_their_organisation(world, dialogue, taking_part):
    response = world.client("member").post(BASE, {**NEW, "text": "  Fibre  "}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["text"] == "Fibre"
    assert body["organisation"]["slug"] == world.organisation.slug
    assert body["status"] == "published"
    assert (body["n_votes"], body["n_comments"]) == (0, 0)


def test_the_language_defaults_to_the_request(world, dialogue, taking_part):
    response = world.client("member").post(
        BASE, {"text": "Hola", "kind": "proposal"}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 201
    assert response.json()["language"] == "es"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**NEW, "text": ""}, "text"),
        ({**NEW, "text": "x" * 301}, "text"),
        ({**NEW, "kind": "wish"}, "kind"),
        ({**NEW, "language": "de"}, "language"),
        ({"kind": "proposal"}, "text"),
        ({**NEW, "details": "d" * 5001}, "details"),
    ],
)
def test_bad_statements_are_400_naming_the_field(world, dialogue, taking_part, data, field):
    assert_error(world.client("member").post(BASE, data, format="json"), 400, field)
    assert not Statement.objects.exists()


def test_a_duplicate_and_a_missing_participation_name_their_fields(world, dialogue, taking_part):
    client = world.client("member")
    assert client.post(BASE, NEW, format="json").status_code == 201
    assert_error(client.post(BASE, NEW, format="json"), 400, "text")
    Participation.objects.all().delete()
    assert_error(client.post(BASE, {**NEW, "text": "Other"}, format="json"), 400, "participation")


@pytest.mark.parametrize(("role", "code"), [("visitor", 401), ("stranger", 403)])
def test_only_participants_add(world, dialogue, role, code):
    assert_error(world.client(role).post(BASE, NEW, format="json"), code)


def test_a_facilitator_seeds(world, dialogue):
    response = world.client("facilitator").post(BASE, NEW, format="json")
    assert response.status_code == 201
    assert response.json()["is_seed"] is True


def test_pre_moderation_makes_it_wait_and_hides_it_from_others(world, dialogue, taking_part):
    Dialogue.objects.filter(pk=dialogue.pk).update(pre_moderation=True)
    response = world.client("member").post(BASE, NEW, format="json")
    assert response.json()["status"] == "pending"
    statement_id = response.json()["id"]
    assert world.client("member").get(item(statement_id)).status_code == 200
    assert_error(world.client("stranger").get(item(statement_id)), 404)
    approved = world.client("facilitator").post(item(statement_id, "approve/"))
    assert approved.status_code == 200
    assert approved.json()["status"] == "published"
    assert world.client("stranger").get(item(statement_id)).status_code == 200


def test_the_author_changes_the_statement_until_votes_come(world, dialogue, taking_part):
    statement = StatementFactory(dialogue=dialogue, author=taking_part)
    client = world.client("member")
    response = client.patch(item(statement.pk), {"kind": "expectation"}, format="json")
    assert response.status_code == 200
    assert response.json()["kind"] == "expectation"
    assert_error(client.patch(item(statement.pk), {"text": ""}, format="json"), 400, "text")
    VoteFactory(statement=statement)
    assert_error(client.patch(item(statement.pk), {"text": "New"}, format="json"), 403)
    assert_error(world.client("stranger").patch(item(statement.pk), {}, format="json"), 403)


# comments


def test_comments_and_replies(world, dialogue, taking_part):
    statement = StatementFactory(dialogue=dialogue)
    client = world.client("member")
    url = item(statement.pk, "comments/")
    top = client.post(url, {"text": "Yes"}, format="json")
    assert top.status_code == 201
    reply = client.post(url, {"text": "Indeed", "parent": top.json()["id"]}, format="json")
    deeper = client.post(url, {"text": "Deeper", "parent": reply.json()["id"]}, format="json")
    assert deeper.json()["parent"] == top.json()["id"]
    listing = world.client("visitor").get(url).json()
    assert listing["count"] == 1
    assert [r["text"] for r in listing["results"][0]["replies"]] == ["Indeed", "Deeper"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "x", "parent": 99999}, "parent"),
    ],
)
def test_bad_comments_are_400_naming_the_field(world, dialogue, taking_part, data, field):
    statement = StatementFactory(dialogue=dialogue)
    assert_error(
        world.client("member").post(item(statement.pk, "comments/"), data, format="json"),
        400,
        field,
    )
    assert not Comment.objects.exists()


def test_no_comments_in_the_prioritise_phase(world, dialogue, taking_part):
    statement = StatementFactory(dialogue=dialogue)
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=Phase.PRIORITISE)
    assert_error(
        world.client("member").post(item(statement.pk, "comments/"), {"text": "x"}, format="json"),
        403,
    )


# flags


def test_flags_once_per_person(world, dialogue, taking_part):
    statement = StatementFactory(dialogue=dialogue)
    client = world.client("member")
    url = item(statement.pk, "flags/")
    assert client.post(url, {"reason": "spam"}, format="json").status_code == 201
    assert_error(client.post(url, {"reason": "spam"}, format="json"), 400, "statement")
    assert_error(client.post(url, {"reason": "boring"}, format="json"), 400, "reason")
    comment = CommentFactory(statement=statement)
    comment_url = item(statement.pk, f"comments/{comment.pk}/flags/")
    assert client.post(comment_url, {"reason": "offensive"}, format="json").status_code == 201
    assert_error(client.post(comment_url, {"reason": "spam"}, format="json"), 400, "comment")
    assert Flag.objects.count() == 2
    assert_error(world.client("stranger").post(url, {"reason": "spam"}, format="json"), 403)


# moderation


def test_moderators_hide_with_a_reason_and_restore(world, dialogue):
    statement = StatementFactory(dialogue=dialogue)
    client = world.client("facilitator")
    assert_error(client.post(item(statement.pk, "hide/"), {}, format="json"), 400, "reason")
    assert_error(
        client.post(item(statement.pk, "hide/"), {"reason": " "}, format="json"), 400, "reason"
    )
    hidden = client.post(item(statement.pk, "hide/"), {"reason": "Ads"}, format="json")
    assert hidden.status_code == 200
    assert (hidden.json()["status"], hidden.json()["moderation_reason"]) == ("hidden", "Ads")
    assert_error(world.client("visitor").get(item(statement.pk)), 404)
    restored = client.post(item(statement.pk, "restore/"))
    assert restored.json()["status"] == "published"
    assert_error(client.post(item(statement.pk, "restore/")), 400, "statement")


@pytest.mark.parametrize("role", ["member", "stranger", "org_admin"])
def test_others_may_not_moderate(world, dialogue, role):
    statement = StatementFactory(dialogue=dialogue)
    other = StatementFactory(dialogue=dialogue)
    client = world.client(role)
    assert_error(client.post(item(statement.pk, "hide/"), {"reason": "x"}, format="json"), 403)
    assert_error(client.post(item(statement.pk, "approve/")), 403)
    assert_error(
        client.post(item(statement.pk, "merge/"), {"survivor": other.pk}, format="json"), 403
    )
    statement.refresh_from_db()
    assert statement.status == "published"


def test_merge_moves_votes_and_names_a_wrong_survivor(world, dialogue):
    duplicate = StatementFactory(dialogue=dialogue)
    survivor = StatementFactory(dialogue=dialogue)
    elsewhere = StatementFactory()
    VoteFactory(statement=duplicate)
    client = world.client("facilitator")
    url = item(duplicate.pk, "merge/")
    assert_error(client.post(url, {}, format="json"), 400, "survivor")
    assert_error(client.post(url, {"survivor": elsewhere.pk}, format="json"), 400, "survivor")
    assert_error(client.post(url, {"survivor": duplicate.pk}, format="json"), 400, "survivor")
    response = client.post(url, {"survivor": survivor.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["id"] == survivor.pk
    assert response.json()["n_votes"] == 1
    assert Vote.objects.get().statement == survivor
    duplicate.refresh_from_db()
    assert duplicate.status == "merged"


def test_huge_ids_are_404_or_400_never_500(world, dialogue, taking_part):
    statement = StatementFactory(dialogue=dialogue)
    huge = 10**20
    assert_error(world.client("visitor").get(item(huge)), 404)
    assert_error(world.client("facilitator").post(item(huge, "approve/")), 404)
    assert_error(
        world.client("facilitator").post(
            item(statement.pk, "merge/"), {"survivor": huge}, format="json"
        ),
        400,
        "survivor",
    )
    assert_error(
        world.client("member").post(
            item(statement.pk, "comments/"), {"text": "x", "parent": huge}, format="json"
        ),
        400,
        "parent",
    )
