"""The site's URLs, plus a stand-in initiative page when the portfolio does not provide one.

The edit pages send people back to ``initiative.get_absolute_url()``, the portfolio's page.
Until that page exists, tests of the edit pages run with this URL map (``pytest.mark.urls``);
once it exists the map is the site's own plus nothing.
"""

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from puente import urls as site
from puente.initiatives import urls as initiative_urls

handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500


def initiative_stand_in(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Stand in for the portfolio's initiative page."""
    return HttpResponse(f"initiative {partnership_slug}/{slug}", content_type="text/plain")


HAS_DETAIL = any(
    getattr(pattern, "name", None) == "initiative-detail" for pattern in initiative_urls.urlpatterns
)
stand_in: list[URLPattern] = (
    []
    if HAS_DETAIL
    else [
        path(
            "partnerships/<slug:partnership_slug>/initiatives/<slug:slug>/",
            initiative_stand_in,
            name="initiative-detail",
        )
    ]
)

# The first "initiatives" namespace is the one reverse() uses.
initiative_patterns: list[URLPattern | URLResolver] = [*initiative_urls.urlpatterns, *stand_in]
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include((initiative_patterns, "initiatives"))),
    *cast(list[URLPattern | URLResolver], site.urlpatterns),
]
