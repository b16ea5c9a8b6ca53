"""The one pagination, error-list and empty-state fragment every page shares."""

from pathlib import Path

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parents[2]


def _page(number: int, n_items: int = 95, per_page: int = 10):
    return Paginator(list(range(n_items)), per_page).page(number)


def test_pagination_links_keep_the_query_and_say_where_the_reader_is():
    request = RequestFactory().get("/organisations/", {"region": "LAC", "page": "2"})
    html = render_to_string(
        "core/_pagination.html",
        {"page_obj": _page(2), "pagination_label": "Pages of things"},
        request=request,
    )
    assert 'aria-label="Pages of things"' in html
    assert 'href="?region=LAC&amp;page=1"' in html
    assert 'href="?region=LAC&amp;page=3"' in html
    assert "Page 2 of 10" in html
    assert "hx-get" not in html


def test_pagination_numbers_the_pages_and_swaps_with_htmx_when_asked():
    page = _page(5)
    html = render_to_string(
        "core/_pagination.html",
        {
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "htmx_target": "results",
            "htmx_swap": "innerHTML",
        },
        request=RequestFactory().get("/"),
    )
    current = '<span class="page-link" aria-current="page">'
    assert current + '<span class="visually-hidden">Page </span>5</span>' in html
    assert "…" in html
    assert 'hx-target="#results" hx-swap="innerHTML"' in html
    assert 'aria-label="Pages"' in html


def test_pagination_says_nothing_for_a_single_page():
    html = render_to_string("core/_pagination.html", {"page_obj": _page(1, n_items=3)})
    assert html.strip() == ""


def test_errors_are_one_alert_or_nothing():
    html = render_to_string("core/_errors.html", {"errors": ["First.", "Second."]})
    assert html.count('role="alert"') == 1
    assert '<p class="mb-0">Second.</p>' in html
    assert render_to_string("core/_errors.html", {"errors": []}).strip() == ""


def test_an_empty_state_gives_its_message_hint_and_one_action():
    html = render_to_string(
        "core/_empty.html",
        {
            "message": "Nothing yet.",
            "hint": "Add one.",
            "action_url": "/new/",
            "action_label": "Add",
        },
    )
    assert '<p class="empty-state-message">Nothing yet.</p>' in html
    assert "Add one." in html
    assert 'href="/new/">Add</a>' in html
    bare = render_to_string("core/_empty.html", {"message": "Nothing yet."})
    assert "<a" not in bare


def test_no_app_keeps_a_pagination_or_error_fragment_of_its_own():
    twins = [
        path.relative_to(ROOT).as_posix()
        for pattern in ("_pagination*.html", "_errors*.html", "_empty*.html")
        for path in (ROOT / "puente").rglob(pattern)
        if "/core/templates/core/" not in path.as_posix()
    ]
    assert twins == []
