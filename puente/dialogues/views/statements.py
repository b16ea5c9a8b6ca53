"""Statement pages: list, add, detail with comments, flags, moderation and invitations."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from puente.accounts.http import signed_in_person
from puente.partnerships.forms import add_service_errors

from ..models import Comment, Dialogue, DialogueInvitation, Flag, Statement
from ..permissions import (
    can_add_statement,
    can_comment,
    can_do,
    can_edit_statement,
    can_flag,
    can_manage_invitations,
    can_moderate,
    can_seed,
)
from ..phases import Action
from ..selectors import (
    comment_list,
    invitation_list,
    merge_candidates,
    moderation_queue,
    statement_get,
    statement_list,
    votes_of,
)
from ..selectors.statements import DEFAULT_ORDER, ORDERS
from ..services import (
    comment_create,
    comment_hide,
    flag_create,
    flag_resolve,
    invitation_create,
    invitation_delete,
    statement_approve,
    statement_create,
    statement_hide,
    statement_merge,
    statement_restore,
    statement_seed,
    statement_update,
)
from ..statement_forms import (
    CommentForm,
    FlagForm,
    HideForm,
    InvitationForm,
    MergeForm,
    StatementForm,
)
from .dialogues import visible_dialogue

PAGE_SIZE = 20
SEARCH_MAX_LENGTH = 200


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _status(form: Any) -> int:
    return 400 if form.errors else 200


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _language(request: HttpRequest) -> str:
    return translation.get_language() or "en"


def _list_url(dialogue: Dialogue) -> str:
    return reverse(
        "dialogues:statement-list",
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug},
    )


def _queue_url(dialogue: Dialogue) -> str:
    return reverse(
        "dialogues:moderation-queue",
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug},
    )


def _statement(request: HttpRequest, dialogue: Dialogue, pk: int) -> Statement:
    """Return the statement if the viewer may see it; 404 otherwise, revealing nothing."""
    try:
        return statement_get(dialogue=dialogue, pk=pk, viewer=request.user)
    except Statement.DoesNotExist as error:
        raise Http404 from error


def _moderator(request: HttpRequest, dialogue: Dialogue) -> None:
    if not can_moderate(request.user, dialogue):
        raise PermissionDenied


def _context(dialogue: Dialogue, **extra: Any) -> dict[str, Any]:
    return {"partnership": dialogue.partnership, "dialogue": dialogue, **extra}


@require_http_methods(["GET", "HEAD"])
def statement_list_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """List a dialogue's statements: search, filter by kind, order, vote."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    q = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Statement.Kind.values else ""
    order = request.GET.get("order", DEFAULT_ORDER)
    order = order if order in ORDERS else DEFAULT_ORDER
    statements = statement_list(
        dialogue=dialogue, viewer=request.user, kind=kind or None, q=q or None, order=order
    )
    page_obj = Paginator(statements, PAGE_SIZE).get_page(request.GET.get("page"))
    my_votes = votes_of(
        dialogue=dialogue,
        participant=request.user,
        statement_ids=[statement.pk for statement in page_obj],
    )
    context = _context(
        dialogue,
        page_obj=page_obj,
        rows=[(statement, my_votes.get(statement.pk)) for statement in page_obj],
        can_vote=can_do(request.user, dialogue, Action.VOTE),
        can_add_statement=can_add_statement(request.user, dialogue),
        can_seed=can_seed(request.user, dialogue),
        can_moderate=can_moderate(request.user, dialogue),
        q=q,
        kind=kind,
        order=order,
        kinds=Statement.Kind.choices,
        orders=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("most_votes", _("Most votes")),
        ],
        is_filtered=bool(q or kind),
    )
    template = (
        "dialogues/_statement_rows.html"
        if getattr(request, "htmx", False)
        else "dialogues/statement_list.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def statement_create_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Add a statement (participants), or seed one (moderators)."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    person = signed_in_person(request)
    adds = can_add_statement(person, dialogue)
    seeds = not adds and can_seed(person, dialogue)
    if not (adds or seeds):
        raise PermissionDenied
    form = StatementForm(_posted(request), initial={"language": _language(request)})
    if request.method == "POST" and form.is_valid():
        try:
            if adds:
                statement = statement_create(author=person, dialogue=dialogue, **form.cleaned_data)
            else:
                statement = statement_seed(actor=person, dialogue=dialogue, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if statement.status == Statement.Status.PENDING:
                messages.success(
                    request,
                    _("Thank you. Your statement will show once a facilitator has approved it."),
                )
            else:
                messages.success(request, _("Your statement has been added."))
            return redirect(statement)
    return render(
        request,
        "dialogues/statement_form.html",
        _context(dialogue, form=form, statement=None, seeds=seeds),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_edit_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Change a statement (its author before votes come, or a moderator)."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    statement = _statement(request, dialogue, pk)
    person = signed_in_person(request)
    if not can_edit_statement(person, statement):
        raise PermissionDenied
    form = StatementForm(_posted(request), initial=StatementForm.initial_from(statement))
    if request.method == "POST" and form.is_valid():
        try:
            statement_update(actor=person, statement=statement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The statement has been saved."))
            return redirect(statement)
    return render(
        request,
        "dialogues/statement_form.html",
        _context(dialogue, form=form, statement=statement, seeds=False),
        status=_status(form),
    )


def _detail(
    request: HttpRequest,
    dialogue: Dialogue,
    statement: Statement,
    *,
    comment_form: CommentForm | None = None,
    reply_to: int | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    commenting = statement.is_shown and can_comment(user, dialogue)
    comments = list(comment_list(statement=statement, viewer=user))
    my_vote = votes_of(dialogue=dialogue, participant=user, statement_ids=[statement.pk]).get(
        statement.pk
    )
    context = _context(
        dialogue,
        statement=statement,
        comments=comments,
        my_vote=my_vote,
        can_vote=statement.is_shown and can_do(user, dialogue, Action.VOTE),
        can_comment=commenting,
        can_flag=statement.is_shown and can_flag(user, dialogue),
        can_edit=can_edit_statement(user, statement),
        can_moderate=can_moderate(user, dialogue),
        is_author=user.is_authenticated and statement.author_id == user.pk,
        comment_form=(
            comment_form if comment_form is not None and reply_to is None else CommentForm()
        )
        if commenting
        else None,
        reply_form=comment_form if reply_to is not None else None,
        reply_to=reply_to,
    )
    return render(request, "dialogues/statement_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def statement_detail_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Show a statement with its details, votes, comments, and what one may do with it."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    try:
        statement = statement_get(dialogue=dialogue, pk=pk, viewer=request.user)
    except Statement.DoesNotExist as error:
        # A merged statement lives on in the one it was merged into.
        merged = (
            Statement.objects.filter(dialogue=dialogue, pk=pk, status=Statement.Status.MERGED)
            .select_related("merged_into")
            .first()
        )
        if merged is not None and merged.merged_into is not None:
            merged.merged_into.dialogue = dialogue
            return redirect(merged.merged_into)
        raise Http404 from error
    return _detail(request, dialogue, statement)


@login_required
@require_http_methods(["POST"])
def comment_create_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Comment on a statement, or reply to a comment."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    statement = _statement(request, dialogue, pk)
    person = signed_in_person(request)
    if not can_comment(person, dialogue):
        raise PermissionDenied
    raw_parent = request.POST.get("parent", "")
    reply_to = int(raw_parent) if raw_parent.isdigit() else None
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(
                pk=form.cleaned_data["parent"], statement=statement
            ).first()
        if form.cleaned_data["parent"] and parent is None:
            reply_to = None  # no such comment here: the error shows on the main form
        try:
            if form.cleaned_data["parent"] and parent is None:
                raise ValidationError({"parent": _("Reply to a comment on the same statement.")})
            comment_create(
                author=person,
                statement=statement,
                text=form.cleaned_data["text"],
                language=_language(request),
                parent=parent,
            )
        except ValidationError as error:
            add_service_errors(form, error, renames={"parent": "text", "statement": "text"})
        else:
            messages.success(request, _("Your comment has been added."))
            return redirect(f"{statement.get_absolute_url()}#comments")
    return _detail(request, dialogue, statement, comment_form=form, reply_to=reply_to, status=400)


def _flag_page(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    statement: Statement,
    comment: Comment | None,
) -> HttpResponse:
    person = signed_in_person(request)
    if not statement.is_shown or not can_flag(person, dialogue):
        raise PermissionDenied
    form = FlagForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            flag_create(
                person=person,
                statement=None if comment else statement,
                comment=comment,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error, renames={"statement": "reason", "comment": "reason"})
        else:
            messages.success(request, _("Thank you. The facilitators will look at it."))
            return redirect(statement)
    return render(
        request,
        "dialogues/statement_flag.html",
        _context(dialogue, form=form, statement=statement, comment=comment),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_flag_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Flag a statement for the moderators."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    statement = _statement(request, dialogue, pk)
    return _flag_page(request, dialogue, statement=statement, comment=None)


def _comment(request: HttpRequest, dialogue: Dialogue, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("statement", "author"), pk=pk, statement__dialogue=dialogue
    )
    comment.statement = _statement(request, dialogue, comment.statement_id)
    if comment.is_hidden and not can_moderate(request.user, dialogue):
        raise Http404
    return comment


@login_required
@require_http_methods(["GET", "POST"])
def comment_flag_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Flag a comment for the moderators."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    comment = _comment(request, dialogue, pk)
    return _flag_page(request, dialogue, statement=comment.statement, comment=comment)


# Moderation.


@login_required
@require_http_methods(["GET", "HEAD"])
def moderation_queue_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Show what waits for the moderators: pending, flagged and hidden statements."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    _moderator(request, dialogue)
    return render(
        request,
        "dialogues/statement_moderation.html",
        _context(dialogue, queue=moderation_queue(dialogue=dialogue)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_hide_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Ask for the reason, then hide the statement."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    _moderator(request, dialogue)
    statement = _statement(request, dialogue, pk)
    form = HideForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            statement_hide(
                actor=signed_in_person(request), statement=statement, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The statement is hidden."))
            return redirect(_queue_url(dialogue))
    return render(
        request,
        "dialogues/statement_hide.html",
        _context(dialogue, form=form, statement=statement, comment=None),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_hide_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Ask for the reason, then hide the comment."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    _moderator(request, dialogue)
    comment = _comment(request, dialogue, pk)
    form = HideForm(_posted(request))
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
        _context(dialogue, form=form, statement=comment.statement, comment=comment),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_restore_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Ask, then show a hidden statement again."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    _moderator(request, dialogue)
    statement = _statement(request, dialogue, pk)
    error_message = ""
    if request.method == "POST":
        try:
            statement_restore(actor=signed_in_person(request), statement=statement)
        except ValidationError as error:
            error_message = " ".join(error.messages)
        else:
            messages.success(request, _("The statement is shown again."))
            return redirect(_queue_url(dialogue))
    return render(
        request,
        "dialogues/statement_restore.html",
        _context(dialogue, statement=statement, error_message=error_message),
        status=400 if error_message else 200,
    )


@login_required
@require_http_methods(["POST"])
def statement_approve_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Publish a statement waiting for moderation."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    _moderator(request, dialogue)
    statement = _statement(request, dialogue, pk)
    try:
        statement_approve(actor=signed_in_person(request), statement=statement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The statement is published."))
    return redirect(_queue_url(dialogue))


@login_required
@require_http_methods(["GET", "POST"])
def statement_merge_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Choose the statement to keep, confirm, then merge the duplicate into it."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    _moderator(request, dialogue)
    duplicate = _statement(request, dialogue, pk)
    if duplicate.status == Statement.Status.MERGED:
        raise Http404
    form = MergeForm(_posted(request), candidates=merge_candidates(statement=duplicate))
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
                    base_url=_base_url(request),
                )
            except ValidationError as error:
                add_service_errors(form, error, renames={"statement": "survivor"})
            else:
                messages.success(request, _("The statements have been merged."))
                return redirect(_queue_url(dialogue))
    return render(
        request,
        "dialogues/statement_merge.html",
        _context(
            dialogue,
            form=form,
            statement=duplicate,
            confirming=confirming,
            survivor=form.cleaned_data.get("survivor") if confirming else None,
        ),
        status=_status(form),
    )


@login_required
@require_http_methods(["POST"])
def flag_resolve_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Dismiss the open flags of a statement or comment: nothing needs doing."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    _moderator(request, dialogue)
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
    return redirect(_queue_url(dialogue))


# Invitations.


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """List who is invited to the dialogue and invite more people by e-mail."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    person = signed_in_person(request)
    if not can_manage_invitations(person, dialogue):
        raise PermissionDenied
    form = InvitationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                actor=person,
                dialogue=dialogue,
                email=form.cleaned_data["email"],
                base_url=_base_url(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The invitation has been sent."))
            return redirect(request.path)
    return render(
        request,
        "dialogues/statement_invitations.html",
        _context(
            dialogue,
            form=form,
            invitations=list(invitation_list(dialogue=dialogue)),
            is_invited_only=dialogue.participation == Dialogue.Audience.INVITED,
        ),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_delete_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Ask, then withdraw an invitation."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    person = signed_in_person(request)
    if not can_manage_invitations(person, dialogue):
        raise PermissionDenied
    invitation = get_object_or_404(DialogueInvitation, pk=pk, dialogue=dialogue)
    if request.method == "POST":
        invitation_delete(actor=person, invitation=invitation)
        messages.success(request, _("The invitation has been withdrawn."))
        return redirect(
            "dialogues:invitation-list", partnership_slug=partnership_slug, slug=dialogue.slug
        )
    return render(
        request,
        "dialogues/statement_invitation_delete.html",
        _context(dialogue, invitation=invitation),
    )
