"""Initiatives that deliver a partnership's joint agenda: money, milestones, results, places.

An initiative is an IATI activity: its codes come from the IATI 2.03 codelists (see
``codelists.py``), money is a decimal amount with an ISO 4217 currency (never a float), and
the chain statement -> agenda item -> initiative runs through ``agenda_items``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from puente.agenda.models import AgendaItem
from puente.core.choices import ThemeCode
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation

from .codelists import codelist
from .geometry import validate_geometry

HUNDRED = Decimal("100")

# An IATI activity identifier: the reporting organisation's identifier, a hyphen, and the
# activity's own reference; letters, digits and - _ . : / only (IATI guidance).
IATI_IDENTIFIER = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9\-_.:/]{2,149}$",
    _("Use letters, digits and - _ . : / only, starting with a letter or digit (3 to 150)."),
)


@deconstructible
class CodelistValidator:
    """Accept only the codes of the named IATI codelist."""

    def __init__(self, list_name: str, label: str) -> None:
        self.list_name = list_name
        self.label = label

    def __call__(self, value: str) -> None:
        if value not in codelist(self.list_name):
            raise ValidationError(
                _("%(value)s is not a known %(label)s code."),
                code="unknown_code",
                params={"value": value, "label": self.label},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodelistValidator) and (self.list_name, self.label) == (
            other.list_name,
            other.label,
        )

    def __hash__(self) -> int:
        return hash((self.list_name, self.label))


validate_sector = CodelistValidator("Sector", "OECD-DAC sector")
validate_currency = CodelistValidator("Currency", "ISO 4217 currency")
validate_region_code = CodelistValidator("Region", "IATI region")


def _period_in_order(start: date | None, end: date | None) -> None:
    """Refuse, on the end field, a period that ends before it starts."""
    if start is not None and end is not None and end < start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Partnership members only")


class ActivityStatus(models.TextChoices):
    """IATI ActivityStatus (held equal to the codelist by the tests)."""

    PIPELINE = "1", _("Pipeline")
    IMPLEMENTATION = "2", _("Implementation")
    FINALISATION = "3", _("Finalisation")
    CLOSED = "4", _("Closed")
    CANCELLED = "5", _("Cancelled")
    SUSPENDED = "6", _("Suspended")


class OrganisationRole(models.TextChoices):
    """IATI OrganisationRole."""

    FUNDING = "1", _("Funding")
    ACCOUNTABLE = "2", _("Accountable")
    EXTENDING = "3", _("Extending")
    IMPLEMENTING = "4", _("Implementing")


class TransactionType(models.TextChoices):
    """The IATI TransactionType codes Puente records."""

    INCOMING_FUNDS = "1", _("Incoming funds")
    COMMITMENT = "2", _("Commitment")
    DISBURSEMENT = "3", _("Disbursement")
    EXPENDITURE = "4", _("Expenditure")
    INCOMING_COMMITMENT = "11", _("Incoming commitment")


class BudgetType(models.TextChoices):
    ORIGINAL = "1", _("Original")
    REVISED = "2", _("Revised")


class BudgetStatus(models.TextChoices):
    INDICATIVE = "1", _("Indicative")
    COMMITTED = "2", _("Committed")


class ResultType(models.TextChoices):
    OUTPUT = "1", _("Output")
    OUTCOME = "2", _("Outcome")
    IMPACT = "3", _("Impact")
    OTHER = "9", _("Other")


class IndicatorMeasure(models.TextChoices):
    UNIT = "1", _("Unit")
    PERCENTAGE = "2", _("Percentage")
    NOMINAL = "3", _("Nominal")
    ORDINAL = "4", _("Ordinal")
    QUALITATIVE = "5", _("Qualitative")


class DocumentCategory(models.TextChoices):
    """The IATI DocumentCategory codes Puente offers."""

    OBJECTIVES = "A02", _("Objectives / purpose of activity")
    PROGRESS = "A07", _("Review of project performance and evaluation")
    RESULTS = "A08", _("Results, outcomes and outputs")
    AGREEMENT = "A09", _("Memorandum of understanding")
    CONTRACT = "A11", _("Contract")
    OTHER = "A12", _("Activity web page")


class Initiative(models.Model):
    """A Global Gateway project (an IATI activity) that serves a partnership's agenda."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="initiatives"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    description = models.TextField(_("description"), max_length=10_000, blank=True)
    language = models.CharField(_("content language"), max_length=10, choices=settings.LANGUAGES)
    iati_identifier = models.CharField(
        _("IATI activity identifier"), max_length=150, unique=True, validators=[IATI_IDENTIFIER]
    )
    status = models.CharField(
        _("status"), max_length=2, choices=ActivityStatus.choices, default=ActivityStatus.PIPELINE
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    agenda_items = models.ManyToManyField(
        AgendaItem, related_name="initiatives", blank=True, verbose_name=_("agenda items")
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
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="initiative_slug_per_partnership"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="initiative_planned_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="initiative_actual_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "initiatives:initiative-detail",
            kwargs={"partnership_slug": self.partnership.slug, "slug": self.slug},
        )

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors.setdefault("planned_end", []).append(
                str(_("The planned end comes before the planned start."))
            )
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors.setdefault("actual_end", []).append(
                str(_("The actual end comes before the actual start."))
            )
        themes = self.themes if isinstance(self.themes, list) else None
        if themes is None or any(theme not in ThemeCode.values for theme in themes):
            errors.setdefault("themes", []).append(str(_("Choose themes from the list.")))
        if errors:
            raise ValidationError(errors)


class InitiativeShare(models.Model):
    """A code of an initiative with its percentage; the shares of a kind add up to 100.

    Each concrete share declares its initiative (for its related name), its code field (named
    by ``code_field``), its ordering and its constraints, under their own names.
    """

    code_field: ClassVar[str] = "code"

    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, self.code_field)} ({self.percentage} %)"


def _percentage_range(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(percentage__gt=0, percentage__lte=100), name=name)


class InitiativeSector(InitiativeShare):
    """An OECD-DAC 5-digit sector of the initiative, with its share (shares add up to 100)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="sectors")
    code = models.CharField(_("sector"), max_length=5, validators=[validate_sector])

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["-percentage", "code"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="initiative_sector_once"),
            _percentage_range("initiative_sector_percentage_range"),
        ]


class RecipientCountry(InitiativeShare):
    """A country the initiative benefits; with the regions, shares add up to 100."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="recipient_countries"
    )
    country = CountryField(_("country"))

    code_field = "country"

    class Meta:
        verbose_name = _("recipient country")
        verbose_name_plural = _("recipient countries")
        ordering = ["-percentage", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "country"], name="initiative_country_once"
            ),
            _percentage_range("initiative_country_percentage_range"),
        ]


class RecipientRegion(InitiativeShare):
    """An IATI region (OECD DAC, vocabulary 1) the initiative benefits."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="recipient_regions"
    )
    code = models.CharField(_("region"), max_length=5, validators=[validate_region_code])

    class Meta:
        verbose_name = _("recipient region")
        verbose_name_plural = _("recipient regions")
        ordering = ["-percentage", "code"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="initiative_region_once"),
            _percentage_range("initiative_region_percentage_range"),
        ]


class ParticipatingOrganisation(models.Model):
    """An organisation of the directory taking part in the initiative, in an IATI role."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="initiative_roles"
    )
    role = models.CharField(_("role"), max_length=1, choices=OrganisationRole.choices)
    # The organisation's IATI organisation identifier, when it has one (e.g. XI-IATI-EC_INTPA).
    iati_ref = models.CharField(
        _("IATI organisation identifier"), max_length=100, blank=True, validators=[IATI_IDENTIFIER]
    )

    class Meta:
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation", "role"], name="initiative_role_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Document(models.Model):
    """A document about the initiative, by link."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500)
    category = models.CharField(
        _("category"),
        max_length=3,
        choices=DocumentCategory.choices,
        default=DocumentCategory.OTHER,
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A step of the initiative, planned and (once reached) actual."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        REACHED = "reached", _("Reached")
        LATE = "late", _("Late")
        CANCELLED = "cancelled", _("Cancelled")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["planned_date", "pk"]

    def __str__(self) -> str:
        return self.title


class Result(models.Model):
    """An intended result of the initiative, measured by its indicators."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="results")
    type = models.CharField(
        _("type"), max_length=1, choices=ResultType.choices, default=ResultType.OUTPUT
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["type", "pk"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """How a result is measured: a unit, a baseline and, per period, target and actual."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(_("title"), max_length=200)
    measure = models.CharField(
        _("measure"), max_length=1, choices=IndicatorMeasure.choices, default=IndicatorMeasure.UNIT
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    ascending = models.BooleanField(_("higher is better"), default=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=18, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class IndicatorPeriod(models.Model):
    """An indicator's target and actual value over one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    actual = models.DecimalField(
        _("actual"), max_digits=18, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("indicator period")
        verbose_name_plural = _("indicator periods")
        ordering = ["period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="indicator_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start}..{self.period_end}"

    def clean(self) -> None:
        _period_in_order(self.period_start, self.period_end)

    @property
    def progress(self) -> Decimal | None:
        """Return how far the actual value has come from the baseline to the target, in %."""
        baseline = self.indicator.baseline_value or Decimal(0)
        if self.actual is None or self.target == baseline:
            return None
        share = (self.actual - baseline) / (self.target - baseline) * HUNDRED
        return max(Decimal(0), min(HUNDRED, share.quantize(Decimal("1"))))


class Place(models.Model):
    """Where the initiative is: a point (a data centre) or a line (a cable segment)."""

    class Kind(models.TextChoices):
        SITE = "site", _("Site")
        DATA_CENTRE = "data_centre", _("Data centre")
        LANDING_STATION = "landing_station", _("Landing station")
        CABLE = "cable", _("Cable segment")
        AREA = "area", _("Area")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SITE)
    geometry = models.JSONField(_("geometry (GeoJSON)"), validators=[validate_geometry])

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Budget(models.Model):
    """The money planned for the initiative over one period (an IATI budget)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="budgets")
    type = models.CharField(
        _("type"), max_length=1, choices=BudgetType.choices, default=BudgetType.ORIGINAL
    )
    status = models.CharField(
        _("status"), max_length=1, choices=BudgetStatus.choices, default=BudgetStatus.INDICATIVE
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(
        _("amount"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    value_date = models.DateField(_("value date"))

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="budget_period_in_order"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="budget_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.currency}"

    def clean(self) -> None:
        _period_in_order(self.period_start, self.period_end)


class Transaction(models.Model):
    """Money that moved (or was committed) for the initiative, between two organisations."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="transactions"
    )
    type = models.CharField(_("type"), max_length=2, choices=TransactionType.choices)
    date = models.DateField(_("date"))
    value = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    value_date = models.DateField(_("value date"))
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions_provided",
        verbose_name=_("provider"),
    )
    receiver = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions_received",
        verbose_name=_("receiver"),
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    # The conversion to EUR at the reference rate of the value date, kept by
    # services.transactions_convert whenever the transaction or the rates change: null when
    # no rate is known. Stored so that totals over a million transactions are plain sums.
    rate = models.DecimalField(
        _("units per euro"), max_digits=20, decimal_places=10, null=True, editable=False
    )
    eur = models.DecimalField(
        _("amount in EUR"), max_digits=24, decimal_places=2, null=True, editable=False
    )

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["date", "pk"]
        indexes = [
            models.Index(fields=["initiative", "type", "date"]),
            models.Index(fields=["provider", "type"]),
        ]
        constraints = [
            # Commitments, disbursements and incoming money are positive; IATI allows a
            # negative expenditure (a correction) only.
            models.CheckConstraint(
                condition=Q(value__gt=0) | Q(type=TransactionType.EXPENDITURE),
                name="transaction_value_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.value} {self.currency}"

    def clean(self) -> None:
        # None when the form left it empty: the field's own check reports that.
        value: Decimal | None = self.value
        if isinstance(value, Decimal) and not value.is_finite():
            return  # NaN cannot be compared: the field's own check reports it
        if value is not None and value <= 0 and self.type != TransactionType.EXPENDITURE:
            raise ValidationError({"value": _("The amount must be more than zero.")})


class ExchangeRate(models.Model):
    """How many units of a currency one euro bought on a date (a reference rate)."""

    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    date = models.DateField(_("date"))
    rate = models.DecimalField(
        _("units per euro"),
        max_digits=20,
        decimal_places=10,
        validators=[MinValueValidator(Decimal("0.0000000001"))],
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_once"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 EUR = {self.rate} {self.currency} ({self.date})"


class Pledge(models.Model):
    """A promise an organisation made to the partnership: money, staff, data or a service."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        STAFF = "staff", _("Staff")
        DATA = "data", _("Data")
        SERVICE = "service", _("A service")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        LATE = "late", _("Late")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="pledges")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="pledges")
    initiative = models.ForeignKey(
        Initiative, on_delete=models.SET_NULL, null=True, blank=True, related_name="pledges"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("what was promised"), max_length=500)
    amount = models.DecimalField(
        _("amount"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    made_at = models.CharField(_("event or agenda version"), max_length=200, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="money") | (Q(amount__isnull=False) & ~Q(currency="")),
                name="pledge_money_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        if self.kind == self.Kind.MONEY and (self.amount is None or not self.currency):
            raise ValidationError(
                {"amount": _("A pledge of money needs an amount and a currency.")}
            )
