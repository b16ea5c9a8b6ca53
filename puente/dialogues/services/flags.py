"""Writes to flags: people flag statements and comments, moderators deal with them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import User

from ..models import (
    Comment,
    Dialogue,
    Flag,
    Statement,
)
from ..permissions import (
    can_flag,
    can_moderate,
    can_view_statement,
)
from .statements import REASON_MAX_LENGTH


@transaction.atomic
def flag_create(
    *,
    person: User,
    reason: str,
    statement: Statement | None = None,
    comment: Comment | None = None,
    note: str = "",
) -> Flag:
    """Flag a statement or a comment for the moderators, once per person and target."""
    if (statement is None) == (comment is None):
        raise ValidationError(
            {"statement": _("Flag either a statement or a comment.")}, code="invalid"
        )
    if statement is not None:
        target_statement = statement
    else:
        assert comment is not None  # noqa: S101  # one of the two is set, checked above
        target_statement = comment.statement
    if not can_flag(person, target_statement.dialogue) or not can_view_statement(
        person, target_statement
    ):
        raise PermissionDenied
    if comment is not None and comment.is_hidden:
        raise ValidationError({"comment": _("This comment is already hidden.")}, code="invalid")
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")}, code="invalid_choice")
    note = note.strip()
    if len(note) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Keep the note to %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}},
            code="max_length",
        )
    field = "statement" if statement is not None else "comment"
    already = (
        _("You have already flagged this statement.")
        if field == "statement"
        else _("You have already flagged this comment.")
    )
    if Flag.objects.filter(person=person, statement=statement, comment=comment).exists():
        raise ValidationError({field: already}, code="duplicate")
    try:
        with transaction.atomic():
            return Flag.objects.create(
                person=person, statement=statement, comment=comment, reason=reason, note=note
            )
    except IntegrityError as error:
        raise ValidationError({field: already}, code="duplicate") from error


def _flag_dialogue(flag: Flag) -> Dialogue:
    if flag.statement is not None:
        return flag.statement.dialogue
    assert flag.comment is not None  # noqa: S101  # a constraint: a flag names one of the two
    return flag.comment.statement.dialogue


@transaction.atomic
def flag_resolve(*, actor: User, flag: Flag) -> Flag:
    """Mark a flag as dealt with (acted on or dismissed)."""
    if not can_moderate(actor, _flag_dialogue(flag)):
        raise PermissionDenied
    if flag.resolved_at is not None:
        raise ValidationError({"flag": _("This flag has already been dealt with.")})
    flag.resolved_at = timezone.now()
    flag.resolved_by = actor
    flag.save(update_fields=["resolved_at", "resolved_by"])
    return flag
