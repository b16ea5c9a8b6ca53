"""A facilitator opens a dialogue and moves its phase with the keyboard alone."""

from typing import Any

import pytest

from puente.dialogues.models import Dialogue, Phase
from puente.partnerships.demo import DEMO_PASSWORD
from tests.browser.conftest import axe_violations

FACILITATOR_EMAIL = "facilitator@demo.puente.example"
ALLIANCE = "/partnerships/eu-lac-digital-alliance/"


def _log_in(tab: Any, email: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _activate(tab: Any, selector: str) -> None:
    """Focus the element and press Enter, as a keyboard user does."""
    tab.locator(selector).focus()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")


def _type_into(tab: Any, selector: str, text: str) -> None:
    tab.locator(selector).focus()
    tab.keyboard.type(text)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_facilitator_opens_a_dialogue_and_moves_its_phase_by_keyboard(
    page, axe, live_server, language
):
    page.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )
    _log_in(page, FACILITATOR_EMAIL)
    page.goto(ALLIANCE)
    assert axe_violations(axe, page) == []

    _activate(page, f"main a[href='{ALLIANCE}dialogues/new/']")
    assert page.url.endswith("/dialogues/new/")
    # Submitted empty first: the errors are announced and the page stays accessible.
    _activate(page, "main form button[type=submit]")
    assert page.locator("#id_title_error").is_visible()
    assert axe_violations(axe, page) == []

    _type_into(page, "#id_title", "Cybersecurity together")
    _type_into(page, "#id_framing_question", "Where should the regions pool their defences?")
    page.locator("#id_languages_1").focus()  # Spanish, next to English ticked by default
    page.keyboard.press("Space")
    page.locator("#id_participation_1").focus()  # any signed-in person
    page.keyboard.press("Space")
    _activate(page, "main form button[type=submit]")

    dialogue = Dialogue.objects.get(title="Cybersecurity together")
    assert page.url.endswith(dialogue.get_absolute_url())
    assert dialogue.languages == ["en", "es"]
    assert dialogue.participation == Dialogue.Audience.SIGNED_IN
    assert axe_violations(axe, page) == []

    _activate(page, f"main a[href='{dialogue.get_absolute_url()}phase/']")
    assert axe_violations(axe, page) == []
    page.locator("#id_phase_0").focus()  # the current phase, contribute, is chosen
    page.keyboard.press("ArrowDown")  # deliberate
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    dialogue.refresh_from_db()
    assert dialogue.phase == Phase.DELIBERATE
    assert page.url.endswith(dialogue.get_absolute_url())
    assert axe_violations(axe, page) == []
