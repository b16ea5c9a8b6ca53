"""What a person is told: one row per notification, and how often they want each kind."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """Every kind of notification; a person chooses how often they get each kind."""

    MEMBERSHIP_REQUESTED = "membership_requested", _("Someone asks to join my organisation")
    MEMBERSHIP_DECIDED = "membership_decided", _("My request to join an organisation is decided")
    ORGANISATION_PARTNERSHIP = (
        "organisation_partnership",
        _("My organisation is added to or removed from a partnership"),
    )
    ORGANISATION_VERIFIED = "organisation_verified", _("My organisation is verified")
    INVITATION = "invitation", _("I am invited")
    PARTNERSHIP_REQUESTED = (
        "partnership_requested",
        _("An organisation asks to join a partnership I facilitate"),
    )
    PARTNERSHIP_DECIDED = (
        "partnership_decided",
        _("My organisation's request to join a partnership is decided"),
    )
    DIALOGUE_PHASE = "dialogue_phase", _("A dialogue I take part in changes phase")
    AGENDA_PUBLISHED = "agenda_published", _("An agenda version is published")
    REPLY = "reply", _("Someone replies to my statement or comment")
    STATEMENT_MODERATED = "statement_moderated", _("My statement is hidden or merged")
    ENDORSEMENT_REQUEST = "endorsement_request", _("My organisation is asked to endorse an agenda")


class Notification(models.Model):
    """One thing a person is told, shown in their language whenever it is read or mailed.

    ``message`` is the English source text of a translatable message with %(name)s
    placeholders; ``params`` fills them (names, titles: user content, kept as written).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    message = models.CharField(_("message"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # A path on this site ("/organisations/x/members/"); mail prefixes the configured address.
    url = models.CharField(_("address"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by mail, alone or in a digest.
    emailed_at = models.DateTimeField(null=True, blank=True)
    # A mail that failed: how many tries so far, and when the next one is due (None: no retry).
    mail_attempts = models.PositiveSmallIntegerField(default=0)
    mail_next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.recipient_id}"


class Preference(models.Model):
    """How often a person wants one kind of notification by mail (in-app ones always show)."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")
        NEVER = "never", _("Never")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="preference_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}: {self.frequency}"
