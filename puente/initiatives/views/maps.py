"""Initiative pages: maps and dashboards (see urls.py for the whole URL map)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_countries import countries

from puente.core.choices import ThemeCode
from puente.partnerships.models import Partnership

from ..dashboards import COMMITTED_COLOUR, DISBURSED_COLOUR, MoneyRow, money_chart
from ..maps import choropleth_classes, place_coordinates, place_features, status_legend
from ..models import Initiative
from ..portfolio_cache import CACHE_SECONDS
from ..selectors import dashboard_key, dashboard_money, initiatives_visible_to, place_list


def _scope(request: HttpRequest) -> tuple[Partnership | None, QuerySet[Initiative]]:
    """Return the partnership asked for (404 if not visible) and the visible initiatives."""
    initiatives = initiatives_visible_to(request.user)
    slug = request.GET.get("partnership", "").strip()
    if not slug:
        return None, initiatives
    partnership = Partnership.objects.visible_to(request.user).filter(slug=slug[:100]).first()
    if partnership is None:
        raise Http404
    return partnership, initiatives.filter(partnership=partnership)


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """Show the visible initiatives' places on the offline map, and as a table."""
    partnership, initiatives = _scope(request)
    places = [
        {"place": place, "coordinates": place_coordinates(place)}
        for place in place_list(initiatives)
    ]
    return render(
        request,
        "initiatives/map.html",
        {
            "partnership": partnership,
            "places": places,
            "legend": status_legend(),
            "query": f"?partnership={partnership.slug}" if partnership else "",
        },
    )


@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """Return the visible initiatives' places as a GeoJSON FeatureCollection."""
    _partnership, initiatives = _scope(request)
    response = JsonResponse(place_features(place_list(initiatives)))
    response["Content-Type"] = "application/geo+json"
    return response


def _amount(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal(0)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show where the money comes from and goes: contributors, countries, themes, years."""
    partnership, _initiatives = _scope(request)
    key = dashboard_key(viewer=request.user, partnership=partnership)
    # The figures are read only when their cached rendering is missing (a lazy object).
    figures = SimpleLazyObject(
        lambda: _dashboard_figures(
            dashboard_money(viewer=request.user, partnership=partnership, key=key)
        )
    )
    context: dict[str, Any] = {
        "partnership": partnership,
        "dash": figures,
        "committed_colour": COMMITTED_COLOUR,
        "disbursed_colour": DISBURSED_COLOUR,
        "query": f"?partnership={partnership.slug}" if partnership else "",
        "figures_key": key,
        "cache_seconds": CACHE_SECONDS,
    }
    return render(request, "initiatives/dashboard.html", context)


def _dashboard_figures(money: dict[str, Any]) -> dict[str, Any]:
    """Return the dashboard's charts and figures drawn from dashboard_money's."""
    contributors = money["contributors"]
    contributor_chart = money_chart(
        _("Money by contributor"),
        [
            MoneyRow(
                label=row["provider__name"],
                committed=_amount(row["committed"]),
                disbursed=_amount(row["disbursed"]),
                code=row["provider__slug"],
            )
            for row in contributors
        ],
    )
    by_country = money["countries"]
    country_chart = money_chart(
        _("Money by recipient country"),
        [
            MoneyRow(
                label=str(countries.name(row["country"]) or row["country"]),
                committed=_amount(row["committed"]),
                disbursed=_amount(row["disbursed"]),
                code=row["country"],
            )
            for row in by_country
        ],
    )
    country_colours, country_legend = choropleth_classes(
        {row.code: row.committed for row in country_chart.rows}
    )
    theme_chart = money_chart(
        _("Money by theme"),
        [
            MoneyRow(
                label=str(row["label"]),
                committed=_amount(row["committed"]),
                disbursed=_amount(row["disbursed"]),
                code=row["theme"],
            )
            for row in money["themes"]
        ],
    )
    year_chart = money_chart(
        _("Money by year"),
        [
            MoneyRow(
                label=str(row["year"]),
                committed=_amount(row["committed"]),
                disbursed=_amount(row["disbursed"]),
                code=str(row["year"]),
            )
            for row in money["years"]
        ],
    )
    team_europe = money["team_europe"]
    return {
        "contributor_chart": contributor_chart,
        "unconverted": sum(row["unconverted"] for row in contributors),
        "country_chart": country_chart,
        "country_colours": country_colours,
        "country_legend": country_legend,
        "theme_chart": theme_chart,
        "n_themes": len(ThemeCode.values),
        "year_chart": year_chart,
        "team_europe": team_europe,
        "team_europe_percent": team_europe["share"] * 100,
        "team_europe_width": min(int(team_europe["share"] * 400), 400),
    }


urlpatterns: list[URLPattern] = [
    path("initiatives/map/", map_page, name="map"),
    path("initiatives/map/places.geojson", map_data, name="map-data"),
    path("initiatives/dashboard/", dashboard, name="dashboard"),
]
