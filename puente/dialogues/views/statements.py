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

from ..models import Comment, Dialogue, Statement
from ..permissions import (
    can_add_statement,
    can_comment,
    can_do,
    can_edit_statement,
    can_flag,
    can_moderate,
    can_seed,
    can_translate_statement,
)
from ..phases import Action
from ..selectors import (
    comment_list,
    statement_get,
    statement_rows,
    votes_of,
)
from ..selectors.statements import DEFAULT_ORDER, ORDERS
from ..services import (
    comment_create,
    flag_create,
    statement_create,
    statement_seed,
    statement_update,
)
from ..statement_forms import (
    CommentForm,
    FlagForm,
    StatementForm,
)
from .dialogues import visible_dialogue

PAGE_SIZE = 20
SEARCH_MAX_LENGTH = 200


def posted_data(request: HttpRequest) -> QueryDict | None:
    """Return the POST data to bind a form to, or None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def form_status(form: Any) -> int:
    """Return 400 for a form with errors, 200 otherwise."""
    return 400 if form.errors else 200


def site_base_url(request: HttpRequest) -> str:
    """Return the scheme and host of the request, for links in e-mail."""
    return request.build_absolute_uri("/").rstrip("/")


def _language(request: HttpRequest) -> str:
    return translation.get_language() or "en"


def moderation_queue_url(dialogue: Dialogue) -> str:
    """Return the path of the dialogue's moderation page."""
    return reverse(
        "dialogues:moderation-queue",
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug},
    )


def visible_statement(request: HttpRequest, dialogue: Dialogue, pk: int) -> Statement:
    """Return the statement if the viewer may see it; 404 otherwise, revealing nothing."""
    try:
        return statement_get(dialogue=dialogue, pk=pk, viewer=request.user)
    except Statement.DoesNotExist as error:
        raise Http404 from error


def require_moderator(request: HttpRequest, dialogue: Dialogue) -> None:
    """Refuse (403) anyone who may not moderate the dialogue."""
    if not can_moderate(request.user, dialogue):
        raise PermissionDenied


def statement_context(dialogue: Dialogue, **extra: Any) -> dict[str, Any]:
    """Return the template context every statement page shares, with the extra keys."""
    return {"partnership": dialogue.partnership, "dialogue": dialogue, **extra}


@require_http_methods(["GET", "HEAD"])
def statement_list_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """List a dialogue's statements: search, filter by kind, order, vote."""
    dialogue = visible_dialogue(request, partnership_slug, slug, with_facilitation=True)
    q = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Statement.Kind.values else ""
    order = request.GET.get("order", DEFAULT_ORDER)
    order = order if order in ORDERS else DEFAULT_ORDER
    statements = statement_rows(
        dialogue=dialogue, viewer=request.user, kind=kind or None, q=q or None, order=order
    )
    page_obj = Paginator(statements, PAGE_SIZE).get_page(request.GET.get("page"))
    context = statement_context(
        dialogue,
        page_obj=page_obj,
        rows=[(statement, getattr(statement, "my_vote", None)) for statement in page_obj],
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
    form = StatementForm(posted_data(request), initial={"language": _language(request)})
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
        statement_context(dialogue, form=form, statement=None, seeds=seeds),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_edit_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Change a statement (its author before votes come, or a moderator)."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    statement = visible_statement(request, dialogue, pk)
    person = signed_in_person(request)
    if not can_edit_statement(person, statement):
        raise PermissionDenied
    form = StatementForm(posted_data(request), initial=StatementForm.initial_from(statement))
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
        statement_context(dialogue, form=form, statement=statement, seeds=False),
        status=form_status(form),
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
    context = statement_context(
        dialogue,
        statement=statement,
        comments=comments,
        my_vote=my_vote,
        can_vote=statement.is_shown and can_do(user, dialogue, Action.VOTE),
        can_comment=commenting,
        can_flag=statement.is_shown and can_flag(user, dialogue),
        can_edit=can_edit_statement(user, statement),
        can_translate=can_translate_statement(user, statement),
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
    statement = visible_statement(request, dialogue, pk)
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
    form = FlagForm(posted_data(request))
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
        statement_context(dialogue, form=form, statement=statement, comment=comment),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_flag_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Flag a statement for the moderators."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    statement = visible_statement(request, dialogue, pk)
    return _flag_page(request, dialogue, statement=statement, comment=None)


def visible_comment(request: HttpRequest, dialogue: Dialogue, pk: int) -> Comment:
    """Return the comment if the viewer may see it and its statement; 404 otherwise."""
    comment = get_object_or_404(
        Comment.objects.select_related("statement", "author"), pk=pk, statement__dialogue=dialogue
    )
    comment.statement = visible_statement(request, dialogue, comment.statement_id)
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
    comment = visible_comment(request, dialogue, pk)
    return _flag_page(request, dialogue, statement=comment.statement, comment=comment)
