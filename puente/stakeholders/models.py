import secrets
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from puente.core.choices import Region, StakeholderType
from puente.core.content_language import TranslatedDescription
from puente.core.models import ContentTranslation, Theme
from puente.core.names import constraint_error_on_field
from puente.core.validators import validate_logo


class Organisation(TranslatedDescription, models.Model):
    """A stakeholder: a ministry, regulator, company, NGO, university or agency."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    also_known_as = models.CharField(
        _("also known as"),
        max_length=300,
        blank=True,
        help_text=_(
            "Other names and acronyms, in any language, separated by commas "
            "(for example: CEPAL, CEPALC)."
        ),
    )
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=20, choices=StakeholderType.choices
    )
    region = models.CharField(_("region"), max_length=8, choices=Region.choices)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    description_language = models.CharField(
        _("language of the description"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the description is written in; translations add others."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="organisations", blank=True
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True, validators=[validate_logo])
    is_verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Set by platform admins only.")
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

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["region", "stakeholder_type"])]
        constraints = [
            # The services compare names case-folded and by look-alikes; this is the last line.
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_unique_any_case",
                violation_error_code="name_taken",
                violation_error_message=_("An organisation with this name is already registered."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:organisation-detail", kwargs={"slug": self.slug})

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """Check the constraints; a name taken in another case is an error of the name."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise constraint_error_on_field(error, code="name_taken", field="name") from error


class OrganisationTranslation(ContentTranslation):
    """A translation of an organisation's description into another language."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="translations"
    )
    description = models.TextField(_("description"), max_length=5000)

    class Meta(ContentTranslation.Meta):
        verbose_name = _("description translation")
        verbose_name_plural = _("description translations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language"], name="organisation_translation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} [{self.language}]"


class Membership(models.Model):
    """A person's place in an organisation: requested, then active as member or admin."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Administrator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Requested")
        ACTIVE = "active", _("Active")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "person__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"], name="membership_unique_per_person"
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(role="member"),
                name="membership_admin_is_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation}"

    @property
    def is_active(self) -> bool:
        """Return whether the membership has been approved."""
        return self.status == self.Status.ACTIVE


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An organisation admin's invitation, sent by e-mail, to join as a member."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:invitation-accept", kwargs={"token": self.token})
