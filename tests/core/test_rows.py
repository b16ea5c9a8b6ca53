"""Reads of the hot paths: prepared on PostgreSQL, and standing in for the health check."""

from typing import Any

import pytest
from django.db import InterfaceError, OperationalError, connection, connections

from puente.core.rows import planned_once_cursor, rows_read_checking_connection

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
