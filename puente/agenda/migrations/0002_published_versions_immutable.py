"""The database refuses changes to published agenda versions and their items.

The services refuse them first; these triggers are the last line, for any other writer.
Deletes are left alone, so that deleting a dialogue still removes its agenda.
"""

from typing import Any

from django.db import migrations

MESSAGE = "published agenda versions cannot change"

SQLITE = [
    f"""
    CREATE TRIGGER agenda_version_published_immutable
    BEFORE UPDATE ON agenda_agendaversion
    WHEN OLD.status = 'published' AND (
        NEW.status IS NOT OLD.status OR NEW.number IS NOT OLD.number
        OR NEW.evidence IS NOT OLD.evidence OR NEW.note IS NOT OLD.note
        OR NEW.published_at IS NOT OLD.published_at OR NEW.agenda_id IS NOT OLD.agenda_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER agenda_item_insert_published_immutable
    BEFORE INSERT ON agenda_agendaitem
    WHEN (SELECT status FROM agenda_agendaversion WHERE id = NEW.version_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER agenda_item_update_published_immutable
    BEFORE UPDATE ON agenda_agendaitem
    WHEN (SELECT status FROM agenda_agendaversion WHERE id = OLD.version_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER agenda_item_statement_insert_published_immutable
    BEFORE INSERT ON agenda_agendaitem_statements
    WHEN (SELECT v.status FROM agenda_agendaversion v JOIN agenda_agendaitem i
          ON i.version_id = v.id WHERE i.id = NEW.agendaitem_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS agenda_version_published_immutable;",
    "DROP TRIGGER IF EXISTS agenda_item_insert_published_immutable;",
    "DROP TRIGGER IF EXISTS agenda_item_update_published_immutable;",
    "DROP TRIGGER IF EXISTS agenda_item_statement_insert_published_immutable;",
]

POSTGRESQL = [
    f"""
    CREATE FUNCTION agenda_version_published_immutable() RETURNS trigger AS $$
    BEGIN
        IF OLD.status = 'published' AND (
            NEW.status IS DISTINCT FROM OLD.status OR NEW.number IS DISTINCT FROM OLD.number
            OR NEW.evidence IS DISTINCT FROM OLD.evidence OR NEW.note IS DISTINCT FROM OLD.note
            OR NEW.published_at IS DISTINCT FROM OLD.published_at
            OR NEW.agenda_id IS DISTINCT FROM OLD.agenda_id) THEN
            RAISE EXCEPTION '{MESSAGE}';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER agenda_version_published_immutable BEFORE UPDATE ON agenda_agendaversion
    FOR EACH ROW EXECUTE FUNCTION agenda_version_published_immutable();
    """,
    f"""
    CREATE FUNCTION agenda_item_published_immutable() RETURNS trigger AS $$
    DECLARE
        item_version bigint;
    BEGIN
        IF TG_TABLE_NAME = 'agenda_agendaitem_statements' THEN
            SELECT version_id INTO item_version FROM agenda_agendaitem WHERE id = NEW.agendaitem_id;
        ELSIF TG_OP = 'UPDATE' THEN
            item_version := OLD.version_id;
        ELSE
            item_version := NEW.version_id;
        END IF;
        IF (SELECT status FROM agenda_agendaversion WHERE id = item_version) = 'published' THEN
            RAISE EXCEPTION '{MESSAGE}';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER agenda_item_published_immutable BEFORE INSERT OR UPDATE ON agenda_agendaitem
    FOR EACH ROW EXECUTE FUNCTION agenda_item_published_immutable();
    """,
    """
    CREATE TRIGGER agenda_item_statement_published_immutable
    BEFORE INSERT ON agenda_agendaitem_statements
    FOR EACH ROW EXECUTE FUNCTION agenda_item_published_immutable();
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS agenda_item_statement_published_immutable "
    "ON agenda_agendaitem_statements;",
    "DROP TRIGGER IF EXISTS agenda_item_published_immutable ON agenda_agendaitem;",
    "DROP TRIGGER IF EXISTS agenda_version_published_immutable ON agenda_agendaversion;",
    "DROP FUNCTION IF EXISTS agenda_item_published_immutable();",
    "DROP FUNCTION IF EXISTS agenda_version_published_immutable();",
]


def _run(statements_by_vendor: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_agenda_versions_items_endorsements")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
