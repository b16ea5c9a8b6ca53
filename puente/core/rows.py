"""Rows read with a plain cursor, converted as the ORM converts what it reads."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Field

Converter = Callable[[Any, Any, Any], Any]


def field_converters(field: Field[Any, Any], alias: str) -> tuple[Any, list[Converter]]:
    """Return the field's column under the alias and what the ORM applies to its values here.

    Dates come back from SQLite as text, JSON as a string, and so on: the database backend's
    converters and the field's own turn them into Python values.
    """
    column = field.get_col(alias)
    converters = [
        *connection.ops.get_db_converters(column),
        *field.get_db_converters(connection),  # type: ignore[attr-defined]  # not in the stubs
    ]
    return column, converters


def converted(value: Any, column: Any, converters: list[Converter]) -> Any:
    """Return the value as the ORM would read it from the column."""
    for converter in converters:
        value = converter(value, column, connection)
    return value


@contextmanager
def planned_once_cursor() -> Iterator[CursorWrapper]:
    """Yield a cursor whose statements PostgreSQL plans once per connection, then reuses.

    Django binds parameters on the client, so PostgreSQL parses and plans each statement
    afresh. On PostgreSQL this cursor sends them apart from the text instead (server-side
    binding), and psycopg prepares a statement once the connection has run it a few times:
    for the few statements run on every request of a hot path, that planning is most of
    the database's work. Elsewhere it is the ordinary cursor. It is Django's cursor
    wrapper all the same (errors, query logging, the health check) around another psycopg
    cursor class; use it only for SQL written with plain ``%s`` parameters, whose types
    PostgreSQL can infer from the columns they meet.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    # What connection.cursor() does, with another cursor class.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = ServerBindingCursor(connection.connection)
    with connection._prepare_cursor(raw) as cursor:
        yield cursor
