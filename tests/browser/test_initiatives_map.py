"""A visitor reads the map of initiatives and the money dashboards, offline and accessible."""

from typing import Any
from urllib.parse import urlsplit

import pytest

from puente.initiatives.models import Place
from tests.browser.conftest import axe_violations


@pytest.fixture
def watched(page: Any, live_server: Any) -> tuple[Any, list[str]]:
    """Give the tab and the list of its console errors and of requests leaving the server."""
    problems: list[str] = []
    host = urlsplit(live_server.url).hostname

    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    def on_request(request: Any) -> None:
        if urlsplit(request.url).scheme in ("http", "https") and (
            urlsplit(request.url).hostname != host
        ):
            problems.append(f"request to {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", on_request)
    return page, problems


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_map_draws_every_place_offline(watched, axe, live_server, language):
    tab, problems = watched
    tab.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )
    places = list(Place.objects.all())
    n_lines = sum(place.geometry["type"].endswith("LineString") for place in places)
    assert places
    tab.goto("/initiatives/map/")
    assert tab.locator("html").get_attribute("lang") == language
    tab.wait_for_selector("#initiatives-map[data-drawn]")
    assert tab.locator("#initiatives-map").get_attribute("data-drawn") == str(len(places))
    # One interactive SVG path per place (circle markers and lines), plus a casing per line;
    # the country shapes are drawn too, but not interactive.
    assert tab.locator("#initiatives-map path.leaflet-interactive").count() == len(places)
    assert tab.locator("#initiatives-map path").count() > len(places) + n_lines + 100
    # The table lists the same places, without any script.
    assert tab.locator("main table tbody tr").count() == len(places)
    # A popup links to the initiative: click a dot (the smallest shape), at its centre.
    # The map is scrolled into view first: the mouse clicks within the window only.
    tab.locator("#initiatives-map").scroll_into_view_if_needed()
    paths = tab.locator("#initiatives-map path.leaflet-interactive")
    boxes = [paths.nth(index).bounding_box() for index in range(paths.count())]
    dot = min((box for box in boxes if box), key=lambda box: box["width"] * box["height"])
    tab.mouse.click(dot["x"] + dot["width"] / 2, dot["y"] + dot["height"] / 2)
    link = tab.locator("#initiatives-map .leaflet-popup-content a")
    assert link.get_attribute("href").startswith("/partnerships/")
    # Checked once the popup is fully drawn, not halfway through a fade.
    tab.wait_for_function(
        "getComputedStyle(document.querySelector('#initiatives-map .leaflet-popup')).opacity"
        " === '1'"
    )
    assert axe_violations(axe, tab) == []
    # The popup's link leads to the initiative's page, which draws its own places.
    with tab.expect_navigation():
        link.click()
    small_map = tab.locator("main [data-initiatives-map]")
    tab.wait_for_selector("main [data-initiatives-map][data-drawn]")
    assert int(small_map.get_attribute("data-drawn")) >= 1
    assert small_map.locator("path.leaflet-interactive").count() >= 1
    assert axe_violations(axe, tab) == []
    tab.wait_for_load_state("networkidle")
    assert problems == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_dashboard_shades_the_countries_and_gives_tables(watched, axe, live_server, language):
    tab, problems = watched
    tab.context.add_cookies(
        [{"name": "puente_language", "value": language, "url": live_server.url}]
    )
    tab.goto("/initiatives/dashboard/")
    tab.wait_for_selector("#countries-map[data-drawn]")
    shaded = tab.locator("#countries-map path[fill='#08519c']")
    assert shaded.count() >= 1
    assert tab.locator("main figure svg[role=img]").count() >= 5
    assert tab.locator("main table").count() >= 5
    assert axe_violations(axe, tab) == []
    tab.wait_for_load_state("networkidle")
    assert problems == []
