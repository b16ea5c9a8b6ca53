"""Statements of the hot paths: prepared on PostgreSQL, the read standing in for the health
check, and their rows turned into instances as the ORM would."""

from typing import Any

import pytest
from django.db import (
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    connection,
    connections,
)
from django.db.models import Model
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from puente.accounts.models import User
from puente.core.rows import (
    instance_from_row,
    planned_once_cursor,
    planned_rows,
    rows_read_checking_connection,
)
from puente.dialogues.models import Dialogue, Statement, Vote
from puente.partnerships.models import Partnership
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import StatementFactory, VoteFactory

# The health check's flags and psycopg's connection are not in Django's stubs.
kept: Any = connection

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements and kept connections"
)


def _terminate(backend_pid: int) -> None:
    """End the server process behind a connection, as a restart or an idle timeout would."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    finally:
        other.close()


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_read_on_a_kept_connection_the_server_ended_reconnects_and_answers():
    connection.ensure_connection()
    kept.health_check_done = False  # as when a request starts on a kept connection
    ended = kept.connection.info.backend_pid
    _terminate(ended)

    assert rows_read_checking_connection("SELECT %s + 1", [41]) == [(42,)]
    assert kept.connection.info.backend_pid != ended
    assert kept.health_check_done


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_once_the_connection_was_checked_a_failing_read_is_not_run_twice():
    connection.ensure_connection()
    kept.health_check_done = True  # checked earlier in this request
    _terminate(kept.connection.info.backend_pid)

    try:
        with pytest.raises((OperationalError, InterfaceError)):
            rows_read_checking_connection("SELECT 1", [])
    finally:
        connection.close()


@pytest.mark.django_db
def test_the_read_answers_on_any_database_inside_a_transaction_too():
    assert rows_read_checking_connection("SELECT %s * 2", [21]) == [(42,)]


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_statement_run_on_every_request_is_prepared_once_per_connection():
    sql = "SELECT %s::bigint * 3"
    for number in range(4):
        with planned_once_cursor() as cursor:
            cursor.execute(sql, [number])
            assert cursor.fetchone() == (number * 3,)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["SELECT $1::bigint * 3"],
        )
        assert cursor.fetchone() == (1,)


def _django_loader_reads(text: str) -> Any:
    """Return what Django's own loader makes of the text PostgreSQL sent for a timestamptz."""
    from django.db.backends.postgresql.psycopg_any import (  # type: ignore[import-untyped]
        register_tzloader,
    )

    with connection.cursor() as cursor:
        raw = cursor.cursor
        register_tzloader(connection.timezone, raw)  # Django's, on this cursor only
        raw.execute("SELECT %s::timestamptz", [text])
        return raw.fetchone()[0]


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "2026-12-05 10:36:58.264746+00",
        "2026-12-05 10:36:58+00",
        "2026-03-29 01:30:00-03",
        "0001-01-01 00:00:00+00",
        "9999-12-31 23:59:59.999999+00",
        "1900-02-28 12:00:00+05:30",
    ],
)
def test_time_stamps_are_read_as_django_reads_them(text):
    from puente.core.rows import _utc_timestamp_loader

    connection.ensure_connection()
    loader = kept.connection.adapters.get_loader(1184, 0)  # timestamptz, as text
    assert loader is _utc_timestamp_loader()
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [text])
        value = cursor.fetchone()[0]
    expected = _django_loader_reads(text)
    assert value == expected
    assert value.tzinfo is expected.tzinfo


@on_postgresql
@pytest.mark.django_db
def test_time_stamps_in_another_zone_or_before_christ_go_to_django_s_loader():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT '0044-03-15 12:00:00+00 BC'::timestamptz")
        with pytest.raises(Exception) as before_christ:  # noqa: PT011  # psycopg's own error
            cursor.fetchone()
        cursor.execute("SET TIME ZONE 'America/Santiago'")
        try:
            cursor.execute("SELECT '2026-12-05 10:00:00+00'::timestamptz")
            value = cursor.fetchone()[0]
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")
    assert "BC" in str(before_christ.value)
    # Django's loader keeps the session's wall time and calls it UTC; so does the fallback.
    assert value == _django_loader_reads("2026-12-05 07:00:00+00")


def _full_row(model: type[Model], pk: Any) -> list[Any]:
    """Return the model's row as the ORM reads it: every concrete field, in order."""
    names = [field.attname for field in model._meta.concrete_fields]
    return list(model._default_manager.filter(pk=pk).values_list(*names).get())


def _fields(instance: Model) -> dict[str, Any]:
    return {key: value for key, value in instance.__dict__.items() if key != "_state"}


@pytest.mark.django_db
def test_an_instance_from_a_row_is_the_instance_the_orm_builds():
    vote = VoteFactory()
    statement = vote.statement
    for model, pk in [
        (Vote, vote.pk),
        (Statement, statement.pk),
        (Dialogue, statement.dialogue.pk),
        (Partnership, statement.dialogue.partnership.pk),
        (User, vote.participant.pk),
    ]:
        row = _full_row(model, pk)
        built = instance_from_row(model, "default", row)
        expected = model.from_db("default", [f.attname for f in model._meta.concrete_fields], row)
        assert type(built) is model
        assert _fields(built) == _fields(expected)
        assert built == model._default_manager.get(pk=pk)
        assert built._state.adding is False
        assert built._state.db == "default"
    # Relations load from the ids, as on any instance the ORM built.
    built_vote = instance_from_row(Vote, "default", _full_row(Vote, vote.pk))
    assert built_vote.statement == statement
    assert built_vote.participant.email == vote.participant.email


@pytest.mark.django_db
def test_an_instance_from_a_row_honours_init_receivers_and_field_descriptors():
    statement = StatementFactory()
    seen: list[Model] = []

    def receiver(*, instance: Model, **kwargs: Any) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=Statement)
    try:
        built = instance_from_row(Statement, "default", _full_row(Statement, statement.pk))
    finally:
        post_init.disconnect(receiver, sender=Statement)
    assert seen == [built]

    # A person's country is set through django-countries' own descriptor, as __init__ would.
    person = UserFactory(country="BR")
    descriptor = User.__dict__["country"]
    set_through = []
    original_set = type(descriptor).__set__

    def recording_set(self: Any, instance: Any, value: Any) -> None:
        set_through.append(value)
        original_set(self, instance, value)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(descriptor), "__set__", recording_set)
        built_person = instance_from_row(User, "default", _full_row(User, person.pk))
    assert set_through == ["BR"]
    assert built_person.country.code == "BR"
    assert built_person.country.name == "Brazil"


@pytest.mark.django_db
def test_planned_rows_answers_on_any_database_and_is_counted_where_queries_are_watched():
    with CaptureQueriesContext(connection) as queries:
        assert planned_rows("SELECT %s * 2", [21]) == [(42,)]
        assert planned_rows("SELECT %s * 3", [3]) == [(9,)]
    assert len(queries) == 2


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_planned_rows_prepare_each_statement_once_and_carry_on_over_a_new_connection():
    sql = "SELECT %s::bigint * 5"
    for number in range(4):
        assert planned_rows(sql, [number]) == [(number * 5,)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["SELECT $1::bigint * 5"],
        )
        assert cursor.fetchone() == (1,)
    # A new connection (Django closed the old one: its age, an error) gets a cursor of its own.
    connection.close()
    assert planned_rows(sql, [7]) == [(35,)]


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_planned_rows_raise_django_s_errors_and_the_next_statement_runs():
    with pytest.raises(DataError):
        planned_rows("SELECT 1 / %s::int", [0])
    with pytest.raises(ProgrammingError):
        planned_rows("SELECT no_such_column", [])
    assert kept.errors_occurred  # what makes Django check the connection at the request's end
    person = UserFactory()
    table = connection.ops.quote_name(User._meta.db_table)
    with pytest.raises(IntegrityError):
        planned_rows(
            f"INSERT INTO {table} (id, email, password, is_superuser, is_staff, is_active, "  # noqa: S608
            "date_joined, name, preferred_language, country, time_zone) "
            "SELECT id, email, password, is_superuser, is_staff, is_active, date_joined, name, "
            f"preferred_language, country, time_zone FROM {table} WHERE id = %s RETURNING id",
            [person.pk],
        )
    assert planned_rows("SELECT %s::int + 1", [1]) == [(2,)]
