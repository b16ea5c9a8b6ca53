"""The joint agenda in the browser: a facilitator drafts, edits and publishes it with the
keyboard, an organisation admin endorses it, a visitor downloads the PDF; axe finds nothing."""

from pathlib import Path
from typing import Any

import pytest

from puente.agenda.models import Agenda, AgendaVersion, Endorsement
from puente.dialogues.models import Dialogue, Phase
from puente.partnerships.demo import DEMO_PASSWORD
from tests.agenda.factories import snapshot_create
from tests.browser.conftest import axe_violations
from tests.dialogues.factories import StatementFactory

FACILITATOR_EMAIL = "facilitator@demo.puente.example"
ORGANISATION_ADMIN_EMAIL = "orgadmin@demo.puente.example"
AGENDA = "/partnerships/eu-lac-digital-alliance/agenda/shared-digital-priorities/"


def _log_in(tab: Any, email: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _activate(tab: Any, selector: str) -> None:
    """Focus the element and press Enter, as a keyboard user does."""
    tab.locator(selector).first.focus()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")


def _fresh(tab: Any, live_server: Any, language: str) -> None:
    tab.context.clear_cookies()
    tab.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )


def _dialogue_with_results() -> Dialogue:
    dialogue = Dialogue.objects.get(slug="shared-digital-priorities")
    # Whatever the demo published, this journey starts the agenda afresh.
    Agenda.objects.filter(dialogue=dialogue).delete()
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=Phase.PRIORITISE)
    statements = [
        StatementFactory(dialogue=dialogue, text=f"Shared priority {n}: <b>act</b> together.")
        for n in range(1, 7)
    ]
    snapshot_create(dialogue, statements)
    dialogue.refresh_from_db()
    return dialogue


@pytest.mark.parametrize("language", ["en", "es"])
def test_draft_publish_endorse_and_download(page, axe, live_server, language, tmp_path):
    _dialogue_with_results()
    _fresh(page, live_server, language)
    _log_in(page, FACILITATOR_EMAIL)

    page.goto(AGENDA)
    assert axe_violations(axe, page) == []
    _activate(page, f"main a[href='{AGENDA}draft/new/']")
    assert axe_violations(axe, page) == []
    page.locator("#id_n_items").fill("4")
    _activate(page, "main form button[type=submit]")
    assert page.url.endswith(f"{AGENDA}draft/")
    assert axe_violations(axe, page) == []

    draft = AgendaVersion.objects.get(status="draft")
    first = draft.items.get(position=1)
    # Move the first item down with the keyboard alone: htmx swaps the list in place and the
    # focus stays on the same button.
    page.locator(f"#move-down-{first.pk}").focus()
    with page.expect_response(lambda response: "/move/" in response.url):
        page.keyboard.press("Enter")
    page.locator(f"#move-up-{first.pk}").wait_for()
    first.refresh_from_db()
    assert first.position == 2
    assert page.evaluate("document.activeElement.id") == f"move-down-{first.pk}"
    assert axe_violations(axe, page) == []

    _activate(page, f"main a[href='{AGENDA}draft/items/{first.pk}/']")
    assert axe_violations(axe, page) == []
    page.locator("#id_text_es").fill("Prioridad compartida: actuar juntos.")
    page.locator("#id_theme_en").fill("Connectivity")
    _activate(page, "main form button[type=submit]")
    first.refresh_from_db()
    assert first.text["es"] == "Prioridad compartida: actuar juntos."
    assert axe_violations(axe, page) == []

    _activate(page, f"main a[href='{AGENDA}draft/publish/']")
    assert axe_violations(axe, page) == []
    page.locator("#id_note").fill("First version, agreed in Panama.")
    _activate(page, "main form button[type=submit]")
    version = AgendaVersion.objects.get(status="published")
    assert page.url.endswith(f"{AGENDA}versions/1/")
    assert version.items.count() == 4
    assert axe_violations(axe, page) == []

    _fresh(page, live_server, language)
    _log_in(page, ORGANISATION_ADMIN_EMAIL)
    page.goto(f"{AGENDA}versions/1/")
    _activate(page, f"main a[href='{AGENDA}versions/1/endorse/']")
    assert axe_violations(axe, page) == []
    _activate(page, "main form button[type=submit]")
    endorsement = Endorsement.objects.get(version=version)
    assert page.url.endswith(f"{AGENDA}versions/1/")
    assert endorsement.organisation.name in page.locator("main").inner_text()
    assert page.locator("main svg[role=img]").count() == 2
    assert axe_violations(axe, page) == []
    page.goto("/me/statements/")
    assert axe_violations(axe, page) == []

    _fresh(page, live_server, language)
    page.goto(f"{AGENDA}versions/1/")
    assert axe_violations(axe, page) == []
    page.locator(f"main a[href='{AGENDA}versions/1/export.pdf']").focus()
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    saved = tmp_path / "agenda.pdf"
    download_info.value.save_as(saved)
    assert Path(saved).read_bytes().startswith(b"%PDF")
    assert version.agenda.title.encode() in Path(saved).read_bytes()

    page.goto(f"{AGENDA}compare/?old=1&new=1")
    assert axe_violations(axe, page) == []
    page.goto("/partnerships/eu-lac-digital-alliance/dialogues/shared-digital-priorities/")
    assert axe_violations(axe, page) == []
