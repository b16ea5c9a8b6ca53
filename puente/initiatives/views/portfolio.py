"""Initiative pages: portfolio (see urls.py for the whole URL map).

The portfolio lists (all partnerships, or one) with filters and downloads, an initiative's
page, and the trace of one agenda item down to the money and results that answer it.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods

from puente.core.choices import ThemeCode
from puente.dialogues.views.dialogues import visible_partnership
from puente.partnerships.models import Partnership

from ..codelists import code_name
from ..downloads import DOWNLOAD_FORMATS, portfolio_table, table_download
from ..models import ActivityStatus, Initiative
from ..permissions import can_create_initiative, can_edit_initiative
from ..portfolio_cache import CACHE_SECONDS, figures_key
from ..selectors import (
    SEARCH_MAX_LENGTH,
    PortfolioFilters,
    agenda_item_get,
    agenda_item_initiatives,
    initiative_agenda_items,
    initiative_get,
    initiative_parts,
    portfolio_options,
    portfolio_rows,
)

PAGE_SIZE = 25


def _language() -> str:
    return translation.get_language() or "en"


def _filters(request: HttpRequest, partnership: Partnership | None) -> PortfolioFilters:
    """Read the filters from the query string; an unknown choice is ignored, not an error."""
    given = request.GET
    status = given.get("status", "")
    theme = given.get("theme", "")
    item = given.get("agenda_item", "")
    return PortfolioFilters(
        q=given.get("q", "").strip()[:SEARCH_MAX_LENGTH],
        status=status if status in ActivityStatus.values else "",
        country=given.get("country", "").strip().upper()[:2],
        sector=given.get("sector", "").strip()[:5],
        contributor=given.get("contributor", "").strip()[:100],
        theme=theme if theme in ThemeCode.values else "",
        agenda_item=int(item) if item.isdigit() and len(item) < 10 else None,
        partnership=partnership.slug
        if partnership is not None
        else given.get("partnership", "").strip()[:100],
    )


def _portfolio(request: HttpRequest, partnership: Partnership | None) -> HttpResponse:
    filters = _filters(request, partnership)
    fmt = request.GET.get("format", "")
    if fmt in DOWNLOAD_FORMATS:
        initiatives = portfolio_rows(viewer=request.user, filters=filters)
        base_url = request.build_absolute_uri("/")[:-1]
        return table_download(portfolio_table(initiatives, base_url=base_url), fmt)
    # The rows are read only when their cached rendering is missing (lazy objects).
    page = SimpleLazyObject(
        lambda: Paginator(portfolio_rows(viewer=request.user, filters=filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    )
    context = {
        "partnership": partnership,
        "filters": filters,
        "is_filtered": filters.is_filtered or (partnership is None and bool(filters.partnership)),
        "page_obj": page,
        "initiatives": SimpleLazyObject(lambda: list(page)),
        "figures_key": figures_key(
            request.user,
            ("portfolio", partnership.pk if partnership else None, sorted(request.GET.lists())),
        ),
        "cache_seconds": CACHE_SECONDS,
        "options": SimpleLazyObject(
            lambda: portfolio_options(
                viewer=request.user, partnership=partnership, language=_language()
            )
        ),
        "statuses": ActivityStatus.choices,
        "themes": ThemeCode.choices,
        "may_create": partnership is not None and can_create_initiative(request.user, partnership),
    }
    template = (
        "initiatives/_portfolio_rows.html"
        if getattr(request, "htmx", False)
        else "initiatives/portfolio.html"
    )
    return render(request, template, context)


@require_http_methods(["GET", "HEAD"])
def portfolio_view(request: HttpRequest) -> HttpResponse:
    """List the initiatives of every partnership the viewer may read; filter, download."""
    return _portfolio(request, None)


@require_http_methods(["GET", "HEAD"])
def partnership_portfolio_view(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """List one partnership's initiatives; filter, download."""
    # A visitor's page needs no facilitators: the right to add an initiative reads them.
    partnership = visible_partnership(
        request, partnership_slug, with_facilitators=request.user.is_authenticated
    )
    return _portfolio(request, partnership)


def _edit_url(initiative: Initiative) -> str | None:
    """Return the initiative's edit page, or None while no such page exists."""
    try:
        return reverse(
            "initiatives:initiative-edit",
            kwargs={"partnership_slug": initiative.partnership.slug, "slug": initiative.slug},
        )
    except NoReverseMatch:
        return None


@require_http_methods(["GET", "HEAD"])
def initiative_detail_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Show an initiative: summary, money, milestones, results, places, why it exists."""
    initiative = initiative_get(viewer=request.user, partnership_slug=partnership_slug, slug=slug)
    language = _language()
    edit_url = _edit_url(initiative) if can_edit_initiative(request.user, initiative) else None
    key = figures_key(request.user, ("initiative", initiative.pk))
    # The records are read only when their cached rendering is missing (lazy objects that
    # share one read).
    sections = functools.cache(lambda: _initiative_sections(initiative, language))
    return render(
        request,
        "initiatives/initiative_detail.html",
        {
            "initiative": initiative,
            "partnership": initiative.partnership,
            **{
                name: SimpleLazyObject(functools.partial(_section, sections, name))
                for name in SECTION_NAMES
            },
            "item_texts": SimpleLazyObject(
                lambda: [
                    (item, *item.text_in(language))
                    for item in initiative_agenda_items(initiative=initiative, viewer=request.user)
                ]
            ),
            "edit_url": edit_url,
            "figures_key": key,
            "cache_seconds": CACHE_SECONDS,
        },
    )


# What the cached part of an initiative's page shows (see _initiative_sections).
SECTION_NAMES = (
    "sectors",
    "countries",
    "regions",
    "participants_by_role",
    "documents",
    "transactions",
    "budgets",
    "milestones",
    "results",
    "places",
    "by_contributor",
    "by_year",
    "totals",
    "sector_names",
    "region_names",
    "theme_labels",
    "contributor_bars",
)


def _section(sections: Any, name: str) -> Any:
    return sections()[name]


def _initiative_sections(initiative: Initiative, language: str) -> dict[str, Any]:
    parts = initiative_parts(initiative=initiative)
    by_contributor = parts["by_contributor"]
    largest = max(
        [row["committed"] for row in by_contributor] + [row["disbursed"] for row in by_contributor],
        default=0,
    )
    return {
        **parts,
        "sector_names": [
            (sector, code_name("Sector", sector.code, language)) for sector in parts["sectors"]
        ],
        "region_names": [
            (region, code_name("Region", region.code, language)) for region in parts["regions"]
        ],
        "theme_labels": [
            ThemeCode(theme).label for theme in initiative.themes if theme in ThemeCode.values
        ],
        "contributor_bars": [
            {
                **row,
                "committed_share": round(100 * row["committed"] / largest) if largest else 0,
                "disbursed_share": round(100 * row["disbursed"] / largest) if largest else 0,
            }
            for row in by_contributor
        ],
    }


@require_http_methods(["GET", "HEAD"])
def agenda_item_trace_view(
    request: HttpRequest, partnership_slug: str, item_id: int
) -> HttpResponse:
    """Trace one agenda item: statements, the item, its initiatives, their money and results."""
    item = agenda_item_get(viewer=request.user, partnership_slug=partnership_slug, item_id=item_id)
    text, is_fallback = item.text_in(_language())
    initiatives = agenda_item_initiatives(viewer=request.user, item=item)
    return render(
        request,
        "initiatives/agenda_item_trace.html",
        {
            "item": item,
            "item_text": text,
            "is_fallback": is_fallback,
            "version": item.version,
            "partnership": item.version.agenda.dialogue.partnership,
            "initiatives": initiatives,
        },
    )


urlpatterns: list[URLPattern] = [
    path("initiatives/", portfolio_view, name="portfolio"),
    path(
        "partnerships/<slug:partnership_slug>/initiatives/",
        partnership_portfolio_view,
        name="partnership-portfolio",
    ),
    path(
        "partnerships/<slug:partnership_slug>/initiatives/trace/<int:item_id>/",
        agenda_item_trace_view,
        name="agenda-item-trace",
    ),
    path(
        "partnerships/<slug:partnership_slug>/initiatives/<slug:slug>/",
        initiative_detail_view,
        name="initiative-detail",
    ),
]
