"""The moderation API: the queue of flags, comment moderation and a dialogue's invitations,
with the same rules as the moderation pages; errors name their field and write nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from puente.dialogues.models import Comment, Dialogue, DialogueInvitation, Flag
from puente.partnerships.models import Partnership
from tests.api.conftest import assert_error
from tests.dialogues.factories import (
    CommentFactory,
    DialogueFactory,
    DialogueInvitationFactory,
    FlagFactory,
    StatementFactory,
)
from tests.partnerships.factories import PartnershipFactory

DIALOGUE = "/api/v1/partnerships/eu-lac-digital-alliance/dialogues/shared-priorities/"
FLAGS = DIALOGUE + "flags/"
INVITATIONS = DIALOGUE + "invitations/"


def comment_url(comment: Comment, action: str, statement_id: int | None = None) -> str:
    statement = comment.statement_id if statement_id is None else statement_id
    return f"{DIALOGUE}statements/{statement}/comments/{comment.pk}/{action}/"


@pytest.fixture
def dialogue(world) -> Dialogue:
    return DialogueFactory(
        partnership=world.partnership,
        title="Shared priorities",
        slug="shared-priorities",
        participation=Dialogue.Audience.INVITED,
    )


@pytest.fixture
def comment(dialogue) -> Comment:
    return CommentFactory(statement=StatementFactory(dialogue=dialogue), text="Buy now")


@pytest.fixture
def hidden_comment(dialogue) -> Comment:
    return CommentFactory(
        statement=StatementFactory(dialogue=dialogue), is_hidden=True, moderation_reason="Ads"
    )


@pytest.fixture
def flag(comment) -> Flag:
    return FlagFactory(statement=None, comment=comment, reason=Flag.Reason.SPAM)


# Who may do what: the moderation pages' table (anonymous visitors get 401 instead of a
# redirect to the sign-in page).
DENIED = [("visitor", 401), ("stranger", 403), ("member", 403), ("org_admin", 403)]
ALLOWED = ["facilitator", "platform_admin"]


@pytest.mark.parametrize(("role", "code"), DENIED)
def test_others_may_not_see_the_queue_or_invitations(world, dialogue, flag, role, code):
    DialogueInvitationFactory(dialogue=dialogue)
    client = world.client(role)
    assert_error(client.get(FLAGS), code)
    assert_error(client.get(INVITATIONS), code)


@pytest.mark.parametrize(("role", "code"), DENIED)
def test_others_may_not_moderate_and_nothing_changes(
    world, dialogue, flag, comment, hidden_comment, role, code
):
    invitation = DialogueInvitationFactory(dialogue=dialogue)
    client = world.client(role)
    assert_error(client.post(f"{FLAGS}{flag.pk}/resolve/"), code)
    assert_error(client.post(comment_url(comment, "hide"), {"reason": "x"}, format="json"), code)
    assert_error(client.post(comment_url(hidden_comment, "restore")), code)
    assert_error(client.post(INVITATIONS, {"email": "ana@example.org"}, format="json"), code)
    assert_error(client.delete(f"{INVITATIONS}{invitation.pk}/"), code)
    flag.refresh_from_db()
    comment.refresh_from_db()
    hidden_comment.refresh_from_db()
    assert flag.resolved_at is None
    assert (comment.is_hidden, hidden_comment.is_hidden) == (False, True)
    assert list(DialogueInvitation.objects.all()) == [invitation]


@pytest.mark.parametrize("role", ALLOWED)
def test_moderators_list_the_open_flags_with_who_flagged_what(world, dialogue, flag, role):
    statement_flag = FlagFactory(statement__dialogue=dialogue, statement__text="Off topic")
    FlagFactory(statement=StatementFactory())  # another dialogue's
    FlagFactory(statement__dialogue=dialogue, resolved_at=timezone.now())
    response = world.client(role).get(FLAGS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first["id"] == flag.pk
    assert (first["statement"], first["comment"]) == (None, flag.comment_id)
    assert first["comment_statement"] == flag.comment.statement_id
    assert (first["text"], first["reason"]) == ("Buy now", "spam")
    assert first["flagged_by"]["id"] == flag.person_id
    assert first["resolved_at"] is None
    assert (second["statement"], second["comment_statement"]) == (
        statement_flag.statement_id,
        None,
    )
    assert second["text"] == "Off topic"


def test_the_queue_shows_resolved_flags_when_asked(world, dialogue, flag):
    done = FlagFactory(statement__dialogue=dialogue, resolved_at=timezone.now())
    client = world.client("facilitator")
    resolved = client.get(FLAGS, {"status": "resolved"}).json()["results"]
    assert [row["id"] for row in resolved] == [done.pk]
    opened = client.get(FLAGS, {"status": "open"}).json()["results"]
    assert [row["id"] for row in opened] == [flag.pk]


@pytest.mark.parametrize(
    ("params", "field"), [({"status": "all"}, "status"), ({"page": "0"}, "page")]
)
def test_bad_queue_parameters_are_400_naming_them(world, dialogue, flag, params, field):
    assert_error(world.client("facilitator").get(FLAGS, params), 400, field)


def test_the_queue_has_a_query_budget(world, dialogue):
    for _ in range(20):
        FlagFactory(statement__dialogue=dialogue)
        FlagFactory(statement=None, comment=CommentFactory(statement__dialogue=dialogue))
    client = world.client("facilitator")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FLAGS, {"page_size": 40})
    assert len(response.json()["results"]) == 40
    assert len(queries) <= 8, [q["sql"][:80] for q in queries]


def test_a_moderator_resolves_a_flag_once(world, dialogue, flag):
    client = world.client("facilitator")
    response = client.post(f"{FLAGS}{flag.pk}/resolve/")
    assert response.status_code == 200, response.content
    assert response.json()["resolved_by"]["id"] == world.people["facilitator"].pk
    flag.refresh_from_db()
    assert (flag.resolved_by, flag.resolved_at is not None) == (world.people["facilitator"], True)
    resolved_at = flag.resolved_at
    assert_error(client.post(f"{FLAGS}{flag.pk}/resolve/"), 400, "flag")
    flag.refresh_from_db()
    assert flag.resolved_at == resolved_at
    assert client.get(FLAGS).json()["count"] == 0


def test_unknown_flags_and_other_dialogues_flags_are_404(world, dialogue):
    elsewhere = FlagFactory(statement=StatementFactory())
    client = world.client("platform_admin")
    assert_error(client.post(f"{FLAGS}{elsewhere.pk}/resolve/"), 404)
    assert_error(client.post(f"{FLAGS}{10**20}/resolve/"), 404)
    elsewhere.refresh_from_db()
    assert elsewhere.resolved_at is None


# the pending and hidden statements of the queue


def test_moderators_list_everyones_statements_by_status(world, dialogue):
    statements = DIALOGUE + "statements/"
    member = world.people["member"]
    mine = StatementFactory(dialogue=dialogue, author=member, status="pending")
    waiting = StatementFactory(dialogue=dialogue, status="pending")
    hidden = StatementFactory(dialogue=dialogue, status="hidden")
    StatementFactory(dialogue=dialogue)
    StatementFactory(status="pending")  # another dialogue's

    def ids(role: str, status: str) -> set[int]:
        response = world.client(role).get(statements, {"status": status})
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("facilitator", "pending") == {mine.pk, waiting.pk}
    assert ids("platform_admin", "hidden") == {hidden.pk}
    assert ids("member", "pending") == {mine.pk}
    assert ids("stranger", "hidden") == set()
    assert ids("visitor", "pending") == set()
    assert_error(world.client("facilitator").get(statements, {"status": "waiting"}), 400, "status")


# comments


@pytest.mark.parametrize("role", ALLOWED)
def test_moderators_hide_a_comment_with_a_reason_and_restore_it(world, dialogue, comment, role):
    flag = FlagFactory(statement=None, comment=comment)
    client = world.client(role)
    hidden = client.post(comment_url(comment, "hide"), {"reason": " Ads "}, format="json")
    assert hidden.status_code == 200, hidden.content
    assert (hidden.json()["is_hidden"], hidden.json()["moderation_reason"]) == (True, "Ads")
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    listing = f"{DIALOGUE}statements/{comment.statement_id}/comments/"
    assert world.client("visitor").get(listing).json()["count"] == 0
    restored = client.post(comment_url(comment, "restore"))
    assert restored.status_code == 200, restored.content
    assert (restored.json()["is_hidden"], restored.json()["moderation_reason"]) == (False, "")
    assert world.client("visitor").get(listing).json()["count"] == 1


@pytest.mark.parametrize(
    "data", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"reason": None}]
)
def test_hiding_a_comment_needs_a_reason_and_writes_nothing_without(world, dialogue, comment, data):
    flag = FlagFactory(statement=None, comment=comment)
    response = world.client("facilitator").post(comment_url(comment, "hide"), data, format="json")
    assert_error(response, 400, "reason")
    comment.refresh_from_db()
    flag.refresh_from_db()
    assert (comment.is_hidden, comment.moderation_reason, flag.resolved_at) == (False, "", None)


def test_only_a_hidden_comment_is_restored(world, dialogue, comment):
    assert_error(world.client("facilitator").post(comment_url(comment, "restore")), 400, "comment")


def test_unknown_or_mismatched_comments_are_404_and_stay_as_they_were(world, dialogue, comment):
    other_statement = StatementFactory(dialogue=dialogue)
    elsewhere = CommentFactory()
    client = world.client("facilitator")
    reason = {"reason": "Ads"}
    assert_error(
        client.post(comment_url(comment, "hide", other_statement.pk), reason, format="json"), 404
    )
    assert_error(client.post(comment_url(elsewhere, "hide"), reason, format="json"), 404)
    assert_error(
        client.post(comment_url(elsewhere, "hide", comment.statement_id), reason, format="json"),
        404,
    )
    missing = f"{DIALOGUE}statements/{comment.statement_id}/comments/{10**20}/hide/"
    assert_error(client.post(missing, reason, format="json"), 404)
    assert not Comment.objects.filter(is_hidden=True).exists()


# invitations


@pytest.mark.parametrize("role", ALLOWED)
def test_moderators_invite_list_and_withdraw(world, dialogue, role):
    client = world.client(role)
    response = client.post(INVITATIONS, {"email": " Ana@Example.org "}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "ana@example.org"
    assert response.json()["invited_by"]["id"] == world.people[role].pk
    listing = client.get(INVITATIONS).json()
    assert [row["email"] for row in listing["results"]] == ["ana@example.org"]
    removed = client.delete(f"{INVITATIONS}{response.json()['id']}/")
    assert removed.status_code == 204
    assert not DialogueInvitation.objects.exists()


@pytest.mark.parametrize(
    "data", [{}, {"email": ""}, {"email": "not an address"}, {"email": "a" * 250 + "@x.org"}]
)
def test_bad_addresses_are_400_naming_the_field_and_write_nothing(world, dialogue, data):
    assert_error(world.client("facilitator").post(INVITATIONS, data, format="json"), 400, "email")
    assert not DialogueInvitation.objects.exists()


def test_an_address_is_invited_once(world, dialogue):
    DialogueInvitationFactory(dialogue=dialogue, email="ana@example.org")
    response = world.client("facilitator").post(
        INVITATIONS, {"email": "ANA@example.org"}, format="json"
    )
    assert_error(response, 400, "email")
    assert DialogueInvitation.objects.count() == 1


def test_unknown_invitations_and_other_dialogues_invitations_are_404(world, dialogue):
    elsewhere = DialogueInvitationFactory(
        dialogue=DialogueFactory(partnership=world.partnership, slug="other")
    )
    client = world.client("facilitator")
    assert_error(client.delete(f"{INVITATIONS}{elsewhere.pk}/"), 404)
    assert_error(client.delete(f"{INVITATIONS}{10**20}/"), 404)
    assert DialogueInvitation.objects.filter(pk=elsewhere.pk).exists()


# dialogues outsiders cannot see


@pytest.fixture
def members_only(world) -> tuple[str, int, int, int, int]:
    partnership = PartnershipFactory(
        slug="copernicus-lac",
        visibility=Partnership.Visibility.MEMBERS,
        organisations=[world.organisation],
        facilitators=[world.people["facilitator"]],
    )
    dialogue = DialogueFactory(partnership=partnership, slug="satellites")
    statement = StatementFactory(dialogue=dialogue)
    comment = CommentFactory(statement=statement)
    flag = FlagFactory(statement=statement)
    invitation = DialogueInvitationFactory(dialogue=dialogue)
    base = "/api/v1/partnerships/copernicus-lac/dialogues/satellites/"
    return base, statement.pk, comment.pk, flag.pk, invitation.pk


def test_a_dialogue_outsiders_cannot_see_is_404_to_them_and_403_to_members(world, members_only):
    base, statement_id, comment_id, flag_id, invitation_id = members_only
    comment_base = f"{base}statements/{statement_id}/comments/{comment_id}/"
    for role, code in [("stranger", 404), ("member", 403)]:
        client = world.client(role)
        assert_error(client.get(f"{base}flags/"), code)
        assert_error(client.post(f"{base}flags/{flag_id}/resolve/"), code)
        assert_error(client.post(f"{comment_base}hide/", {"reason": "x"}, format="json"), code)
        assert_error(client.post(f"{comment_base}restore/"), code)
        assert_error(client.get(f"{base}invitations/"), code)
        assert_error(client.post(f"{base}invitations/", {"email": "a@b.org"}, format="json"), code)
        assert_error(client.delete(f"{base}invitations/{invitation_id}/"), code)
    assert world.client("facilitator").get(f"{base}flags/").json()["count"] == 1
    assert Flag.objects.get(pk=flag_id).resolved_at is None
    assert DialogueInvitation.objects.count() == 1
