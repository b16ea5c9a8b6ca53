import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.core.image_files import gif_named_pdf

BEFORE = [("stakeholders", "0001_initial")]
AFTER = [("stakeholders", "0002_logo_reencode_as_png")]


@pytest.fixture
def executor(transactional_db):
    """Give a migration executor; leave the database fully migrated afterwards."""
    yield MigrationExecutor(connection)
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_logos_stored_before_are_re_encoded_and_unreadable_ones_dropped(executor):
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    organisation_model = old_apps.get_model("stakeholders", "Organisation")
    user_model = old_apps.get_model("accounts", "User")
    creator = user_model.objects.create(email="creator@example.org")
    gif = default_storage.save("logos/logo.pdf", ContentFile(gif_named_pdf().read()))
    junk = default_storage.save("logos/junk.png", ContentFile(b"<script>alert(1)</script>"))
    for slug, logo in [("gif", gif), ("junk", junk), ("none", "")]:
        organisation_model.objects.create(
            name=slug, slug=slug, country="UY", region="LAC", logo=logo, created_by=creator
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    logos = dict(
        new_apps.get_model("stakeholders", "Organisation").objects.values_list("slug", "logo")
    )
    assert logos["gif"].startswith("logos/")
    assert logos["gif"].endswith(".png")
    assert default_storage.open(logos["gif"]).read(4) == b"\x89PNG"
    assert logos["junk"] == ""
    assert logos["none"] == ""
    assert not default_storage.exists(gif)
    assert not default_storage.exists(junk)
