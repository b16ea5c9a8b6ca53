"""The search index: one entry per searchable object, with its text normalised."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from puente.partnerships.models import Partnership

from .fields import SearchVectorColumn


class Kind(models.TextChoices):
    # In the order the results are shown.
    ORGANISATION = "organisation", _("Organisations")
    PARTNERSHIP = "partnership", _("Partnerships")
    DIALOGUE = "dialogue", _("Dialogues")
    STATEMENT = "statement", _("Statements")
    AGENDA_ITEM = "agenda_item", _("Agenda items")
    INITIATIVE = "initiative", _("Initiatives")


class SearchEntry(models.Model):
    """What search finds of one organisation, partnership, dialogue, statement, agenda item
    or initiative; who may see it is decided by its own app when searching."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    # Empty for organisations, which belong to no partnership.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    snippet = models.CharField(_("snippet"), max_length=300, blank=True)
    url = models.CharField(_("address"), max_length=500)
    # Every name, title and text of the object, in every language, normalised (see text.py),
    # with a space before each word so that a word's start can be matched with LIKE.
    text = models.TextField(_("searchable text"))
    # PostgreSQL only: the text's lexemes (unaccented, 'simple' configuration), GIN-indexed.
    search_vector = SearchVectorColumn(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["kind", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
