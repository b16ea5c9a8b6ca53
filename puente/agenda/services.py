"""Writes to agendas: drafting from the results, editing items, publishing, endorsing."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.accounts.models import User
from puente.consensus import RANKING_METHODS
from puente.dialogues.models import Dialogue, Statement
from puente.dialogues.selectors import snapshot_latest
from puente.notifications.models import Kind
from puente.notifications.services import notification_send
from puente.stakeholders.models import Membership, Organisation
from puente.stakeholders.selectors import organisation_admins

from .evidence import (
    item_evidence,
    snapshot_summary,
    statement_evidence,
)
from .models import Agenda, AgendaItem, AgendaVersion, Endorsement
from .permissions import (
    can_draft_agenda,
    can_edit_draft,
    can_endorse,
    can_publish_agenda,
    can_withdraw_endorsement,
)

MAX_ITEMS = 50
DEFAULT_RANKING_METHOD = "joint-support"


def _agenda_for(dialogue: Dialogue, actor: User) -> Agenda:
    agenda, _created = Agenda.objects.get_or_create(
        dialogue=dialogue,
        defaults={
            "title": _("Joint agenda: %(title)s") % {"title": dialogue.title},
            "created_by": actor,
        },
    )
    return agenda


def _lock_draft(version: AgendaVersion) -> AgendaVersion:
    """Lock the version's row and return it fresh; refuse a published version."""
    locked = AgendaVersion.objects.select_for_update().get(pk=version.pk)
    if locked.is_published:
        raise ValidationError({"version": _("This version is published and can no longer change.")})
    return locked


def _no_draft_yet(agenda: Agenda) -> None:
    if AgendaVersion.objects.filter(agenda=agenda, status=AgendaVersion.Status.DRAFT).exists():
        raise ValidationError(
            {"version": _("This agenda already has a draft: edit it, publish it or discard it.")}
        )


def _clean_texts(
    texts: Mapping[str, str], *, field: str, max_length: int, required: str | None
) -> dict[str, str]:
    """Return the non-empty texts by known language code; refuse unknown codes and long text."""
    if not isinstance(texts, Mapping):
        raise ValidationError({field: _("Give the text as an object of language codes.")})
    known = {code for code, _name in settings.LANGUAGES}
    cleaned: dict[str, str] = {}
    for language, text in texts.items():
        if language not in known:
            raise ValidationError(
                {field: _("Unknown language: %(codes)s.") % {"codes": str(language)}}
            )
        if not isinstance(text, str):
            raise ValidationError({field: _("Each text must be a string.")})
        stripped = text.strip()
        if len(stripped) > max_length:
            raise ValidationError(
                {field: _("Keep each text within %(max)s characters.") % {"max": max_length}}
            )
        if stripped:
            cleaned[language] = stripped
    if required is not None and required not in cleaned:
        raise ValidationError(
            {
                field: _("Write the text in its original language (%(language)s).")
                % {"language": required}
            }
        )
    return cleaned


def _clean_statements(dialogue: Dialogue, statements: Sequence[Statement]) -> list[Statement]:
    chosen = list(dict.fromkeys(statements))
    if any(statement.dialogue_id != dialogue.pk for statement in chosen):
        raise ValidationError(
            {"statements": _("Choose statements of this agenda's dialogue only.")}
        )
    return chosen


def _renumber(version: AgendaVersion) -> None:
    """Number the version's items 1, 2, ... in their order, closing gaps."""
    items = list(AgendaItem.objects.filter(version=version).order_by("position", "pk"))
    for position, item in enumerate(items, 1):
        if item.position != position:
            AgendaItem.objects.filter(pk=item.pk).update(position=position)


def _evidence_now(dialogue: Dialogue, method: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the version summary and per-statement evidence from the newest snapshot."""
    snapshot = snapshot_latest(dialogue=dialogue)
    if snapshot is None:
        return {}, {}
    return snapshot_summary(snapshot, method), statement_evidence(snapshot.result, method)


@transaction.atomic
def agenda_draft_create(
    *,
    actor: User,
    dialogue: Dialogue,
    ranking_method: str = DEFAULT_RANKING_METHOD,
    n_items: int = 8,
) -> AgendaVersion:
    """Start a draft from the newest results: the top statements under the ranking method."""
    if not can_draft_agenda(actor, dialogue):
        raise PermissionDenied
    if ranking_method not in RANKING_METHODS:
        raise ValidationError({"ranking_method": _("Choose one of the ranking methods.")})
    if not 1 <= n_items <= MAX_ITEMS:
        raise ValidationError(
            {"n_items": _("Choose between 1 and %(max)s items.") % {"max": MAX_ITEMS}}
        )
    snapshot = snapshot_latest(dialogue=dialogue)
    if snapshot is None:
        raise ValidationError(
            {"dialogue": _("This dialogue has no results yet to draft an agenda from.")}
        )
    agenda = _agenda_for(dialogue, actor)
    Agenda.objects.select_for_update().get(pk=agenda.pk)
    _no_draft_yet(agenda)
    evidence = statement_evidence(snapshot.result, ranking_method)
    ranked_ids = sorted(
        (int(sid) for sid, figures in evidence.items() if figures["rank"] is not None),
        key=lambda pk: evidence[str(pk)]["rank"],
    )
    shown = Statement.objects.shown().filter(dialogue=dialogue, pk__in=ranked_ids).in_bulk()
    chosen = [shown[pk] for pk in ranked_ids if pk in shown][:n_items]
    version = AgendaVersion.objects.create(
        agenda=agenda,
        created_by=actor,
        evidence=snapshot_summary(snapshot, ranking_method),
    )
    for position, statement in enumerate(chosen, 1):
        item = AgendaItem.objects.create(
            version=version,
            position=position,
            text={statement.language: statement.text},
            original_language=statement.language,
            evidence=item_evidence(evidence, [statement.pk]),
        )
        item.statements.set([statement])
    return version


@transaction.atomic
def agenda_draft_copy(*, actor: User, agenda: Agenda) -> AgendaVersion:
    """Start a draft as a copy of the newest published version, to change it."""
    if not can_draft_agenda(actor, agenda.dialogue):
        raise PermissionDenied
    Agenda.objects.select_for_update().get(pk=agenda.pk)
    _no_draft_yet(agenda)
    latest = (
        AgendaVersion.objects.filter(agenda=agenda, status=AgendaVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if latest is None:
        raise ValidationError({"version": _("There is no published version to start from.")})
    version = AgendaVersion.objects.create(
        agenda=agenda, created_by=actor, evidence=dict(latest.evidence)
    )
    for item in latest.items.prefetch_related("statements"):
        copy = AgendaItem.objects.create(
            version=version,
            position=item.position,
            lineage=item.lineage,
            theme=dict(item.theme),
            text=dict(item.text),
            original_language=item.original_language,
            evidence=dict(item.evidence),
        )
        copy.statements.set(item.statements.all())
    return version


@transaction.atomic
def agenda_draft_discard(*, actor: User, version: AgendaVersion) -> None:
    """Delete a draft with its items; published versions stay."""
    if not can_edit_draft(actor, version):
        raise PermissionDenied
    _lock_draft(version).delete()


@transaction.atomic
def agenda_item_add(
    *,
    actor: User,
    version: AgendaVersion,
    text: Mapping[str, str],
    original_language: str,
    theme: Mapping[str, str] | None = None,
    statements: Sequence[Statement] = (),
) -> AgendaItem:
    """Add an item at the end of a draft."""
    if not can_edit_draft(actor, version):
        raise PermissionDenied
    version = _lock_draft(version)
    if version.items.count() >= MAX_ITEMS:
        raise ValidationError(
            {"text": _("An agenda holds at most %(max)s items.") % {"max": MAX_ITEMS}}
        )
    dialogue = version.agenda.dialogue
    item = AgendaItem(
        version=version,
        theme=_clean_texts(
            theme or {}, field="theme", max_length=AgendaItem.MAX_THEME_LENGTH, required=None
        ),
        text=_clean_texts(
            text, field="text", max_length=AgendaItem.MAX_LENGTH, required=original_language
        ),
        original_language=original_language,
    )
    chosen = _clean_statements(dialogue, statements)
    method = str(version.evidence.get("ranking_method") or DEFAULT_RANKING_METHOD)
    _summary, evidence = _evidence_now(dialogue, method)
    item.evidence = item_evidence(evidence, [statement.pk for statement in chosen])
    item.position = (version.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item.save()
    item.statements.set(chosen)
    return item


@transaction.atomic
def agenda_item_update(
    *,
    actor: User,
    item: AgendaItem,
    text: Mapping[str, str],
    original_language: str,
    theme: Mapping[str, str],
    statements: Sequence[Statement],
) -> AgendaItem:
    """Change a draft item's texts, theme and the statements behind it."""
    if not can_edit_draft(actor, item.version):
        raise PermissionDenied
    version = _lock_draft(item.version)
    dialogue = version.agenda.dialogue
    cleaned_text = _clean_texts(
        text, field="text", max_length=AgendaItem.MAX_LENGTH, required=original_language
    )
    cleaned_theme = _clean_texts(
        theme, field="theme", max_length=AgendaItem.MAX_THEME_LENGTH, required=None
    )
    chosen = _clean_statements(dialogue, statements)
    method = str(version.evidence.get("ranking_method") or DEFAULT_RANKING_METHOD)
    _summary, evidence = _evidence_now(dialogue, method)
    item.text = cleaned_text
    item.theme = cleaned_theme
    item.original_language = original_language
    item.evidence = item_evidence(evidence, [statement.pk for statement in chosen])
    item.save(update_fields=["text", "theme", "original_language", "evidence"])
    item.statements.set(chosen)
    return item


@transaction.atomic
def agenda_item_delete(*, actor: User, item: AgendaItem) -> None:
    """Remove an item from a draft; the items after it move up."""
    if not can_edit_draft(actor, item.version):
        raise PermissionDenied
    version = _lock_draft(item.version)
    item.delete()
    _renumber(version)


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, position: int) -> AgendaItem:
    """Move a draft item to the position (1 is first); the others shift to make room."""
    if not can_edit_draft(actor, item.version):
        raise PermissionDenied
    version = _lock_draft(item.version)
    items = list(AgendaItem.objects.filter(version=version).order_by("position", "pk"))
    if not 1 <= position <= len(items):
        raise ValidationError(
            {"position": _("Choose a position from 1 to %(max)s.") % {"max": len(items)}}
        )
    moving = next(other for other in items if other.pk == item.pk)
    items.remove(moving)
    items.insert(position - 1, moving)
    # Out of the way first, above every position in use: positions are unique in a version.
    AgendaItem.objects.filter(version=version).update(position=F("position") + len(items) + 1)
    for index, other in enumerate(items, 1):
        AgendaItem.objects.filter(pk=other.pk).update(position=index)
    item.position = position
    return item


@transaction.atomic
def agenda_publish(*, actor: User, version: AgendaVersion, note: str = "") -> AgendaVersion:
    """Publish a draft as the next numbered version, its evidence frozen as the results stand."""
    if not can_publish_agenda(actor, version):
        raise PermissionDenied
    Agenda.objects.select_for_update().get(pk=version.agenda_id)
    version = _lock_draft(version)
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note within 2000 characters.")})
    items = list(version.items.prefetch_related("statements"))
    if not items:
        raise ValidationError({"version": _("Add at least one item before publishing.")})
    method = str(version.evidence.get("ranking_method") or DEFAULT_RANKING_METHOD)
    summary, evidence = _evidence_now(version.agenda.dialogue, method)
    if summary:
        version.evidence = summary
        for item in items:
            item.evidence = item_evidence(
                evidence, [statement.pk for statement in item.statements.all()]
            )
            item.save(update_fields=["evidence"])
    last = (
        AgendaVersion.objects.filter(agenda=version.agenda_id).aggregate(last=Max("number"))["last"]
        or 0
    )
    version.number = last + 1
    version.status = AgendaVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.note = note.strip()
    version.save()
    _notify_published(actor=actor, version=version)
    return version


def _notify_published(*, actor: User, version: AgendaVersion) -> None:
    """Tell the dialogue's participants and the member organisations' people; ask the
    admins of the member organisations to endorse."""
    agenda = version.agenda
    dialogue = agenda.dialogue
    member_ids = list(
        Organisation.objects.filter(
            partnership_links__partnership_id=dialogue.partnership_id
        ).values_list("pk", flat=True)
    )
    admins = list(organisation_admins(organisation_ids=member_ids))
    admin_ids = {admin.pk for admin in admins}
    params = {"agenda": agenda.title, "dialogue": dialogue.title, "number": str(version.number)}
    url = version.get_absolute_url()
    readers = (
        User.objects.filter(is_active=True)
        .filter(
            Q(dialogue_participations__dialogue=dialogue)
            | Q(
                memberships__organisation_id__in=member_ids,
                memberships__status=Membership.Status.ACTIVE,
            )
        )
        .exclude(pk__in=admin_ids)
        .distinct()
    )
    notification_send(
        kind=Kind.AGENDA_PUBLISHED,
        recipients=readers,
        message=gettext_lazy("Version %(number)s of the agenda “%(agenda)s” is published."),
        params=params,
        url=url,
        actor=actor,
    )
    notification_send(
        kind=Kind.ENDORSEMENT_REQUEST,
        recipients=admins,
        message=gettext_lazy(
            "Version %(number)s of the agenda “%(agenda)s” is published: "
            "your organisation may endorse it."
        ),
        params=params,
        url=url,
        actor=actor,
    )


@transaction.atomic
def endorsement_create(
    *, actor: User, version: AgendaVersion, organisation: Organisation
) -> Endorsement:
    """Endorse the newest published version for one of the actor's member organisations."""
    if not can_endorse(actor, version, organisation):
        raise PermissionDenied
    AgendaVersion.objects.select_for_update().get(pk=version.pk)
    if Endorsement.objects.filter(
        version=version, organisation=organisation, withdrawn_at__isnull=True
    ).exists():
        raise ValidationError(
            {"organisation": _("This organisation already endorses this version.")}
        )
    try:
        with transaction.atomic():
            return Endorsement.objects.create(
                version=version, organisation=organisation, person=actor
            )
    except IntegrityError as error:
        raise ValidationError(
            {"organisation": _("This organisation already endorses this version.")}
        ) from error


@transaction.atomic
def endorsement_withdraw(*, actor: User, endorsement: Endorsement) -> Endorsement:
    """Withdraw a standing endorsement; it stays on record as withdrawn."""
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if not can_withdraw_endorsement(actor, endorsement):
        raise PermissionDenied
    endorsement.withdrawn_at = timezone.now()
    endorsement.withdrawn_by = actor
    endorsement.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return endorsement
