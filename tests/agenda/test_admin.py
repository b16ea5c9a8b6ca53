import pytest
from django.urls import reverse

from puente.agenda.models import AgendaVersion
from puente.agenda.services import agenda_draft_create, agenda_publish
from tests.accounts.factories import AdminFactory

pytestmark = pytest.mark.django_db


def test_agendas_are_listed_and_never_changed_in_the_admin(agenda_world, client):
    facilitator = agenda_world.person("facilitator")
    version = agenda_publish(
        actor=facilitator,
        version=agenda_draft_create(actor=facilitator, dialogue=agenda_world.dialogue),
    )
    client.force_login(AdminFactory())
    for name in ("agenda", "agendaversion", "agendaitem", "endorsement"):
        assert client.get(reverse(f"admin:agenda_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:agenda_agendaversion_add")).status_code == 403
    delete = reverse("admin:agenda_agendaversion_delete", args=[version.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AgendaVersion.objects.filter(pk=version.pk).exists()
