import json
import re
import zlib

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from puente.agenda.models import AgendaItem, AgendaVersion, Endorsement
from puente.agenda.services import (
    agenda_draft_copy,
    agenda_draft_create,
    agenda_item_add,
    agenda_item_move,
    agenda_item_update,
    agenda_publish,
    endorsement_create,
)
from puente.dialogues.models import Dialogue, Phase
from tests.agenda.conftest import ROLES

pytestmark = pytest.mark.django_db

BASE = "/partnerships/eu-lac-digital-alliance/agenda/shared-priorities/"
SCRIPT = "<script>alert(1)</script>"


def _published(aw, n_items=4):
    facilitator = aw.person("facilitator")
    draft = agenda_draft_create(actor=facilitator, dialogue=aw.dialogue, n_items=n_items)
    return agenda_publish(actor=facilitator, version=draft, note="First version")


def _client(client_as, aw, role):
    return client_as(aw.person(role))


MANAGERS = {"facilitator", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role_follow_the_table(agenda_world, client_as, role):
    _published(agenda_world)
    agenda_draft_copy(
        actor=agenda_world.person("facilitator"), agenda=AgendaVersion.objects.get().agenda
    )
    client = _client(client_as, agenda_world, role)
    assert client.get(BASE).status_code == 200
    assert client.get(f"{BASE}versions/1/").status_code == 200
    draft_status = client.get(f"{BASE}draft/").status_code
    assert draft_status == (200 if role in MANAGERS else 404)
    publish = client.get(f"{BASE}draft/publish/")
    assert publish.status_code == (200 if role in MANAGERS else 302 if role == "visitor" else 404)
    endorse = client.get(f"{BASE}versions/1/endorse/")
    assert endorse.status_code == (
        200 if role == "org_admin" else 302 if role == "visitor" else 403
    )


@pytest.mark.parametrize("role", ROLES)
def test_members_only_agendas_are_404_to_outsiders(agenda_world, client_as, role):
    hidden = agenda_world.world.hidden_dialogue
    Dialogue.objects.filter(pk=hidden.pk).update(phase=Phase.PRIORITISE)
    hidden.refresh_from_db()
    from tests.agenda.factories import snapshot_create
    from tests.dialogues.factories import StatementFactory

    snapshot_create(hidden, [StatementFactory(dialogue=hidden) for _ in range(3)])
    facilitator = agenda_world.person("facilitator")
    agenda_publish(
        actor=facilitator, version=agenda_draft_create(actor=facilitator, dialogue=hidden)
    )
    url = "/partnerships/copernicus-lac/agenda/hidden-satellites/"
    readers = {"member", "org_admin", "facilitator", "admin"}
    client = _client(client_as, agenda_world, role)
    for path in ["", "versions/1/", "versions/1/export.pdf", "versions/1/export.json"]:
        assert client.get(url + path).status_code == (200 if role in readers else 404), path


def test_without_an_agenda_only_managers_see_the_page(agenda_world, client_as):
    assert client_as(None).get(BASE).status_code == 404
    response = client_as(agenda_world.person("facilitator")).get(BASE)
    assert response.status_code == 200
    assert b"draft/new/" in response.content


class TestDraftEditor:
    def test_a_facilitator_drafts_edits_moves_and_publishes_without_javascript(
        self, agenda_world, client_as
    ):
        client = client_as(agenda_world.person("facilitator"))
        response = client.post(
            f"{BASE}draft/new/", {"ranking_method": "joint-support", "n_items": "3"}
        )
        assert response.status_code == 302
        assert response["Location"] == f"{BASE}draft/"
        draft = AgendaVersion.objects.get()
        first, second = draft.items.order_by("position")[:2]

        page = client.get(f"{BASE}draft/")
        assert page.status_code == 200
        assert b"Move down" in page.content

        client.post(f"{BASE}draft/items/{second.pk}/move/", {"direction": "up"})
        assert draft.items.get(position=1) == second

        response = client.post(
            f"{BASE}draft/items/new/",
            {
                "original_language": "en",
                "text_en": "Open data for all",
                "text_es": "",
                "theme_en": "Data",
                "statements": [agenda_world.statements[5].pk],
            },
        )
        assert response.status_code == 302
        added = draft.items.get(position=4)
        assert added.text == {"en": "Open data for all"}
        assert added.theme == {"en": "Data"}

        response = client.post(
            f"{BASE}draft/items/{added.pk}/",
            {
                "original_language": "en",
                "text_en": "Open data for everyone",
                "text_es": "Datos abiertos para todos",
                "theme_en": "Data",
                "theme_es": "Datos",
            },
        )
        assert response.status_code == 302
        added.refresh_from_db()
        assert added.text["es"] == "Datos abiertos para todos"

        response = client.post(f"{BASE}draft/items/{first.pk}/delete/")
        assert response.status_code == 302
        assert draft.items.count() == 3

        response = client.post(f"{BASE}draft/publish/", {"note": "Agreed in Panama"})
        assert response.status_code == 302
        assert response["Location"] == f"{BASE}versions/1/"
        draft.refresh_from_db()
        assert (draft.number, draft.note) == (1, "Agreed in Panama")

    def test_bad_item_input_shows_field_errors_and_writes_nothing(self, agenda_world, client_as):
        client = client_as(agenda_world.person("facilitator"))
        client.post(f"{BASE}draft/new/", {"ranking_method": "approval", "n_items": "2"})
        response = client.post(
            f"{BASE}draft/items/new/", {"original_language": "es", "text_en": "Only English"}
        )
        assert response.status_code == 400
        assert b'id="id_text_es_error"' in response.content
        assert AgendaItem.objects.count() == 2

    def test_bad_draft_input_shows_field_errors(self, agenda_world, client_as):
        client = client_as(agenda_world.person("facilitator"))
        response = client.post(f"{BASE}draft/new/", {"ranking_method": "loudest", "n_items": "0"})
        assert response.status_code == 400
        assert b"id_n_items_error" in response.content
        assert b"id_ranking_method_error" in response.content
        assert not AgendaVersion.objects.exists()

    def test_a_bad_move_direction_is_a_400(self, agenda_world, client_as):
        client = client_as(agenda_world.person("facilitator"))
        client.post(f"{BASE}draft/new/", {"ranking_method": "approval", "n_items": "2"})
        item = AgendaItem.objects.get(position=1)
        assert (
            client.post(f"{BASE}draft/items/{item.pk}/move/", {"direction": "x"}).status_code == 400
        )

    def test_in_an_earlier_phase_the_draft_is_read_only(self, agenda_world, client_as):
        client = client_as(agenda_world.person("facilitator"))
        client.post(f"{BASE}draft/new/", {"ranking_method": "approval", "n_items": "2"})
        Dialogue.objects.filter(pk=agenda_world.dialogue.pk).update(phase=Phase.DELIBERATE)
        page = client.get(f"{BASE}draft/")
        assert page.status_code == 200
        assert b"Move down" not in page.content
        assert client.get(f"{BASE}draft/items/new/").status_code == 403

    def test_missing_translation_falls_back_with_a_notice(self, agenda_world, client_as):
        version = _published(agenda_world, n_items=6)
        client = client_as(None)
        english = client.get(f"{BASE}versions/1/", HTTP_ACCEPT_LANGUAGE="en")
        assert b"shown in their original language" in english.content  # the Spanish statement
        spanish_item = version.items.get(original_language="es")
        assert "Prioridad 2" in english.content.decode()
        assert spanish_item.text_in("en") == ("Prioridad 2: conectar escuelas.", True)


class TestVersionPages:
    def test_version_page_shows_items_evidence_and_endorsements_chart(
        self, agenda_world, client_as, django_assert_max_num_queries
    ):
        version = _published(agenda_world)
        endorsement_create(
            actor=agenda_world.person("org_admin"),
            version=version,
            organisation=agenda_world.world.organisation,
        )
        client = client_as(None)
        with django_assert_max_num_queries(12):
            response = client.get(f"{BASE}versions/1/")
        html = response.content.decode()
        assert "Support by region" in html
        assert "ECLAC" in html
        assert "<svg" in html
        assert "Endorsing organisations by region" in html

    def test_item_text_is_escaped(self, agenda_world, client_as):
        facilitator = agenda_world.person("facilitator")
        draft = agenda_draft_create(actor=facilitator, dialogue=agenda_world.dialogue, n_items=1)
        agenda_item_add(
            actor=facilitator,
            version=draft,
            text={"en": SCRIPT},
            original_language="en",
            theme={"en": SCRIPT},
        )
        agenda_publish(actor=facilitator, version=draft)
        html = client_as(None).get(f"{BASE}versions/1/").content.decode()
        assert SCRIPT not in html
        assert "&lt;script&gt;" in html

    def test_comparison_shows_added_removed_moved_and_changed(self, agenda_world, client_as):
        facilitator = agenda_world.person("facilitator")
        first = _published(agenda_world, n_items=3)
        draft = agenda_draft_copy(actor=facilitator, agenda=first.agenda)
        items = list(draft.items.order_by("position"))
        agenda_item_move(actor=facilitator, item=items[2], position=1)
        agenda_item_update(
            actor=facilitator,
            item=items[0],
            text={"en": "Reworded"},
            original_language="en",
            theme={},
            statements=[],
        )
        from puente.agenda.services import agenda_item_delete

        agenda_item_delete(actor=facilitator, item=items[1])
        agenda_item_add(
            actor=facilitator, version=draft, text={"en": "Brand new"}, original_language="en"
        )
        agenda_publish(actor=facilitator, version=draft)

        response = client_as(None).get(f"{BASE}compare/", {"old": 1, "new": 2})
        html = response.content.decode()
        assert response.status_code == 200
        for label in ["Added", "Removed", "Moved", "Text changed", "Brand new", "Reworded"]:
            assert label in html
        assert client_as(None).get(f"{BASE}compare/", {"old": 1, "new": 9}).status_code == 400

    def test_versions_list_budget(self, agenda_world, client_as, django_assert_max_num_queries):
        facilitator = agenda_world.person("facilitator")
        version = _published(agenda_world)
        for _ in range(3):
            version = agenda_publish(
                actor=facilitator,
                version=agenda_draft_copy(actor=facilitator, agenda=version.agenda),
            )
        with django_assert_max_num_queries(8):
            response = client_as(None).get(BASE)
        assert response.content.decode().count("/versions/") >= 4


class TestEndorsePages:
    def test_an_organisation_admin_endorses_and_withdraws_with_confirmation(
        self, agenda_world, client_as
    ):
        _published(agenda_world)
        client = client_as(agenda_world.person("org_admin"))
        page = client.get(f"{BASE}versions/1/endorse/")
        assert b"ECLAC" in page.content
        response = client.post(
            f"{BASE}versions/1/endorse/", {"organisation": agenda_world.world.organisation.pk}
        )
        assert response.status_code == 302
        endorsement = Endorsement.objects.get()
        confirm = client.get(f"{BASE}versions/1/endorsements/{endorsement.pk}/withdraw/")
        assert confirm.status_code == 200
        assert (
            client.post(f"{BASE}versions/1/endorsements/{endorsement.pk}/withdraw/").status_code
            == 302
        )
        endorsement.refresh_from_db()
        assert endorsement.withdrawn_at is not None

    def test_endorsing_for_another_organisation_is_a_field_error(self, agenda_world, client_as):
        _published(agenda_world)
        client = client_as(agenda_world.person("org_admin"))
        response = client.post(
            f"{BASE}versions/1/endorse/", {"organisation": agenda_world.world.other_organisation.pk}
        )
        assert response.status_code == 400
        assert not Endorsement.objects.exists()


class TestExports:
    def _version_with_script(self, aw):
        facilitator = aw.person("facilitator")
        draft = agenda_draft_create(actor=facilitator, dialogue=aw.dialogue, n_items=2)
        agenda_item_add(
            actor=facilitator,
            version=draft,
            text={"en": SCRIPT, "es": "Árbol ñandú"},
            original_language="en",
            theme={"en": "Themes & <b>things</b>"},
        )
        return agenda_publish(actor=facilitator, version=draft)

    def test_pdf_starts_with_the_magic_and_carries_the_title(self, agenda_world, client_as):
        self._version_with_script(agenda_world)
        response = client_as(None).get(f"{BASE}versions/1/export.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert b"Joint agenda: Shared priorities" in response.content
        spanish = client_as(None).get(f"{BASE}versions/1/export.pdf", HTTP_ACCEPT_LANGUAGE="es")
        assert spanish.content.startswith(b"%PDF")

    def test_markdown_escapes_markup(self, agenda_world, client_as):
        self._version_with_script(agenda_world)
        text = client_as(None).get(f"{BASE}versions/1/export.md").content.decode()
        assert text.startswith("# Joint agenda: Shared priorities")
        assert "<script>" not in text
        assert "&lt;script&gt;" in text or "&lt;script\\>" in text

    def test_csv_has_one_row_per_item_with_evidence(self, agenda_world, client_as):
        import csv
        import io

        self._version_with_script(agenda_world)
        body = client_as(None).get(f"{BASE}versions/1/export.csv").content.decode()
        rows = list(csv.DictReader(io.StringIO(body)))
        assert len(rows) == 3
        assert rows[0]["rank"] == "1"
        assert rows[2]["text"] == SCRIPT  # data, not markup: CSV keeps it as written

    def test_json_keeps_every_language_and_the_evidence(self, agenda_world, client_as):
        self._version_with_script(agenda_world)
        data = json.loads(client_as(None).get(f"{BASE}versions/1/export.json").content)
        assert data["version"] == 1
        assert data["items"][2]["text"] == {"en": SCRIPT, "es": "Árbol ñandú"}
        assert "by_grouping" in data["items"][0]["evidence"]

    def test_print_html_escapes_and_is_standalone(self, agenda_world, client_as):
        self._version_with_script(agenda_world)
        html = client_as(None).get(f"{BASE}versions/1/export.html").content.decode()
        assert html.startswith("<!DOCTYPE html>")
        assert SCRIPT not in html
        assert "Themes &amp; &lt;b&gt;things&lt;/b&gt;" in html

    def test_unknown_format_is_404(self, agenda_world, client_as):
        _published(agenda_world)
        assert client_as(None).get(f"{BASE}versions/1/export.exe").status_code == 404


class TestHowInputWasUsed:
    def test_my_statements_lists_where_each_went(self, agenda_world, client_as):
        version = _published(agenda_world, n_items=6)
        author = version.items.get(position=1).statements.get().author
        response = client_as(author).get("/me/statements/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Item 1 of" in html
        assert version.get_absolute_url() in html

    def test_my_statements_needs_sign_in(self, client_as, db):
        assert client_as(None).get("/me/statements/").status_code == 302

    def test_statement_uses_tag_lists_the_items(self, agenda_world):
        version = _published(agenda_world, n_items=2)
        statement = version.items.get(position=1).statements.get()
        request = RequestFactory().get("/")
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        html = Template("{% load agenda %}{% statement_uses statement %}").render(
            Context({"statement": statement, "request": request})
        )
        assert "How this input was used" in html
        assert version.get_absolute_url() in html

    def test_dialogue_page_shows_the_published_agenda(self, agenda_world, client_as):
        _published(agenda_world)
        html = (
            client_as(None)
            .get("/partnerships/eu-lac-digital-alliance/dialogues/shared-priorities/")
            .content.decode()
        )
        assert "Joint agenda" in html
        assert f"{BASE}versions/1/" in html

    def test_partnership_page_links_the_agendas(self, agenda_world, client_as):
        _published(agenda_world)
        html = client_as(None).get("/partnerships/eu-lac-digital-alliance/").content.decode()
        assert "/partnerships/eu-lac-digital-alliance/agenda/" in html


def test_numbers_beyond_the_database_range_are_404_or_field_errors(agenda_world, client_as):
    facilitator = agenda_world.person("facilitator")
    version = _published(agenda_world)
    agenda_draft_copy(actor=facilitator, agenda=version.agenda)
    client = client_as(facilitator)
    big = "99999999999999999999999"
    assert client.get(f"{BASE}versions/{big}/").status_code == 404
    assert client.get(f"{BASE}versions/1/endorsements/{big}/withdraw/").status_code == 404
    assert client.get(f"{BASE}draft/items/{big}/").status_code == 404
    assert client.get(f"{BASE}compare/", {"old": 1, "new": big}).status_code == 400
    response = client.post(
        f"{BASE}draft/items/new/", {"original_language": "en", "text_en": "x", "statements": [big]}
    )
    assert response.status_code == 400
    assert b"id_statements_error" in response.content


def test_draft_and_my_statements_pages_stay_within_a_query_budget(
    agenda_world, client_as, django_assert_max_num_queries
):
    facilitator = agenda_world.person("facilitator")
    version = _published(agenda_world, n_items=6)
    agenda_draft_copy(actor=facilitator, agenda=version.agenda)
    client = client_as(facilitator)
    with django_assert_max_num_queries(16):
        assert client.get(f"{BASE}draft/").status_code == 200
    author = version.items.get(position=1).statements.get().author
    from tests.dialogues.factories import StatementFactory

    for _ in range(5):
        StatementFactory(dialogue=agenda_world.dialogue, author=author)
    client = client_as(author)
    with django_assert_max_num_queries(10):
        assert client.get("/me/statements/").status_code == 200


def test_moving_with_htmx_answers_with_the_list_alone(agenda_world, client_as):
    client = client_as(agenda_world.person("facilitator"))
    client.post(f"{BASE}draft/new/", {"ranking_method": "approval", "n_items": "3"})
    item = AgendaItem.objects.get(position=1)
    response = client.post(
        f"{BASE}draft/items/{item.pk}/move/", {"direction": "down"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="draft-items">')
    assert "<html" not in html
    item.refresh_from_db()
    assert item.position == 2


def test_the_pdf_draws_every_language_with_a_unicode_font(agenda_world, client_as):
    from puente.agenda.exports import unicode_font

    assert unicode_font() is not None  # the fontpkg-noto-sans dependency
    facilitator = agenda_world.person("facilitator")
    draft = agenda_draft_create(actor=facilitator, dialogue=agenda_world.dialogue, n_items=1)
    agenda_item_add(
        actor=facilitator,
        version=draft,
        text={"fr": "Le cœur du numérique : 145 M€", "pt": "Conectividade na Amazônia"},
        original_language="fr",
    )
    agenda_publish(actor=facilitator, version=draft)
    response = client_as(None).get(f"{BASE}versions/1/export.pdf", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.content.startswith(b"%PDF")
    assert b"NotoSans" in response.content  # the embedded font


def _text_render_modes(pdf_bytes: bytes) -> list[int]:
    """Return the text rendering mode of each text run drawn, in order (0 fill, 2 outline)."""
    modes: list[int] = []
    for chunk in pdf_bytes.split(b"endstream"):
        if b"/FlateDecode" not in chunk or b"/Length1" in chunk or b"stream\n" not in chunk:
            continue
        stream = zlib.decompress(chunk.split(b"stream\n", 1)[1])
        if b" Tf" not in stream:
            continue
        # The mode is graphics state: q saves it, Q restores it, Tr sets it, Tj draws.
        saved: list[int] = []
        mode = 0
        for token in re.finditer(rb"(?<![\w.])(q|Q)(?!\w)|(\d) Tr|\) Tj", stream):
            if token.group(1) == b"q":
                saved.append(mode)
            elif token.group(1) == b"Q":
                mode = saved.pop()
            elif token.group(2):
                mode = int(token.group(2))
            else:
                modes.append(mode)
    return modes


def test_the_pdf_draws_headings_bold_and_the_rest_regular(agenda_world):
    from puente.agenda import exports

    version = _published(agenda_world)
    modes = _text_render_modes(exports.version_pdf(version, "en"))
    # The title is outlined as well as filled (bold); the line under it is filled only.
    assert modes[:2] == [2, 0]
    assert modes.count(2) >= 2
    assert modes.count(0) >= 2


def test_without_a_unicode_font_the_pdf_falls_back_to_latin_1(agenda_world, monkeypatch):
    from puente.agenda import exports

    monkeypatch.setattr(exports, "unicode_font", lambda: None)
    facilitator = agenda_world.person("facilitator")
    draft = agenda_draft_create(actor=facilitator, dialogue=agenda_world.dialogue, n_items=1)
    agenda_item_add(
        actor=facilitator,
        version=draft,
        text={"fr": "Le cœur : 145 M€ \N{EN DASH} ok"},
        original_language="fr",
    )
    version = agenda_publish(actor=facilitator, version=draft)
    body = exports.version_pdf(version, "fr")
    assert body.startswith(b"%PDF")
    assert b"Helvetica" in body


def test_once_every_organisation_endorses_the_button_goes_and_the_form_redirects(
    agenda_world, client_as
):
    version = _published(agenda_world)
    endorsement_create(
        actor=agenda_world.person("org_admin"),
        version=version,
        organisation=agenda_world.world.organisation,
    )
    client = client_as(agenda_world.person("org_admin"))
    assert b"/versions/1/endorse/" not in client.get(f"{BASE}versions/1/").content
    response = client.get(f"{BASE}versions/1/endorse/")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}versions/1/"
