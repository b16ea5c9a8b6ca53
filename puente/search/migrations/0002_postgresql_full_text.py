"""PostgreSQL only: the unaccent extension and a GIN index over the stored vectors.

Other databases search the normalised text column instead, and this migration does nothing
there (CreateExtension checks the database itself).
"""

from typing import Any

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

INDEX = "search_entry_vector_gin"


def _index_create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("search", "SearchEntry")._meta.db_table)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (search_vector)"
        )


def _index_drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entry")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(_index_create, _index_drop),
    ]
