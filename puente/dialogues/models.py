"""Dialogues held inside a partnership, and who takes part in them and for whom."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from puente.core.choices import Region, StakeholderType
from puente.core.permissions import Viewer
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation


class Phase(models.TextChoices):
    """The stages of a dialogue, in the order they follow each other."""

    CONTRIBUTE = "contribute", _("Contribute")
    DELIBERATE = "deliberate", _("Deliberate")
    PRIORITISE = "prioritise", _("Prioritise")
    CLOSED = "closed", _("Closed")


# Each phase's start date, in phase order: (field name, phase it starts).
PHASE_DATES: tuple[tuple[str, Phase], ...] = (
    ("contribute_starts_at", Phase.CONTRIBUTE),
    ("deliberate_starts_at", Phase.DELIBERATE),
    ("prioritise_starts_at", Phase.PRIORITISE),
    ("closes_at", Phase.CLOSED),
)


def _dates_in_order() -> list[models.CheckConstraint]:
    """Return one constraint per pair of dates: the earlier phase starts first, if both are set."""
    constraints = []
    names = [name for name, _phase in PHASE_DATES]
    for i, earlier in enumerate(names):
        for later in names[i + 1 :]:
            constraints.append(
                models.CheckConstraint(
                    condition=Q(**{f"{earlier}__isnull": True})
                    | Q(**{f"{later}__isnull": True})
                    | Q(**{f"{earlier}__lt": models.F(later)}),
                    name=f"dialogue_{earlier}_before_{later}",
                )
            )
    return constraints


def validate_languages(value: object) -> None:
    """Refuse anything but a non-empty list of the site's language codes."""
    codes = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one language."), code="required")
    unknown = [str(code) for code in value if code not in codes]
    if unknown:
        raise ValidationError(
            _("Unknown language: %(codes)s."), code="invalid", params={"codes": ", ".join(unknown)}
        )


class DialogueQuerySet(models.QuerySet["Dialogue"]):
    def visible_to(self, viewer: Viewer) -> "DialogueQuerySet":
        """Return the dialogues of the partnerships the viewer may read."""
        return self.filter(partnership__in=Partnership.objects.visible_to(viewer).values("pk"))


class Dialogue(models.Model):
    """A facilitated conversation of a partnership that moves through phases."""

    class Audience(models.TextChoices):
        MEMBERS = "members", _("People of the partnership's member organisations")
        SIGNED_IN = "signed_in", _("Any signed-in person")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="dialogues",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    framing_question = models.CharField(_("framing question"), max_length=500)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    languages = models.JSONField(_("languages"), default=list, validators=[validate_languages])
    participation = models.CharField(
        _("who may take part"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.MEMBERS,
    )
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.CONTRIBUTE
    )
    # When the phase above was set: only the dates after it move the dialogue on.
    phase_set_at = models.DateTimeField(_("phase set at"), default=timezone.now)
    contribute_starts_at = models.DateTimeField(_("contributions open"), null=True, blank=True)
    deliberate_starts_at = models.DateTimeField(_("deliberation starts"), null=True, blank=True)
    prioritise_starts_at = models.DateTimeField(_("prioritisation starts"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DialogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="dialogue_slug_unique_per_partnership"
            ),
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values), name="dialogue_phase_known"
            ),
            models.CheckConstraint(
                condition=Q(participation__in=["members", "signed_in"]),
                name="dialogue_participation_known",
            ),
            *_dates_in_order(),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "dialogues:dialogue-detail",
            kwargs={"partnership_slug": self.partnership.slug, "slug": self.slug},
        )

    def clean(self) -> None:
        """Check that each phase's date comes after the dates of the phases before it."""
        errors: dict[str, ValidationError] = {}
        earlier: list[str] = []
        for name, _phase in PHASE_DATES:
            value = getattr(self, name)
            if value is None:
                continue
            if any(getattr(self, before) >= value for before in earlier):
                errors[name] = ValidationError(
                    _("This date must come after the dates of the earlier phases."),
                    code="date_order",
                )
            earlier.append(name)
        if errors:
            raise ValidationError(errors)


class Participation(models.Model):
    """A person's part in a dialogue: for one of their organisations or as an individual."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_participations"
    )
    # Kept when the organisation is deleted: region, country and type stay as they were.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_participations",
    )
    region = models.CharField(_("region"), max_length=8, choices=Region.choices, blank=True)
    country = CountryField(_("country"), blank=True)
    # Empty for a person taking part as an individual.
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=20, choices=StakeholderType.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["dialogue", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "person"], name="participation_unique_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.dialogue}"

    @property
    def is_individual(self) -> bool:
        """Return whether the person takes part for no organisation."""
        return self.organisation_id is None and not self.stakeholder_type
