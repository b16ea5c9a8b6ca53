"""Writes to comments on statements: comment, reply, hide, restore."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.accounts.models import User
from puente.notifications.models import Kind
from puente.notifications.services import notification_send

from ..models import (
    Comment,
    Flag,
    Statement,
)
from ..permissions import (
    can_comment,
    can_moderate,
    can_view_statement,
)
from .statements import REASON_MAX_LENGTH, check_language


def _clean_comment(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")}, code="required")
    if len(text) > Comment.MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Keep the comment to %(limit)d characters.")
                % {"limit": Comment.MAX_LENGTH}
            },
            code="max_length",
        )
    return text


@transaction.atomic
def comment_create(
    *,
    author: User,
    statement: Statement,
    text: str,
    language: str,
    parent: Comment | None = None,
) -> Comment:
    """Comment on a published statement, or reply to a comment on it.

    Replies are one level deep: a reply to a reply joins the thread of the comment on top.
    """
    if not can_comment(author, statement.dialogue) or not can_view_statement(author, statement):
        raise PermissionDenied
    if not statement.is_shown:
        raise ValidationError(
            {"statement": _("Only published statements take comments.")}, code="invalid_status"
        )
    text = _clean_comment(text)
    check_language(language)
    if parent is not None:
        if parent.statement_id != statement.pk:
            raise ValidationError(
                {"parent": _("Reply to a comment on the same statement.")}, code="invalid"
            )
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
        if parent.is_hidden:
            raise ValidationError(
                {"parent": _("This comment has been hidden and takes no replies.")},
                code="invalid",
            )
    comment = Comment.objects.create(
        statement=statement, parent=parent, author=author, text=text, language=language
    )
    # A reply tells the author of the comment it answers; a comment, the statement's author.
    if parent is not None:
        told, message = parent.author, gettext_lazy("%(person)s replied to your comment.")
    else:
        told, message = statement.author, gettext_lazy("%(person)s commented on your statement.")
    if told is not None and told.is_active:
        notification_send(
            kind=Kind.REPLY,
            recipients=[told],
            message=message,
            params={"person": author.display_name},
            url=statement.get_absolute_url(),
            actor=author,
        )
    return comment


@transaction.atomic
def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """Hide a comment from everyone but the moderators, saying why; its flags are acted on."""
    if not can_moderate(actor, comment.statement.dialogue):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the comment is hidden.")}, code="required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(limit)d characters.")
                % {"limit": REASON_MAX_LENGTH}
            },
            code="max_length",
        )
    comment.is_hidden = True
    comment.moderation_reason = reason
    comment.save(update_fields=["is_hidden", "moderation_reason", "updated_at"])
    Flag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    return comment


@transaction.atomic
def comment_restore(*, actor: User, comment: Comment) -> Comment:
    """Show a hidden comment again; its flags stay dealt with."""
    if not can_moderate(actor, comment.statement.dialogue):
        raise PermissionDenied
    if not comment.is_hidden:
        raise ValidationError(
            {"comment": _("Only a hidden comment can be restored.")}, code="invalid_status"
        )
    comment.is_hidden = False
    comment.moderation_reason = ""
    comment.save(update_fields=["is_hidden", "moderation_reason", "updated_at"])
    return comment
