"""Rows read with a plain cursor, converted as the ORM converts what it reads."""

from collections.abc import Callable
from typing import Any

from django.db import connection
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
