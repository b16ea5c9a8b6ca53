"""The joint agenda a dialogue leads to: versions, their items and evidence, endorsements."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from puente.dialogues.models import Dialogue, Statement
from puente.stakeholders.models import Organisation


class Agenda(models.Model):
    """The joint agenda of one dialogue: its drafts and published versions."""

    dialogue = models.OneToOneField(
        Dialogue, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("dialogue")
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "agenda:agenda-detail",
            kwargs={
                "partnership_slug": self.dialogue.partnership.slug,
                "slug": self.dialogue.slug,
            },
        )


class AgendaVersion(models.Model):
    """One version of an agenda: a draft being edited, or a published, unchangeable version.

    A published version keeps the evidence of the results it was published from, so that
    what the agenda stood on stays readable after the votes move on.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="versions")
    # Numbered 1, 2, ... when published; a draft has no number yet.
    number = models.PositiveIntegerField(_("version"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # What the facilitators say changed, shown with the version.
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # The results snapshot the items' evidence comes from: id, time, method, counts.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("agenda version")
        verbose_name_plural = _("agenda versions")
        ordering = ["agenda", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda"], condition=Q(status="draft"), name="agenda_one_draft"
            ),
            models.UniqueConstraint(
                fields=["agenda", "number"], name="agenda_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", number__isnull=True, published_at__isnull=True)
                | Q(status="published", number__isnull=False, published_at__isnull=False),
                name="agenda_version_published_has_number_and_time",
            ),
        ]

    def __str__(self) -> str:
        if self.number is None:
            return f"{self.agenda} (draft)"
        return f"{self.agenda} v{self.number}"

    def get_absolute_url(self) -> str:
        dialogue = self.agenda.dialogue
        kwargs: dict[str, Any] = {
            "partnership_slug": dialogue.partnership.slug,
            "slug": dialogue.slug,
        }
        if self.number is None:
            return reverse("agenda:draft", kwargs=kwargs)
        return reverse("agenda:version-detail", kwargs={**kwargs, "number": self.number})

    @property
    def is_published(self) -> bool:
        """Return whether the version is published, and so can no longer change."""
        return self.status == self.Status.PUBLISHED


class AgendaItem(models.Model):
    """One priority of an agenda version, in the partnership's languages, with its evidence."""

    MAX_LENGTH = 1000
    MAX_THEME_LENGTH = 200

    version = models.ForeignKey(AgendaVersion, on_delete=models.CASCADE, related_name="items")
    # 1, 2, ... within the version.
    position = models.PositiveIntegerField(_("position"))
    # The same for an item and its copies in later versions: how versions are compared.
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False)
    # The heading the item is grouped under, by language ({"en": "...", "es": "..."}).
    theme = models.JSONField(_("theme"), default=dict, blank=True)
    # The item's text by language; the original language always has one.
    text = models.JSONField(_("text"))
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES
    )
    statements = models.ManyToManyField(
        Statement, related_name="agenda_items", blank=True, verbose_name=_("statements")
    )
    # Support by region and stakeholder type, joint support, consensus and rank of the
    # statement that leads the item, as the results showed them.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="agenda_item_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.text.get(self.original_language, ""))[:80]

    def text_in(self, language: str) -> tuple[str, bool]:
        """Return the text in the language, or the original; and whether it is the original."""
        given = str(self.text.get(language) or "")
        if given:
            return given, False
        return str(self.text.get(self.original_language, "")), language != self.original_language

    def theme_in(self, language: str) -> str:
        """Return the theme heading in the language, else in the original language, else ''."""
        return str(self.theme.get(language) or self.theme.get(self.original_language) or "")


class Endorsement(models.Model):
    """An organisation's support for a published agenda version, until it is withdrawn."""

    version = models.ForeignKey(
        AgendaVersion, on_delete=models.CASCADE, related_name="endorsements"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="agenda_endorsements"
    )
    # The organisation admin who endorsed; kept without them when their account goes.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["version", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="endorsement_one_active_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} endorses {self.version}"

    @property
    def is_active(self) -> bool:
        """Return whether the endorsement still stands."""
        return self.withdrawn_at is None
