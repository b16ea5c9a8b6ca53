from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Organisation
from .selectors import membership_list, organisation_get, organisation_list


def organisation_list_view(request: HttpRequest) -> HttpResponse:
    """Search and filter the directory of organisations."""
    return render(
        request,
        "stakeholders/organisation_list.html",
        {"organisations": organisation_list(query=request.GET.get("q", ""))},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show an organisation's profile."""
    try:
        organisation = organisation_get(slug=slug)
    except Organisation.DoesNotExist as error:
        raise Http404 from error
    return render(request, "stakeholders/organisation_detail.html", {"organisation": organisation})


@login_required
def my_organisations(request: HttpRequest) -> HttpResponse:
    """List the organisations the signed-in person belongs to or asked to join."""
    return render(
        request,
        "stakeholders/my_organisations.html",
        {"memberships": membership_list(person=request.user)},
    )


@login_required
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation (placeholder until the membership views land)."""
    raise Http404
