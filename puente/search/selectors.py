"""Reading the search index: the entries that match a query and that the viewer may see."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Count, Q, QuerySet

from puente.agenda.models import AgendaItem, AgendaVersion
from puente.core.permissions import Viewer
from puente.dialogues.models import Dialogue, Statement
from puente.initiatives.selectors import initiatives_visible_to
from puente.partnerships.models import Partnership

from .models import Kind, SearchEntry
from .text import query_words

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8


@dataclass(frozen=True)
class SearchQueryText:
    """A query as typed and the normalised words it searches for."""

    text: str
    words: tuple[str, ...]

    @property
    def is_usable(self) -> bool:
        """Return whether the query has enough to search for."""
        return sum(len(word) for word in self.words) >= MIN_QUERY_LENGTH


def search_query_parse(text: str) -> SearchQueryText:
    """Return the query trimmed to its maximum length, with its words normalised."""
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    return SearchQueryText(text=text, words=tuple(query_words(text, max_words=MAX_WORDS)))


def _visible(viewer: Viewer) -> Q:
    """Return the condition for entries whose object the viewer may see, each kind by the
    rules of its own app; statements only when shown, agenda items only when published."""
    dialogues = Dialogue.objects.visible_to(viewer).values("pk")
    statements = Statement.objects.shown().filter(dialogue__in=dialogues).values("pk")
    agenda_items = AgendaItem.objects.filter(
        version__status=AgendaVersion.Status.PUBLISHED, version__agenda__dialogue__in=dialogues
    ).values("pk")
    return (
        # Every organisation is public.
        Q(kind=Kind.ORGANISATION)
        | Q(
            kind=Kind.PARTNERSHIP,
            object_id__in=Partnership.objects.visible_to(viewer).values("pk"),
        )
        | Q(kind=Kind.DIALOGUE, object_id__in=dialogues)
        | Q(kind=Kind.STATEMENT, object_id__in=statements)
        | Q(kind=Kind.AGENDA_ITEM, object_id__in=agenda_items)
        | Q(kind=Kind.INITIATIVE, object_id__in=initiatives_visible_to(viewer).values("pk"))
    )


def _matching(words: tuple[str, ...]) -> Q:
    """Return the condition that every word starts a word of the entry's text."""
    if connection.vendor == "postgresql":
        # Normalised words are letters and digits only: safe in a raw tsquery.
        raw = " & ".join(f"{word}:*" for word in words)
        return Q(search_vector=SearchQuery(raw, search_type="raw", config="simple"))
    condition = Q()
    for word in words:
        condition &= Q(text__contains=f" {word}")
    return condition


def search_entry_list(
    *, query: SearchQueryText, viewer: Viewer, kind: str = ""
) -> QuerySet[SearchEntry]:
    """Return the entries matching every word of the query that the viewer may see."""
    if not query.is_usable:
        return SearchEntry.objects.none()
    entries = SearchEntry.objects.filter(_matching(query.words)).filter(_visible(viewer))
    if kind:
        entries = entries.filter(kind=kind)
    return entries.only("kind", "object_id", "title", "snippet", "url").order_by("title", "pk")


def search_counts(entries: QuerySet[SearchEntry]) -> dict[str, int]:
    """Return how many entries there are of each kind, in the kinds' order, none left out."""
    found = dict(
        entries.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    return {kind: found.get(kind, 0) for kind in Kind.values}
