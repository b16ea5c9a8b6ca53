"""Dialogues held inside a partnership, and who takes part in them and for whom."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from puente.core.choices import Region, StakeholderType
from puente.core.content_language import Shown, Text, content_choose
from puente.core.fields import FastJSONField
from puente.core.models import ContentTranslation
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
        INVITED = "invited", _("Invited people")

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
    # With pre-moderation, a participant's statement waits for a facilitator before it shows.
    pre_moderation = models.BooleanField(_("pre-moderation"), default=False)
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
                condition=Q(participation__in=["members", "signed_in", "invited"]),
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


class DialogueInvitation(models.Model):
    """An e-mail address a facilitator invited to a dialogue open to invited people only.

    The person whose verified e-mail address it is may take part, for one of their
    organisations or as an individual.
    """

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dialogue invitation")
        verbose_name_plural = _("dialogue invitations")
        ordering = ["dialogue", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "dialogue", name="dialogue_invitation_unique_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.dialogue}"


class StatementQuerySet(models.QuerySet["Statement"]):
    def shown(self) -> "StatementQuerySet":
        """Return the statements everyone sees: published, not hidden, merged or waiting."""
        return self.filter(status=Statement.Status.PUBLISHED)

    def _prefetch_related_objects(self) -> None:
        """Prefetch as Django does, reading translations only for statements that have some.

        A statement annotated ``n_translations=0`` gets an empty list of them at once; when
        none on a page has any (most pages), the translations query is not run at all.
        """
        lookups = getattr(self, "_prefetch_related_lookups", ())
        if "translations" in lookups and self._result_cache:
            none: models.QuerySet[StatementTranslation] | None = None
            for statement in self._result_cache:
                if getattr(statement, "n_translations", None) != 0:
                    continue
                if none is None:
                    none = StatementTranslation.objects.none()
                    none._result_cache = []
                    none._prefetch_done = True  # type: ignore[attr-defined]  # as Django's own
                cache = statement.__dict__.setdefault("_prefetched_objects_cache", {})
                cache["translations"] = none
        super()._prefetch_related_objects()  # type: ignore[misc]


class Statement(models.Model):
    """What people vote on: one short sentence, with optional details in Markdown."""

    class Kind(models.TextChoices):
        EXPECTATION = "expectation", _("Expectation")
        OPPORTUNITY = "opportunity", _("Opportunity")
        PROPOSAL = "proposal", _("Proposal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")
        MERGED = "merged", _("Merged into another statement")

    MAX_LENGTH = 300

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("statement"), max_length=MAX_LENGTH)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Markdown, rendered and sanitised on display.
    details = models.TextField(_("details"), max_length=5000, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # Kept when the person is deleted, without its author.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_statements",
        verbose_name=_("author"),
    )
    # The organisation the author spoke for; empty for an individual.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_statements",
        verbose_name=_("organisation"),
    )
    # Seeded by a facilitator to start the conversation.
    is_seed = models.BooleanField(_("seed statement"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    # Shown to the author when the statement is hidden.
    moderation_reason = models.CharField(_("reason"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_statements",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["dialogue", "created_at", "pk"]
        indexes = [
            models.Index(fields=["dialogue", "status"], name="statement_dialogue_status"),
            # The lists' order (newest or oldest first): a page of twenty reads twenty rows,
            # and their vote counts, instead of sorting every statement after counting all.
            models.Index(
                fields=["dialogue", "created_at", "id"], name="statement_dialogue_created"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["expectation", "opportunity", "proposal"]),
                name="statement_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "published", "hidden", "merged"]),
                name="statement_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="statement_merged_names_survivor",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="statement_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        dialogue = self.dialogue
        return reverse(
            "dialogues:statement-detail",
            kwargs={
                "partnership_slug": dialogue.partnership.slug,
                "slug": dialogue.slug,
                "pk": self.pk,
            },
        )

    @property
    def is_shown(self) -> bool:
        """Return whether everyone sees the statement and it counts in the results."""
        return self.status == self.Status.PUBLISHED

    def shown_in(self, reader_language: str) -> Shown:
        """Return the statement as a reader of the language sees it (prefetch translations)."""
        return content_choose(
            reader_language=reader_language,
            original=Text(self.text, self.details),
            original_language=self.language,
            translations={
                translation.language: Text(
                    translation.text, translation.details, updated_at=translation.updated_at
                )
                for translation in self.translations.all()
            },
        )


class StatementTranslation(ContentTranslation):
    """A translation of a statement and its details into another language."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="translations")
    text = models.CharField(_("statement"), max_length=Statement.MAX_LENGTH)
    details = models.TextField(_("details"), max_length=5000, blank=True)

    class Meta(ContentTranslation.Meta):
        verbose_name = _("statement translation")
        verbose_name_plural = _("statement translations")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "language"], name="statement_translation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.text[:60]} [{self.language}]"


class Comment(models.Model):
    """A remark on a statement, or a reply to one (one level of replies only)."""

    MAX_LENGTH = 2000

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="comments")
    # A reply names the comment it answers, which is never itself a reply.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_comments",
    )
    text = models.TextField(_("comment"), max_length=MAX_LENGTH)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    moderation_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["statement", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Flag(models.Model):
    """A participant's report that a statement or a comment needs a facilitator's look."""

    class Reason(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate of another statement")
        OFF_TOPIC = "off_topic", _("Off topic")
        OFFENSIVE = "offensive", _("Offensive or abusive")
        SPAM = "spam", _("Spam or advertising")
        OTHER = "other", _("Something else")

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_flags"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a facilitator acted on the flag or dismissed it.
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statement__isnull=False, comment__isnull=True)
                | Q(statement__isnull=True, comment__isnull=False),
                name="flag_names_statement_or_comment",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["duplicate", "off_topic", "offensive", "spam", "other"]),
                name="flag_reason_known",
            ),
            models.UniqueConstraint(
                fields=["person", "statement"],
                condition=Q(statement__isnull=False),
                name="flag_once_per_person_and_statement",
            ),
            models.UniqueConstraint(
                fields=["person", "comment"],
                condition=Q(comment__isnull=False),
                name="flag_once_per_person_and_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} by {self.person}"


class Vote(models.Model):
    """A person's current vote on a statement; every change is kept in VoteChange."""

    class Choice(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass / unsure")

    # Repeated from the statement so that one index scan reads a dialogue's votes. The
    # dialogue and the participant need no index of their own: the composite index and the
    # unique constraint below start with them (one index fewer to write on every vote).
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dialogue_votes",
        db_index=False,
    )
    choice = models.SmallIntegerField(_("vote"), choices=Choice.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        indexes = [
            models.Index(fields=["dialogue", "participant"], name="vote_dialogue_participant")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="vote_unique_per_participant"
            ),
            models.CheckConstraint(condition=Q(choice__in=[-1, 0, 1]), name="vote_choice_known"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} on {self.statement_id}: {self.choice}"


class VoteChange(models.Model):
    """One vote as it was cast: the history behind each person's current vote."""

    # Indexed by the composite index below, which starts with it.
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="vote_changes", db_index=False
    )
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="vote_changes")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_vote_changes"
    )
    choice = models.SmallIntegerField(_("vote"), choices=Vote.Choice.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote change")
        verbose_name_plural = _("vote changes")
        ordering = ["pk"]
        indexes = [models.Index(fields=["dialogue", "id"], name="vote_change_dialogue_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__in=[-1, 0, 1]), name="vote_change_choice_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} on {self.statement_id}: {self.choice}"


class Comparison(models.Model):
    """A person's answer to "which should come first?" between two statements.

    The pair is stored in one order (the lower id first) so that a person answers each pair
    once; the answer says which of the two came first, or that they could not decide.
    """

    class Choice(models.TextChoices):
        FIRST = "first", _("The first statement")
        SECOND = "second", _("The second statement")
        UNDECIDED = "undecided", _("Can't decide")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="comparisons")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_comparisons"
    )
    first = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(_("answer"), max_length=10, choices=Choice.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("comparison")
        verbose_name_plural = _("comparisons")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "first", "second"],
                name="comparison_unique_per_participant_and_pair",
            ),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="comparison_pair_in_order"
            ),
            models.CheckConstraint(
                condition=Q(choice__in=["first", "second", "undecided"]),
                name="comparison_choice_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.first_id} vs {self.second_id}: {self.choice}"


class ResultSnapshot(models.Model):
    """The engine's result for a dialogue at one moment, which the pages and API read."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="snapshots")
    # The engine's result (AnalysisResult.to_dict()), with statement ids as text.
    result = FastJSONField(_("result"))
    n_votes = models.PositiveIntegerField(_("votes"))
    n_participants = models.PositiveIntegerField(_("participants"))
    n_comparisons = models.PositiveIntegerField(_("comparisons"), default=0)
    # The last VoteChange and Comparison counted: what came after is "since".
    last_vote_change_id = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField(_("computed at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    ranking_method = models.CharField(_("ranking method"), max_length=30)

    class Meta:
        verbose_name = _("results snapshot")
        verbose_name_plural = _("results snapshots")
        ordering = ["dialogue", "-computed_at", "-pk"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"{self.dialogue} at {self.computed_at:%Y-%m-%d %H:%M:%S}"
