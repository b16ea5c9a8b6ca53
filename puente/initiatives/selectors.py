"""Reads of initiatives: visibility, filters, and money in EUR summed by the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from puente.core.choices import Region, ThemeCode
from puente.core.permissions import Viewer, is_platform_admin, is_signed_in
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Membership, Organisation

from .models import (
    ExchangeRate,
    Initiative,
    InitiativeSector,
    OrganisationRole,
    ParticipatingOrganisation,
    Place,
    Pledge,
    RecipientCountry,
    Transaction,
    TransactionType,
    Visibility,
)

EUR = "EUR"
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=24, decimal_places=2)
# Team Europe's initial contribution to the EU-LAC Digital Alliance, announced at its launch.
TEAM_EUROPE_INITIAL_EUR = Decimal("145000000")
SEARCH_MAX_LENGTH = 100


def initiatives_visible_to(viewer: Viewer) -> QuerySet[Initiative]:
    """Return the initiatives the viewer may read (see permissions.can_view_initiative)."""
    initiatives = Initiative.objects.all()
    if is_platform_admin(viewer):
        return initiatives
    partnerships = Partnership.objects.visible_to(viewer)
    initiatives = initiatives.filter(partnership__in=partnerships.values("pk"))
    public = Q(visibility=Visibility.PUBLIC)
    if not is_signed_in(viewer):
        return initiatives.filter(public)
    member_of = Partnership.objects.filter(
        Q(facilitators=viewer)
        | Q(
            organisations__memberships__person=viewer,
            organisations__memberships__status=Membership.Status.ACTIVE,
        )
    ).values("pk")
    return initiatives.filter(public | Q(partnership__in=member_of))


def transactions_in_eur(transactions: QuerySet[Transaction]) -> QuerySet[Transaction]:
    """Annotate each transaction with eur (its amount in EUR) and rate (units per euro)."""
    rate = Subquery(
        ExchangeRate.objects.filter(currency=OuterRef("currency"), date__lte=OuterRef("value_date"))
        .order_by("-date")
        .values("rate")[:1]
    )
    return transactions.annotate(
        rate=Case(When(currency=EUR, then=Value(Decimal(1))), default=rate, output_field=MONEY),
    ).annotate(
        eur=Case(
            When(currency=EUR, then=F("value")),
            default=ExpressionWrapper(F("value") / F("rate"), output_field=MONEY),
            output_field=MONEY,
        )
    )


def _total(initiative_ref: Any, *types: str) -> Coalesce:
    """Return a subquery: the initiative's transactions of the types, summed in EUR."""
    rows = (
        transactions_in_eur(Transaction.objects.filter(initiative=initiative_ref, type__in=types))
        .order_by()
        .values("initiative")
        .annotate(total=Sum("eur"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)


def with_money(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """Annotate committed_eur and disbursed_eur (disbursements plus expenditure)."""
    return initiatives.annotate(
        committed_eur=_total(OuterRef("pk"), TransactionType.COMMITMENT),
        disbursed_eur=_total(
            OuterRef("pk"), TransactionType.DISBURSEMENT, TransactionType.EXPENDITURE
        ),
    )


@dataclass(frozen=True)
class PortfolioFilters:
    """What a portfolio list is narrowed by; every field optional."""

    q: str = ""
    status: str = ""
    country: str = ""
    sector: str = ""
    contributor: str = ""  # an organisation's slug
    theme: str = ""
    agenda_item: int | None = None
    partnership: str = ""  # a partnership's slug

    @property
    def is_filtered(self) -> bool:
        return any(
            (self.q, self.status, self.country, self.sector, self.contributor, self.theme)
        ) or (self.agenda_item is not None)


def initiative_list(*, viewer: Viewer, filters: PortfolioFilters) -> QuerySet[Initiative]:
    """Return the visible initiatives matching the filters, with their money, by title."""
    initiatives = initiatives_visible_to(viewer)
    if filters.partnership:
        initiatives = initiatives.filter(partnership__slug=filters.partnership)
    if filters.q:
        text = filters.q[:SEARCH_MAX_LENGTH]
        initiatives = initiatives.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(iati_identifier__icontains=text)
        )
    if filters.status:
        initiatives = initiatives.filter(status=filters.status)
    if filters.country:
        initiatives = initiatives.filter(
            Exists(
                RecipientCountry.objects.filter(initiative=OuterRef("pk"), country=filters.country)
            )
        )
    if filters.sector:
        initiatives = initiatives.filter(
            Exists(InitiativeSector.objects.filter(initiative=OuterRef("pk"), code=filters.sector))
        )
    if filters.contributor:
        initiatives = initiatives.filter(
            Exists(
                ParticipatingOrganisation.objects.filter(
                    initiative=OuterRef("pk"),
                    organisation__slug=filters.contributor,
                    role=OrganisationRole.FUNDING,
                )
            )
        )
    if filters.theme:
        # The JSON list as text, with the code in quotes: SQLite has no JSON containment.
        initiatives = initiatives.filter(themes__icontains=f'"{filters.theme}"')
    if filters.agenda_item is not None:
        initiatives = initiatives.filter(agenda_items=filters.agenda_item)
    return with_money(initiatives.select_related("partnership")).order_by("title", "pk")


def initiative_get(*, viewer: Viewer, partnership_slug: str, slug: str) -> Initiative:
    """Return the initiative if the viewer may read it; otherwise raise Http404."""
    initiative = (
        with_money(initiatives_visible_to(viewer))
        .select_related("partnership")
        .filter(partnership__slug=partnership_slug, slug=slug)
        .first()
    )
    if initiative is None:
        raise Http404
    return initiative


def money_by_contributor(initiatives: QuerySet[Initiative]) -> list[dict[str, Any]]:
    """Return, per providing organisation, its commitments and disbursements in EUR."""
    rows = (
        transactions_in_eur(Transaction.objects.filter(initiative__in=initiatives.values("pk")))
        .exclude(provider=None)
        .order_by()
        .values("provider", "provider__name", "provider__slug", "provider__acronym")
        .annotate(
            committed=Coalesce(
                Sum("eur", filter=Q(type=TransactionType.COMMITMENT)),
                Value(Decimal(0)),
                output_field=MONEY,
            ),
            disbursed=Coalesce(
                Sum(
                    "eur",
                    filter=Q(type__in=[TransactionType.DISBURSEMENT, TransactionType.EXPENDITURE]),
                ),
                Value(Decimal(0)),
                output_field=MONEY,
            ),
            unconverted=Count("pk", filter=Q(eur=None)),
        )
        .order_by("-committed", "provider__name")
    )
    return list(rows)


def money_over_time(initiatives: QuerySet[Initiative]) -> list[dict[str, Any]]:
    """Return committed and disbursed EUR per year, oldest first."""
    from django.db.models.functions import ExtractYear

    rows = (
        transactions_in_eur(Transaction.objects.filter(initiative__in=initiatives.values("pk")))
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values("year")
        .annotate(
            committed=Coalesce(
                Sum("eur", filter=Q(type=TransactionType.COMMITMENT)),
                Value(Decimal(0)),
                output_field=MONEY,
            ),
            disbursed=Coalesce(
                Sum(
                    "eur",
                    filter=Q(type__in=[TransactionType.DISBURSEMENT, TransactionType.EXPENDITURE]),
                ),
                Value(Decimal(0)),
                output_field=MONEY,
            ),
        )
        .order_by("year")
    )
    return list(rows)


def _committed_and_disbursed(eur: Any = "eur", extra: Q | None = None) -> dict[str, Coalesce]:
    """Return the committed and disbursed sums of an EUR expression, zero when empty."""
    committed = Q(type=TransactionType.COMMITMENT)
    disbursed = Q(type__in=[TransactionType.DISBURSEMENT, TransactionType.EXPENDITURE])
    if extra is not None:
        committed &= extra
        disbursed &= extra
    return {
        "committed": Coalesce(Sum(eur, filter=committed), Value(Decimal(0)), output_field=MONEY),
        "disbursed": Coalesce(Sum(eur, filter=disbursed), Value(Decimal(0)), output_field=MONEY),
    }


def money_by_country(initiatives: QuerySet[Initiative]) -> list[dict[str, Any]]:
    """Return committed and disbursed EUR per recipient country, split by its percentage.

    A transaction counts for each recipient country of its initiative in proportion to the
    country's share; shares given to regions, and initiatives without countries, are not
    counted here.
    """
    share = ExpressionWrapper(
        F("eur") * F("initiative__recipient_countries__percentage") / Value(Decimal(100)),
        output_field=MONEY,
    )
    rows = (
        transactions_in_eur(Transaction.objects.filter(initiative__in=initiatives.values("pk")))
        .exclude(initiative__recipient_countries=None)
        .order_by()
        .values(country=F("initiative__recipient_countries__country"))
        .annotate(**_committed_and_disbursed(share))
        .order_by("-committed", "country")
    )
    return list(rows)


def money_by_theme(initiatives: QuerySet[Initiative]) -> list[dict[str, Any]]:
    """Return committed and disbursed EUR per theme, in theme order, in one query.

    An initiative with several themes counts in full under each of them.
    """
    sums: dict[str, Any] = {}
    for index, code in enumerate(ThemeCode.values):
        # The JSON list as text, with the code in quotes: SQLite has no JSON containment.
        for key, total in _committed_and_disbursed(
            extra=Q(initiative__themes__icontains=f'"{code}"')
        ).items():
            sums[f"{key}_{index}"] = total
    totals = transactions_in_eur(
        Transaction.objects.filter(initiative__in=initiatives.values("pk"))
    ).aggregate(**sums)
    return [
        {
            "theme": code,
            "label": label,
            "committed": totals[f"committed_{index}"],
            "disbursed": totals[f"disbursed_{index}"],
        }
        for index, (code, label) in enumerate(ThemeCode.choices)
    ]


def team_europe_money(initiatives: QuerySet[Initiative]) -> dict[str, Any]:
    """Return what Team Europe (providers from the EU) committed and disbursed, in EUR.

    The result also holds the initial contribution (initial), the committed share of it
    (share, a Decimal fraction) and the number of transactions without a rate (unconverted).
    """
    totals = (
        transactions_in_eur(Transaction.objects.filter(initiative__in=initiatives.values("pk")))
        .filter(provider__region=Region.EU)
        .aggregate(
            **_committed_and_disbursed(),
            unconverted=Count("pk", filter=Q(eur=None)),
        )
    )
    return {
        **totals,
        "initial": TEAM_EUROPE_INITIAL_EUR,
        "share": totals["committed"] / TEAM_EUROPE_INITIAL_EUR,
    }


def place_list(initiatives: QuerySet[Initiative]) -> QuerySet[Place]:
    """Return the places of the initiatives with their initiative, by initiative and name."""
    return (
        Place.objects.filter(initiative__in=initiatives.values("pk"))
        .select_related("initiative__partnership")
        .order_by("initiative__title", "initiative__pk", "name", "pk")
    )


def rate_on(currency: str, on: date) -> ExchangeRate | None:
    """Return the rate used for the currency on the date: the latest on or before it."""
    return ExchangeRate.objects.filter(currency=currency, date__lte=on).order_by("-date").first()


def pledges_of(*, partnership: Partnership) -> QuerySet[Pledge]:
    """Return the partnership's pledges with their organisation and initiative."""
    return Pledge.objects.filter(partnership=partnership).select_related(
        "organisation", "initiative"
    )


def team_europe_contributors(initiatives: QuerySet[Initiative]) -> list[Organisation]:
    """Return the organisations that fund the initiatives, by name."""
    return list(
        Organisation.objects.filter(
            initiative_roles__initiative__in=initiatives.values("pk"),
            initiative_roles__role=OrganisationRole.FUNDING,
        )
        .distinct()
        .order_by("name")
    )
