"""Writes to statements and their moderation: add, seed, change, hide, restore, approve, merge."""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.accounts.models import User
from puente.core.content_language import original_language_check, translation_store
from puente.core.types import UNSET, Unset
from puente.notifications.models import Kind
from puente.notifications.services import notification_send
from puente.stakeholders.models import Organisation

from ..models import (
    Comment,
    Comparison,
    Dialogue,
    Flag,
    Statement,
    StatementTranslation,
    Vote,
    VoteChange,
)
from ..permissions import (
    can_add_statement,
    can_edit_statement,
    can_moderate,
    can_seed,
    can_translate_statement,
)
from .dialogues import participation_require
from .results import results_schedule
from .votes import COMPARISON_SWAPPED

REASON_MAX_LENGTH = 500


def _clean_text(text: str) -> str:
    """Return the statement's text stripped; refuse it empty or too long."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the statement.")}, code="required")
    if len(text) > Statement.MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Keep the statement to %(limit)d characters (it has %(length)d).")
                % {"limit": Statement.MAX_LENGTH, "length": len(text)}
            },
            code="max_length",
        )
    return text


def _check_choices(*, kind: str | None = None, language: str | None = None) -> None:
    errors: dict[str, str] = {}
    if kind is not None and kind not in Statement.Kind.values:
        errors["kind"] = _("Choose one of the kinds of statement.")
    if language is not None and language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = _("Choose one of the site's languages.")
    if errors:
        raise ValidationError(errors, code="invalid_choice")


def check_language(language: str) -> None:
    """Refuse a language the site does not offer, naming the field language."""
    _check_choices(language=language)


def _check_details(details: str) -> None:
    limit = Statement._meta.get_field("details").max_length or 5000
    if len(details) > limit:
        raise ValidationError(
            {"details": _("Keep the details to %(limit)d characters.") % {"limit": limit}},
            code="max_length",
        )


def _check_unique(dialogue: Dialogue, text: str, *, other_than: int | None = None) -> None:
    """Refuse a text the dialogue already holds, word for word."""
    same = Statement.objects.filter(dialogue=dialogue, text=text)
    if other_than is not None:
        same = same.exclude(pk=other_than)
    if same.exists():
        raise ValidationError(
            {"text": _("This statement is already in the dialogue.")}, code="duplicate"
        )


def _lock_dialogue(dialogue: Dialogue) -> None:
    # New statements of one dialogue are written one at a time, so two equal texts cannot
    # both pass the duplicate check.
    Dialogue.objects.select_for_update().filter(pk=dialogue.pk).first()


def _schedule_results(dialogue_id: int) -> None:
    transaction.on_commit(partial(results_schedule, dialogue_id=dialogue_id))


def _lock(statement: Statement) -> Statement:
    """Return the statement read again under a row lock, with its dialogue."""
    return (
        Statement.objects.select_for_update(of=("self",))
        .select_related("dialogue__partnership")
        .get(pk=statement.pk)
    )


@transaction.atomic
def statement_create(
    *,
    author: User,
    dialogue: Dialogue,
    text: str,
    kind: str,
    language: str,
    details: str = "",
) -> Statement:
    """Add a statement for the organisation (or individual) the author takes part for.

    With pre-moderation it waits for a moderator unless the author is one.
    """
    if not can_add_statement(author, dialogue):
        raise PermissionDenied
    participation = participation_require(person=author, dialogue=dialogue)
    text = _clean_text(text)
    _check_choices(kind=kind, language=language)
    _check_details(details)
    _lock_dialogue(dialogue)
    _check_unique(dialogue, text)
    waits = dialogue.pre_moderation and not can_moderate(author, dialogue)
    statement = Statement.objects.create(
        dialogue=dialogue,
        text=text,
        kind=kind,
        details=details,
        language=language,
        author=author,
        organisation=participation.organisation,
        status=Statement.Status.PENDING if waits else Statement.Status.PUBLISHED,
    )
    if not waits:
        _schedule_results(dialogue.pk)
    return statement


@transaction.atomic
def statement_seed(
    *,
    actor: User,
    dialogue: Dialogue,
    text: str,
    kind: str,
    language: str,
    details: str = "",
    organisation: Organisation | None = None,
) -> Statement:
    """Seed a published statement to start the conversation (moderators)."""
    if not can_seed(actor, dialogue):
        raise PermissionDenied
    text = _clean_text(text)
    _check_choices(kind=kind, language=language)
    _check_details(details)
    _lock_dialogue(dialogue)
    _check_unique(dialogue, text)
    statement = Statement.objects.create(
        dialogue=dialogue,
        text=text,
        kind=kind,
        details=details,
        language=language,
        author=actor,
        organisation=organisation,
        is_seed=True,
        status=Statement.Status.PUBLISHED,
    )
    _schedule_results(dialogue.pk)
    return statement


@transaction.atomic
def statement_update(
    *,
    actor: User,
    statement: Statement,
    text: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    details: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> Statement:
    """Change the text, kind, details or language given; its status stays."""
    if not can_edit_statement(actor, statement):
        raise PermissionDenied
    changed: list[str] = []
    if not isinstance(text, Unset):
        text = _clean_text(text)
        _lock_dialogue(statement.dialogue)
        _check_unique(statement.dialogue, text, other_than=statement.pk)
        statement.text = text
        changed.append("text")
    if not isinstance(kind, Unset):
        _check_choices(kind=kind)
        statement.kind = kind
        changed.append("kind")
    if not isinstance(details, Unset):
        _check_details(details)
        statement.details = details
        changed.append("details")
    if not isinstance(language, Unset):
        _check_choices(language=language)
        if language != statement.language:
            original_language_check(
                language, translations=statement.translations.all(), field="language"
            )
        statement.language = language
        changed.append("language")
    if changed:
        statement.save(update_fields=[*changed, "updated_at"])
    return statement


def _moderated(statement: Statement, actor: User, status: str, reason: str = "") -> None:
    statement.status = status
    statement.moderation_reason = reason
    statement.moderated_by = actor
    statement.moderated_at = timezone.now()


_MODERATION_FIELDS = ["status", "moderation_reason", "moderated_by", "moderated_at", "updated_at"]


def _resolve_flags(*, actor: User, statement: Statement) -> None:
    Flag.objects.filter(statement=statement, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )


@transaction.atomic
def statement_hide(*, actor: User, statement: Statement, reason: str) -> Statement:
    """Hide a statement from everyone but its author and the moderators, saying why.

    Its open flags count as acted on.
    """
    if not can_moderate(actor, statement.dialogue):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the statement is hidden: its author will read it.")},
            code="required",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(limit)d characters.")
                % {"limit": REASON_MAX_LENGTH}
            },
            code="max_length",
        )
    locked = _lock(statement)
    if locked.status == Statement.Status.MERGED:
        raise ValidationError(
            {"statement": _("A merged statement cannot be hidden.")}, code="invalid_status"
        )
    _moderated(locked, actor, Statement.Status.HIDDEN, reason)
    locked.save(update_fields=_MODERATION_FIELDS)
    _resolve_flags(actor=actor, statement=locked)
    _schedule_results(locked.dialogue_id)
    if locked.author is not None and locked.author.is_active:
        notification_send(
            kind=Kind.STATEMENT_MODERATED,
            recipients=[locked.author],
            message=gettext_lazy(
                "A facilitator hid your statement in “%(dialogue)s”. The reason: %(reason)s"
            ),
            params={"dialogue": locked.dialogue.title, "reason": reason},
            url=locked.get_absolute_url(),
            actor=actor,
        )
    return locked


@transaction.atomic
def statement_restore(*, actor: User, statement: Statement) -> Statement:
    """Show a hidden statement again."""
    if not can_moderate(actor, statement.dialogue):
        raise PermissionDenied
    locked = _lock(statement)
    if locked.status != Statement.Status.HIDDEN:
        raise ValidationError(
            {"statement": _("Only a hidden statement can be restored.")}, code="invalid_status"
        )
    _moderated(locked, actor, Statement.Status.PUBLISHED)
    locked.save(update_fields=_MODERATION_FIELDS)
    _schedule_results(locked.dialogue_id)
    return locked


@transaction.atomic
def statement_approve(*, actor: User, statement: Statement) -> Statement:
    """Publish a statement that was waiting for moderation."""
    if not can_moderate(actor, statement.dialogue):
        raise PermissionDenied
    locked = _lock(statement)
    if locked.status != Statement.Status.PENDING:
        raise ValidationError(
            {"statement": _("Only a statement waiting for moderation can be approved.")},
            code="invalid_status",
        )
    _moderated(locked, actor, Statement.Status.PUBLISHED)
    locked.save(update_fields=_MODERATION_FIELDS)
    _schedule_results(locked.dialogue_id)
    return locked


def _move_votes(*, duplicate: Statement, survivor: Statement) -> int:
    """Move the duplicate's votes to the survivor: one per person, the later one wins.

    Return how many of the survivor's votes were added or changed.
    """
    kept = {
        vote.participant_id: vote
        for vote in Vote.objects.select_for_update().filter(statement=survivor)
    }
    changes: list[VoteChange] = []
    for vote in Vote.objects.select_for_update().filter(statement=duplicate).order_by("pk"):
        current = kept.get(vote.participant_id)
        if current is None:
            # updated_at is left as it was: .update() does not touch auto_now fields.
            Vote.objects.filter(pk=vote.pk).update(statement=survivor)
        else:
            if vote.updated_at > current.updated_at:
                Vote.objects.filter(pk=current.pk).update(
                    choice=vote.choice, updated_at=vote.updated_at
                )
            vote.delete()
            if vote.updated_at <= current.updated_at or vote.choice == current.choice:
                continue
        changes.append(
            VoteChange(
                dialogue_id=survivor.dialogue_id,
                statement=survivor,
                participant_id=vote.participant_id,
                choice=vote.choice,
            )
        )
    VoteChange.objects.bulk_create(changes)
    return len(changes)


def _move_comparisons(*, duplicate: Statement, survivor: Statement) -> None:
    """Point the duplicate's comparisons at the survivor: one per person and pair, later wins.

    A comparison of the duplicate with the survivor itself compared a statement with its own
    copy: it is dropped. A pair is stored with the lower id first, so the answer turns round
    when the survivor takes the other place.
    """
    involving = Q(first=duplicate) | Q(second=duplicate)
    Comparison.objects.filter(involving, Q(first=survivor) | Q(second=survivor)).delete()
    # The survivor's answers, read once: each moved answer meets at most one of them.
    kept = {
        (comparison.participant_id, comparison.first_id, comparison.second_id): comparison
        for comparison in Comparison.objects.select_for_update().filter(
            Q(first=survivor) | Q(second=survivor)
        )
    }
    for comparison in Comparison.objects.select_for_update().filter(involving).order_by("pk"):
        other_id = (
            comparison.second_id if comparison.first_id == duplicate.pk else comparison.first_id
        )
        choice = comparison.choice
        if (comparison.first_id == duplicate.pk) != (survivor.pk < other_id):
            choice = COMPARISON_SWAPPED[Comparison.Choice(choice)]
        first_id, second_id = sorted((survivor.pk, other_id))
        current = kept.get((comparison.participant_id, first_id, second_id))
        if current is None:
            # updated_at is left as it was: .update() does not touch auto_now fields.
            Comparison.objects.filter(pk=comparison.pk).update(
                first_id=first_id, second_id=second_id, choice=choice
            )
            continue
        if comparison.updated_at > current.updated_at:
            Comparison.objects.filter(pk=current.pk).update(
                choice=choice, updated_at=comparison.updated_at
            )
        comparison.delete()


@transaction.atomic
def statement_merge(*, actor: User, duplicate: Statement, survivor: Statement) -> Statement:
    """Merge a duplicate into the statement that stays, with its votes, comparisons, comments.

    Each person keeps one vote on the survivor, and one answer per pair it is compared in:
    who answered both keeps the later one. The duplicate's author is notified (in their
    language, by mail as they chose); the survivor is returned.
    """
    if not can_moderate(actor, duplicate.dialogue):
        raise PermissionDenied
    if duplicate.pk == survivor.pk:
        raise ValidationError(
            {"survivor": _("Choose another statement to merge this one into.")}, code="invalid"
        )
    if duplicate.dialogue_id != survivor.dialogue_id:
        raise ValidationError(
            {"survivor": _("Choose a statement of the same dialogue.")}, code="invalid"
        )
    # Both rows locked, in one order, so that two merges of the same pair cannot interleave.
    locked = {
        statement.pk: statement
        for statement in Statement.objects.select_for_update(of=("self",))
        .select_related("dialogue__partnership")
        .filter(pk__in=[duplicate.pk, survivor.pk])
        .order_by("pk")
    }
    duplicate, survivor = locked[duplicate.pk], locked[survivor.pk]
    if duplicate.status == Statement.Status.MERGED:
        raise ValidationError(
            {"statement": _("This statement has already been merged.")}, code="invalid_status"
        )
    if survivor.status != Statement.Status.PUBLISHED:
        raise ValidationError(
            {"survivor": _("Choose a published statement to keep.")}, code="invalid_status"
        )
    _move_votes(duplicate=duplicate, survivor=survivor)
    _move_comparisons(duplicate=duplicate, survivor=survivor)
    Comment.objects.filter(statement=duplicate).update(statement=survivor)
    # Statements merged into the duplicate earlier now point at the survivor, one step away.
    Statement.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    _resolve_flags(actor=actor, statement=duplicate)
    duplicate.merged_into = survivor
    _moderated(duplicate, actor, Statement.Status.MERGED)
    duplicate.save(update_fields=[*_MODERATION_FIELDS, "merged_into"])
    if duplicate.author is not None and duplicate.author.is_active:
        notification_send(
            kind=Kind.STATEMENT_MODERATED,
            recipients=[duplicate.author],
            message=gettext_lazy(
                "A facilitator found that your statement in “%(dialogue)s” says what another "
                "one already says, and merged the two. Its votes and comments now belong to: "
                "%(survivor)s"
            ),
            params={"dialogue": duplicate.dialogue.title, "survivor": survivor.text},
            url=survivor.get_absolute_url(),
            actor=actor,
        )
    _schedule_results(duplicate.dialogue_id)
    return survivor


@transaction.atomic
def statement_translation_save(
    *, actor: User, statement: Statement, language: str, text: str, details: str = ""
) -> StatementTranslation:
    """Add or replace the translation of the statement and its details into the language."""
    if not can_translate_statement(actor, statement):
        raise PermissionDenied
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    return translation_store(
        model=StatementTranslation,
        owner_field="statement",
        owner=locked,
        original_language=locked.language,
        language=language,
        values={"text": " ".join(text.split()), "details": details.strip()},
        actor=actor,
    )


@transaction.atomic
def statement_translation_delete(*, actor: User, statement: Statement, language: str) -> None:
    """Delete the translation of the statement into the language, if any."""
    if not can_translate_statement(actor, statement):
        raise PermissionDenied
    for stored in StatementTranslation.objects.filter(statement=statement, language=language):
        # One by one, so that the search index hears of each.
        stored.delete()
