"""Model fields shared by the apps."""

from typing import Any

import orjson
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields.json import KeyTransform

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def _json_text(value: Any) -> str:
    return orjson.dumps(value, option=_OPTIONS).decode()


class FastJSONField(models.JSONField):
    """A JSONField written and read with orjson, for documents of megabytes (a results snapshot).

    The same column and lookups as JSONField; only the encoding differs: about twenty times
    faster than the standard library's, numpy numbers written as numbers and NaN as null
    (which PostgreSQL's jsonb could not store anyway).
    """

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return Jsonb(value, dumps=_json_text)
        return _json_text(value)

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None or (isinstance(expression, KeyTransform) and not isinstance(value, str)):
            return value
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value  # as JSONField does: text that is not JSON comes back as it is
