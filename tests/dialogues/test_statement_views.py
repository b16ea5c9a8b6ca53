"""Statement pages: status, template, what they write and what they refuse."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from puente.dialogues.models import (
    Comment,
    Dialogue,
    DialogueInvitation,
    Flag,
    Statement,
    Vote,
)
from tests.dialogues.factories import (
    CommentFactory,
    ParticipationFactory,
    StatementFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


def _url(name, dialogue, **kwargs):
    return reverse(
        f"dialogues:{name}",
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug, **kwargs},
    )


@pytest.fixture
def member(world):
    person = world.person("member")
    ParticipationFactory(dialogue=world.dialogue, person=person, organisation=world.organisation)
    return person


# list


def test_visitors_read_the_published_statements(world, client):
    StatementFactory(dialogue=world.dialogue, text="Connect every school")
    StatementFactory(dialogue=world.dialogue, text="Secret waiting one", status="pending")
    response = client.get(_url("statement-list", world.dialogue))
    assert response.status_code == 200
    assert "dialogues/statement_list.html" in [t.name for t in response.templates]
    assert "Connect every school" in response.text
    assert "Secret waiting one" not in response.text
    assert "1 statement" in response.text


def test_the_list_searches_filters_orders_and_pages(world, client):
    StatementFactory(dialogue=world.dialogue, text="Fibre for schools", kind="expectation")
    popular = StatementFactory(dialogue=world.dialogue, text="Satellite data", kind="proposal")
    VoteFactory.create_batch(2, statement=popular)
    url = _url("statement-list", world.dialogue)
    assert "Satellite" not in client.get(url, {"q": "fibre"}).text
    assert "Fibre" not in client.get(url, {"kind": "proposal"}).text
    most = client.get(url, {"order": "most_votes"}).text
    assert most.index("Satellite data") < most.index("Fibre for schools")
    # Bad parameters fall back to the defaults rather than failing.
    assert client.get(url, {"kind": "nonsense", "order": "x", "page": "abc"}).status_code == 200
    StatementFactory.create_batch(25, dialogue=world.dialogue)
    second = client.get(url, {"page": "2"})
    assert "Page 2 of 2" in second.text


def test_an_empty_search_says_so_and_an_empty_dialogue_too(world, client):
    url = _url("statement-list", world.dialogue)
    assert "No statements yet." in client.get(url).text
    StatementFactory(dialogue=world.dialogue)
    assert "No statement matches your search." in client.get(url, {"q": "zzz"}).text


def test_htmx_gets_only_the_rows(world, client):
    StatementFactory(dialogue=world.dialogue, text="Fibre for schools")
    response = client.get(_url("statement-list", world.dialogue), HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "dialogues/_statement_rows.html"
    assert "<html" not in response.text


def test_the_list_page_has_a_query_budget(world, client_as, member, django_assert_max_num_queries):
    for _ in range(20):
        statement = StatementFactory(dialogue=world.dialogue)
        VoteFactory(statement=statement, participant=member)
        CommentFactory(statement=statement)
    client = client_as(member)
    with django_assert_max_num_queries(25):
        response = client.get(_url("statement-list", world.dialogue))
    assert response.status_code == 200


def test_the_list_page_takes_as_many_queries_for_twenty_rows_as_for_two(world, client_as, member):
    client = client_as(member)
    url = _url("statement-list", world.dialogue)

    def queries() -> int:
        client.get(url)  # the first view of new rows fills their cached fragments
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add(n: int) -> None:
        for _ in range(n):
            statement = StatementFactory(dialogue=world.dialogue, organisation=world.organisation)
            VoteFactory(statement=statement, participant=member)
            CommentFactory(statement=statement)

    add(2)
    few = queries()
    add(18)
    assert queries() == few


def test_the_cached_rows_follow_everything_they_show(world, client_as, member):
    author = world.person("outsider")
    statement = StatementFactory(
        dialogue=world.dialogue, text="Fibre for schools", author=author, organisation=None
    )
    client = client_as(member)
    url = _url("statement-list", world.dialogue)

    def row() -> str:
        text: str = client.get(url).text
        return text[text.index('<li class="border-bottom') :]

    assert "0 votes" in row()
    assert 'aria-pressed="true"' not in row()
    VoteFactory(statement=statement, participant=member, choice=-1)
    shown = row()
    assert "1 vote " in shown
    # Only the disagree button is pressed: the vote buttons' own fragment followed too.
    assert shown.count('aria-pressed="true"') == 1
    assert shown.index('aria-pressed="true"') > shown.index('value="-1"')
    CommentFactory(statement=statement)
    assert "1 comment" in row()
    author.name = "Renamed Author"
    author.save()
    assert "Renamed Author" in row()
    Statement.objects.filter(pk=statement.pk).update(is_seed=True)
    assert "Seed" in row()
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").text
    assert "Inicial" in spanish
    assert "De acuerdo" in spanish
    assert "Seed" in row()
    assert "Agree" in row()


def test_the_author_sees_their_hidden_statement_with_the_reason(world, client_as, member):
    statement = StatementFactory(
        dialogue=world.dialogue, author=member, status="hidden", moderation_reason="Off topic here"
    )
    client = client_as(member)
    assert statement.text in client.get(_url("statement-list", world.dialogue)).text
    detail = client.get(statement.get_absolute_url())
    assert detail.status_code == 200
    assert "Off topic here" in detail.text


@pytest.mark.parametrize("role", ["visitor", "stranger", "outsider"])
def test_others_get_404_for_a_hidden_or_waiting_statement(world, client_as, role):
    for status in ("hidden", "pending"):
        statement = StatementFactory(dialogue=world.dialogue, status=status)
        assert client_as(world.person(role)).get(statement.get_absolute_url()).status_code == 404


def test_a_merged_statement_leads_to_the_survivor(world, client):
    survivor = StatementFactory(dialogue=world.dialogue)
    merged = StatementFactory(dialogue=world.dialogue, status="merged", merged_into=survivor)
    response = client.get(merged.get_absolute_url())
    assert response.status_code == 302
    assert response.url == survivor.get_absolute_url()


@pytest.mark.parametrize("role", ["visitor", "stranger", "outsider"])
def test_members_only_dialogues_are_404_on_every_statement_page(world, client_as, role):
    statement = StatementFactory(dialogue=world.hidden_dialogue)
    client = client_as(world.person(role))
    dialogue = world.hidden_dialogue
    for url in (
        _url("statement-list", dialogue),
        _url("statement-create", dialogue),
        statement.get_absolute_url(),
        _url("statement-flag", dialogue, pk=statement.pk),
        _url("moderation-queue", dialogue),
        _url("invitation-list", dialogue),
    ):
        response = client.get(url)
        if role == "visitor" and response.status_code == 302:
            continue  # the login page first, which reveals nothing either
        assert response.status_code == 404, url


# detail


def test_details_render_as_sanitised_markdown(world, client):
    statement = StatementFactory(
        dialogue=world.dialogue,
        details="**Bold** idea <script>alert(1)</script> [x](javascript:alert(1))",
    )
    response = client.get(statement.get_absolute_url())
    assert "<strong>Bold</strong>" in response.text
    assert "<script>alert(1)" not in response.text
    assert "javascript:alert" not in response.text


def test_the_detail_page_has_a_slot_for_agenda_uses(world, client):
    statement = StatementFactory(dialogue=world.dialogue)
    response = client.get(statement.get_absolute_url())
    assert "dialogues/_statement_uses.html" in [t.name for t in response.templates]


# add


def test_a_participant_adds_a_statement(world, client_as, member):
    response = client_as(member).post(
        _url("statement-create", world.dialogue),
        {"text": " Shared data centres ", "kind": "proposal", "language": "en", "details": ""},
    )
    statement = Statement.objects.get()
    assert response.status_code == 302
    assert response.url == statement.get_absolute_url()
    assert statement.text == "Shared data centres"
    assert statement.organisation == world.organisation


def test_the_add_form_defaults_to_the_request_language(world, client_as, member):
    client = client_as(member)
    response = client.get(_url("statement-create", world.dialogue), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert response.context["form"].initial["language"] in {"es", "en"}
    assert 'data-character-count="' in response.text
    assert 'maxlength="300"' in response.text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": "", "kind": "proposal", "language": "en"}, "text"),
        ({"text": "x" * 301, "kind": "proposal", "language": "en"}, "text"),
        ({"text": "Fine", "kind": "wish", "language": "en"}, "kind"),
        ({"text": "Fine", "kind": "proposal", "language": "de"}, "language"),
    ],
)
def test_bad_input_gets_field_errors_and_writes_nothing(world, client_as, member, data, field):
    response = client_as(member).post(_url("statement-create", world.dialogue), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.text
    assert not Statement.objects.exists()


def test_a_duplicate_text_is_a_field_error(world, client_as, member):
    StatementFactory(dialogue=world.dialogue, text="Same words")
    response = client_as(member).post(
        _url("statement-create", world.dialogue),
        {"text": "Same words", "kind": "proposal", "language": "en"},
    )
    assert response.status_code == 400
    assert "already in the dialogue" in response.text


def test_without_a_participation_the_form_says_how_to_take_part(world, client_as):
    response = client_as(world.person("member")).post(
        _url("statement-create", world.dialogue),
        {"text": "Words", "kind": "proposal", "language": "en"},
    )
    assert response.status_code == 400
    assert "Choose first whether you take part" in response.text


def test_pre_moderated_statements_wait_and_say_so(world, client_as, member):
    Dialogue.objects.filter(pk=world.dialogue.pk).update(pre_moderation=True)
    response = client_as(member).post(
        _url("statement-create", world.dialogue),
        {"text": "Words", "kind": "proposal", "language": "en"},
        follow=True,
    )
    assert Statement.objects.get().status == "pending"
    assert "approved it" in response.text


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("stranger", 403), ("outsider", 403), ("member", 200)],
)
def test_who_may_open_the_add_form(world, client_as, role, expected):
    response = client_as(world.person(role)).get(_url("statement-create", world.dialogue))
    assert response.status_code == expected


def test_a_facilitator_seeds_through_the_same_form(world, client_as):
    response = client_as(world.person("facilitator")).post(
        _url("statement-create", world.dialogue),
        {"text": "Seeded", "kind": "expectation", "language": "en"},
    )
    assert response.status_code == 302
    assert Statement.objects.get().is_seed


def test_the_author_edits_and_others_may_not(world, client_as, member):
    statement = StatementFactory(dialogue=world.dialogue, author=member)
    data = {"text": "Edited", "kind": "proposal", "language": "en"}
    assert client_as(world.person("stranger")).post(
        _url("statement-edit", world.dialogue, pk=statement.pk), data
    ).status_code in {403}
    response = client_as(member).post(_url("statement-edit", world.dialogue, pk=statement.pk), data)
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.text == "Edited"


# comments


def test_a_participant_comments_and_replies_and_a_reply_to_a_reply_joins_the_top(
    world, client_as, member
):
    statement = StatementFactory(dialogue=world.dialogue)
    client = client_as(member)
    url = _url("comment-create", world.dialogue, pk=statement.pk)
    assert client.post(url, {"text": "First"}).status_code == 302
    top = Comment.objects.get()
    assert client.post(url, {"text": "Reply", "parent": top.pk}).status_code == 302
    reply = Comment.objects.get(text="Reply")
    assert client.post(url, {"text": "Deeper", "parent": reply.pk}).status_code == 302
    assert Comment.objects.get(text="Deeper").parent == top
    page = client.get(statement.get_absolute_url()).text
    assert "Deeper" in page
    assert f'id="reply-{top.pk}"' in page


def test_an_empty_comment_or_reply_is_refused_on_the_page(world, client_as, member):
    statement = StatementFactory(dialogue=world.dialogue)
    top = CommentFactory(statement=statement)
    client = client_as(member)
    url = _url("comment-create", world.dialogue, pk=statement.pk)
    response = client.post(url, {"text": "  "})
    assert response.status_code == 400
    assert 'id="id_text_error"' in response.text
    response = client.post(url, {"text": "", "parent": top.pk})
    assert response.status_code == 400
    assert f'id="reply-{top.pk}-error"' in response.text
    response = client.post(url, {"text": "x", "parent": 999999})
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_strangers_may_not_comment(world, client_as):
    statement = StatementFactory(dialogue=world.dialogue)
    response = client_as(world.person("stranger")).post(
        _url("comment-create", world.dialogue, pk=statement.pk), {"text": "Hi"}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


# flags


def test_a_participant_flags_once_and_is_told_the_second_time(world, client_as, member):
    statement = StatementFactory(dialogue=world.dialogue)
    client = client_as(member)
    url = _url("statement-flag", world.dialogue, pk=statement.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "spam", "note": "ads"}).status_code == 302
    again = client.post(url, {"reason": "offensive"})
    assert again.status_code == 400
    assert "already flagged" in again.text
    assert Flag.objects.count() == 1


def test_a_participant_flags_a_comment(world, client_as, member):
    comment = CommentFactory(statement=StatementFactory(dialogue=world.dialogue))
    response = client_as(member).post(
        _url("comment-flag", world.dialogue, pk=comment.pk), {"reason": "off_topic"}
    )
    assert response.status_code == 302
    assert Flag.objects.get().comment == comment


# moderation


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 403), ("stranger", 403), ("facilitator", 200), ("admin", 200)],
)
def test_only_moderators_open_the_queue(world, client_as, role, expected):
    response = client_as(world.person(role)).get(_url("moderation-queue", world.dialogue))
    assert response.status_code == expected


def test_the_queue_lists_pending_flagged_and_hidden(world, client_as, member):
    StatementFactory(dialogue=world.dialogue, text="Waiting words", status="pending")
    flagged = StatementFactory(dialogue=world.dialogue, text="Flagged words")
    Flag.objects.create(statement=flagged, person=member, reason="spam")
    StatementFactory(
        dialogue=world.dialogue, text="Hidden words", status="hidden", moderation_reason="Ads"
    )
    page = client_as(world.person("facilitator")).get(_url("moderation-queue", world.dialogue))
    for text in ("Waiting words", "Flagged words", "1 open flag", "Hidden words", "Ads"):
        assert text in page.text


def test_hiding_asks_first_then_needs_a_reason(world, client_as):
    statement = StatementFactory(dialogue=world.dialogue)
    client = client_as(world.person("facilitator"))
    url = _url("statement-hide", world.dialogue, pk=statement.pk)
    assert client.get(url).status_code == 200
    statement.refresh_from_db()
    assert statement.status == "published"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.text
    assert client.post(url, {"reason": "Advertising"}).status_code == 302
    statement.refresh_from_db()
    assert (statement.status, statement.moderation_reason) == ("hidden", "Advertising")


def test_a_member_may_not_hide(world, client_as, member):
    statement = StatementFactory(dialogue=world.dialogue)
    response = client_as(member).post(
        _url("statement-hide", world.dialogue, pk=statement.pk), {"reason": "No"}
    )
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.status == "published"


def test_restore_asks_first_then_publishes(world, client_as):
    statement = StatementFactory(dialogue=world.dialogue, status="hidden", moderation_reason="x")
    client = client_as(world.person("facilitator"))
    url = _url("statement-restore", world.dialogue, pk=statement.pk)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    statement.refresh_from_db()
    assert statement.status == "published"
    assert client.post(url).status_code == 400  # nothing to restore now


def test_approve_publishes_a_waiting_statement(world, client_as):
    statement = StatementFactory(dialogue=world.dialogue, status="pending")
    client = client_as(world.person("facilitator"))
    response = client.post(_url("statement-approve", world.dialogue, pk=statement.pk))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == "published"


def test_merge_chooses_confirms_then_merges(
    world, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    duplicate = StatementFactory(dialogue=world.dialogue, text="Fibre to schools")
    survivor = StatementFactory(dialogue=world.dialogue, text="Connect every school")
    VoteFactory(statement=duplicate)
    client = client_as(world.person("facilitator"))
    url = _url("statement-merge", world.dialogue, pk=duplicate.pk)
    chooser = client.get(url)
    assert "Connect every school" in chooser.text
    assert client.post(url, {}).status_code == 400
    confirm = client.post(url, {"survivor": survivor.pk})
    assert confirm.status_code == 200
    assert confirm.context["confirming"]
    duplicate.refresh_from_db()
    assert duplicate.status == "published"  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"survivor": survivor.pk, "confirm": "on"})
    assert done.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert Vote.objects.filter(statement=survivor).count() == 1
    assert len(mailoutbox) == 1


def test_merge_refuses_a_survivor_from_elsewhere(world, client_as):
    duplicate = StatementFactory(dialogue=world.dialogue)
    elsewhere = StatementFactory(dialogue=world.open_dialogue)
    response = client_as(world.person("facilitator")).post(
        _url("statement-merge", world.dialogue, pk=duplicate.pk),
        {"survivor": elsewhere.pk, "confirm": "on"},
    )
    assert response.status_code == 400
    duplicate.refresh_from_db()
    assert duplicate.status == "published"


def test_a_moderator_hides_a_comment_and_dismisses_flags(world, client_as, member):
    statement = StatementFactory(dialogue=world.dialogue)
    comment = CommentFactory(statement=statement, text="Rude words")
    Flag.objects.create(comment=comment, person=member, reason="offensive")
    Flag.objects.create(statement=statement, person=member, reason="spam")
    client = client_as(world.person("facilitator"))
    url = _url("comment-hide", world.dialogue, pk=comment.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Rude"}).status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden
    assert "Rude words" not in client_as(member).get(statement.get_absolute_url()).text
    client = client_as(world.person("facilitator"))
    response = client.post(
        _url("flag-resolve", world.dialogue, pk=statement.pk), {"target": "statement"}
    )
    assert response.status_code == 302
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()


def test_a_moderator_restores_a_hidden_comment_and_others_cannot(world, client_as, member):
    statement = StatementFactory(dialogue=world.dialogue)
    comment = CommentFactory(
        statement=statement, text="Fair point after all", is_hidden=True, moderation_reason="Rude"
    )
    url = _url("comment-restore", world.dialogue, pk=comment.pk)
    # A participant neither sees the hidden comment's page nor may restore it.
    assert client_as(member).get(url).status_code in {403, 404}
    assert client_as(member).post(url).status_code in {403, 404}
    comment.refresh_from_db()
    assert comment.is_hidden

    facilitator = client_as(world.person("facilitator"))
    page = facilitator.get(statement.get_absolute_url()).text
    assert url in page  # the hidden comment offers the moderator a way back
    confirm = facilitator.get(url)
    assert confirm.status_code == 200
    assert "Fair point after all" in confirm.text
    response = facilitator.post(url)
    assert response.status_code == 302
    assert response["Location"].endswith("#comments")
    comment.refresh_from_db()
    assert (comment.is_hidden, comment.moderation_reason) == (False, "")
    assert "Fair point after all" in client_as(member).get(statement.get_absolute_url()).text
    # Restoring a comment that is shown says why, and changes nothing.
    again = client_as(world.person("facilitator")).post(url)
    assert again.status_code == 400
    assert "Only a hidden comment can be restored." in again.text


# invitations


def test_a_facilitator_invites_and_withdraws(
    world, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    Dialogue.objects.filter(pk=world.dialogue.pk).update(participation="invited")
    client = client_as(world.person("facilitator"))
    url = _url("invitation-list", world.dialogue)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"email": "Gina@Example.org"}).status_code == 302
    invitation = DialogueInvitation.objects.get()
    assert invitation.email == "gina@example.org"
    assert len(mailoutbox) == 1
    again = client.post(url, {"email": "GINA@example.org"})
    assert again.status_code == 400
    assert "already been invited" in again.text
    bad = client.post(url, {"email": "nope"})
    assert bad.status_code == 400
    delete_url = _url("invitation-delete", world.dialogue, pk=invitation.pk)
    assert client.get(delete_url).status_code == 200
    assert DialogueInvitation.objects.exists()
    assert client.post(delete_url).status_code == 302
    assert not DialogueInvitation.objects.exists()


@pytest.mark.parametrize("role", ["member", "stranger"])
def test_others_may_not_manage_invitations(world, client_as, role):
    response = client_as(world.person(role)).post(
        _url("invitation-list", world.dialogue), {"email": "a@example.org"}
    )
    assert response.status_code == 403
    assert not DialogueInvitation.objects.exists()


# the dialogue page


def test_the_dialogue_page_shows_the_statements_section(world, client_as, member):
    StatementFactory.create_batch(2, dialogue=world.dialogue)
    StatementFactory(dialogue=world.dialogue, status="pending")
    page = client_as(member).get(world.dialogue.get_absolute_url()).text
    assert "2 statements so far." in page
    assert _url("statement-create", world.dialogue) in page
    assert _url("moderation-queue", world.dialogue) not in page
    facilitator_page = client_as(world.person("facilitator")).get(world.dialogue.get_absolute_url())
    assert _url("moderation-queue", world.dialogue) in facilitator_page.text
    title = facilitator_page.text.split("<title>")[1].split("</title>")[0]
    assert "statements so far" not in title
