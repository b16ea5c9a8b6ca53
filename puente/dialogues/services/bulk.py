"""Bulk loads of trusted votes and comparisons: the demo and the benchmarks, never people.

The rows skip permissions and phases (nobody cast them through the site) but not the data's
rules: statements must be the dialogue's, choices known, and each vote gets its VoteChange as
if it had been cast. PostgreSQL receives the rows through COPY, SQLite through one INSERT per
batch of rows (executemany); either way all or nothing is written. The caller refreshes the
results.
"""

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from ..models import Comparison, Dialogue, Statement, Vote, VoteChange

# Rows inserted at a time on SQLite (bounds the memory of the adapted rows).
_BATCH_SIZE = 5000

VoteRow = tuple[int, int, int]
"""(participant id, statement id, choice)."""

ComparisonRow = tuple[int, int, int, str]
"""(participant id, first statement id, second statement id, Comparison.Choice value)."""

_VOTE_CHOICES = frozenset(Vote.Choice.values)
_COMPARISON_CHOICES = frozenset(Comparison.Choice.values)
_FLIPPED = {
    Comparison.Choice.FIRST.value: Comparison.Choice.SECOND.value,
    Comparison.Choice.SECOND.value: Comparison.Choice.FIRST.value,
    Comparison.Choice.UNDECIDED.value: Comparison.Choice.UNDECIDED.value,
}


@transaction.atomic
def votes_bulk_load(*, dialogue: Dialogue, rows: Iterable[VoteRow]) -> int:
    """Write the votes, each with its VoteChange, for pairs that have no vote yet.

    Return how many votes were written. A statement of another dialogue or an unknown choice
    raises ValueError and writes nothing; a participant who already voted on the statement
    raises IntegrityError, as the database refuses the second vote.
    """
    cast_at = timezone.now()
    statement_ids = _statement_ids(dialogue)
    votes: list[VoteRow] = []
    for participant_id, statement_id, choice in rows:
        if statement_id not in statement_ids:
            raise ValueError(f"statement {statement_id} is not in the dialogue")
        if choice not in _VOTE_CHOICES:
            raise ValueError(f"unknown vote {choice!r}")
        votes.append((participant_id, statement_id, choice))
    fields = ("dialogue", "participant", "statement", "choice", "created_at")
    _load(Vote, (*fields, "updated_at"), _with(dialogue.pk, votes, (cast_at, cast_at)))
    _load(VoteChange, fields, _with(dialogue.pk, votes, (cast_at,)))
    return len(votes)


@transaction.atomic
def comparisons_bulk_load(*, dialogue: Dialogue, rows: Iterable[ComparisonRow]) -> int:
    """Write the pairwise comparisons, for pairs the participant has not answered yet.

    A pair given with the higher id first is stored the other way round with its answer
    turned, as the model keeps each pair in one order. Return how many were written; a
    statement of another dialogue, a statement compared with itself or an unknown answer
    raises ValueError and writes nothing.
    """
    answered_at = timezone.now()
    statement_ids = _statement_ids(dialogue)
    comparisons: list[ComparisonRow] = []
    for participant_id, first_id, second_id, choice in rows:
        if first_id not in statement_ids or second_id not in statement_ids:
            raise ValueError(f"statement {first_id} or {second_id} is not in the dialogue")
        if first_id == second_id:
            raise ValueError(f"statement {first_id} is compared with itself")
        if choice not in _COMPARISON_CHOICES:
            raise ValueError(f"unknown answer {choice!r}")
        if first_id < second_id:
            comparisons.append((participant_id, first_id, second_id, choice))
        else:
            comparisons.append((participant_id, second_id, first_id, _FLIPPED[choice]))
    fields = ("dialogue", "participant", "first", "second", "choice", "created_at", "updated_at")
    _load(Comparison, fields, _with(dialogue.pk, comparisons, (answered_at, answered_at)))
    return len(comparisons)


def _statement_ids(dialogue: Dialogue) -> frozenset[int]:
    return frozenset(Statement.objects.filter(dialogue=dialogue).values_list("pk", flat=True))


def _with(
    dialogue_id: int, rows: Sequence[tuple[Any, ...]], tail: tuple[Any, ...]
) -> Iterator[tuple[Any, ...]]:
    """Yield each row with the dialogue's id in front and the timestamps behind."""
    for row in rows:
        yield (dialogue_id, *row, *tail)


def _load(
    model: type[models.Model], field_names: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert the rows, whose values follow field_names, in the fastest way the database has."""
    fields = [_column(model, name) for name in field_names]
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        # Django's error wrapper turns psycopg's errors into django.db's, as for any query.
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(sql) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        # Fresh statistics: with the planner's old estimate of a few rows, a person's votes
        # in a dialogue of a million were counted by a nested loop that took a second.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")
        return
    # Elsewhere (SQLite) one INSERT per batch of rows, its values adapted as Django's
    # fields would (timestamps as text in UTC): bulk_create without building model objects,
    # which take most of its time.
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
    sql += f"VALUES ({placeholders})"
    # The same few timestamps repeat on every row: adapted once each.
    adapt_datetime = lru_cache(maxsize=8)(connection.ops.adapt_datetimefield_value)
    adapters = [
        adapt_datetime if isinstance(field, models.DateTimeField) else None for field in fields
    ]
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, _BATCH_SIZE)):
            cursor.executemany(
                sql,
                [
                    [
                        value if adapt is None else adapt(value)
                        for adapt, value in zip(adapters, row, strict=True)
                    ]
                    for row in batch
                ],
            )


def _column(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    """Return the model's field that has a column of its own (not a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} has no column")
    return field
