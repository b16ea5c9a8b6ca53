import secrets
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from puente.core.content_language import TranslatedDescription
from puente.core.models import ContentTranslation
from puente.core.names import constraint_error_on_field
from puente.core.permissions import Viewer, is_platform_admin
from puente.stakeholders.models import Organisation


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def visible_to(self, viewer: Viewer) -> "PartnershipQuerySet":
        """Return the partnerships the viewer may read: public ones and their own."""
        if is_platform_admin(viewer):
            return self
        public = models.Q(visibility=Partnership.Visibility.PUBLIC)
        if not getattr(viewer, "is_authenticated", False):
            return self.filter(public)
        # From the whole table, not self: a related manager (organisation.partnerships) makes
        # the next filter share its join, which would narrow "member of any member
        # organisation" to "member of this one".
        ids = Partnership.objects.belonging_to(viewer).values("pk")
        return self.filter(public | models.Q(pk__in=ids))

    def belonging_to(self, person: Viewer) -> "PartnershipQuerySet":
        """Return the partnerships the person facilitates or belongs to through an
        organisation they are an active member of (none for a visitor)."""
        if not getattr(person, "is_authenticated", False):
            return self.none()
        return self.filter(
            models.Q(facilitators=person)
            | models.Q(
                organisations__memberships__person=person,
                organisations__memberships__status="active",
            )
        ).distinct()


class Partnership(TranslatedDescription, models.Model):
    """A space where organisations and facilitators work together on a digital agenda."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")

    title = models.CharField(_("title"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    description_language = models.CharField(
        _("language of the description"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the description is written in; translations add others."),
    )
    regions = models.JSONField(_("regions"), default=list, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    is_discoverable = models.BooleanField(
        _("discoverable"),
        default=False,
        help_text=_(
            "For a members-only partnership: people outside it who open its address see its "
            "title and can ask for their organisation to join. Otherwise the page is not found."
        ),
    )
    organisations: "models.ManyToManyField[Organisation, PartnershipMember]" = (
        models.ManyToManyField(
            Organisation,
            through="PartnershipMember",
            related_name="partnerships",
            verbose_name=_("member organisations"),
        )
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="facilitated_partnerships",
        blank=True,
        verbose_name=_("facilitators"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["title"]
        constraints = [
            # The services compare titles case-folded and by look-alikes; this is the last line.
            models.UniqueConstraint(
                Lower("title"),
                name="partnership_title_unique_any_case",
                violation_error_code="title_taken",
                violation_error_message=_("This title cannot be used: choose another."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:partnership-detail", kwargs={"slug": self.slug})

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """Check the constraints; a title taken in another case is an error of the title."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise constraint_error_on_field(error, code="title_taken", field="title") from error


class PartnershipTranslation(ContentTranslation):
    """A translation of a partnership's description into another language."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="translations"
    )
    description = models.TextField(_("description"), max_length=10000)

    class Meta(ContentTranslation.Meta):
        verbose_name = _("description translation")
        verbose_name_plural = _("description translations")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "language"], name="partnership_translation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} [{self.language}]"


class PartnershipMember(models.Model):
    """An organisation's membership of a partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="member_links"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnership_links"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partnership_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class FacilitatorInvitation(models.Model):
    """A facilitator's invitation, sent by e-mail, to facilitate the partnership too."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="facilitator_invitations"
    )
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("facilitator invitation")
        verbose_name_plural = _("facilitator invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "email"],
                condition=Q(accepted_at__isnull=True, declined_at__isnull=True),
                name="facilitator_invitation_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(declined_at__isnull=True),
                name="facilitator_invitation_accepted_or_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.partnership}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:facilitator-invitation-answer", kwargs={"token": self.token})

    @property
    def is_open(self) -> bool:
        """Return whether the invitation still waits for an answer."""
        return self.accepted_at is None and self.declined_at is None


class PartnershipJoinRequest(models.Model):
    """An organisation's request, made by one of its admins, to join a partnership."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="join_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnership_join_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decision_reason = models.TextField(_("reason"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request to join a partnership")
        verbose_name_plural = _("requests to join a partnership")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(status="pending"),
                name="partnership_join_request_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "declined", "withdrawn"]),
                name="partnership_join_request_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.partnership} ({self.status})"

    @property
    def is_pending(self) -> bool:
        """Return whether the request still waits for a decision."""
        return self.status == self.Status.PENDING
