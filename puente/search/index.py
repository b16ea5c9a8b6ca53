"""Keeping the search index up to date: one entry per object that search may find.

The entries are housekeeping (rule 8 of STYLE.md): the signal receivers in apps.py and the
search_rebuild command write them; who may see what is decided when searching (selectors.py).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F, Func, QuerySet, TextField

from puente.agenda.models import Agenda, AgendaItem, AgendaVersion
from puente.dialogues.models import Dialogue, Statement
from puente.initiatives.models import Initiative
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation

from .models import Kind, SearchEntry
from .text import text_normalise

SNIPPET_LENGTH = 240
BATCH_SIZE = 500


@dataclass(frozen=True)
class EntryData:
    """What one entry holds, before it is stored."""

    kind: str
    object_id: int
    partnership_id: int | None
    title: str
    snippet: str
    url: str
    texts: tuple[str, ...]

    def row(self) -> SearchEntry:
        """Return the unsaved entry."""
        return SearchEntry(
            kind=self.kind,
            object_id=self.object_id,
            partnership_id=self.partnership_id,
            title=self.title[:300],
            snippet=self.snippet,
            url=self.url[:500],
            text=_searchable(self.texts),
        )


def _searchable(texts: Iterable[str]) -> str:
    words = text_normalise(" ".join(text for text in texts if text))
    # A space before every word, the first included: " word" matches the start of any word.
    return f" {words}" if words else ""


def _snippet(*parts: str) -> str:
    text = " · ".join(" ".join(part.split()) for part in parts if part and part.strip())
    if len(text) <= SNIPPET_LENGTH:
        return text
    return text[: SNIPPET_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _json_texts(value: object) -> list[str]:
    if isinstance(value, dict):
        return [str(text) for text in value.values() if text]
    return []


def organisation_entry(organisation: Organisation) -> EntryData:
    """Return the entry of an organisation: its names in every language and description."""
    title = organisation.name
    if organisation.acronym:
        title = f"{organisation.name} ({organisation.acronym})"
    return EntryData(
        kind=Kind.ORGANISATION,
        object_id=organisation.pk,
        partnership_id=None,
        title=title,
        snippet=_snippet(organisation.also_known_as, organisation.description),
        url=organisation.get_absolute_url(),
        texts=(
            organisation.name,
            organisation.acronym,
            organisation.also_known_as,
            organisation.description,
            # A term only in a translation finds the organisation too.
            *(translation.description for translation in organisation.translations.all()),
        ),
    )


def partnership_entry(partnership: Partnership) -> EntryData:
    """Return the entry of a partnership: its title and description."""
    return EntryData(
        kind=Kind.PARTNERSHIP,
        object_id=partnership.pk,
        partnership_id=partnership.pk,
        title=partnership.title,
        snippet=_snippet(partnership.description),
        url=partnership.get_absolute_url(),
        texts=(
            partnership.title,
            partnership.description,
            *(translation.description for translation in partnership.translations.all()),
        ),
    )


def dialogue_entry(dialogue: Dialogue) -> EntryData:
    """Return the entry of a dialogue: its title, framing question and description."""
    return EntryData(
        kind=Kind.DIALOGUE,
        object_id=dialogue.pk,
        partnership_id=dialogue.partnership_id,
        title=dialogue.title,
        snippet=_snippet(dialogue.framing_question, dialogue.description),
        url=dialogue.get_absolute_url(),
        texts=(dialogue.title, dialogue.framing_question, dialogue.description),
    )


def statement_entry(statement: Statement) -> EntryData:
    """Return the entry of a statement: its sentence and details."""
    return EntryData(
        kind=Kind.STATEMENT,
        object_id=statement.pk,
        partnership_id=statement.dialogue.partnership_id,
        title=statement.text,
        snippet=_snippet(statement.dialogue.title),
        url=statement.get_absolute_url(),
        texts=(
            statement.text,
            statement.details,
            *(
                text
                for translation in statement.translations.all()
                for text in (translation.text, translation.details)
            ),
        ),
    )


def agenda_item_entry(item: AgendaItem) -> EntryData:
    """Return the entry of an agenda item: its text and theme in every language."""
    version = item.version
    dialogue = version.agenda.dialogue
    text, _is_original = item.text_in(item.original_language)
    return EntryData(
        kind=Kind.AGENDA_ITEM,
        object_id=item.pk,
        partnership_id=dialogue.partnership_id,
        title=text,
        snippet=_snippet(version.agenda.title, item.theme_in(item.original_language)),
        url=f"{version.get_absolute_url()}#item-{item.position}",
        texts=(*_json_texts(item.text), *_json_texts(item.theme)),
    )


def initiative_entry(initiative: Initiative) -> EntryData:
    """Return the entry of an initiative: its title, description and IATI identifier."""
    return EntryData(
        kind=Kind.INITIATIVE,
        object_id=initiative.pk,
        partnership_id=initiative.partnership_id,
        title=initiative.title,
        snippet=_snippet(initiative.description),
        url=initiative.get_absolute_url(),
        texts=(initiative.title, initiative.description, initiative.iati_identifier),
    )


def _vectors_update(entries: Iterable[int] | None = None) -> None:
    """Compute the stored full-text vectors on PostgreSQL (other databases have none)."""
    if connection.vendor != "postgresql":
        return
    rows = SearchEntry.objects.all()
    if entries is not None:
        rows = rows.filter(pk__in=list(entries))
    # unaccent also folds what the Python normalisation leaves (it has already run).
    rows.update(
        search_vector=SearchVector(
            Func(F("text"), function="unaccent", output_field=TextField()), config="simple"
        )
    )


def entry_store(data: EntryData) -> SearchEntry:
    """Create or replace the entry of one object."""
    row = data.row()
    entry, _created = SearchEntry.objects.update_or_create(
        kind=data.kind,
        object_id=data.object_id,
        defaults={
            "partnership_id": row.partnership_id,
            "title": row.title,
            "snippet": row.snippet,
            "url": row.url,
            "text": row.text,
        },
    )
    _vectors_update([entry.pk])
    return entry


def entry_remove(*, kind: str, object_ids: Iterable[int]) -> None:
    """Remove the entries of the objects of one kind."""
    SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def statement_index(statement: Statement) -> None:
    """Index a shown statement; a pending, hidden or merged one is never found."""
    if statement.is_shown:
        entry_store(statement_entry(statement))
    else:
        entry_remove(kind=Kind.STATEMENT, object_ids=[statement.pk])


def _latest_published(agenda_id: int) -> AgendaVersion | None:
    return (
        AgendaVersion.objects.filter(agenda_id=agenda_id, status=AgendaVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def _agenda_items(version: AgendaVersion) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(version=version).select_related(
        "version__agenda__dialogue__partnership"
    )


def agenda_index(agenda_id: int) -> None:
    """Index the items of the agenda's latest published version only: drafts are never found,
    and an item carried into a new version is found once."""
    stale = AgendaItem.objects.filter(version__agenda_id=agenda_id).values("pk")
    SearchEntry.objects.filter(kind=Kind.AGENDA_ITEM, object_id__in=stale).delete()
    if not Agenda.objects.filter(pk=agenda_id).exists():
        return
    version = _latest_published(agenda_id)
    if version is None:
        return
    for item in _agenda_items(version):
        entry_store(agenda_item_entry(item))


def partnership_contents_index(partnership: Partnership) -> None:
    """Index again what lives under the partnership, whose addresses follow its slug."""
    for dialogue in Dialogue.objects.filter(partnership=partnership).select_related("partnership"):
        dialogue_contents_index(dialogue)
        entry_store(dialogue_entry(dialogue))
    for initiative in Initiative.objects.filter(partnership=partnership).select_related(
        "partnership"
    ):
        entry_store(initiative_entry(initiative))


def dialogue_contents_index(dialogue: Dialogue) -> None:
    """Index again the dialogue's statements and agenda, whose addresses follow its slug."""
    for statement in (
        Statement.objects.shown()
        .filter(dialogue=dialogue)
        .select_related("dialogue__partnership")
        .prefetch_related("translations")
    ):
        entry_store(statement_entry(statement))
    agenda_id = Agenda.objects.filter(dialogue=dialogue).values_list("pk", flat=True).first()
    if agenda_id is not None:
        agenda_index(agenda_id)


def _all_entries() -> Iterator[EntryData]:
    organisations = Organisation.objects.prefetch_related("translations").order_by("pk")
    for organisation in organisations.iterator(BATCH_SIZE):
        yield organisation_entry(organisation)
    partnerships = Partnership.objects.prefetch_related("translations").order_by("pk")
    for partnership in partnerships.iterator(BATCH_SIZE):
        yield partnership_entry(partnership)
    for dialogue in Dialogue.objects.select_related("partnership").order_by("pk"):
        yield dialogue_entry(dialogue)
    statements = (
        Statement.objects.shown()
        .select_related("dialogue__partnership")
        .prefetch_related("translations")
    )
    for statement in statements.order_by("pk").iterator(BATCH_SIZE):
        yield statement_entry(statement)
    for agenda_id in Agenda.objects.order_by("pk").values_list("pk", flat=True):
        version = _latest_published(agenda_id)
        if version is not None:
            for item in _agenda_items(version):
                yield agenda_item_entry(item)
    for initiative in Initiative.objects.select_related("partnership").order_by("pk"):
        yield initiative_entry(initiative)


@transaction.atomic
def index_rebuild() -> int:
    """Replace the whole index with entries for everything search may find; return the count."""
    SearchEntry.objects.all().delete()
    batch: list[SearchEntry] = []
    count = 0
    for data in _all_entries():
        batch.append(data.row())
        if len(batch) >= BATCH_SIZE:
            SearchEntry.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)
    count += len(batch)
    _vectors_update()
    return count
