"""The look: no page scrolls sideways on a phone, the header keeps to one row on a laptop in
every language, the API documentation loads nothing from elsewhere, the home page passes axe."""

from typing import Any

import pytest

from puente.partnerships.demo import DEMO_PASSWORD
from tests.browser.conftest import axe_violations

ALLIANCE = "/partnerships/eu-lac-digital-alliance/"
DIALOGUE = ALLIANCE + "dialogues/shared-digital-priorities/"
OPEN_DIALOGUE = ALLIANCE + "dialogues/digital-accelerator-challenges/"
AGENDA = ALLIANCE + "agenda/shared-digital-priorities/"
INITIATIVE = ALLIANCE + "initiatives/copernicus-lac/"
FACILITATOR = "facilitator@demo.puente.example"

# What a visitor reaches from the demo's pages.
VISITOR_PAGES = [
    "/",
    "/organisations/",
    "/organisations/?region=LAC&type=academia",
    "/organisations/eclac/",
    "/partnerships/",
    ALLIANCE,
    "/partnerships/d4d-hub-lac/",
    ALLIANCE + "dialogues/",
    DIALOGUE,
    DIALOGUE + "statements/",
    DIALOGUE + "results/",
    OPEN_DIALOGUE,
    OPEN_DIALOGUE + "statements/",
    ALLIANCE + "agenda/",
    AGENDA,
    AGENDA + "versions/1/",
    ALLIANCE + "initiatives/",
    INITIATIVE,
    "/initiatives/",
    "/initiatives/dashboard/",
    "/initiatives/map/",
    "/search/?q=digital",
    "/privacy/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/api/v1/",
    "/no-such-page/",
]

# What a signed-in facilitator of the alliance reaches besides.
FACILITATOR_PAGES = [
    "/",
    "/me/",
    "/me/tokens/",
    "/me/delete/",
    "/me/statements/",
    "/organisations/mine/",
    "/organisations/new/",
    ALLIANCE,
    ALLIANCE + "edit/",
    ALLIANCE + "facilitators/invite/",
    ALLIANCE + "dialogues/new/",
    DIALOGUE,
    DIALOGUE + "vote/",
    DIALOGUE + "compare/",
    DIALOGUE + "my-votes/",
    DIALOGUE + "results/",
    DIALOGUE + "edit/",
    DIALOGUE + "invitations/",
    OPEN_DIALOGUE + "statements/new/",
    AGENDA,
    AGENDA + "draft/",
    AGENDA + "compare/",
    ALLIANCE + "initiatives/",
    INITIATIVE,
    ALLIANCE + "initiatives/new/",
    "/initiatives/dashboard/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
]

# The elements sticking out past the window's right edge, to name in a failure.
WIDEST = """() => Array.from(document.querySelectorAll('body *'))
  .filter(element => element.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(-3)
  .map(element => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
       + (element.className && typeof element.className === 'string'
          ? '.' + element.className.trim().split(/\\s+/).join('.') : ''))"""


def _log_in(tab: Any, email: str) -> None:
    tab.goto("/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(DEMO_PASSWORD)
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").first.click()


def _sideways(tab: Any, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        response = tab.goto(path)
        assert response is not None, path
        assert response.status in (200, 404), (path, response.status)
        scroll_width, inner_width = tab.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            found.append(f"{path}: {scroll_width} > {inner_width} {tab.evaluate(WIDEST)}")
    return found


def test_no_page_a_visitor_reaches_scrolls_sideways_at_375px(page):
    page.set_viewport_size({"width": 375, "height": 800})
    found = _sideways(page, VISITOR_PAGES)
    assert not found, "\n".join(found)


def test_no_page_a_facilitator_reaches_scrolls_sideways_at_375px(page):
    page.set_viewport_size({"width": 375, "height": 800})
    _log_in(page, FACILITATOR)
    found = _sideways(page, FACILITATOR_PAGES)
    assert not found, "\n".join(found)


def _header_rows(tab: Any) -> int:
    """Count the rows the header's items take (items whose tops differ by half a row)."""
    tops = tab.evaluate(
        """() => Array.from(document.querySelectorAll(
             '.site-header .navbar-brand, .site-header .site-search, '
             + '.site-header .navbar-nav > li'))
           .filter(element => element.offsetParent !== null)
           .map(element => { const box = element.getBoundingClientRect();
                             return box.top + box.height / 2; })"""
    )
    rows: list[float] = []
    for top in sorted(tops):
        if not rows or top - rows[-1] > 12:
            rows.append(top)
    return len(rows)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_header_keeps_to_one_row_at_1366px_in_every_language(page, live_server, signed_in):
    page.set_viewport_size({"width": 1366, "height": 800})
    if signed_in:
        _log_in(page, FACILITATOR)
    rows = {}
    for language in ["en", "es", "pt", "pt-br", "fr"]:
        page.context.add_cookies(
            [{"name": "puente_language", "value": language, "url": live_server.url}]
        )
        if signed_in:
            # A signed-in person's language is their profile's: switch it the way they would.
            page.goto("/")
            page.locator("header details.header-menu summary").first.click()
            with page.expect_navigation():
                page.locator(f"header button[name=language][value='{language}']").click()
        page.goto("/organisations/")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator(".site-header .navbar-toggler").is_hidden()
        rows[language] = _header_rows(page)
    assert rows == dict.fromkeys(rows, 1)


def test_the_menu_button_opens_the_menu_on_a_phone_from_the_keyboard(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    toggler = page.locator(".site-header .navbar-toggler")
    directory = page.locator("#site-menu").get_by_role("link", name="Directory", exact=True)
    assert toggler.get_attribute("aria-expanded") == "false"
    assert directory.is_hidden()
    toggler.focus()
    page.keyboard.press("Enter")
    assert toggler.get_attribute("aria-expanded") == "true"
    assert directory.is_visible()


def test_without_javascript_the_menu_is_shown_on_a_phone(browser, live_server, demo_data):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.set_viewport_size({"width": 375, "height": 800})
    tab.goto("/")
    assert tab.get_by_role("link", name="Directory", exact=True).is_visible()
    assert tab.locator(".site-header .navbar-toggler").is_hidden()
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_documentation_loads_nothing_from_elsewhere(page, live_server, path):
    requested: list[str] = []
    refused: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(path)
    # Redoc and Swagger UI have drawn the API from the schema (not an error), then settled.
    page.get_by_text("Puente API").first.wait_for()
    page.wait_for_load_state("networkidle")
    elsewhere = [
        url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))
    ]
    assert elsewhere == []
    assert refused == []


@pytest.mark.parametrize("width", [1366, 375])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_home_page_passes_axe(page, axe, live_server, language, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(axe, page) == []


def test_the_country_filter_works_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.set_viewport_size({"width": 375, "height": 800})
    tab.goto("/organisations/")
    tab.locator("details.choice-filter summary").click()
    tab.get_by_label("Chile", exact=True).check()
    tab.get_by_label("Spain", exact=True).check()
    with tab.expect_navigation():
        tab.get_by_role("button", name="Show organisations").click()
    assert "country=CL" in tab.url
    assert "country=ES" in tab.url
    countries = tab.locator("#organisation-results li.card p.small").all_inner_texts()
    assert countries
    assert all(text.endswith(("Chile", "Spain")) for text in countries)
    context.close()


def test_typing_in_the_country_filter_narrows_the_list(page, axe):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/organisations/")
    page.locator("details.choice-filter summary").click()
    page.get_by_label("Narrow the list").fill("BRAZ")
    assert page.get_by_label("Brazil", exact=True).is_visible()
    assert page.get_by_label("Chile", exact=True).is_hidden()
    page.get_by_label("Brazil", exact=True).check()
    page.wait_for_url(lambda url: "country=BR" in url)
    assert axe_violations(axe, page) == []


@pytest.mark.parametrize("path", ["/partnerships/", ALLIANCE, AGENDA, "/organisations/"])
def test_stacked_tables_and_the_country_filter_pass_axe_on_a_phone(page, axe, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(path)
    for summary in page.locator("main details summary").all():
        summary.click()
    assert axe_violations(axe, page) == []
