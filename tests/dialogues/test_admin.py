import pytest
from django.urls import reverse

from puente.dialogues.models import Dialogue, StatementTranslation
from tests.accounts.factories import AdminFactory
from tests.dialogues.factories import DialogueFactory, ParticipationFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    """A client signed in as a platform admin with two-factor turned on."""
    client.force_login(AdminFactory())
    return client


def test_dialogues_and_participations_are_listed(admin_client):
    participation = ParticipationFactory(dialogue__title="Shared priorities")
    for name in ("dialogue", "participation"):
        response = admin_client.get(reverse(f"admin:dialogues_{name}_changelist"))
        assert response.status_code == 200
    assert "Shared priorities" in response.text
    assert participation.dialogue.title in response.text


def test_the_admin_changes_no_dialogue(admin_client):
    dialogue = DialogueFactory(title="Shared priorities")
    change = reverse("admin:dialogues_dialogue_change", args=[dialogue.pk])

    assert admin_client.get(reverse("admin:dialogues_dialogue_add")).status_code == 403
    admin_client.post(change, {"title": "Changed", "phase": "closed"})
    assert (
        admin_client.post(
            reverse("admin:dialogues_dialogue_delete", args=[dialogue.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    dialogue.refresh_from_db()
    assert (dialogue.title, dialogue.phase) == ("Shared priorities", "contribute")
    assert Dialogue.objects.count() == 1


def test_a_statement_shows_its_translations(admin_client):
    statement = StatementFactory(text="Connect every school", language="en")
    StatementTranslation.objects.create(
        statement=statement, language="es", text="Conectar cada escuela"
    )

    response = admin_client.get(reverse("admin:dialogues_statement_change", args=[statement.pk]))

    assert response.status_code == 200
    assert "Conectar cada escuela" in response.text
