"""A column that is a tsvector on PostgreSQL and an unused text column elsewhere."""

from typing import Any

from django.contrib.postgres.search import SearchVectorField


class SearchVectorColumn(SearchVectorField):
    """A full-text vector on PostgreSQL; other databases keep an empty text column."""

    def db_type(self, connection: Any) -> str:
        """Return tsvector on PostgreSQL, text elsewhere."""
        return "tsvector" if connection.vendor == "postgresql" else "text"
