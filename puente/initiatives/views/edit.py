"""Initiative pages: edit (see urls.py for the whole URL map).

Creating, editing and deleting initiatives and their parts, the pledge scorecard and its
forms, and the reference exchange rates. Every write goes through ``services``; a delete
asks for confirmation on its own page first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Model
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from puente.accounts.http import signed_in_person
from puente.core.permissions import is_platform_admin
from puente.dialogues.views.dialogues import visible_partnership
from puente.partnerships.forms import add_service_errors
from puente.partnerships.models import Partnership

from ..downloads import DOWNLOAD_FORMATS, exchange_rate_table, pledge_table, table_download
from ..forms import (
    BudgetForm,
    DocumentForm,
    ExchangeRateFilterForm,
    ExchangeRatesUploadForm,
    IndicatorForm,
    IndicatorPeriodForm,
    InitiativeForm,
    MilestoneForm,
    PlaceForm,
    PledgeFilterForm,
    PledgeForm,
    ResultForm,
    TransactionForm,
)
from ..models import (
    Budget,
    Document,
    ExchangeRate,
    Indicator,
    IndicatorPeriod,
    Initiative,
    Milestone,
    Place,
    Pledge,
    Result,
    Transaction,
)
from ..permissions import can_create_initiative, can_delete_initiative, can_edit_initiative
from ..permissions import can_manage_pledges as may_manage_pledges
from ..selectors import initiative_get, pledges_of, visible_initiative_ids
from ..services import (
    exchange_rates_import,
    initiative_create,
    initiative_delete,
    initiative_update,
    part_delete,
    part_save,
    pledge_save,
)

RATES_PAGE_SIZE = 50


def _posted(request: HttpRequest) -> QueryDict | None:
    # An empty POST is still a submission: bind it, so that missing fields are reported.
    return request.POST if request.method == "POST" else None


def _status(form: forms.BaseForm) -> int:
    return 400 if form.errors else 200


def _editable(request: HttpRequest, partnership_slug: str, slug: str) -> Initiative:
    """Return the initiative the person may edit; 404 if they may not read it, else 403."""
    initiative = initiative_get(viewer=request.user, partnership_slug=partnership_slug, slug=slug)
    if not can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    return initiative


# Initiatives.


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create_view(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """Add an initiative to the partnership."""
    partnership = visible_partnership(request, partnership_slug)
    person = signed_in_person(request)
    if not can_create_initiative(person, partnership):
        raise PermissionDenied
    form = InitiativeForm(_posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_create(
                actor=person, partnership=partnership, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error, renames=form.RENAMES)
        else:
            messages.success(request, _("The initiative has been added."))
            return redirect(initiative.get_absolute_url())
    return render(
        request,
        "initiatives/form_initiative.html",
        {"partnership": partnership, "initiative": None, "form": form},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Change an initiative, its shares, its organisations and its agenda items."""
    initiative = _editable(request, partnership_slug, slug)
    form = InitiativeForm(
        _posted(request), partnership=initiative.partnership, initiative=initiative
    )
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_update(
                actor=signed_in_person(request), initiative=initiative, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error, renames=form.RENAMES)
        else:
            messages.success(request, _("The initiative has been saved."))
            return redirect(initiative.get_absolute_url())
    return render(
        request,
        "initiatives/form_initiative.html",
        {
            "partnership": initiative.partnership,
            "initiative": initiative,
            "form": form,
            "may_delete": can_delete_initiative(request.user, initiative),
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_delete_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Ask, then delete the initiative and everything recorded about it."""
    initiative = initiative_get(viewer=request.user, partnership_slug=partnership_slug, slug=slug)
    if not can_delete_initiative(request.user, initiative):
        raise PermissionDenied
    if request.method == "POST":
        initiative_delete(actor=signed_in_person(request), initiative=initiative)
        messages.success(request, _("The initiative has been deleted."))
        return redirect(initiative.partnership.get_absolute_url())
    return render(
        request,
        "initiatives/edit_confirm_delete.html",
        {
            "partnership": initiative.partnership,
            "initiative": initiative,
            "what": _("the initiative “%(title)s” and all its parts") % {"title": initiative},
        },
    )


# Parts of an initiative: one table says which form each part uses and what it belongs to.


@dataclass(frozen=True)
class PartKind:
    """A kind of part: its model, its form, and the kind of part it belongs to, if any."""

    name: str
    plural: str
    model: type[Model]
    form: type[forms.ModelForm[Any]]
    label: Promise
    parent: str | None = None


PARTS = {
    kind.name: kind
    for kind in (
        PartKind(
            "transaction", "transactions", Transaction, TransactionForm, gettext_lazy("transaction")
        ),
        PartKind("budget", "budgets", Budget, BudgetForm, gettext_lazy("budget")),
        PartKind("milestone", "milestones", Milestone, MilestoneForm, gettext_lazy("milestone")),
        PartKind("place", "places", Place, PlaceForm, gettext_lazy("place")),
        PartKind("document", "documents", Document, DocumentForm, gettext_lazy("document")),
        PartKind("result", "results", Result, ResultForm, gettext_lazy("result")),
        PartKind(
            "indicator", "indicators", Indicator, IndicatorForm, gettext_lazy("indicator"), "result"
        ),
        PartKind(
            "period",
            "periods",
            IndicatorPeriod,
            IndicatorPeriodForm,
            gettext_lazy("indicator period"),
            "indicator",
        ),
    )
}
# How each kind of part reaches its initiative.
PATH_TO_INITIATIVE = {"indicator": "result__initiative", "period": "indicator__result__initiative"}
# Each service error about a model field the form shows under another name.
PART_RENAMES = {"geometry": "geometry_text"}


def _part_of(kind: PartKind, initiative: Initiative, pk: int) -> Model:
    lookup = PATH_TO_INITIATIVE.get(kind.name, "initiative")
    return get_object_or_404(kind.model._default_manager.all(), pk=pk, **{lookup: initiative})


def _new_part(kind: PartKind, initiative: Initiative, parent_pk: int | None) -> Model:
    if kind.parent is None:
        return kind.model(initiative=initiative)
    parent = _part_of(PARTS[kind.parent], initiative, parent_pk or 0)
    return kind.model(**{kind.parent: parent})


def _part_form_page(
    request: HttpRequest,
    kind: PartKind,
    initiative: Initiative,
    part: Model,
    *,
    is_new: bool,
) -> HttpResponse:
    form = kind.form(_posted(request), instance=part)
    if request.method == "POST" and form.is_valid():
        try:
            part_save(actor=signed_in_person(request), part=form.instance)
        except ValidationError as error:
            add_service_errors(form, error, renames=PART_RENAMES)
        else:
            messages.success(request, _("The %(part)s has been saved.") % {"part": kind.label})
            return redirect(initiative.get_absolute_url())
    return render(
        request,
        "initiatives/form_part.html",
        {
            "partnership": initiative.partnership,
            "initiative": initiative,
            "form": form,
            "kind": kind,
            "part": part,
            "is_new": is_new,
        },
        status=_status(form),
    )


def _part_create(kind_name: str) -> Any:
    kind = PARTS[kind_name]

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(
        request: HttpRequest, partnership_slug: str, slug: str, parent_pk: int | None = None
    ) -> HttpResponse:
        initiative = _editable(request, partnership_slug, slug)
        part = _new_part(kind, initiative, parent_pk)
        return _part_form_page(request, kind, initiative, part, is_new=True)

    view.__doc__ = f"Add a {kind.name} to an initiative."
    return view


def _part_edit(kind_name: str) -> Any:
    kind = PARTS[kind_name]

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, partnership_slug: str, slug: str, pk: int) -> HttpResponse:
        initiative = _editable(request, partnership_slug, slug)
        part = _part_of(kind, initiative, pk)
        return _part_form_page(request, kind, initiative, part, is_new=False)

    view.__doc__ = f"Change a {kind.name} of an initiative."
    return view


def _part_delete(kind_name: str) -> Any:
    kind = PARTS[kind_name]

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, partnership_slug: str, slug: str, pk: int) -> HttpResponse:
        initiative = _editable(request, partnership_slug, slug)
        part = _part_of(kind, initiative, pk)
        if request.method == "POST":
            part_delete(actor=signed_in_person(request), part=part)
            messages.success(request, _("The %(part)s has been removed.") % {"part": kind.label})
            return redirect(initiative.get_absolute_url())
        return render(
            request,
            "initiatives/edit_confirm_delete.html",
            {
                "partnership": initiative.partnership,
                "initiative": initiative,
                "what": _("the %(part)s “%(name)s”") % {"part": kind.label, "name": part},
            },
        )

    view.__doc__ = f"Ask, then remove a {kind.name} of an initiative."
    return view


# Pledges.


@require_http_methods(["GET", "HEAD"])
def pledge_list_view(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """The partnership's pledge scorecard: who promised what, by status."""
    partnership = visible_partnership(request, partnership_slug)
    pledges = pledges_of(partnership=partnership)
    form = PledgeFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    # Each initiative's link needs its partnership's slug.
    chosen = (pledges.filter(status=status) if status else pledges).select_related(
        "initiative__partnership"
    )
    # A pledge may go to an initiative for members only: its name shows to them alone.
    visible = visible_initiative_ids(viewer=request.user, partnership=partnership)
    fmt = request.GET.get("format", "")
    if fmt in DOWNLOAD_FORMATS:
        table = pledge_table(
            chosen.order_by("due_date", "pk"),
            visible_initiatives=visible,
            base_url=request.build_absolute_uri("/")[:-1],
            name=f"pledges-{partnership.slug}",
        )
        return table_download(table, fmt)
    counts = dict(pledges.values_list("status").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "initiatives/edit_pledge_list.html",
        {
            "partnership": partnership,
            "pledges": list(chosen.order_by("due_date", "pk")),
            "visible_initiatives": visible,
            "form": form,
            "status": status,
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in Pledge.Status.choices
            ],
            "n_pledges": sum(counts.values()),
            "may_manage": may_manage_pledges(request.user, partnership),
        },
    )


def _pledge_form_page(
    request: HttpRequest, partnership: Partnership, pledge: Pledge
) -> HttpResponse:
    if not may_manage_pledges(request.user, partnership):
        raise PermissionDenied
    form = PledgeForm(_posted(request), instance=pledge, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            pledge_save(actor=signed_in_person(request), pledge=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The pledge has been saved."))
            return redirect("initiatives:pledges", partnership_slug=partnership.slug)
    return render(
        request,
        "initiatives/form_pledge.html",
        {"partnership": partnership, "form": form, "pledge": pledge},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_create_view(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """Record a pledge made to the partnership."""
    partnership = visible_partnership(request, partnership_slug)
    return _pledge_form_page(request, partnership, Pledge(partnership=partnership))


@login_required
@require_http_methods(["GET", "POST"])
def pledge_edit_view(request: HttpRequest, partnership_slug: str, pk: int) -> HttpResponse:
    """Change a pledge, e.g. mark it fulfilled."""
    partnership = visible_partnership(request, partnership_slug)
    pledge = get_object_or_404(Pledge, pk=pk, partnership=partnership)
    return _pledge_form_page(request, partnership, pledge)


# Exchange rates.


@require_http_methods(["GET", "HEAD"])
def exchange_rate_list_view(request: HttpRequest) -> HttpResponse:
    """The reference rates that convert amounts to euros, newest first, by currency."""
    form = ExchangeRateFilterForm(request.GET)
    rates = ExchangeRate.objects.order_by("currency", "-date")
    currency = form.cleaned_data["currency"] if form.is_valid() else ""
    if currency:
        rates = rates.filter(currency=currency)
    fmt = request.GET.get("format", "")
    if fmt in DOWNLOAD_FORMATS:
        return table_download(exchange_rate_table(rates.iterator()), fmt)
    page_obj = Paginator(rates, RATES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/edit_exchange_rates.html",
        {
            "form": form,
            "page_obj": page_obj,
            "currency": currency,
            "may_upload": is_platform_admin(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exchange_rates_upload_view(request: HttpRequest) -> HttpResponse:
    """Platform admins load reference rates from a CSV file."""
    if not is_platform_admin(request.user):
        raise PermissionDenied
    form = ExchangeRatesUploadForm(
        _posted(request), request.FILES if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = exchange_rates_import(
                text=form.cleaned_data["file"], source=form.cleaned_data["source"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(created)d rates added, %(updated)d rates updated.")
                % {"created": outcome.created, "updated": outcome.updated},
            )
            return redirect("initiatives:exchange-rates")
    return render(
        request, "initiatives/form_exchange_rates.html", {"form": form}, status=_status(form)
    )


INITIATIVE = "partnerships/<slug:partnership_slug>/initiatives/<slug:slug>/"

urlpatterns: list[URLPattern] = [
    path(
        "partnerships/<slug:partnership_slug>/initiatives/new/",
        initiative_create_view,
        name="initiative-create",
    ),
    path(f"{INITIATIVE}edit/", initiative_edit_view, name="initiative-edit"),
    path(f"{INITIATIVE}delete/", initiative_delete_view, name="initiative-delete"),
    *[
        pattern
        for kind in PARTS.values()
        for pattern in (
            path(
                f"{INITIATIVE}{PARTS[kind.parent].plural}/<int:parent_pk>/{kind.plural}/new/"
                if kind.parent
                else f"{INITIATIVE}{kind.plural}/new/",
                _part_create(kind.name),
                name=f"{kind.name}-create",
            ),
            path(
                f"{INITIATIVE}{kind.plural}/<int:pk>/edit/",
                _part_edit(kind.name),
                name=f"{kind.name}-edit",
            ),
            path(
                f"{INITIATIVE}{kind.plural}/<int:pk>/delete/",
                _part_delete(kind.name),
                name=f"{kind.name}-delete",
            ),
        )
    ],
    path("partnerships/<slug:partnership_slug>/pledges/", pledge_list_view, name="pledges"),
    path(
        "partnerships/<slug:partnership_slug>/pledges/new/",
        pledge_create_view,
        name="pledge-create",
    ),
    path(
        "partnerships/<slug:partnership_slug>/pledges/<int:pk>/edit/",
        pledge_edit_view,
        name="pledge-edit",
    ),
    path("initiatives/exchange-rates/", exchange_rate_list_view, name="exchange-rates"),
    path(
        "initiatives/exchange-rates/upload/",
        exchange_rates_upload_view,
        name="exchange-rates-upload",
    ),
]
