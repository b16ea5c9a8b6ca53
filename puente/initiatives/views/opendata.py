"""Initiative pages: open data, IATI 2.03 exports (see urls.py for the whole URL map).

- /partnerships/<p>/iati/activities.xml: the partnership's public initiatives, streamed;
- /partnerships/<p>/initiatives/<slug>/iati.xml: one public initiative;
- /partnerships/<p>/iati/organisations.xml: the organisations accountable for them;
- /partnerships/<p>/iati/import/: facilitators upload an IATI activity file.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from puente.accounts.http import signed_in_person
from puente.partnerships.models import Partnership

from ..iati_export import activities_stream, exportable_initiatives, organisations_document
from ..iati_import import MAX_BYTES, IatiImportError, iati_import
from ..permissions import can_create_initiative

XML = "application/xml"


def _public_partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership, slug=slug, visibility=Partnership.Visibility.PUBLIC)


def _site_url(request: HttpRequest) -> str:
    """Return the scheme and host the file was asked from: the themes' vocabulary is there."""
    return request.build_absolute_uri("/")[:-1]


@require_safe
def iati_activities(request: HttpRequest, partnership_slug: str) -> StreamingHttpResponse:
    """Stream the IATI activity file of the partnership's public initiatives."""
    partnership = _public_partnership(partnership_slug)
    response = StreamingHttpResponse(
        activities_stream(exportable_initiatives(partnership), site_url=_site_url(request)),
        content_type=XML,
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
    return StreamingHttpResponse(
        activities_stream(initiatives, site_url=_site_url(request)), content_type=XML
    )


@require_safe
def iati_organisations(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """Return the IATI organisation file of the organisations accountable for initiatives."""
    partnership = _public_partnership(partnership_slug)
    document = organisations_document(exportable_initiatives(partnership))
    response = HttpResponse(document, content_type=XML)
    response["Content-Disposition"] = f'inline; filename="{partnership.slug}-organisations.xml"'
    return response


# The most problems listed on the form; the rest are counted.
SHOWN_PROBLEMS = 50


class IatiImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("IATI 2.03 activity file (XML)"),
        help_text=gettext_lazy(
            "Initiatives are matched by their IATI identifier: known ones are updated, new ones "
            "created. Organisations must already be in the directory. Nothing is written if the "
            "file has any problem."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(n)d MB.") % {"n": MAX_BYTES // (1024 * 1024)}
            )
        data: bytes = upload.read(MAX_BYTES + 1)
        return data


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def iati_import_view(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """Let a facilitator import initiatives from an IATI activity file."""
    partnership = get_object_or_404(
        Partnership.objects.visible_to(request.user), slug=partnership_slug
    )
    actor = signed_in_person(request)
    if not can_create_initiative(actor, partnership):
        raise PermissionDenied
    form = IatiImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = iati_import(
                data=form.cleaned_data["file"], partnership=partnership, actor=actor
            )
        except IatiImportError as error:
            for problem in error.problems[:SHOWN_PROBLEMS]:
                form.add_error("file", str(problem))
            if len(error.problems) > SHOWN_PROBLEMS:
                form.add_error(
                    "file",
                    _("… and %(n)d more problems.") % {"n": len(error.problems) - SHOWN_PROBLEMS},
                )
        else:
            messages.success(
                request,
                _("%(created)d initiatives created and %(updated)d updated.")
                % {"created": len(report.created), "updated": len(report.updated)},
            )
            return redirect("initiatives:iati-import", partnership_slug=partnership.slug)
    return render(
        request,
        "initiatives/iati_import.html",
        {"partnership": partnership, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path(
        "partnerships/<slug:partnership_slug>/iati/import/",
        iati_import_view,
        name="iati-import",
    ),
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
