"""Voting pages: one statement at a time, "which comes first?" pairs, and the person's votes.

Every form posts and redirects without JavaScript; with htmx only the card is swapped.
"""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from puente.accounts.http import signed_in_person
from puente.core.http import HtmxHttpRequest
from puente.partnerships.forms import add_service_errors

from ..models import Comparison, Dialogue, Statement, Vote
from ..permissions import can_do
from ..phases import Action
from ..selectors import (
    next_pair_for,
    next_statement_for,
    participation_get,
    vote_histories_of,
    vote_history,
    vote_list_of,
    vote_progress,
    votes_of,
)
from ..services import comparison_record, vote_cast
from .dialogues import visible_dialogue
from .vote_links import vote_urls

MY_VOTES_PAGE_SIZE = 50
# The id of the element htmx swaps: the card, or one statement's buttons in a list.
CARD_ID = "vote-card"
COMPARE_CARD_ID = "compare-card"
BUTTONS_ID_PREFIX = "vote-buttons-"


class VoteForm(forms.Form):
    choice = forms.TypedChoiceField(
        label=gettext_lazy("Your vote"), choices=Vote.Choice.choices, coerce=int
    )
    next = forms.CharField(required=False, max_length=2000)


class ComparisonForm(forms.Form):
    first = forms.IntegerField(min_value=1)
    second = forms.IntegerField(min_value=1)
    choice = forms.ChoiceField(label=gettext_lazy("Your answer"), choices=Comparison.Choice.choices)


def _safe_next(request: HttpRequest, url: str) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def _card_context(
    request: HttpRequest,
    dialogue: Dialogue,
    statement: Statement | None,
    *,
    form: forms.Form | None = None,
    next_url: str = "",
) -> dict[str, Any]:
    """Return what the voting card shows: the statement, the person's vote on it, progress."""
    person = request.user
    my_vote = (
        votes_of(dialogue=dialogue, participant=person, statement_ids=[statement.pk]).get(
            statement.pk
        )
        if statement is not None
        else None
    )
    return {
        "partnership": dialogue.partnership,
        "dialogue": dialogue,
        "statement": statement,
        "my_vote": my_vote,
        "history": (
            list(vote_history(participant=person, statement=statement))
            if statement is not None and my_vote is not None
            else []
        ),
        "progress": vote_progress(dialogue=dialogue, participant=person),
        "can_vote": can_do(person, dialogue, Action.VOTE),
        "has_participation": participation_get(dialogue=dialogue, person=person) is not None,
        "form": form,
        "next_url": next_url,
        "choices": Vote.Choice,
        "card_id": CARD_ID,
        **vote_urls(dialogue),
    }


def _card_response(
    request: HtmxHttpRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    template = (
        "dialogues/_vote_card.html"
        if request.htmx and not request.htmx.history_restore_request
        else "dialogues/vote_card.html"
    )
    return render(request, template, context, status=status)


def _statement_or_404(dialogue: Dialogue, pk: int, *, shown_only: bool) -> Statement:
    statements = Statement.objects.filter(dialogue=dialogue).select_related("organisation")
    if shown_only:
        statements = statements.shown()
    try:
        statement = statements.get(pk=pk)
    except Statement.DoesNotExist as error:
        raise Http404 from error
    # The services read the dialogue and its partnership: give them the ones already read.
    statement.dialogue = dialogue
    return statement


@login_required
@require_http_methods(["GET", "HEAD"])
def vote_card_view(request: HtmxHttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Show the next statement the person has not voted on, with agree, disagree and pass."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    statement = next_statement_for(dialogue=dialogue, participant=request.user)
    return _card_response(request, _card_context(request, dialogue, statement))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def vote_statement_view(
    request: HtmxHttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Show one statement's card (to change a vote); a POST casts the vote on it."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    if request.method != "POST":
        statement = _statement_or_404(dialogue, pk, shown_only=True)
        next_url = _safe_next(request, request.GET.get("next", "")) or ""
        return _card_response(
            request, _card_context(request, dialogue, statement, next_url=next_url)
        )
    # A statement nobody sees is not found here either, so its text never shows on a card.
    statement = _statement_or_404(dialogue, pk, shown_only=True)
    form = VoteForm(request.POST)
    next_url = _safe_next(request, request.POST.get("next", "")) or ""
    in_list = bool(request.htmx and (request.htmx.target or "").startswith(BUTTONS_ID_PREFIX))
    status = 400
    if form.is_valid():
        try:
            vote_cast(
                participant=signed_in_person(request),
                statement=statement,
                choice=form.cleaned_data["choice"],
            )
        except PermissionDenied:
            form.add_error(None, _("You may not vote in this dialogue now."))
            status = 403
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if in_list:
                return _buttons_response(request, dialogue, statement, next_url)
            if request.htmx and next_url:
                # Back to where the vote was changed from, as without JavaScript.
                return HttpResponseClientRedirect(next_url)
            if request.htmx:
                following = next_statement_for(dialogue=dialogue, participant=request.user)
                return _card_response(request, _card_context(request, dialogue, following))
            return redirect(next_url or vote_urls(dialogue)["vote_url"])
    if in_list:
        return _buttons_response(request, dialogue, statement, next_url, form=form, status=status)
    context = _card_context(request, dialogue, statement, form=form, next_url=next_url)
    return _card_response(request, context, status=status)


def _buttons_response(
    request: HttpRequest,
    dialogue: Dialogue,
    statement: Statement,
    next_url: str,
    *,
    form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    my_vote = votes_of(dialogue=dialogue, participant=request.user, statement_ids=[statement.pk])
    return render(
        request,
        "dialogues/_vote_buttons.html",
        {
            "partnership": dialogue.partnership,
            "dialogue": dialogue,
            "statement": statement,
            "my_vote": my_vote.get(statement.pk),
            "can_vote": can_do(request.user, dialogue, Action.VOTE),
            "next": next_url,
            "errors": [error for errors in form.errors.values() for error in errors]
            if form is not None
            else [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def my_votes_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """List the person's votes in the dialogue, each with its history and buttons to change it."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    page = Paginator(
        vote_list_of(participant=request.user, dialogue=dialogue), MY_VOTES_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    votes = list(page)
    histories = vote_histories_of(
        participant=request.user,
        dialogue=dialogue,
        statement_ids=[vote.statement_id for vote in votes],
    )
    return render(
        request,
        "dialogues/my_votes.html",
        {
            "partnership": dialogue.partnership,
            "dialogue": dialogue,
            "page_obj": page,
            "rows": [(vote, histories.get(vote.statement_id, [])) for vote in votes],
            "progress": vote_progress(dialogue=dialogue, participant=request.user),
            "can_vote": can_do(request.user, dialogue, Action.VOTE),
            **vote_urls(dialogue),
        },
    )


def _compare_context(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    form: forms.Form | None = None,
    pair: tuple[Statement, Statement] | None = None,
) -> dict[str, Any]:
    if pair is None:
        pair = next_pair_for(dialogue=dialogue, participant=request.user)
    return {
        "partnership": dialogue.partnership,
        "dialogue": dialogue,
        "pair": pair,
        "can_compare": can_do(request.user, dialogue, Action.COMPARE),
        "has_participation": participation_get(dialogue=dialogue, person=request.user) is not None,
        "form": form,
        "choices": Comparison.Choice,
        "card_id": COMPARE_CARD_ID,
        **vote_urls(dialogue),
    }


def _compare_response(
    request: HtmxHttpRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    template = (
        "dialogues/_compare_card.html"
        if request.htmx and not request.htmx.history_restore_request
        else "dialogues/compare.html"
    )
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def compare_view(request: HtmxHttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Ask which of two statements should come first; a POST records the answer."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    if request.method != "POST":
        return _compare_response(request, _compare_context(request, dialogue))
    form = ComparisonForm(request.POST)
    status = 400
    pair: tuple[Statement, Statement] | None = None
    if form.is_valid():
        first = _statement_or_404(dialogue, form.cleaned_data["first"], shown_only=False)
        second = _statement_or_404(dialogue, form.cleaned_data["second"], shown_only=False)
        try:
            comparison_record(
                participant=signed_in_person(request),
                first=first,
                second=second,
                choice=form.cleaned_data["choice"],
            )
        except PermissionDenied:
            form.add_error(None, _("You may not compare statements in this dialogue now."))
            status = 403
        except ValidationError as error:
            add_service_errors(form, error)
            pair = (first, second) if first.is_shown and second.is_shown else None
        else:
            if request.htmx:
                return _compare_response(request, _compare_context(request, dialogue))
            return redirect(vote_urls(dialogue)["compare_url"])
    return _compare_response(
        request, _compare_context(request, dialogue, form=form, pair=pair), status=status
    )
