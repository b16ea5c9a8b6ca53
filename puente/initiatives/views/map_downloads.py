"""The map's table of places as a download (see urls.py for the whole URL map).

Kept apart from ``maps``: it reads the same scope (every visible initiative, or those of the
partnership asked for with ``?partnership=``) through ``maps._scope`` and the same places.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from ..downloads import DOWNLOAD_FORMATS, place_table, table_download
from ..selectors import place_list
from .maps import _scope as map_scope


@require_GET
def map_places_download(request: HttpRequest) -> HttpResponse:
    """Answer with the map's places as CSV or XLSX (``?format=``), as the map's table lists them."""
    fmt = request.GET.get("format", "")
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    partnership, initiatives = map_scope(request)
    name = f"places-{partnership.slug}" if partnership else "places"
    table = place_table(
        place_list(initiatives), base_url=request.build_absolute_uri("/")[:-1], name=name
    )
    return table_download(table, fmt)


urlpatterns: list[URLPattern] = [
    path("initiatives/map/places/", map_places_download, name="map-places-download"),
]
