"""Rows read with a plain cursor, converted as the ORM converts what it reads."""

import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

Converter = Callable[[Any, Any, Any], Any]
M = TypeVar("M", bound=Model)


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


def converted(value: Any, column: Any, converters: list[Converter], db: Any) -> Any:
    """Return the value as the ORM would read it from the column on the connection ``db``."""
    for converter in converters:
        value = converter(value, column, db)
    return value


def default_connection() -> Any:
    """Return this thread's connection to the default database.

    The same object ``django.db.connection`` stands for: each attribute read through that
    proxy looks the connection up again, which on a hot path adds up.
    """
    return connections[DEFAULT_DB_ALIAS]


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
    wrapper = default_connection()
    if wrapper.vendor != "postgresql":
        with wrapper.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql import base

    # What connection.cursor() does, with another cursor class (Django's private parts).
    wrapper.close_if_health_check_failed()
    wrapper.ensure_connection()
    with wrapper.wrap_database_errors:
        raw = base.ServerBindingCursor(wrapper.connection)  # type: ignore[attr-defined]
    with wrapper._prepare_cursor(raw) as cursor:
        yield cursor


def planned_rows(sql: str, parameters: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run a statement of a hot path as ``planned_once_cursor`` runs it; return its rows.

    On PostgreSQL, while nothing watches this connection's queries (no query log, as
    ``DEBUG`` and ``assertNumQueries`` keep, and no ``execute_wrapper``) and no failed
    transaction waits for its rollback, the statement runs on a psycopg cursor kept with
    the connection, inside Django's error translation, after the health check and the
    thread check Django's cursor makes: without building a cursor and Django's wrapper
    around it for each statement, which cost about 40 of the 110 microseconds of Python
    each statement of a vote took. Otherwise it is ``planned_once_cursor``.
    """
    wrapper = default_connection()
    if (
        wrapper.vendor != "postgresql"
        or wrapper.queries_logged
        or wrapper.execute_wrappers
        or wrapper.needs_rollback
    ):
        with planned_once_cursor() as cursor:
            cursor.execute(sql, parameters)
            return list(cursor.fetchall())
    wrapper.close_if_health_check_failed()
    wrapper.ensure_connection()
    wrapper.validate_thread_sharing()
    raw = wrapper.connection
    with wrapper.wrap_database_errors:
        # Kept on Django's wrapper, which is this thread's, for the psycopg connection in it.
        kept = getattr(wrapper, "_puente_kept_cursor", None)
        if kept is None or kept[0] is not raw:
            from django.db.backends.postgresql import base

            kept = (raw, base.ServerBindingCursor(raw))  # type: ignore[attr-defined]
            wrapper._puente_kept_cursor = kept
        cursor = kept[1]
        cursor.execute(sql, parameters)
        return list(cursor.fetchall())


def rows_read_checking_connection(sql: str, parameters: list[Any]) -> list[tuple[Any, ...]]:
    """Return the rows of a read that also serves as the request's connection health check.

    With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before a request's first query on
    a connection kept from an earlier request: one more round trip, on a hot path a tenth of
    the request's time. A read can do that check itself: if it fails on such a connection,
    the connection is closed, as a failed check would close it, and the read runs once more
    on a new one. Only for reads (running one twice changes nothing) outside a transaction.
    """
    wrapper = default_connection()  # the health check's flags are not in Django's stubs
    checks_now = (
        wrapper.connection is not None
        and wrapper.health_check_enabled
        and not wrapper.health_check_done
        and not wrapper.in_atomic_block
    )

    if checks_now:
        wrapper.health_check_done = True
        try:
            return planned_rows(sql, parameters)
        except (OperationalError, InterfaceError):
            wrapper.close()
    return planned_rows(sql, parameters)


def timestamp_loader_install(*, connection: Any, **kwargs: Any) -> None:
    """Read the connection's time stamps with a quicker loader (connection_created receiver).

    Django reads each ``timestamptz`` through psycopg's pure-Python parser: on the vote path
    its sixteen time stamps were a fifteenth of the request. In UTC, which is what Django
    asks of a PostgreSQL session when it stores times in UTC, PostgreSQL writes them in ISO
    8601, which ``datetime.fromisoformat`` reads in C to the same aware UTC datetime.
    Anything else (another zone, a date before Christ, infinity) goes to Django's loader.
    """
    if connection.vendor == "postgresql" and connection.timezone_name == "UTC":
        connection.connection.adapters.register_loader("timestamptz", _utc_timestamp_loader())


@cache
def _utc_timestamp_loader() -> type:
    from django.db.backends.postgresql.psycopg_any import (  # type: ignore[import-untyped]
        BaseTzLoader,
    )

    class UtcTimestampLoader(BaseTzLoader):  # type: ignore[misc]  # no stubs
        # Django compares each cursor's loader with the connection's zone by this name.
        timezone = UTC

        def load(self, data: Any) -> datetime:
            try:
                value = datetime.fromisoformat(bytes(data).decode())
            except ValueError:
                value = None
            if value is None or value.tzinfo is not UTC:
                loaded: datetime = super().load(data)
                return loaded
            return value

    return UtcTimestampLoader


@cache
def _layout(model: type[Model]) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """Return the model's field names and which of them are set through their descriptor.

    None for a model with an ``__init__`` or ``from_db`` of its own. The others are set as
    ``Model.__init__`` sets them: through the attribute (a descriptor that cleans what it
    is given, say django-countries'), or straight into the instance's ``__dict__`` where
    the attribute is Django's deferred-attribute descriptor, which only reads from there.
    """
    if model.from_db.__func__ is not Model.from_db.__func__:  # type: ignore[attr-defined]
        return None
    if model.__init__ is not Model.__init__:
        return None
    plain = (DeferredAttribute, ForeignKeyDeferredAttribute)
    names = tuple(field.attname for field in model._meta.concrete_fields)
    through_descriptor = tuple(
        index
        for index, name in enumerate(names)
        if type(inspect.getattr_static(model, name, None)) not in plain
    )
    return names, through_descriptor


def instance_from_row(model: type[M], db_alias: str, values: list[Any]) -> M:
    """Return the instance ``model.from_db`` makes of a full row (every concrete field, in order).

    ``from_db`` goes through ``Model.__init__``, which sends two signals and sets each field
    through its descriptor: on the vote path, building six instances that way was a twentieth
    of the request. For a model with no ``__init__``, ``from_db``, ``pre_init`` or
    ``post_init`` receivers of its own, the same instance is its values in its ``__dict__``,
    but for the fields whose descriptor is not Django's plain one, set through it as
    ``Model.__init__`` would; any other model goes through ``from_db``.
    """
    layout = _layout(model)
    if layout is None or pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model.from_db(
            db_alias, [field.attname for field in model._meta.concrete_fields], values
        )
    names, through_descriptor = layout
    instance = model.__new__(model)
    state = ModelState()
    state.adding = False
    state.db = db_alias
    instance.__dict__.update(zip(names, values, strict=True))
    for index in through_descriptor:
        setattr(instance, names[index], values[index])
    instance._state = state
    return instance
