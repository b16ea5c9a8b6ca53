"""Reads of statements, their comments and flags, and the moderation queue."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Model, Prefetch, Q, QuerySet

from puente.accounts.models import User
from puente.core.expressions import CorrelatedSql
from puente.core.permissions import Viewer, is_signed_in

from ..models import (
    Comment,
    Dialogue,
    DialogueInvitation,
    Flag,
    Statement,
    StatementTranslation,
    Vote,
)
from ..permissions import can_moderate

ORDERS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "most_votes": ("-n_votes", "-created_at", "-pk"),
}
DEFAULT_ORDER = "newest"


class _RowsPerStatement(CorrelatedSql):
    """The number of a table's rows that point at the statement.

    Run only for the statements shown: a join with the votes and the comments would group a
    million rows to show twenty.
    """

    output_field = IntegerField()

    def __init__(self, model: type[Model], *, shown_only: bool = False) -> None:
        super().__init__("pk")
        self.meta: Any = model._meta
        # Comments only: those a moderator hid are not counted.
        self.shown_only = shown_only

    def subquery(self, quote: Callable[[str], str], outer: str) -> str:
        meta = self.meta
        where = f"{quote(meta.get_field('statement').column)} = {outer}"
        if self.shown_only:
            where += f" AND NOT {quote(meta.get_field('is_hidden').column)}"
        return f"(SELECT COUNT(*) FROM {quote(meta.db_table)} WHERE {where})"  # noqa: S608


class _ChoiceOf(CorrelatedSql):
    """The person's current vote on the statement, or NULL.

    One vote per person and statement is a constraint, so the subquery has one row at most.
    """

    output_field = IntegerField()

    def __init__(self, person_id: int) -> None:
        super().__init__("pk", person_id)

    def subquery(self, quote: Callable[[str], str], outer: str) -> str:
        meta: Any = Vote._meta
        statement = quote(meta.get_field("statement").column)
        participant = quote(meta.get_field("participant").column)
        choice = quote(meta.get_field("choice").column)
        return (
            f"(SELECT {choice} FROM {quote(meta.db_table)} "  # noqa: S608
            f"WHERE {statement} = {outer} AND {participant} = %s)"
        )


def _annotated(
    statements: QuerySet[Statement], *, with_dialogue: bool = True
) -> QuerySet[Statement]:
    """Add the counts, the people and the translations a statement is shown with.

    ``with_dialogue=False`` when the statements come from ``dialogue.statements``: each then
    points at that dialogue (and its partnership) as already read, with no join for them.
    """
    related = ("author", "organisation", "dialogue__partnership")
    return with_translations(
        statements.select_related(*(related if with_dialogue else related[:2])).annotate(
            n_votes=_RowsPerStatement(Vote),
            n_comments=_RowsPerStatement(Comment, shown_only=True),
        )
    )


def with_translations(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """Read the statements' translations with them: one query, and none when none has any.

    Each statement is annotated with its number of translations, which lets the prefetch
    skip those that have none (``StatementQuerySet``).
    """
    return statements.prefetch_related("translations").annotate(
        n_translations=_RowsPerStatement(StatementTranslation)
    )


def statement_list(
    *,
    dialogue: Dialogue,
    viewer: Viewer,
    kind: str | None = None,
    q: str | None = None,
    order: str = DEFAULT_ORDER,
    status: str | None = None,
) -> QuerySet[Statement]:
    """Return the dialogue's statements the viewer sees, with vote and comment counts.

    Everyone sees the published ones; their author also sees their own waiting or hidden ones.
    Moderators who ask for a status see every statement in it, as in the moderation queue.
    """
    visible = Q(status=Statement.Status.PUBLISHED)
    if status and can_moderate(viewer, dialogue):
        visible = Q()
    elif is_signed_in(viewer):
        visible |= Q(
            author=viewer.pk, status__in=[Statement.Status.PENDING, Statement.Status.HIDDEN]
        )
    statements = dialogue.statements.filter(visible)
    if status:
        statements = statements.filter(status=status)
    if kind:
        statements = statements.filter(kind=kind)
    if q:
        translated = StatementTranslation.objects.filter(
            Q(text__icontains=q) | Q(details__icontains=q)
        ).values("statement")
        statements = statements.filter(
            Q(text__icontains=q) | Q(details__icontains=q) | Q(pk__in=translated)
        )
    return _annotated(statements, with_dialogue=False).order_by(
        *ORDERS.get(order, ORDERS[DEFAULT_ORDER])
    )


def statement_rows(
    *,
    dialogue: Dialogue,
    viewer: Viewer,
    kind: str | None = None,
    q: str | None = None,
    order: str = DEFAULT_ORDER,
) -> QuerySet[Statement]:
    """Return the statement list page's rows: ``statement_list`` with what a row prints.

    Each statement comes with ``my_vote``, the signed-in viewer's current vote (None without
    one; not set for a visitor), and of its author and organisation only the names a row
    shows: reading their whole rows cost more than the statements' own.
    """
    rows = statement_list(dialogue=dialogue, viewer=viewer, kind=kind, q=q, order=order)
    if isinstance(viewer, User) and is_signed_in(viewer):
        rows = rows.annotate(my_vote=_ChoiceOf(viewer.pk))
    own = [field.name for field in Statement._meta.concrete_fields]
    return rows.only(*own, "author__name", "author__email", "organisation__name")


def statement_get(*, dialogue: Dialogue, pk: int, viewer: Viewer) -> Statement:
    """Return one statement of the dialogue the viewer may see; DoesNotExist otherwise."""
    statement = _annotated(
        Statement.objects.filter(dialogue=dialogue, pk=pk).select_related("merged_into")
    ).get()
    # The dialogue is already read: the permission checks need no query for it.
    statement.dialogue = dialogue
    if statement.is_shown:
        return statement
    is_author = is_signed_in(viewer) and statement.author_id == viewer.pk
    if is_author or can_moderate(viewer, dialogue):
        return statement
    raise Statement.DoesNotExist


@dataclass(frozen=True)
class ModerationQueue:
    """What waits for the moderators of a dialogue."""

    pending: Sequence[Statement]
    flagged: Sequence[Statement]
    flagged_comments: Sequence[Comment]
    hidden: Sequence[Statement]

    @property
    def is_empty(self) -> bool:
        """Return whether nothing waits."""
        return not (self.pending or self.flagged or self.flagged_comments or self.hidden)


def moderation_queue(*, dialogue: Dialogue) -> ModerationQueue:
    """Return the dialogue's waiting, flagged and hidden statements, and its flagged comments.

    Flagged items carry n_open_flags, the flags nobody has dealt with yet.
    """
    open_flags = Q(flags__resolved_at__isnull=True)
    statements = _annotated(Statement.objects.filter(dialogue=dialogue)).annotate(
        n_open_flags=Count("flags", filter=open_flags, distinct=True)
    )
    pending = list(statements.filter(status=Statement.Status.PENDING).order_by("created_at", "pk"))
    flagged = list(
        statements.filter(status=Statement.Status.PUBLISHED, n_open_flags__gt=0).order_by(
            "-n_open_flags", "created_at", "pk"
        )
    )
    hidden = list(
        statements.filter(status=Statement.Status.HIDDEN)
        .select_related("moderated_by")
        .order_by("-moderated_at", "-pk")
    )
    flagged_comments = list(
        Comment.objects.filter(statement__dialogue=dialogue, is_hidden=False)
        .select_related("author", "statement")
        .annotate(n_open_flags=Count("flags", filter=open_flags, distinct=True))
        .filter(n_open_flags__gt=0)
        .order_by("-n_open_flags", "created_at", "pk")
    )
    return ModerationQueue(
        pending=pending, flagged=flagged, flagged_comments=flagged_comments, hidden=hidden
    )


def merge_candidates(*, statement: Statement) -> QuerySet[Statement]:
    """Return the published statements of the same dialogue that a duplicate may merge into."""
    return (
        Statement.objects.shown()
        .filter(dialogue=statement.dialogue_id)
        .exclude(pk=statement.pk)
        .order_by("text", "pk")
    )


def comment_list(*, statement: Statement, viewer: Viewer) -> QuerySet[Comment]:
    """Return the statement's top comments, oldest first, with their replies prefetched.

    Hidden comments stay in the thread (as "hidden") only for moderators.
    """
    comments = Comment.objects.filter(statement=statement).select_related("author")
    if not can_moderate(viewer, statement.dialogue):
        comments = comments.filter(is_hidden=False)
    return (
        comments.filter(parent__isnull=True)
        .prefetch_related(Prefetch("replies", queryset=comments.order_by("created_at", "pk")))
        .order_by("created_at", "pk")
    )


def flag_list(*, dialogue: Dialogue, is_resolved: bool | None = False) -> QuerySet[Flag]:
    """Return the dialogue's open flags, those dealt with, or all (None), with who flagged."""
    flags = Flag.objects.filter(
        Q(statement__dialogue=dialogue) | Q(comment__statement__dialogue=dialogue)
    )
    if is_resolved is not None:
        flags = flags.filter(resolved_at__isnull=not is_resolved)
    return flags.select_related("person", "resolved_by", "statement", "comment").order_by(
        "created_at", "pk"
    )


def invitation_list(*, dialogue: Dialogue) -> QuerySet[DialogueInvitation]:
    """Return the dialogue's invitations by address."""
    return DialogueInvitation.objects.filter(dialogue=dialogue).order_by("email", "pk")


def statement_with_counts(*, statement_id: int) -> Statement:
    """Return a statement with its counts, whatever its status: for a writer to read it back."""
    return _annotated(Statement.objects.filter(pk=statement_id)).get()
