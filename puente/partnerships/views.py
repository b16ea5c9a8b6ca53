from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from puente.core.choices import Region
from puente.stakeholders.selectors import organisation_count_by_region

from .models import Partnership
from .selectors import partnership_get, partnership_list


def home(request: HttpRequest) -> HttpResponse:
    """Show what Puente is, the partnerships a visitor can open and the directory in figures."""
    partnerships = partnership_list(viewer=request.user)[:6]
    by_region = organisation_count_by_region()
    return render(
        request,
        "partnerships/home.html",
        {
            "partnerships": partnerships,
            "organisations_by_region": by_region,
            "region_rows": [(Region(code).label, n) for code, n in by_region.items()],
        },
    )


def partnership_list_view(request: HttpRequest) -> HttpResponse:
    """List the partnerships the viewer may read."""
    return render(
        request,
        "partnerships/partnership_list.html",
        {"partnerships": partnership_list(viewer=request.user, query=request.GET.get("q", ""))},
    )


def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a partnership with its member organisations."""
    try:
        partnership = partnership_get(slug=slug, viewer=request.user)
    except Partnership.DoesNotExist as error:
        raise Http404 from error
    return render(request, "partnerships/partnership_detail.html", {"partnership": partnership})
