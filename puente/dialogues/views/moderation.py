"""Moderation pages: the queue; hide, restore, approve and merge statements; hide and restore
comments."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from puente.accounts.http import signed_in_person
from puente.partnerships.forms import add_service_errors

from ..models import Flag, Statement
from ..selectors import (
    merge_candidates,
    moderation_queue,
)
from ..services import (
    comment_hide,
    comment_restore,
    flag_resolve,
    statement_approve,
    statement_hide,
    statement_merge,
    statement_restore,
)
from ..statement_forms import (
    HideForm,
    MergeForm,
)
from .dialogues import visible_dialogue
from .statements import (
    form_status,
    moderation_queue_url,
    posted_data,
    require_moderator,
    statement_context,
    visible_comment,
    visible_statement,
)


@login_required
@require_http_methods(["GET", "HEAD"])
def moderation_queue_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Show what waits for the moderators: pending, flagged and hidden statements."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    require_moderator(request, dialogue)
    return render(
        request,
        "dialogues/statement_moderation.html",
        statement_context(dialogue, queue=moderation_queue(dialogue=dialogue)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_hide_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Ask for the reason, then hide the statement."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    require_moderator(request, dialogue)
    statement = visible_statement(request, dialogue, pk)
    form = HideForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            statement_hide(
                actor=signed_in_person(request), statement=statement, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The statement is hidden."))
            return redirect(moderation_queue_url(dialogue))
    return render(
        request,
        "dialogues/statement_hide.html",
        statement_context(dialogue, form=form, statement=statement, comment=None),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_hide_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Ask for the reason, then hide the comment."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    require_moderator(request, dialogue)
    comment = visible_comment(request, dialogue, pk)
    form = HideForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            comment_hide(actor=signed_in_person(request), comment=comment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The comment is hidden."))
            return redirect(f"{comment.statement.get_absolute_url()}#comments")
    return render(
        request,
        "dialogues/statement_hide.html",
        statement_context(dialogue, form=form, statement=comment.statement, comment=comment),
        status=form_status(form),
    )


def _confirm_then_restore(
    request: HttpRequest,
    restore: Callable[[], object],
    *,
    template: str,
    context: dict[str, Any],
    done: str,
    next_url: str,
) -> HttpResponse:
    """Show the confirmation page; on POST restore, then go on, or show why it could not."""
    error_message = ""
    if request.method == "POST":
        try:
            restore()
        except ValidationError as error:
            error_message = " ".join(error.messages)
        else:
            messages.success(request, done)
            return redirect(next_url)
    return render(
        request,
        template,
        {**context, "error_message": error_message},
        status=400 if error_message else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_restore_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Ask, then show a hidden comment again."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    require_moderator(request, dialogue)
    comment = visible_comment(request, dialogue, pk)
    return _confirm_then_restore(
        request,
        partial(comment_restore, actor=signed_in_person(request), comment=comment),
        template="dialogues/comment_restore.html",
        context=statement_context(dialogue, statement=comment.statement, comment=comment),
        done=_("The comment is shown again."),
        next_url=f"{comment.statement.get_absolute_url()}#comments",
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_restore_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Ask, then show a hidden statement again."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    require_moderator(request, dialogue)
    statement = visible_statement(request, dialogue, pk)
    return _confirm_then_restore(
        request,
        partial(statement_restore, actor=signed_in_person(request), statement=statement),
        template="dialogues/statement_restore.html",
        context=statement_context(dialogue, statement=statement),
        done=_("The statement is shown again."),
        next_url=moderation_queue_url(dialogue),
    )


@login_required
@require_http_methods(["POST"])
def statement_approve_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Publish a statement waiting for moderation."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    require_moderator(request, dialogue)
    statement = visible_statement(request, dialogue, pk)
    try:
        statement_approve(actor=signed_in_person(request), statement=statement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The statement is published."))
    return redirect(moderation_queue_url(dialogue))


@login_required
@require_http_methods(["GET", "POST"])
def statement_merge_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Choose the statement to keep, confirm, then merge the duplicate into it."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    require_moderator(request, dialogue)
    duplicate = visible_statement(request, dialogue, pk)
    if duplicate.status == Statement.Status.MERGED:
        raise Http404
    form = MergeForm(posted_data(request), candidates=merge_candidates(statement=duplicate))
    confirming = False
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirm"]:
            confirming = True
        else:
            try:
                statement_merge(
                    actor=signed_in_person(request),
                    duplicate=duplicate,
                    survivor=form.cleaned_data["survivor"],
                )
            except ValidationError as error:
                add_service_errors(form, error, renames={"statement": "survivor"})
            else:
                messages.success(request, _("The statements have been merged."))
                return redirect(moderation_queue_url(dialogue))
    return render(
        request,
        "dialogues/statement_merge.html",
        statement_context(
            dialogue,
            form=form,
            statement=duplicate,
            confirming=confirming,
            survivor=form.cleaned_data.get("survivor") if confirming else None,
        ),
        status=form_status(form),
    )


@login_required
@require_http_methods(["POST"])
def flag_resolve_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Dismiss the open flags of a statement or comment: nothing needs doing."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    require_moderator(request, dialogue)
    target = request.POST.get("target", "statement")
    flags = Flag.objects.filter(resolved_at__isnull=True).select_related(
        "statement__dialogue", "comment__statement__dialogue"
    )
    if target == "comment":
        flags = flags.filter(comment_id=pk, comment__statement__dialogue=dialogue)
    else:
        flags = flags.filter(statement_id=pk, statement__dialogue=dialogue)
    person = signed_in_person(request)
    for flag in flags:
        flag_resolve(actor=person, flag=flag)
    messages.success(request, _("The flags have been dismissed."))
    return redirect(moderation_queue_url(dialogue))
