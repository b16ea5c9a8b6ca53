"""A visitor's home page is cached; every change it shows must reach it at once."""

import re

import pytest
from django.urls import reverse

from puente.dialogues.models import Phase
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import DialogueFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _home(client):
    return client.get(reverse("home")).content.decode()


def test_a_visitor_seen_home_page_reads_only_the_versions(client, django_assert_num_queries):
    PartnershipFactory(title="Digital Bridge")
    OrganisationFactory()
    first = _home(client)
    with django_assert_num_queries(1):
        again = _home(client)
    assert "Digital Bridge" in first
    assert again.partition('id="intro-heading"')[2] == first.partition('id="intro-heading"')[2]


def _n_countries(page):
    found = re.search(r'stat-number d-block">(\d+)</span> countr', page)
    assert found
    return int(found.group(1))


def test_a_new_partnership_and_organisation_show_at_once(client):
    OrganisationFactory(country="CL")
    before = _home(client)
    PartnershipFactory(title="Fresh Alliance")
    OrganisationFactory(name="Fresh Agency", country="UY")
    page = _home(client)
    assert "Fresh Alliance" in page
    assert _n_countries(page) == _n_countries(before) + 1


def test_a_dialogue_closing_leaves_what_happens_now_at_once(client):
    partnership = PartnershipFactory()
    dialogue = DialogueFactory(
        partnership=partnership, title="Which cables first?", phase=Phase.DELIBERATE
    )
    assert "Which cables first?" in _home(client)
    dialogue.phase = Phase.CLOSED
    dialogue.save()
    assert "Which cables first?" not in _home(client)


def test_a_signed_in_person_never_gets_the_visitors_rendering(client):
    person = UserFactory()
    _home(client)
    client.force_login(person)
    page = _home(client)
    assert "Log in" not in page.partition("</header>")[0]
