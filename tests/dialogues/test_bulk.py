"""Bulk loads of trusted votes and comparisons, on SQLite and on PostgreSQL (COPY)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from puente.dialogues.models import Comparison, Vote, VoteChange
from puente.dialogues.services.bulk import comparisons_bulk_load, votes_bulk_load
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import DialogueFactory, StatementFactory, VoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue_with_statements():
    dialogue = DialogueFactory()
    statements = StatementFactory.create_batch(3, dialogue=dialogue)
    people = UserFactory.create_batch(2)
    return dialogue, [s.pk for s in statements], [p.pk for p in people]


def test_votes_are_written_each_with_its_vote_change(dialogue_with_statements):
    dialogue, (s1, s2, s3), (alice, bob) = dialogue_with_statements
    rows = [(alice, s1, 1), (alice, s2, -1), (bob, s1, 0), (bob, s3, 1)]

    n_votes = votes_bulk_load(dialogue=dialogue, rows=rows)

    assert n_votes == 4
    stored = set(Vote.objects.values_list("participant_id", "statement_id", "choice"))
    assert stored == set(rows)
    assert set(Vote.objects.values_list("dialogue_id", flat=True)) == {dialogue.pk}
    changes = list(
        VoteChange.objects.order_by("pk").values_list("participant_id", "statement_id", "choice")
    )
    assert changes == rows
    for vote in Vote.objects.all():
        assert abs(vote.created_at - timezone.now()) < timedelta(minutes=1)
        assert vote.updated_at == vote.created_at


def test_votes_load_in_batches_larger_than_one(dialogue_with_statements, monkeypatch):
    dialogue, statement_ids, _people = dialogue_with_statements
    monkeypatch.setattr("puente.dialogues.services.bulk._BATCH_SIZE", 7)
    people = [person.pk for person in UserFactory.create_batch(10)]
    rows = [(person, statement, 1) for person in people for statement in statement_ids]

    assert votes_bulk_load(dialogue=dialogue, rows=iter(rows)) == 30
    assert Vote.objects.count() == VoteChange.objects.count() == 30


def test_a_statement_of_another_dialogue_writes_nothing(dialogue_with_statements):
    dialogue, (s1, _s2, _s3), (alice, _bob) = dialogue_with_statements
    elsewhere = StatementFactory()

    with pytest.raises(ValueError, match="not in the dialogue"):
        votes_bulk_load(dialogue=dialogue, rows=[(alice, s1, 1), (alice, elsewhere.pk, 1)])

    assert not Vote.objects.exists()
    assert not VoteChange.objects.exists()


def test_an_unknown_choice_writes_nothing(dialogue_with_statements):
    dialogue, (s1, s2, _s3), (alice, _bob) = dialogue_with_statements

    with pytest.raises(ValueError, match="unknown vote"):
        votes_bulk_load(dialogue=dialogue, rows=[(alice, s1, 1), (alice, s2, 2)])

    assert not Vote.objects.exists()


def test_a_second_vote_on_the_same_statement_is_refused_and_writes_nothing(
    dialogue_with_statements,
):
    dialogue, (s1, s2, _s3), (alice, _bob) = dialogue_with_statements
    VoteFactory(
        dialogue=dialogue, statement_id=s1, participant_id=alice, choice=Vote.Choice.DISAGREE
    )

    with pytest.raises(IntegrityError):
        votes_bulk_load(dialogue=dialogue, rows=[(alice, s2, 1), (alice, s1, 1)])

    assert list(Vote.objects.values_list("statement_id", "choice")) == [(s1, -1)]
    assert not VoteChange.objects.exists()


def test_comparisons_are_stored_lower_id_first_with_the_answer_turned(dialogue_with_statements):
    dialogue, (s1, s2, s3), (alice, bob) = dialogue_with_statements
    rows = [
        (alice, s1, s2, "first"),
        (alice, s3, s1, "first"),  # s3 came first: stored as (s1, s3, second)
        (bob, s3, s2, "undecided"),
    ]

    assert comparisons_bulk_load(dialogue=dialogue, rows=rows) == 3

    stored = set(
        Comparison.objects.values_list("participant_id", "first_id", "second_id", "choice")
    )
    assert stored == {
        (alice, s1, s2, "first"),
        (alice, s1, s3, "second"),
        (bob, s2, s3, "undecided"),
    }
    assert set(Comparison.objects.values_list("dialogue_id", flat=True)) == {dialogue.pk}


@pytest.mark.parametrize(
    ("row_of", "message"),
    [
        (lambda s, p: (p, s[0], s[0], "first"), "compared with itself"),
        (lambda s, p: (p, s[0], s[1], "both"), "unknown answer"),
        (lambda s, p: (p, s[0], -1, "first"), "not in the dialogue"),
    ],
)
def test_bad_comparisons_write_nothing(dialogue_with_statements, row_of, message):
    dialogue, statement_ids, (alice, _bob) = dialogue_with_statements
    good = (alice, statement_ids[1], statement_ids[2], "first")

    with pytest.raises(ValueError, match=message):
        comparisons_bulk_load(dialogue=dialogue, rows=[good, row_of(statement_ids, alice)])

    assert not Comparison.objects.exists()


def test_a_pair_answered_twice_is_refused_and_writes_nothing(dialogue_with_statements):
    dialogue, (s1, s2, _s3), (alice, _bob) = dialogue_with_statements

    with pytest.raises(IntegrityError):
        comparisons_bulk_load(
            dialogue=dialogue, rows=[(alice, s1, s2, "first"), (alice, s2, s1, "second")]
        )

    assert not Comparison.objects.exists()


def test_the_database_gets_the_fast_path_it_has(dialogue_with_statements):
    """PostgreSQL loads through COPY (no INSERT), SQLite through one executemany per table."""
    dialogue, (s1, s2, _s3), (alice, _bob) = dialogue_with_statements
    inserts = []

    def record(execute, sql, params, many, context):
        if sql.startswith("INSERT"):
            inserts.append((sql.split()[2], many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        votes_bulk_load(dialogue=dialogue, rows=[(alice, s1, 1), (alice, s2, -1)])

    assert Vote.objects.count() == 2
    if connection.vendor == "postgresql":
        assert inserts == []
    else:
        assert inserts == [('"dialogues_vote"', True), ('"dialogues_votechange"', True)]


def test_postgresql_knows_the_new_row_counts_after_a_load(dialogue_with_statements):
    """The planner's statistics are refreshed, or it plans for the empty table it saw last."""
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    dialogue, statement_ids, people = dialogue_with_statements
    rows = [(person, statement, 1) for person in people for statement in statement_ids]

    votes_bulk_load(dialogue=dialogue, rows=rows)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN (%s, %s)",
            [Vote._meta.db_table, VoteChange._meta.db_table],
        )
        assert dict(cursor.fetchall()) == {
            Vote._meta.db_table: len(rows),
            VoteChange._meta.db_table: len(rows),
        }
