"""Votes on statements and pairwise comparisons: one current answer per person, history kept."""

from functools import cache, partial
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.core.rows import (
    Converter,
    converted,
    default_connection,
    field_converters,
    instance_from_row,
    planned_rows,
)

from ..models import Comparison, Dialogue, Statement, Vote, VoteChange
from ..permissions import can_do
from ..phases import Action
from .dialogues import participation_require
from .results import results_schedule

M = TypeVar("M", bound=Model)

# The answers each takes (Choices.values builds its list on every read).
_VOTE_CHOICES = frozenset(Vote.Choice.values)
_COMPARISON_CHOICES = frozenset(Comparison.Choice.values)


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # noqa: S101  # names of concrete fields only
    return field


def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(_field(model, name).get_attname_column()[1])


def _upsert_if_changed(
    model: type[M],
    *,
    keys: dict[str, object],
    values: dict[str, object],
    history: type[Model] | None = None,
) -> M | None:
    """Insert the row, or update it when its values differ; return it if anything changed.

    One statement, INSERT ... ON CONFLICT DO UPDATE ... WHERE, which SQLite and PostgreSQL
    both run atomically: a double submit or concurrent requests leave one row, and only the
    request that actually changed it is told so (the other gets None). With ``history``, a
    row of that model (the same fields, ``created_at`` the time of the change) records each
    change: on PostgreSQL in the same statement, elsewhere in the same transaction.
    """
    now = timezone.now()
    columns = {**keys, **values, "created_at": now, "updated_at": now}
    db = default_connection()
    in_one_statement = history is not None and db.vendor == "postgresql"
    sql = _upsert_sql(model, tuple(keys), tuple(values), history if in_one_statement else None)
    parameters = [
        _field(model, name).get_db_prep_value(value, db) for name, value in columns.items()
    ]
    if history is None or in_one_statement:
        # On PostgreSQL one round trip and no transaction of our own: the history row is
        # written by the same statement, from the row the upsert returns (none when nothing
        # changed).
        return _returned_row(model, sql, parameters)
    recorded = [*keys, *values]
    with transaction.atomic():
        row = _returned_row(model, sql, parameters)
        if row is not None:
            history._default_manager.create(
                created_at=now,
                **{
                    _field(history, name).attname: getattr(row, _field(model, name).attname)
                    for name in recorded
                },
            )
    return row


@cache
def _upsert_sql(
    model: type[Model],
    keys: tuple[str, ...],
    values: tuple[str, ...],
    history: type[Model] | None,
) -> str:
    """Return the upsert of ``_upsert_if_changed`` (built once per process and shape).

    Its parameters are keys, values, created_at and updated_at, in that order. With
    ``history``, the same statement also inserts the history row (PostgreSQL only).
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = [_column(model, name) for name in (*keys, *values, "created_at", "updated_at")]
    updates = [*values, "updated_at"]
    # Every column, in the order of the model's fields: _returned_row reads them by position.
    returned = [connection.ops.quote_name(field.column) for field in model._meta.concrete_fields]
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608  # names from the model
        f"VALUES ({', '.join(['%s'] * len(names))}) "
        f"ON CONFLICT ({', '.join(_column(model, name) for name in keys)}) DO UPDATE SET "
        + ", ".join(f"{_column(model, name)} = excluded.{_column(model, name)}" for name in updates)
        + " WHERE "
        + " OR ".join(
            f"{table}.{_column(model, name)} <> excluded.{_column(model, name)}" for name in values
        )
        + f" RETURNING {', '.join(returned)}"
    )
    if history is None:
        return sql
    recorded = [*keys, *values]
    history_columns = [_column(history, name) for name in [*recorded, "created_at"]]
    source = [_column(model, name) for name in [*recorded, "updated_at"]]
    return (
        f"WITH changed AS ({sql}), recorded AS ("  # noqa: S608  # names from the models
        f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} "
        f"({', '.join(history_columns)}) SELECT {', '.join(source)} FROM changed) "
        "SELECT * FROM changed"
    )


def _returned_row(model: type[M], sql: str, parameters: list[Any]) -> M | None:
    """Run the statement; return the row it returns (all columns) as a model instance, or None.

    The statement returns the model's columns in the order of its fields (``_upsert_sql``).
    Each column is converted as the ORM converts it (dates from SQLite's text, say), without
    a raw queryset's per-query setup: this is on the path of every vote.
    """
    db = default_connection()
    rows = planned_rows(sql, parameters)
    if not rows:
        return None
    values = [
        converted(value, column, converters, db) if converters else value
        for value, (_, column, converters) in zip(
            rows[0], _converters(model, db.vendor), strict=True
        )
    ]
    return instance_from_row(model, db.alias, values)


@cache
def _converters(
    model: type[Model], vendor: str
) -> list[tuple[Field[Any, Any], Any, list[Converter]]]:
    """Return each field of the model with its column and converters on this database.

    Found once per process and database; ``vendor`` only keys the cache.
    """
    return [
        (field, *field_converters(field, model._meta.db_table))
        for field in model._meta.concrete_fields
    ]


def _check_shown(statement: Statement, field: str) -> None:
    if not statement.is_shown:
        raise ValidationError(
            {field: _("This statement is not published: it cannot be voted on.")},
            code="not_shown",
        )


def vote_cast(
    *, participant: User, statement: Statement, choice: int, takes_part: bool = False
) -> Vote:
    """Record the person's vote on the statement; voting again changes it, history is kept.

    Idempotent: the same vote twice (a double submit, a retry) leaves one vote and one
    history entry. The dialogue's results are recomputed after the commit when it changed.
    The vote and its history entry are written together (one statement on PostgreSQL), so
    this needs no transaction of its own; the checks before it only read. ``takes_part``
    says the caller has just read that the person's participation exists (the API's vote
    path reads it with the token), which saves reading it again.
    """
    dialogue: Dialogue = statement.dialogue
    if not can_do(participant, dialogue, Action.VOTE):
        raise PermissionDenied
    if choice not in _VOTE_CHOICES:
        raise ValidationError({"choice": _("Choose agree, disagree or pass.")}, code="invalid")
    _check_shown(statement, "statement")
    if not takes_part:
        participation_require(person=participant, dialogue=dialogue)
    keys: dict[str, object] = {"participant": participant.pk, "statement": statement.pk}
    vote = _upsert_if_changed(
        Vote, keys=keys, values={"choice": choice, "dialogue": dialogue.pk}, history=VoteChange
    )
    if vote is None:
        return Vote.objects.get(participant=participant, statement=statement)
    transaction.on_commit(partial(results_schedule, dialogue_id=dialogue.pk))
    return vote


# The same answer when the pair is turned round.
COMPARISON_SWAPPED = {
    Comparison.Choice.FIRST: Comparison.Choice.SECOND,
    Comparison.Choice.SECOND: Comparison.Choice.FIRST,
    Comparison.Choice.UNDECIDED: Comparison.Choice.UNDECIDED,
}


@transaction.atomic
def comparison_record(
    *, participant: User, first: Statement, second: Statement, choice: str
) -> Comparison:
    """Record which of two statements the person would put first; answering again changes it.

    The pair is stored with the lower id first, the answer turned round to match, so that
    asking (a, b) and (b, a) is one question.
    """
    dialogue: Dialogue = first.dialogue
    if not can_do(participant, dialogue, Action.COMPARE):
        raise PermissionDenied
    if choice not in _COMPARISON_CHOICES:
        raise ValidationError(
            {"choice": _("Choose the first, the second, or that you can't decide.")},
            code="invalid",
        )
    if second.dialogue_id != dialogue.pk:
        raise ValidationError(
            {"second": _("Compare two statements of the same dialogue.")}, code="other_dialogue"
        )
    if first.pk == second.pk:
        raise ValidationError(
            {"second": _("Compare two different statements.")}, code="same_statement"
        )
    _check_shown(first, "first")
    _check_shown(second, "second")
    participation_require(person=participant, dialogue=dialogue)
    if first.pk > second.pk:
        first, second, choice = second, first, COMPARISON_SWAPPED[Comparison.Choice(choice)]
    keys: dict[str, object] = {
        "participant": participant.pk,
        "first": first.pk,
        "second": second.pk,
    }
    comparison = _upsert_if_changed(
        Comparison, keys=keys, values={"choice": str(choice), "dialogue": dialogue.pk}
    )
    if comparison is None:
        return Comparison.objects.get(participant=participant, first=first, second=second)
    transaction.on_commit(partial(results_schedule, dialogue_id=dialogue.pk))
    return comparison
