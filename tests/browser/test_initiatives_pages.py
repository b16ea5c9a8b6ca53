"""The initiative pages in the browser: the portfolio filters without JavaScript help and with
htmx, the initiative page and the trace; axe finds nothing, in English and in Spanish."""

import pytest

from puente.initiatives.models import Initiative
from tests.browser.conftest import axe_violations

PORTFOLIO = "/initiatives/"
PARTNERSHIP_PORTFOLIO = "/partnerships/eu-lac-digital-alliance/initiatives/"


def _speak(page, live_server, language):
    page.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_portfolio_filters_and_leads_to_an_initiative(page, axe, live_server, language):
    _speak(page, live_server, language)
    page.goto(PORTFOLIO)
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(axe, page) == []
    rows = page.locator("#portfolio-rows tbody tr")
    assert rows.count() == Initiative.objects.filter(visibility="public").count()

    # Choose a status with the keyboard and submit: htmx swaps the rows in place.
    page.locator("#portfolio-status").select_option("1")  # pipeline
    with page.expect_response(lambda response: "status=1" in response.url):
        page.locator("main form[role=search] button[type=submit]").press("Enter")
    page.locator("#portfolio-rows").wait_for()
    expected = Initiative.objects.filter(visibility="public", status="1").count()
    assert page.locator("#portfolio-rows tbody tr").count() == expected
    assert "status=1" in page.url
    assert axe_violations(axe, page) == []

    page.goto(PARTNERSHIP_PORTFOLIO)
    assert axe_violations(axe, page) == []
    first = page.locator("#portfolio-rows tbody tr th a").first
    title = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert page.locator("h1").inner_text() == title
    assert axe_violations(axe, page) == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_initiative_page_and_the_trace(page, axe, live_server, language):
    _speak(page, live_server, language)
    initiative = Initiative.objects.get(slug="bella-extension")
    page.goto(initiative.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#money-heading").is_visible()
    assert page.locator("progress").count() >= 1
    assert axe_violations(axe, page) == []

    trace = page.locator("#why-heading ~ ul a[href*='/initiatives/trace/']").first
    with page.expect_navigation():
        trace.click()
    assert "/initiatives/trace/" in page.url
    assert page.locator(f"a[href='{initiative.get_absolute_url()}']").count() >= 1
    assert axe_violations(axe, page) == []


def test_the_portfolio_works_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(PORTFOLIO)
        tab.locator("#portfolio-country").select_option("BR")
        with tab.expect_navigation():
            tab.locator("main form[role=search] button[type=submit]").click()
        assert "country=BR" in tab.url
        expected = Initiative.objects.filter(
            visibility="public", recipient_countries__country="BR"
        ).count()
        assert expected >= 1
        assert tab.locator("#portfolio-rows tbody tr").count() == expected
    finally:
        context.close()
