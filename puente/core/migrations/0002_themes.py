from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

THEME_CODES = [
    "connectivity",
    "earth-observation",
    "e-government",
    "cybersecurity",
    "digital-skills",
    "innovation",
    "data-protection",
    "ai",
]


def themes_create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    theme_model = apps.get_model("core", "Theme")
    for code in THEME_CODES:
        theme_model.objects.get_or_create(code=code)


def themes_delete(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("core", "Theme").objects.filter(code__in=THEME_CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(themes_create, themes_delete)]
