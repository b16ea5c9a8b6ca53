from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from puente.dialogues.models import Dialogue, Participation, Phase
from tests.dialogues.factories import DialogueFactory

pytestmark = pytest.mark.django_db


def _url(name, dialogue):
    return reverse(
        f"dialogues:{name}",
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug},
    )


def _templates(response):
    return [template.name for template in response.templates]


class TestPartnershipPage:
    def test_lists_its_dialogues_with_phase_badges(self, client, world):
        Dialogue.objects.filter(pk=world.open_dialogue.pk).update(phase=Phase.CLOSED)
        response = client.get(world.partnership.get_absolute_url())

        assert "dialogues/_partnership_dialogues.html" in _templates(response)
        assert "Shared priorities" in response.text
        assert '<span class="badge text-bg-secondary">Closed</span>' in response.text
        assert '<span class="badge text-bg-primary">Contribute</span>' in response.text
        assert "Open a dialogue" not in response.text

    def test_facilitators_get_a_link_to_open_a_dialogue(self, client_as, world):
        response = client_as(world.person("facilitator")).get(world.partnership.get_absolute_url())
        assert "Open a dialogue" in response.text


class TestDialogueList:
    def test_lists_the_partnerships_dialogues(self, client, world):
        response = client.get(
            reverse("dialogues:dialogue-list", kwargs={"partnership_slug": world.partnership.slug})
        )
        assert response.status_code == 200
        assert "Shared priorities" in response.text
        assert "Hidden satellites" not in response.text

    def test_a_members_only_partnership_lists_nothing_to_outsiders(self, client_as, world):
        url = reverse(
            "dialogues:dialogue-list", kwargs={"partnership_slug": world.members_only.slug}
        )
        assert client_as(world.person("outsider")).get(url).status_code == 404
        assert "Hidden satellites" in client_as(world.person("member")).get(url).text

    def test_the_list_runs_a_fixed_number_of_queries(self, client, world):
        url = reverse(
            "dialogues:dialogue-list", kwargs={"partnership_slug": world.partnership.slug}
        )
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        DialogueFactory.create_batch(10, partnership=world.partnership)
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many) == len(few)


class TestDialogueDetail:
    def test_shows_the_question_the_phase_and_what_it_allows(self, client, world):
        response = client.get(world.dialogue.get_absolute_url())

        assert response.status_code == 200
        assert "dialogues/dialogue_detail.html" in _templates(response)
        assert "What should the partnership do first?" in response.text
        assert "Now open: Add statements, Comment, Vote." in response.text
        assert "Log in to take part." in response.text

    def test_the_description_is_escaped(self, client, world):
        Dialogue.objects.filter(pk=world.dialogue.pk).update(
            description="<script>alert(1)</script>"
        )
        response = client.get(world.dialogue.get_absolute_url())
        assert "<script>alert(1)</script>" not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text

    def test_dates_are_shown_in_the_viewers_time_zone(self, client_as, world):
        Dialogue.objects.filter(pk=world.dialogue.pk).update(
            closes_at=datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
        )
        person = world.person("member")
        person.time_zone = "America/Santiago"
        person.save()
        response = client_as(person).get(world.dialogue.get_absolute_url())
        # 12:00 UTC is 09:00 in Santiago in March (UTC-3).
        assert "March 1, 2027, 9 a.m." in response.text

    def test_members_only_dialogue_is_404_for_outsiders(self, client_as, world):
        response = client_as(world.person("stranger")).get(world.hidden_dialogue.get_absolute_url())
        assert response.status_code == 404
        assert "Hidden satellites" not in response.text

    def test_members_get_the_take_part_form(self, client_as, world):
        response = client_as(world.person("member")).get(world.dialogue.get_absolute_url())
        assert 'name="take_part_as"' in response.text
        assert "for ECLAC" in response.text
        assert "as an individual" not in response.text

    def test_taking_part_is_recorded_and_shown(self, client_as, world):
        client = client_as(world.person("member"))
        response = client.post(
            _url("participation-set", world.open_dialogue), {"take_part_as": "individual"}
        )
        assert response.status_code == 302
        assert "You take part as an individual." in client.get(response.url).text

    @pytest.mark.parametrize("value", ["", "999999", "individual"])
    def test_a_bad_choice_is_a_400_with_a_field_error(self, client_as, world, value):
        response = client_as(world.person("member")).post(
            _url("participation-set", world.dialogue), {"take_part_as": value}
        )
        assert response.status_code == 400
        assert 'id="id_take_part_as_error"' in response.text
        assert not Participation.objects.exists()


class TestFacilitatorPages:
    def test_create_opens_the_dialogue_and_redirects_to_it(self, client_as, world):
        response = client_as(world.person("facilitator")).post(
            reverse(
                "dialogues:dialogue-create", kwargs={"partnership_slug": world.partnership.slug}
            ),
            {
                "title": "Skills for all",
                "framing_question": "Which digital skills are missing?",
                "languages": ["en", "pt"],
                "participation": "signed_in",
                "deliberate_starts_at": "2027-01-10T09:00",
            },
        )
        dialogue = Dialogue.objects.get(title="Skills for all")
        assert response.status_code == 302
        assert response.url == dialogue.get_absolute_url()
        assert dialogue.deliberate_starts_at == datetime(2027, 1, 10, 9, 0, tzinfo=UTC)

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            (
                {"framing_question": "Why?", "languages": ["en"], "participation": "members"},
                "title",
            ),
            ({"title": "T", "framing_question": "Why?", "participation": "members"}, "languages"),
            (
                {
                    "title": "T",
                    "framing_question": "Why?",
                    "languages": ["en"],
                    "participation": "members",
                    "deliberate_starts_at": "2027-01-10T09:00",
                    "contribute_starts_at": "2027-02-10T09:00",
                },
                "deliberate_starts_at",
            ),
            (
                {
                    "title": "T",
                    "framing_question": "Why?",
                    "languages": ["en"],
                    "participation": "members",
                    "closes_at": "not a date",
                },
                "closes_at",
            ),
        ],
    )
    def test_bad_input_is_a_400_naming_the_field(self, client_as, world, data, field):
        before = Dialogue.objects.count()
        response = client_as(world.person("facilitator")).post(
            reverse(
                "dialogues:dialogue-create", kwargs={"partnership_slug": world.partnership.slug}
            ),
            data,
        )
        assert response.status_code == 400
        assert f'id="id_{field}_error"' in response.text
        assert Dialogue.objects.count() == before

    def test_edit_saves_the_changes(self, client_as, world):
        response = client_as(world.person("facilitator")).post(
            _url("dialogue-edit", world.dialogue),
            {
                "title": "Shared priorities, revised",
                "framing_question": "What first?",
                "languages": ["es"],
                "participation": "signed_in",
            },
        )
        assert response.status_code == 302
        world.dialogue.refresh_from_db()
        assert world.dialogue.title == "Shared priorities, revised"
        assert world.dialogue.languages == ["es"]

    def test_the_phase_move_page_asks_then_moves(self, client_as, world):
        client = client_as(world.person("facilitator"))
        page = client.get(_url("dialogue-phase-move", world.dialogue))
        assert page.status_code == 200
        assert "It is now in the phase: Contribute." in page.text

        response = client.post(_url("dialogue-phase-move", world.dialogue), {"phase": "deliberate"})
        assert response.status_code == 302
        world.dialogue.refresh_from_db()
        assert world.dialogue.phase == Phase.DELIBERATE

    def test_an_unknown_phase_is_a_400(self, client_as, world):
        response = client_as(world.person("facilitator")).post(
            _url("dialogue-phase-move", world.dialogue), {"phase": "voting"}
        )
        assert response.status_code == 400
        assert 'id="id_phase_error"' in response.text
        world.dialogue.refresh_from_db()
        assert world.dialogue.phase == Phase.CONTRIBUTE
