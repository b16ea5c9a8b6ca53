"""Dialogue pages: list, detail with taking part, and the facilitators' forms."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from puente.accounts.http import signed_in_person
from puente.core.permissions import Viewer
from puente.partnerships.forms import add_service_errors
from puente.partnerships.models import Partnership
from puente.partnerships.selectors import partnership_get

from ..forms import DialogueForm, ParticipationForm, PhaseMoveForm
from ..models import PHASE_DATES, Dialogue, Phase
from ..permissions import (
    can_create_dialogue,
    can_edit_dialogue,
    can_move_phase,
    can_take_part,
    can_take_part_as_individual,
    participation_organisations,
)
from ..phases import dialogue_phase_now, phase_actions
from ..selectors import dialogue_get, dialogue_list, participation_get
from ..services import dialogue_create, dialogue_phase_move, dialogue_update, participation_set
from .vote_links import voting_summary

PAGE_SIZE = 20


def dialogue_rows(
    *, partnership: Partnership, viewer: Viewer, limit: int | None = None
) -> list[tuple[Dialogue, Phase]]:
    """Return the partnership's dialogues the viewer may read, each with its phase now."""
    now = timezone.now()
    dialogues = dialogue_list(partnership=partnership, viewer=viewer)
    if limit is not None:
        dialogues = dialogues[:limit]
    return [(dialogue, dialogue_phase_now(dialogue, now)) for dialogue in dialogues]


def visible_partnership(
    request: HttpRequest, partnership_slug: str, *, with_facilitators: bool = True
) -> Partnership:
    """Return the partnership if the viewer may read it; 404 otherwise, revealing nothing.

    Its facilitators come with it unless the page needs them for no one (see
    partnership_get).
    """
    try:
        return partnership_get(
            slug=partnership_slug,
            viewer=request.user,
            with_organisations=False,
            with_facilitators=with_facilitators,
        )
    except Partnership.DoesNotExist as error:
        raise Http404 from error


def visible_dialogue(
    request: HttpRequest, partnership_slug: str, slug: str, *, with_facilitation: bool = False
) -> Dialogue:
    """Return the dialogue if the viewer may read it; 404 otherwise, revealing nothing.

    ``with_facilitation``: see ``dialogue_get``.
    """
    try:
        return dialogue_get(
            partnership_slug=partnership_slug,
            slug=slug,
            viewer=request.user,
            with_facilitation=with_facilitation,
        )
    except Dialogue.DoesNotExist as error:
        raise Http404 from error


def _posted(request: HttpRequest) -> QueryDict | None:
    # An empty POST is still a submission: bind it, so that missing fields are reported.
    return request.POST if request.method == "POST" else None


def _form_status(form: forms.Form) -> int:
    return 400 if form.errors else 200


@require_http_methods(["GET", "HEAD"])
def dialogue_list_view(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """List a partnership's dialogues with the phase each is in."""
    partnership = visible_partnership(request, partnership_slug)
    page = Paginator(dialogue_list(partnership=partnership, viewer=request.user), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "dialogues/dialogue_list.html",
        {
            "partnership": partnership,
            "page_obj": page_obj,
            "dialogue_rows": [
                (dialogue, dialogue_phase_now(dialogue, now)) for dialogue in page_obj
            ],
            "can_create_dialogue": can_create_dialogue(request.user, partnership),
        },
    )


def _participation_form(
    request: HttpRequest, dialogue: Dialogue, data: QueryDict | None
) -> ParticipationForm | None:
    if not can_take_part(request.user, dialogue):
        return None
    return ParticipationForm(
        data,
        organisations=participation_organisations(request.user, dialogue),
        individual=can_take_part_as_individual(request.user, dialogue),
        current=participation_get(dialogue=dialogue, person=request.user),
    )


def _detail(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    participation_form: ParticipationForm | None,
    status: int = 200,
) -> HttpResponse:
    phase = dialogue_phase_now(dialogue, timezone.now())
    context: dict[str, Any] = {
        "partnership": dialogue.partnership,
        "dialogue": dialogue,
        "phase": phase,
        "phase_label": Phase(phase).label,
        "phase_actions": [action.label for action in phase_actions(phase)],
        "phase_table": [
            (row.label, [action.label for action in phase_actions(row)], getattr(dialogue, name))
            for name, row in PHASE_DATES
        ],
        "languages": [str(name) for code, name in settings.LANGUAGES if code in dialogue.languages],
        "participation": participation_get(dialogue=dialogue, person=request.user),
        "participation_form": participation_form,
        "can_edit": can_edit_dialogue(request.user, dialogue),
        "can_move_phase": can_move_phase(request.user, dialogue),
        "voting": voting_summary(request.user, dialogue),
    }
    return render(request, "dialogues/dialogue_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def dialogue_detail(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Show a dialogue: its question, its phase and what that allows, and how to take part."""
    dialogue = visible_dialogue(request, partnership_slug, slug, with_facilitation=True)
    return _detail(
        request, dialogue, participation_form=_participation_form(request, dialogue, None)
    )


@login_required
@require_http_methods(["POST"])
def participation_set_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Record for which organisation the person takes part, or as an individual."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    form = _participation_form(request, dialogue, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            participation_set(
                person=signed_in_person(request),
                dialogue=dialogue,
                organisation=form.organisation(),
            )
        except ValidationError as error:
            add_service_errors(form, error, renames={"organisation": "take_part_as"})
        else:
            messages.success(request, _("You take part in this dialogue."))
            return redirect(dialogue)
    return _detail(request, dialogue, participation_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def dialogue_create_view(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """Open a dialogue in the partnership (facilitators and platform admins)."""
    partnership = visible_partnership(request, partnership_slug)
    person = signed_in_person(request)
    if not can_create_dialogue(person, partnership):
        raise PermissionDenied
    form = DialogueForm(_posted(request), initial={"languages": ["en"]})
    if request.method == "POST" and form.is_valid():
        try:
            dialogue = dialogue_create(actor=person, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The dialogue has been opened."))
            return redirect(dialogue)
    return render(
        request,
        "dialogues/dialogue_form.html",
        {"form": form, "partnership": partnership, "dialogue": None},
        status=_form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def dialogue_edit_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Change a dialogue's text, languages, audience and dates."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    person = signed_in_person(request)
    if not can_edit_dialogue(person, dialogue):
        raise PermissionDenied
    form = DialogueForm(_posted(request), initial=DialogueForm.initial_from(dialogue))
    if request.method == "POST" and form.is_valid():
        try:
            dialogue_update(actor=person, dialogue=dialogue, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The dialogue has been saved."))
            return redirect(dialogue)
    return render(
        request,
        "dialogues/dialogue_form.html",
        {"form": form, "partnership": dialogue.partnership, "dialogue": dialogue},
        status=_form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def dialogue_phase_move_view(
    request: HttpRequest, partnership_slug: str, slug: str
) -> HttpResponse:
    """Ask which phase, then move the dialogue to it."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    person = signed_in_person(request)
    if not can_move_phase(person, dialogue):
        raise PermissionDenied
    phase = dialogue_phase_now(dialogue, timezone.now())
    form = PhaseMoveForm(_posted(request), initial={"phase": phase})
    if request.method == "POST" and form.is_valid():
        try:
            dialogue_phase_move(actor=person, dialogue=dialogue, phase=form.cleaned_data["phase"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The dialogue is now in the phase: %(phase)s.")
                % {"phase": Phase(form.cleaned_data["phase"]).label},
            )
            return redirect(dialogue)
    return render(
        request,
        "dialogues/dialogue_phase_move.html",
        {
            "form": form,
            "partnership": dialogue.partnership,
            "dialogue": dialogue,
            "phase_label": Phase(phase).label,
        },
        status=_form_status(form),
    )
