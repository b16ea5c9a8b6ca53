"""A visitor's partnership page is cached; every change it shows must reach it at once."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from puente.core import versions
from puente.dialogues.models import Dialogue, Phase
from puente.partnerships.models import Partnership, PartnershipMember
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import DialogueFactory
from tests.initiatives.factories import InitiativeFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    facilitator = UserFactory(name="Ana Facilitadora")
    partnership = PartnershipFactory(title="Digital Bridge", facilitators=[facilitator])
    PartnershipMember.objects.create(
        partnership=partnership, organisation=OrganisationFactory(name="Agencia Uno")
    )
    return partnership


def _page(client, partnership):
    url = reverse("partnerships:partnership-detail", kwargs={"slug": partnership.slug})
    return client.get(url).content.decode()


def test_a_visitor_seen_page_is_read_from_the_cache(
    client, partnership, django_assert_max_num_queries
):
    _page(client, partnership)
    # The partnership, then the versions of what the page shows.
    with django_assert_max_num_queries(2):
        assert "Agencia Uno" in _page(client, partnership)


def test_a_new_member_or_renamed_organisation_shows_at_once(client, partnership):
    assert "Agencia Uno" in _page(client, partnership)
    organisation = partnership.organisations.get()
    organisation.name = "Agencia Renombrada"
    organisation.save()
    PartnershipMember.objects.create(
        partnership=partnership, organisation=OrganisationFactory(name="Observatorio Nuevo")
    )
    page = _page(client, partnership)
    assert "Agencia Renombrada" in page
    assert "Observatorio Nuevo" in page


def test_a_facilitator_renamed_or_added_shows_at_once(client, partnership):
    assert "Ana Facilitadora" in _page(client, partnership)
    facilitator = partnership.facilitators.get()
    facilitator.name = "Ana Renamed"
    facilitator.save()
    partnership.facilitators.add(UserFactory(name="Bruno Second"))
    page = _page(client, partnership)
    assert "Ana Renamed" in page
    assert "Bruno Second" in page


def test_a_sign_in_does_not_empty_the_cache(client, partnership):
    _page(client, partnership)
    before = versions.content_versions(["directory"])
    partnership.facilitators.get().save(update_fields=["last_login"])
    assert versions.content_versions(["directory"]) == before


def test_the_partnership_itself_changed_shows_at_once(client, partnership):
    _page(client, partnership)
    partnership.description = "Now with a description of fibre links."
    partnership.save()
    assert "fibre links" in _page(client, partnership)


def test_a_dialogue_opened_or_moved_shows_at_once(client, partnership):
    _page(client, partnership)
    dialogue = DialogueFactory(partnership=partnership, title="Which cables first?")
    assert "Which cables first?" in _page(client, partnership)
    Dialogue.objects.filter(pk=dialogue.pk).update(title="ignored: an update sends no signal")
    dialogue.title = "Which satellites first?"
    dialogue.save()
    assert "Which satellites first?" in _page(client, partnership)


def test_a_phase_reached_by_its_date_shows_within_the_minute(client, partnership, monkeypatch):
    dialogue = DialogueFactory(
        partnership=partnership,
        phase_set_at=timezone.now() - dt.timedelta(days=2),
        deliberate_starts_at=timezone.now() + dt.timedelta(seconds=30),
    )
    clock = [29_000_000]
    monkeypatch.setattr(versions, "current_minute", lambda: clock[0])
    deliberate = str(Phase.DELIBERATE.label)
    assert deliberate not in _page(client, partnership)
    Dialogue.objects.filter(pk=dialogue.pk).update(  # as if its date had passed, no signal
        deliberate_starts_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert deliberate not in _page(client, partnership)  # the same minute: the cached page
    clock[0] += 1
    assert deliberate in _page(client, partnership)


def test_a_new_initiative_shows_at_once(client, partnership):
    _page(client, partnership)
    InitiativeFactory(partnership=partnership, title="Fibre for the Andes")
    assert "Fibre for the Andes" in _page(client, partnership)


def test_what_a_facilitator_sees_never_reaches_a_visitor(client, partnership):
    facilitator = partnership.facilitators.get()
    client.force_login(facilitator)
    assert "Edit the partnership" in _page(client, partnership)
    client.logout()
    assert "Edit the partnership" not in _page(client, partnership)


def test_a_members_only_partnership_stays_hidden_from_a_visitor(client, partnership):
    _page(client, partnership)
    Partnership.objects.filter(pk=partnership.pk).update(visibility="members")
    url = reverse("partnerships:partnership-detail", kwargs={"slug": partnership.slug})
    assert client.get(url).status_code == 404


def test_each_language_gets_its_own_rendering(client, partnership):
    english = str(_("Facilitators"))
    with override("es"):
        spanish = str(_("Facilitators"))
    assert english != spanish
    assert english in _page(client, partnership)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = _page(client, partnership)
    assert spanish in page
    assert f">{english}<" not in page
