"""Re-encode every stored logo as a metadata-free PNG under a random name; drop unreadable ones."""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from puente.core.images import logo_normalise


def reencode_logos(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Store each logo again through logo_normalise and delete the uploader's original."""
    organisation_model = apps.get_model("stakeholders", "Organisation")
    for organisation in organisation_model.objects.exclude(logo="").iterator():
        old_name = organisation.logo.name
        try:
            with default_storage.open(old_name, "rb") as original:
                normalised = logo_normalise(original)
        except (OSError, ValidationError):
            # Missing or not a safe image: the organisation shows no logo rather than a risky file.
            organisation.logo = ""
        else:
            organisation.logo.save(normalised.name, normalised, save=False)
        organisation.save(update_fields=["logo"])
        if default_storage.exists(old_name):
            default_storage.delete(old_name)


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0001_initial")]

    operations = [migrations.RunPython(reencode_logos, migrations.RunPython.noop)]
