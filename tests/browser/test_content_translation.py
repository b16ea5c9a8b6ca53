"""An organisation admin translates the description in the pages; a Spanish reader sees it.

Every page passes axe with no violation, in English and in Spanish, wide and narrow.
"""

from typing import Any

import pytest

from puente.partnerships.demo import DEMO_PASSWORD
from tests.browser.conftest import axe_violations

ORG_ADMIN_EMAIL = "orgadmin@demo.puente.example"
ORGANISATION = "/organisations/instituto-amazonico-observacao-terra/"
SPANISH = "Instituto de investigación que convierte imágenes satelitales en alertas."


def _log_in(tab: Any, email: str, password: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(password)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _language(tab: Any, live_server: Any, language: str) -> None:
    tab.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )


def _profile_language(tab: Any, language: str) -> None:
    """Choose the language with the header's form (a signed-in person's choice is kept)."""
    with tab.expect_navigation():
        tab.evaluate(
            "language => document.querySelector("
            "`header form[action$='/me/language/'] button[value='${language}']`).click()",
            language,
        )


@pytest.mark.parametrize("width", [1366, 375])
def test_an_admin_adds_a_spanish_translation_that_a_spanish_reader_sees(
    page, axe, browser, live_server, width
):
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, ORG_ADMIN_EMAIL, DEMO_PASSWORD)
    # The demo's org admin reads the site in Brazilian Portuguese: this test works in English.
    page.goto(ORGANISATION)
    _profile_language(page, "en")
    page.goto(ORGANISATION)
    page.get_by_role("link", name="Translate the description").click()
    page.wait_for_url(f"**{ORGANISATION}translations/")
    assert axe_violations(axe, page) == []

    # With the keyboard: type the text and submit with Enter on the button.
    page.locator("#id_language").select_option("es")
    page.locator("#id_description").focus()
    page.keyboard.type(SPANISH)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{ORGANISATION}translations/")
    page.get_by_role("heading", name="Spanish").wait_for()
    assert axe_violations(axe, page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    _profile_language(page, "es")
    page.goto(f"{ORGANISATION}translations/")
    page.get_by_role("heading", name="Traducciones", exact=True).wait_for()
    assert axe_violations(axe, page) == []

    reader = browser.new_context(base_url=live_server.url, reduced_motion="reduce")
    reader_tab = reader.new_page()
    reader_tab.set_viewport_size({"width": width, "height": 900})
    _language(reader_tab, live_server, "es")
    reader_tab.goto(ORGANISATION)
    shown = reader_tab.locator('section[aria-labelledby="about-heading"] div[lang="es"]')
    assert shown.inner_text().strip() == SPANISH
    assert reader_tab.get_by_text("Traducido del inglés").count() == 1
    assert axe_violations(axe, reader_tab) == []

    _language(reader_tab, live_server, "fr")
    reader_tab.goto(ORGANISATION)
    assert reader_tab.locator('section[aria-labelledby="about-heading"] div[lang="en"]').count()
    assert reader_tab.get_by_text("Original en anglais").count() == 1
    assert axe_violations(axe, reader_tab) == []
    reader.close()
