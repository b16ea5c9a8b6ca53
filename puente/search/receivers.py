"""Signal receivers that keep the search index up to date (housekeeping, rule 8 of STYLE.md).

Each is connected to its own model: a post_delete receiver without a sender would stop
Django deleting every other model's rows in bulk.
"""

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from puente.agenda.models import AgendaItem, AgendaVersion
from puente.dialogues.models import Dialogue, Statement, StatementTranslation
from puente.initiatives.models import Initiative
from puente.partnerships.models import Partnership, PartnershipTranslation
from puente.stakeholders.models import Organisation, OrganisationTranslation

from .index import (
    agenda_index,
    dialogue_contents_index,
    dialogue_entry,
    entry_remove,
    entry_store,
    initiative_entry,
    organisation_entry,
    partnership_contents_index,
    partnership_entry,
    statement_index,
)
from .models import Kind, SearchEntry


def _stored_url(kind: str, object_id: int) -> str | None:
    return (
        SearchEntry.objects.filter(kind=kind, object_id=object_id)
        .values_list("url", flat=True)
        .first()
    )


def _is_raw(kwargs: dict[str, Any]) -> bool:
    # Fixtures load rows as they are; search_rebuild indexes them afterwards.
    return bool(kwargs.get("raw"))


def organisation_saved(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    """Index the organisation as it now is."""
    if not _is_raw(kwargs):
        entry_store(organisation_entry(instance))


def partnership_saved(sender: Any, instance: Partnership, **kwargs: Any) -> None:
    """Index the partnership, and what lives under it when its address changed."""
    if _is_raw(kwargs):
        return
    stored = _stored_url(Kind.PARTNERSHIP, instance.pk)
    entry = entry_store(partnership_entry(instance))
    if stored is not None and stored != entry.url:
        partnership_contents_index(instance)


def dialogue_saved(sender: Any, instance: Dialogue, **kwargs: Any) -> None:
    """Index the dialogue, and its statements and agenda when its address changed."""
    if _is_raw(kwargs):
        return
    stored = _stored_url(Kind.DIALOGUE, instance.pk)
    entry = entry_store(dialogue_entry(instance))
    if stored is not None and stored != entry.url:
        dialogue_contents_index(instance)


def statement_saved(sender: Any, instance: Statement, **kwargs: Any) -> None:
    """Index the statement if it is shown; remove it otherwise."""
    if not _is_raw(kwargs):
        statement_index(instance)


def organisation_translation_changed(
    sender: Any, instance: OrganisationTranslation, **kwargs: Any
) -> None:
    """Index the organisation again, with its translations as they now are."""
    organisation = Organisation.objects.filter(pk=instance.organisation_id).first()
    if organisation is not None and not _is_raw(kwargs):
        entry_store(organisation_entry(organisation))


def partnership_translation_changed(
    sender: Any, instance: PartnershipTranslation, **kwargs: Any
) -> None:
    """Index the partnership again, with its translations as they now are."""
    partnership = Partnership.objects.filter(pk=instance.partnership_id).first()
    if partnership is not None and not _is_raw(kwargs):
        entry_store(partnership_entry(partnership))


def statement_translation_changed(
    sender: Any, instance: StatementTranslation, **kwargs: Any
) -> None:
    """Index the statement again, with its translations as they now are."""
    statement = (
        Statement.objects.filter(pk=instance.statement_id)
        .select_related("dialogue__partnership")
        .first()
    )
    if statement is not None and not _is_raw(kwargs):
        statement_index(statement)


def agenda_item_saved(sender: Any, instance: AgendaItem, **kwargs: Any) -> None:
    """Index the agenda again when an item of a published version changes (drafts aside)."""
    if _is_raw(kwargs):
        return
    version = AgendaVersion.objects.filter(pk=instance.version_id).only("status", "agenda").first()
    if version is not None and version.is_published:
        agenda_index(version.agenda_id)


def agenda_version_changed(sender: Any, instance: AgendaVersion, **kwargs: Any) -> None:
    """Index the agenda's latest published version when a version is published or deleted."""
    if not _is_raw(kwargs):
        agenda_index(instance.agenda_id)


def initiative_saved(sender: Any, instance: Initiative, **kwargs: Any) -> None:
    """Index the initiative as it now is."""
    if not _is_raw(kwargs):
        entry_store(initiative_entry(instance))


def _removal(kind: str) -> Any:
    def removed(sender: Any, instance: Any, **kwargs: Any) -> None:
        entry_remove(kind=kind, object_ids=[instance.pk])

    removed.__doc__ = f"Remove the {kind}'s search entry."
    return removed


_REMOVALS: dict[type[Model], Any] = {
    Organisation: _removal(Kind.ORGANISATION),
    Partnership: _removal(Kind.PARTNERSHIP),
    Dialogue: _removal(Kind.DIALOGUE),
    Statement: _removal(Kind.STATEMENT),
    AgendaItem: _removal(Kind.AGENDA_ITEM),
    Initiative: _removal(Kind.INITIATIVE),
}


def receivers_connect() -> None:
    """Connect every receiver to its own model."""
    saves: dict[type[Any], Any] = {
        Organisation: organisation_saved,
        Partnership: partnership_saved,
        Dialogue: dialogue_saved,
        Statement: statement_saved,
        AgendaItem: agenda_item_saved,
        AgendaVersion: agenda_version_changed,
        Initiative: initiative_saved,
    }
    for model, receiver in saves.items():
        post_save.connect(receiver, sender=model, dispatch_uid=f"search-save-{model.__name__}")
    translations: dict[type[Any], Any] = {
        OrganisationTranslation: organisation_translation_changed,
        PartnershipTranslation: partnership_translation_changed,
        StatementTranslation: statement_translation_changed,
    }
    for model, receiver in translations.items():
        uid = f"search-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
    for model, receiver in _REMOVALS.items():
        post_delete.connect(receiver, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    post_delete.connect(
        agenda_version_changed, sender=AgendaVersion, dispatch_uid="search-delete-AgendaVersion"
    )
