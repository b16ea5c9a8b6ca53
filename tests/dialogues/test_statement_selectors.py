"""Statement reads: who sees which statements, counts without a query per row, the queue."""

import pytest
from django.contrib.auth.models import AnonymousUser

from puente.dialogues.models import Flag, Statement, StatementTranslation
from puente.dialogues.selectors import (
    comment_list,
    flag_list,
    moderation_queue,
    statement_get,
    statement_list,
    statement_rows,
)
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import CommentFactory, FlagFactory, StatementFactory, VoteFactory

pytestmark = pytest.mark.django_db


def _annotation(row: object, name: str) -> int:
    """Return a count the selector annotated (the model type does not declare it)."""
    return int(getattr(row, name))


def test_the_list_shows_published_statements_and_the_viewers_own_others(world):
    member = world.person("member")
    published = StatementFactory(dialogue=world.dialogue)
    mine_pending = StatementFactory(dialogue=world.dialogue, author=member, status="pending")
    mine_hidden = StatementFactory(dialogue=world.dialogue, author=member, status="hidden")
    StatementFactory(dialogue=world.dialogue, status="pending")
    StatementFactory(dialogue=world.dialogue, status="hidden")
    StatementFactory(dialogue=world.dialogue, author=member, status="merged", merged_into=published)
    StatementFactory(dialogue=world.open_dialogue)
    assert set(statement_list(dialogue=world.dialogue, viewer=member)) == {
        published,
        mine_pending,
        mine_hidden,
    }
    assert list(statement_list(dialogue=world.dialogue, viewer=AnonymousUser())) == [published]
    # Moderators work through the queue: the list is what everyone sees.
    assert list(statement_list(dialogue=world.dialogue, viewer=world.person("admin"))) == [
        published
    ]


def test_moderators_asking_for_a_status_see_everyones_statements_in_it(world):
    member = world.person("member")
    mine = StatementFactory(dialogue=world.dialogue, author=member, status="pending")
    waiting = StatementFactory(dialogue=world.dialogue, status="pending")
    StatementFactory(dialogue=world.dialogue)
    admin = world.person("admin")
    assert set(statement_list(dialogue=world.dialogue, viewer=admin, status="pending")) == {
        mine,
        waiting,
    }
    assert list(statement_list(dialogue=world.dialogue, viewer=member, status="pending")) == [mine]
    assert not statement_list(dialogue=world.dialogue, viewer=AnonymousUser(), status="pending")


def test_the_list_counts_votes_and_visible_comments_and_orders_by_them(world):
    quiet = StatementFactory(dialogue=world.dialogue, text="Quiet one")
    popular = StatementFactory(dialogue=world.dialogue, text="Popular one", kind="expectation")
    VoteFactory.create_batch(3, statement=popular)
    CommentFactory.create_batch(2, statement=popular)
    CommentFactory(statement=popular, is_hidden=True)
    rows = list(statement_list(dialogue=world.dialogue, viewer=AnonymousUser(), order="most_votes"))
    assert rows == [popular, quiet]
    assert (_annotation(rows[0], "n_votes"), _annotation(rows[0], "n_comments")) == (3, 2)
    newest = statement_list(dialogue=world.dialogue, viewer=AnonymousUser(), order="newest")
    assert list(newest) == [popular, quiet]
    oldest = statement_list(dialogue=world.dialogue, viewer=AnonymousUser(), order="oldest")
    assert list(oldest) == [quiet, popular]
    by_kind = statement_list(dialogue=world.dialogue, viewer=AnonymousUser(), kind="expectation")
    assert list(by_kind) == [popular]
    found = statement_list(dialogue=world.dialogue, viewer=AnonymousUser(), q="quiet")
    assert list(found) == [quiet]


def _read_rows(rows: list[Statement]) -> list[str]:
    shown = []
    for row in rows:
        str(row.author), str(row.organisation)
        _annotation(row, "n_votes"), _annotation(row, "n_comments")
        shown.append(row.shown_in("es").text)
    return shown


def test_the_list_takes_two_queries_whatever_its_length(world, django_assert_num_queries):
    statements = []
    for _ in range(15):
        statement = StatementFactory(dialogue=world.dialogue)
        VoteFactory(statement=statement)
        CommentFactory(statement=statement)
        statements.append(statement)
    StatementTranslation.objects.create(statement=statements[3], language="es", text="Uno")
    StatementTranslation.objects.create(statement=statements[9], language="es", text="Dos")
    StatementTranslation.objects.create(statement=statements[9], language="fr", text="Deux")
    # The statements with their counts, then the translations of those that have some.
    with django_assert_num_queries(2):
        shown = _read_rows(list(statement_list(dialogue=world.dialogue, viewer=AnonymousUser())))
    expected = {statement.text for statement in statements} - {
        statements[3].text,
        statements[9].text,
    }
    assert set(shown) == expected | {"Uno", "Dos"}


def test_a_list_without_translations_takes_one_query(world, django_assert_num_queries):
    for _ in range(5):
        StatementFactory(dialogue=world.dialogue)
    with django_assert_num_queries(1):
        rows = list(statement_list(dialogue=world.dialogue, viewer=AnonymousUser()))
        shown = _read_rows(rows)
    assert sorted(shown) == sorted(row.text for row in rows)
    # The empty lists given at once behave as read ones: filtered, counted, without a query.
    with django_assert_num_queries(0):
        assert not rows[0].translations.filter(language="es").exists()
        assert rows[0].translations.count() == 0


def test_the_rows_bring_the_viewers_own_votes(world, django_assert_num_queries):
    member = world.person("member")
    agreed, disagreed, unvoted = (StatementFactory(dialogue=world.dialogue) for _ in range(3))
    VoteFactory(statement=agreed, participant=member, choice=1)
    VoteFactory(statement=disagreed, participant=member, choice=-1)
    VoteFactory(statement=unvoted, choice=1)  # someone else's
    with django_assert_num_queries(1):
        rows = list(statement_rows(dialogue=world.dialogue, viewer=member))
    assert {row.pk: getattr(row, "my_vote") for row in rows} == {  # noqa: B009
        agreed.pk: 1,
        disagreed.pk: -1,
        unvoted.pk: None,
    }
    anonymous = statement_rows(dialogue=world.dialogue, viewer=AnonymousUser())
    assert all(not hasattr(row, "my_vote") for row in anonymous)


def test_statement_get_hides_what_the_viewer_may_not_see(world):
    member = world.person("member")
    pending = StatementFactory(dialogue=world.dialogue, author=member, status="pending")
    for viewer in (member, world.person("facilitator"), world.person("admin")):
        assert statement_get(dialogue=world.dialogue, pk=pending.pk, viewer=viewer) == pending
    for viewer in (AnonymousUser(), world.person("stranger"), UserFactory()):
        with pytest.raises(Statement.DoesNotExist):
            statement_get(dialogue=world.dialogue, pk=pending.pk, viewer=viewer)
    with pytest.raises(Statement.DoesNotExist):
        statement_get(dialogue=world.open_dialogue, pk=pending.pk, viewer=member)


def test_the_queue_holds_pending_flagged_and_hidden_statements(world):
    pending = StatementFactory(dialogue=world.dialogue, status="pending")
    flagged = StatementFactory(dialogue=world.dialogue)
    StatementFactory(dialogue=world.dialogue)  # nothing to do
    hidden = StatementFactory(dialogue=world.dialogue, status="hidden")
    Flag.objects.create(statement=flagged, person=UserFactory(), reason="spam")
    Flag.objects.create(statement=flagged, person=UserFactory(), reason="offensive")
    resolved = StatementFactory(dialogue=world.dialogue)
    Flag.objects.create(
        statement=resolved, person=UserFactory(), reason="spam", resolved_at="2026-01-01T00:00Z"
    )
    comment = CommentFactory(statement=flagged)
    Flag.objects.create(comment=comment, person=UserFactory(), reason="spam")
    queue = moderation_queue(dialogue=world.dialogue)
    assert queue.pending == [pending]
    assert queue.flagged == [flagged]
    assert _annotation(queue.flagged[0], "n_open_flags") == 2
    assert queue.hidden == [hidden]
    assert queue.flagged_comments == [comment]
    assert not queue.is_empty


def test_the_flag_list_holds_the_dialogues_flags_open_dealt_with_or_all(world):
    on_statement = FlagFactory(statement__dialogue=world.dialogue)
    on_comment = FlagFactory(
        statement=None, comment=CommentFactory(statement__dialogue=world.dialogue)
    )
    dealt_with = FlagFactory(statement__dialogue=world.dialogue, resolved_at="2026-01-01T00:00Z")
    FlagFactory(statement__dialogue=world.open_dialogue)
    assert list(flag_list(dialogue=world.dialogue)) == [on_statement, on_comment]
    assert list(flag_list(dialogue=world.dialogue, is_resolved=True)) == [dealt_with]
    assert list(flag_list(dialogue=world.dialogue, is_resolved=None)) == [
        on_statement,
        on_comment,
        dealt_with,
    ]


def test_comments_come_with_their_replies_in_two_queries(world, django_assert_num_queries):
    statement = StatementFactory(dialogue=world.dialogue)
    for _ in range(5):
        top = CommentFactory(statement=statement)
        CommentFactory.create_batch(2, statement=statement, parent=top)
    hidden = CommentFactory(statement=statement, is_hidden=True)
    with django_assert_num_queries(2):  # comments, then all their replies
        comments = list(comment_list(statement=statement, viewer=AnonymousUser()))
        assert len(comments) == 5
        assert all(len(comment.replies.all()) == 2 for comment in comments)
        assert hidden not in comments
    as_moderator = comment_list(statement=statement, viewer=world.person("admin"))
    assert hidden in list(as_moderator)
