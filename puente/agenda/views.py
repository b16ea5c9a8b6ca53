"""Agenda pages under a partnership: versions, the draft editor, comparison, endorsements."""

from contextlib import suppress
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from puente.accounts.http import signed_in_person
from puente.core.http import HtmxHttpRequest
from puente.core.registry import agenda_item_sections
from puente.dialogues.models import Dialogue, Statement
from puente.dialogues.views.dialogues import visible_dialogue, visible_partnership
from puente.partnerships.forms import add_service_errors
from puente.stakeholders.models import Organisation

from . import exports
from .compare import versions_compare
from .forms import CompareForm, DraftCreateForm, EndorseForm, ItemForm, PublishForm
from .models import Agenda, AgendaItem, AgendaVersion, Endorsement
from .permissions import (
    can_draft_agenda,
    can_edit_draft,
    can_endorse_any,
    can_view_agenda_draft,
    can_view_drafts,
    can_withdraw_endorsement,
    endorsing_organisations,
    is_latest_published,
)
from .presentation import bar_chart, item_views, ranking_label
from .selectors import (
    agenda_get,
    agenda_list,
    draft_get,
    endorsement_list,
    endorsement_summary,
    item_list,
    my_statements,
    version_get,
    version_list,
)
from .services import (
    agenda_draft_copy,
    agenda_draft_create,
    agenda_draft_discard,
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_update,
    agenda_publish,
    endorsement_create,
    endorsement_withdraw,
)


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _status(form: forms.Form) -> int:
    return 400 if form.errors else 200


def _agenda_or_404(request: HttpRequest, partnership_slug: str, slug: str) -> Agenda:
    try:
        return agenda_get(partnership_slug=partnership_slug, slug=slug, viewer=request.user)
    except Agenda.DoesNotExist as error:
        raise Http404 from error


def _version_or_404(agenda: Agenda, number: int) -> AgendaVersion:
    try:
        return version_get(agenda=agenda, number=number)
    except AgendaVersion.DoesNotExist as error:
        raise Http404 from error


def _draft_or_404(request: HttpRequest, agenda: Agenda) -> AgendaVersion:
    """Return the agenda's draft to its facilitators; 404 for everyone else, revealing nothing."""
    if not can_view_agenda_draft(request.user, agenda):
        raise Http404
    draft = draft_get(agenda=agenda)
    if draft is None:
        raise Http404
    return draft


def _editable_draft(request: HttpRequest, partnership_slug: str, slug: str) -> AgendaVersion:
    draft = _draft_or_404(request, _agenda_or_404(request, partnership_slug, slug))
    if not can_edit_draft(request.user, draft):
        raise PermissionDenied
    return draft


def _draft_url(agenda: Agenda) -> str:
    dialogue = agenda.dialogue
    return reverse(
        "agenda:draft",
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug},
    )


def _base(agenda: Agenda | None, dialogue: Dialogue) -> dict[str, Any]:
    return {"agenda": agenda, "dialogue": dialogue, "partnership": dialogue.partnership}


@require_http_methods(["GET", "HEAD"])
def agenda_list_view(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """List the partnership's agendas."""
    partnership = visible_partnership(request, partnership_slug)
    return render(
        request,
        "agenda/agenda_list.html",
        {
            "partnership": partnership,
            "agendas": list(agenda_list(partnership=partnership, viewer=request.user)),
        },
    )


@require_http_methods(["GET", "HEAD"])
def agenda_detail_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Show an agenda's versions, and to its facilitators the draft and how to start one."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    agenda = Agenda.objects.filter(dialogue=dialogue).first()
    may_draft = can_draft_agenda(request.user, dialogue)
    sees_drafts = can_view_drafts(request.user, dialogue.partnership)
    versions = list(version_list(agenda=agenda)) if agenda is not None else []
    if not versions and not sees_drafts:
        raise Http404
    if agenda is not None:
        agenda.dialogue = dialogue
    draft = draft_get(agenda=agenda) if agenda is not None and sees_drafts else None
    numbers = sorted(version.number for version in versions if version.number)
    return render(
        request,
        "agenda/agenda_detail.html",
        {
            **_base(agenda, dialogue),
            "versions": versions,
            "draft": draft,
            "may_draft": may_draft,
            "draft_form": DraftCreateForm() if may_draft and draft is None else None,
            "compare_form": CompareForm(
                initial={"old": numbers[-2], "new": numbers[-1]}, numbers=numbers
            )
            if len(numbers) >= 2
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_create_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Start a draft from the results: rank the statements and take the top ones."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    person = signed_in_person(request)
    if not can_draft_agenda(person, dialogue):
        raise PermissionDenied
    form = DraftCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            version = agenda_draft_create(actor=person, dialogue=dialogue, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft has been started from the results."))
            return redirect(_draft_url(version.agenda))
    return render(
        request,
        "agenda/draft_create.html",
        {**_base(None, dialogue), "form": form},
        status=_status(form),
    )


@login_required
@require_http_methods(["POST"])
def draft_copy_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Start a draft as a copy of the newest published version."""
    agenda = _agenda_or_404(request, partnership_slug, slug)
    person = signed_in_person(request)
    if not can_draft_agenda(person, agenda.dialogue):
        raise PermissionDenied
    try:
        agenda_draft_copy(actor=person, agenda=agenda)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(agenda)
    messages.success(request, _("A new draft starts from the newest version."))
    return redirect(_draft_url(agenda))


def _draft_context(request: HttpRequest, draft: AgendaVersion) -> dict[str, Any]:
    language = translation.get_language() or "en"
    items = item_views(list(item_list(version=draft)), language)
    return {
        **_base(draft.agenda, draft.agenda.dialogue),
        "version": draft,
        "items": items,
        "can_edit": can_edit_draft(request.user, draft),
        "has_fallback": any(view.is_fallback for view in items),
        "ranking_label": ranking_label(str(draft.evidence.get("ranking_method", ""))),
    }


@require_http_methods(["GET", "HEAD"])
def draft_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """The draft editor: items in order, with move, edit and delete for each."""
    agenda = _agenda_or_404(request, partnership_slug, slug)
    draft = _draft_or_404(request, agenda)
    return render(request, "agenda/draft.html", _draft_context(request, draft))


def _confirm(
    request: HttpRequest,
    draft: AgendaVersion,
    *,
    template: str,
    form: forms.Form | None = None,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            **_base(draft.agenda, draft.agenda.dialogue),
            "version": draft,
            "form": form,
            **(extra or {}),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_publish_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Ask for a note, then publish the draft as the next version."""
    draft = _editable_draft(request, partnership_slug, slug)
    form = PublishForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            version = agenda_publish(
                actor=signed_in_person(request), version=draft, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)s is published.") % {"number": version.number}
            )
            return redirect(version)
    return _confirm(
        request,
        draft,
        template="agenda/draft_publish.html",
        form=form,
        extra={"n_items": draft.items.count()},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_discard_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Ask, then delete the draft."""
    draft = _editable_draft(request, partnership_slug, slug)
    if request.method == "POST":
        agenda_draft_discard(actor=signed_in_person(request), version=draft)
        messages.success(request, _("The draft has been discarded."))
        return redirect(draft.agenda)
    return _confirm(request, draft, template="agenda/draft_discard.html")


def _statement_choices(dialogue: Dialogue) -> Any:
    return Statement.objects.shown().filter(dialogue=dialogue).order_by("pk")


@login_required
@require_http_methods(["GET", "POST"])
def item_create_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Add an item at the end of the draft."""
    draft = _editable_draft(request, partnership_slug, slug)
    dialogue = draft.agenda.dialogue
    form = ItemForm(_posted(request), dialogue=dialogue, statements=_statement_choices(dialogue))
    if request.method == "POST" and form.is_valid():
        try:
            agenda_item_add(
                actor=signed_in_person(request), version=draft, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error, renames=_text_field_renames(form))
        else:
            messages.success(request, _("The item has been added."))
            return redirect(_draft_url(draft.agenda))
    return _confirm(
        request, draft, template="agenda/item_form.html", form=form, status=_status(form)
    )


def _text_field_renames(form: ItemForm) -> dict[str, str]:
    # The services name "text" and "theme"; the form has one field per language.
    original = form.cleaned_data.get("original_language") or form.languages[0]
    return {"text": f"text_{original}", "theme": f"theme_{original}"}


def _draft_item(draft: AgendaVersion, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.prefetch_related("statements"), version=draft, pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit_view(request: HttpRequest, partnership_slug: str, slug: str, pk: int) -> HttpResponse:
    """Change an item's texts, theme and statements."""
    draft = _editable_draft(request, partnership_slug, slug)
    item = _draft_item(draft, pk)
    dialogue = draft.agenda.dialogue
    form = ItemForm(
        _posted(request), dialogue=dialogue, statements=_statement_choices(dialogue), item=item
    )
    if request.method == "POST" and form.is_valid():
        try:
            agenda_item_update(
                actor=signed_in_person(request), item=item, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error, renames=_text_field_renames(form))
        else:
            messages.success(request, _("The item has been saved."))
            return redirect(_draft_url(draft.agenda))
    return _confirm(
        request,
        draft,
        template="agenda/item_form.html",
        form=form,
        extra={"item": item},
        status=_status(form),
    )


@login_required
@require_http_methods(["POST"])
def item_move_view(
    request: HtmxHttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Move an item one place up or down; with htmx, answer with the list alone."""
    draft = _editable_draft(request, partnership_slug, slug)
    item = _draft_item(draft, pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        return HttpResponse(_("Choose up or down."), status=400, content_type="text/plain")
    # Already first or last: nothing to move.
    with suppress(ValidationError):
        agenda_item_move(actor=signed_in_person(request), item=item, position=item.position + step)
    if request.htmx:
        return render(request, "agenda/_draft_items.html", _draft_context(request, draft))
    return redirect(f"{_draft_url(draft.agenda)}#item-{item.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def item_delete_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Ask, then remove an item from the draft."""
    draft = _editable_draft(request, partnership_slug, slug)
    item = _draft_item(draft, pk)
    if request.method == "POST":
        agenda_item_delete(actor=signed_in_person(request), item=item)
        messages.success(request, _("The item has been removed."))
        return redirect(_draft_url(draft.agenda))
    language = translation.get_language() or "en"
    return _confirm(
        request,
        draft,
        template="agenda/item_delete.html",
        extra={"item": item, "item_text": item.text_in(language)[0]},
    )


def _not_yet_endorsing(
    request: HttpRequest, version: AgendaVersion, endorsements: list[Endorsement]
) -> list[Organisation]:
    """Return the organisations the person may endorse for that do not endorse it yet."""
    endorsing = {endorsement.organisation_id for endorsement in endorsements}
    return [
        organisation
        for organisation in endorsing_organisations(request.user, version.agenda)
        if organisation.pk not in endorsing
    ]


def _version_context(request: HttpRequest, version: AgendaVersion) -> dict[str, Any]:
    language = translation.get_language() or "en"
    items = item_views(list(item_list(version=version)), language)
    sections = agenda_item_sections(items=[view.item for view in items], viewer=request.user)
    for view in items:
        view.sections = sections.get(view.item.pk, [])
    endorsements = list(endorsement_list(version=version))
    summary = endorsement_summary(endorsements)
    return {
        **_base(version.agenda, version.agenda.dialogue),
        "version": version,
        "items": items,
        "has_fallback": any(view.is_fallback for view in items),
        "ranking_label": ranking_label(str(version.evidence.get("ranking_method", ""))),
        "endorsements": [
            (endorsement, can_withdraw_endorsement(request.user, endorsement))
            for endorsement in endorsements
        ],
        "region_chart": bar_chart(_("Endorsing organisations by region"), summary["region"]),
        "type_chart": bar_chart(
            _("Endorsing organisations by stakeholder type"), summary["stakeholder_type"]
        ),
        "is_latest": is_latest_published(version),
        "can_endorse": can_endorse_any(request.user, version)
        and bool(_not_yet_endorsing(request, version, endorsements)),
        "export_formats": exports.FORMATS,
    }


@require_http_methods(["GET", "HEAD"])
def version_detail_view(
    request: HttpRequest, partnership_slug: str, slug: str, number: int
) -> HttpResponse:
    """Show a published version: items with their evidence, endorsements, exports."""
    agenda = _agenda_or_404(request, partnership_slug, slug)
    version = _version_or_404(agenda, number)
    return render(request, "agenda/version_detail.html", _version_context(request, version))


@require_http_methods(["GET", "HEAD"])
def version_compare_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Show two published versions side by side: added, removed, moved and changed items."""
    agenda = _agenda_or_404(request, partnership_slug, slug)
    numbers = sorted(
        number
        for number in agenda.versions.filter(status=AgendaVersion.Status.PUBLISHED).values_list(
            "number", flat=True
        )
        if number is not None
    )
    form = CompareForm(request.GET or None, numbers=numbers)
    rows = None
    old = new = None
    if form.is_valid():
        old = _version_or_404(agenda, form.cleaned_data["old"])
        new = _version_or_404(agenda, form.cleaned_data["new"])
        rows = versions_compare(list(item_list(version=old)), list(item_list(version=new)))
    language = translation.get_language() or "en"
    return render(
        request,
        "agenda/version_compare.html",
        {
            **_base(agenda, agenda.dialogue),
            "form": form,
            "old": old,
            "new": new,
            "language": language,
            "rows": rows,
        },
        status=400 if request.GET and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def endorse_view(
    request: HttpRequest, partnership_slug: str, slug: str, number: int
) -> HttpResponse:
    """Ask which organisation endorses, then record the endorsement."""
    agenda = _agenda_or_404(request, partnership_slug, slug)
    version = _version_or_404(agenda, number)
    person = signed_in_person(request)
    if not can_endorse_any(person, version):
        raise PermissionDenied
    organisations = _not_yet_endorsing(request, version, list(endorsement_list(version=version)))
    if not organisations:
        messages.info(request, _("Your organisations already endorse this version."))
        return redirect(version)
    form = EndorseForm(_posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            endorsement_create(
                actor=person, version=version, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s endorses this version.")
                % {"organisation": form.cleaned_data["organisation"].name},
            )
            return redirect(version)
    return render(
        request,
        "agenda/endorse.html",
        {**_base(agenda, agenda.dialogue), "version": version, "form": form},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def endorsement_withdraw_view(
    request: HttpRequest, partnership_slug: str, slug: str, number: int, pk: int
) -> HttpResponse:
    """Ask, then withdraw an organisation's endorsement."""
    agenda = _agenda_or_404(request, partnership_slug, slug)
    version = _version_or_404(agenda, number)
    endorsement = get_object_or_404(
        Endorsement.objects.select_related("organisation"),
        version=version,
        pk=pk,
        withdrawn_at__isnull=True,
    )
    person = signed_in_person(request)
    if not can_withdraw_endorsement(person, endorsement):
        raise PermissionDenied
    if request.method == "POST":
        endorsement_withdraw(actor=person, endorsement=endorsement)
        messages.success(
            request,
            _("%(organisation)s no longer endorses this version.")
            % {"organisation": endorsement.organisation.name},
        )
        return redirect(version)
    return render(
        request,
        "agenda/endorsement_withdraw.html",
        {**_base(agenda, agenda.dialogue), "version": version, "endorsement": endorsement},
    )


@require_http_methods(["GET", "HEAD"])
def version_export_view(
    request: HttpRequest, partnership_slug: str, slug: str, number: int, fmt: str
) -> HttpResponse:
    """Download a published version as print-ready HTML, PDF, Markdown, CSV or JSON."""
    agenda = _agenda_or_404(request, partnership_slug, slug)
    version = _version_or_404(agenda, number)
    if fmt not in exports.FORMATS:
        raise Http404
    language = translation.get_language() or "en"
    if fmt == "html":
        return render(request, "agenda/version_print.html", _version_context(request, version))
    return exports.version_export(version, fmt=fmt, language=language)


@login_required
@require_http_methods(["GET", "HEAD"])
def my_statements_view(request: HttpRequest) -> HttpResponse:
    """List the person's statements and the agenda items each one fed."""
    statements = list(my_statements(person=signed_in_person(request))[:200])
    language = translation.get_language() or "en"
    rows = [
        (statement, [(item, item.text_in(language)[0]) for item in statement.agenda_items.all()])
        for statement in statements
    ]
    return render(request, "agenda/my_statements.html", {"rows": rows})
