"""Initiative pages: open data, IATI 2.03 exports (see urls.py for the whole URL map).

- /partnerships/<p>/iati/activities.xml: the partnership's public initiatives, streamed;
- /partnerships/<p>/initiatives/<slug>/iati.xml: one public initiative;
- /partnerships/<p>/iati/organisations.xml: the organisations accountable for them.
"""

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from puente.partnerships.models import Partnership

from ..iati_export import activities_stream, exportable_initiatives, organisations_document

XML = "application/xml"


def _public_partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership, slug=slug, visibility=Partnership.Visibility.PUBLIC)


@require_safe
def iati_activities(request: HttpRequest, partnership_slug: str) -> StreamingHttpResponse:
    """Stream the IATI activity file of the partnership's public initiatives."""
    partnership = _public_partnership(partnership_slug)
    response = StreamingHttpResponse(
        activities_stream(exportable_initiatives(partnership)), content_type=XML
    )
    response["Content-Disposition"] = f'inline; filename="{partnership.slug}-activities.xml"'
    return response


@require_safe
def iati_activity(request: HttpRequest, partnership_slug: str, slug: str) -> StreamingHttpResponse:
    """Return the IATI activity file of one public initiative."""
    partnership = _public_partnership(partnership_slug)
    initiatives = exportable_initiatives(partnership).filter(slug=slug)
    if not initiatives.exists():
        raise Http404
    return StreamingHttpResponse(activities_stream(initiatives), content_type=XML)


@require_safe
def iati_organisations(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """Return the IATI organisation file of the organisations accountable for initiatives."""
    partnership = _public_partnership(partnership_slug)
    document = organisations_document(exportable_initiatives(partnership))
    response = HttpResponse(document, content_type=XML)
    response["Content-Disposition"] = f'inline; filename="{partnership.slug}-organisations.xml"'
    return response


urlpatterns: list[URLPattern] = [
    path(
        "partnerships/<slug:partnership_slug>/iati/activities.xml",
        iati_activities,
        name="iati-activities",
    ),
    path(
        "partnerships/<slug:partnership_slug>/iati/organisations.xml",
        iati_organisations,
        name="iati-organisations",
    ),
    path(
        "partnerships/<slug:partnership_slug>/initiatives/<slug:slug>/iati.xml",
        iati_activity,
        name="iati-activity",
    ),
]
