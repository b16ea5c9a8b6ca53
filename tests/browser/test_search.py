"""The header's search box finds ECLAC by its Spanish acronym and accented words without
their accents, in English and in Spanish, with no axe violation."""

import pytest

from tests.browser.conftest import axe_violations

ECLAC = "United Nations Economic Commission for Latin America and the Caribbean (ECLAC)"
OBSERVATION = "Instituto Amazônico de Observação da Terra"
HEADER_BOX = "header #site-search-q"


def _tab_to_header_search(page) -> None:
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            return
    pytest.fail("The header's search box cannot be reached with the Tab key.")


@pytest.mark.parametrize("width", [1366, 375])
@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Organisations"), ("es", "Organizaciones")]
)
def test_header_search_finds_cepal_and_observacao(page, axe, live_server, language, heading, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )
    page.goto("/")
    _tab_to_header_search(page)
    page.keyboard.type("CEPAL")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=CEPAL")
    results = page.locator("#search-results")
    results.get_by_role("link", name=ECLAC).wait_for()
    assert results.get_by_role("heading", name=heading).count() == 1
    assert axe_violations(axe, page) == []

    box = page.locator(HEADER_BOX)
    assert box.input_value() == "CEPAL"
    box.fill("observacao")
    box.press("Enter")
    page.wait_for_url("**/search/?q=observacao")
    results.get_by_role("link", name=OBSERVATION).wait_for()
    assert results.get_by_role("link", name=ECLAC).count() == 0
    assert axe_violations(axe, page) == []

    # The page's own form narrows to one kind, through htmx, without leaving the page.
    page.locator("#id_kind").select_option("organisation")
    page.wait_for_url("**kind=organisation**")
    results.get_by_role("link", name=OBSERVATION).wait_for()
    assert axe_violations(axe, page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
