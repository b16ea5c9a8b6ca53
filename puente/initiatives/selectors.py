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
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Round
from django.http import Http404
from django.utils.text import Truncator
from django_countries import countries

from puente.agenda.models import AgendaItem, AgendaVersion
from puente.core.choices import Region, ThemeCode
from puente.core.permissions import Viewer, is_platform_admin, is_signed_in
from puente.dialogues.models import Dialogue, Statement
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation

from .codelists import code_name
from .models import (
    ExchangeRate,
    Indicator,
    IndicatorPeriod,
    Initiative,
    InitiativeSector,
    OrganisationRole,
    ParticipatingOrganisation,
    Place,
    Pledge,
    RecipientCountry,
    Result,
    Transaction,
    TransactionType,
    Visibility,
)
from .portfolio_cache import cached, figures_key

EUR = "EUR"
# Units per euro, as stored: read back with all their decimals.
RATE: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=10)
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
    member_of = Partnership.objects.belonging_to(viewer).values("pk")
    return initiatives.filter(public | Q(partnership__in=member_of))


def initiative_recent_list(*, viewer: Viewer, limit: int) -> QuerySet[Initiative]:
    """Return the initiatives the viewer may read, the most recently updated first."""
    return (
        initiatives_visible_to(viewer)
        .select_related("partnership")
        .order_by("-updated_at", "-pk")[:limit]
    )


def eur_conversion(rates: Any = ExchangeRate) -> dict[str, Any]:
    """Return the expressions of a transaction's rate (units per euro) and eur (its amount in
    EUR), for an update of stored transactions (see services.transactions_convert).

    The rate is the latest on or before the value date; EUR needs none; no rate gives null.
    ``rates`` is the rate model (a migration passes its historical one).
    """
    rate = Subquery(
        rates.objects.filter(currency=OuterRef("currency"), date__lte=OuterRef("value_date"))
        .order_by("-date")
        .values("rate")[:1],
        output_field=RATE,
    )
    return {
        "rate": Case(When(currency=EUR, then=Value(Decimal(1))), default=rate, output_field=RATE),
        # Rounded to the cent by the database, so that every backend sums the same figures.
        "eur": Case(
            When(currency=EUR, then=F("value")),
            default=Round(ExpressionWrapper(F("value") / rate, output_field=MONEY), 2),
            output_field=MONEY,
        ),
    }


def _total(initiative_ref: Any, *types: str) -> Coalesce:
    """Return a subquery: the initiative's transactions of the types, summed in EUR."""
    rows = (
        Transaction.objects.filter(initiative=initiative_ref, type__in=types)
        .order_by()
        .values("initiative")
        .annotate(total=Round(Sum("eur"), 2))
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
        initiatives_visible_to(viewer)
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
        Transaction.objects.filter(initiative__in=initiatives.values("pk"))
        .exclude(provider=None)
        .order_by()
        .values("provider", "provider__name", "provider__slug", "provider__acronym")
        .annotate(
            **_committed_and_disbursed(),
            unconverted=Count("pk", filter=Q(eur=None)),
        )
        .order_by("-committed", "provider__name")
    )
    return list(rows)


def money_over_time(initiatives: QuerySet[Initiative]) -> list[dict[str, Any]]:
    """Return committed and disbursed EUR per year, oldest first."""
    rows = (
        Transaction.objects.filter(initiative__in=initiatives.values("pk"))
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values("year")
        .annotate(
            **_committed_and_disbursed(),
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
    # Rounded to the cent by the database, so that every backend gives the same figures.
    return {
        "committed": Coalesce(
            Round(Sum(eur, filter=committed), 2), Value(Decimal(0)), output_field=MONEY
        ),
        "disbursed": Coalesce(
            Round(Sum(eur, filter=disbursed), 2), Value(Decimal(0)), output_field=MONEY
        ),
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
        Transaction.objects.filter(initiative__in=initiatives.values("pk"))
        .exclude(initiative__recipient_countries=None)
        .order_by()
        .values(country=F("initiative__recipient_countries__country"))
        .annotate(**_committed_and_disbursed(share))
        .order_by("-committed", "country")
    )
    return list(rows)


def money_by_theme(initiatives: QuerySet[Initiative]) -> list[dict[str, Any]]:
    """Return committed and disbursed EUR per theme, in theme order.

    An initiative with several themes counts in full under each of them. The database sums
    the money per distinct set of themes (a handful, whatever the number of transactions);
    each set's sums are then added to each of its themes.
    """
    sets = (
        Transaction.objects.filter(initiative__in=initiatives.values("pk"))
        .order_by()
        .values("initiative__themes")
        .annotate(**_committed_and_disbursed())
    )
    totals: dict[str, dict[str, Decimal]] = {
        code: {"committed": Decimal(0), "disbursed": Decimal(0)} for code in ThemeCode.values
    }
    for row in sets:
        for code in set(row["initiative__themes"] or ()) & set(totals):
            totals[code]["committed"] += row["committed"]
            totals[code]["disbursed"] += row["disbursed"]
    return [{"theme": code, "label": label, **totals[code]} for code, label in ThemeCode.choices]


def team_europe_money(initiatives: QuerySet[Initiative]) -> dict[str, Any]:
    """Return what Team Europe (providers from the EU) committed and disbursed, in EUR.

    The result also holds the initial contribution (initial), the committed share of it
    (share, a Decimal fraction) and the number of transactions without a rate (unconverted).
    """
    totals = (
        Transaction.objects.filter(initiative__in=initiatives.values("pk"))
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


def dashboard_key(*, viewer: Viewer, partnership: Partnership | None) -> str:
    """Return the key the dashboard's figures for the viewer are cached under, as it stands."""
    return figures_key(viewer, ("dashboard", partnership.pk if partnership is not None else None))


def dashboard_money(*, viewer: Viewer, partnership: Partnership | None, key: str) -> dict[str, Any]:
    """Return the dashboard's figures for the viewer (of one partnership, or of all):
    contributors, countries, themes, years and team_europe.

    Computed by the database over every visible transaction, then cached under the key
    (dashboard_key) until the portfolio changes (see portfolio_cache.py).
    """

    def compute() -> dict[str, Any]:
        initiatives = initiatives_visible_to(viewer)
        if partnership is not None:
            initiatives = initiatives.filter(partnership=partnership)
        return {
            "contributors": money_by_contributor(initiatives),
            "countries": money_by_country(initiatives),
            "themes": money_by_theme(initiatives),
            "years": money_over_time(initiatives),
            "team_europe": team_europe_money(initiatives),
        }

    return cached(key, compute)


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


def visible_initiative_ids(*, viewer: Viewer, partnership: Partnership) -> set[int]:
    """Return the ids of the partnership's initiatives the viewer may read."""
    visible = initiatives_visible_to(viewer).filter(partnership=partnership)
    return set(visible.values_list("pk", flat=True))


def pledges_of(*, partnership: Partnership) -> QuerySet[Pledge]:
    """Return the partnership's pledges with their organisation and initiative."""
    return Pledge.objects.filter(partnership=partnership).select_related(
        "organisation", "initiative"
    )


# Reads of the portfolio and initiative pages.


def portfolio_rows(*, viewer: Viewer, filters: PortfolioFilters) -> QuerySet[Initiative]:
    """Return initiative_list with the recipient countries and sectors of each row prefetched."""
    return initiative_list(viewer=viewer, filters=filters).prefetch_related(
        "recipient_countries", "sectors"
    )


def portfolio_options(
    *, viewer: Viewer, partnership: Partnership | None, language: str
) -> dict[str, list[tuple[str, str]]]:
    """Return the values each filter offers, drawn from the initiatives the viewer may read.

    Cached until the portfolio changes: on a large portfolio the distinct values cost more
    than the page's rows.
    """
    scope = partnership.pk if partnership is not None else None
    return cached(
        figures_key(viewer, ("options", scope, language)),
        lambda: _portfolio_options(viewer=viewer, partnership=partnership, language=language),
    )


def _portfolio_options(
    *, viewer: Viewer, partnership: Partnership | None, language: str
) -> dict[str, list[tuple[str, str]]]:
    visible = initiatives_visible_to(viewer)
    if partnership is not None:
        visible = visible.filter(partnership=partnership)
    ids = visible.values("pk")
    country_codes = (
        RecipientCountry.objects.filter(initiative__in=ids)
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    sector_codes = (
        InitiativeSector.objects.filter(initiative__in=ids)
        .order_by()
        .values_list("code", flat=True)
        .distinct()
    )
    contributors = (
        Organisation.objects.filter(
            initiative_roles__initiative__in=ids, initiative_roles__role=OrganisationRole.FUNDING
        )
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    items = (
        AgendaItem.objects.filter(
            initiatives__in=ids,
            version__status=AgendaVersion.Status.PUBLISHED,
            version__agenda__dialogue__in=Dialogue.objects.visible_to(viewer).values("pk"),
        )
        .distinct()
        .order_by("version__agenda__title", "version__number", "position")
    )
    partnerships = (
        Partnership.objects.filter(initiatives__in=ids)
        .distinct()
        .order_by("title")
        .values_list("slug", "title")
    )
    return {
        "countries": sorted(
            ((str(code), str(countries.name(code))) for code in country_codes),
            key=lambda choice: choice[1],
        ),
        "sectors": sorted(
            (code, " ".join((code, code_name("Sector", code, language)))) for code in sector_codes
        ),
        "contributors": [(slug, name) for slug, name in contributors],
        "agenda_items": [
            (str(item.pk), Truncator(item.text_in(language)[0]).chars(80)) for item in items
        ],
        "partnerships": [] if partnership is not None else list(partnerships),
    }


def initiative_parts(*, initiative: Initiative) -> dict[str, Any]:
    """Return what an initiative's page shows of its own records, each part already joined
    (the agenda items behind it are initiative_agenda_items)."""
    one = Initiative.objects.filter(pk=initiative.pk)
    participants = list(
        initiative.participants.select_related("organisation").order_by(
            "role", "organisation__name"
        )
    )
    by_role: dict[str, list[ParticipatingOrganisation]] = {}
    for participant in participants:
        by_role.setdefault(participant.role, []).append(participant)
    return {
        "sectors": list(initiative.sectors.all()),
        "countries": list(initiative.recipient_countries.all()),
        "regions": list(initiative.recipient_regions.all()),
        "participants_by_role": [
            (OrganisationRole(role).label, by_role[role])
            for role in OrganisationRole.values
            if role in by_role
        ],
        "documents": list(initiative.documents.all()),
        "transactions": list(
            initiative.transactions.select_related("provider", "receiver").order_by("date", "pk")
        ),
        "budgets": list(initiative.budgets.all()),
        "milestones": list(initiative.milestones.all()),
        "results": list(
            initiative.results.prefetch_related(
                Prefetch(
                    "indicators",
                    queryset=Indicator.objects.order_by("pk").prefetch_related("periods"),
                )
            )
        ),
        "places": list(initiative.places.all()),
        "by_contributor": money_by_contributor(one),
        "by_year": money_over_time(one),
        "totals": Transaction.objects.filter(initiative=initiative).aggregate(
            **_committed_and_disbursed()
        ),
    }


def initiative_agenda_items(*, initiative: Initiative, viewer: Viewer) -> list[AgendaItem]:
    """Return the published agenda items the initiative answers, with their statements."""
    statements = Statement.objects.filter(status=Statement.Status.PUBLISHED).select_related(
        "dialogue__partnership"
    )
    return list(
        initiative.agenda_items.filter(
            version__status=AgendaVersion.Status.PUBLISHED,
            version__agenda__dialogue__in=Dialogue.objects.visible_to(viewer).values("pk"),
        )
        .select_related("version__agenda__dialogue__partnership")
        .prefetch_related(Prefetch("statements", queryset=statements.order_by("pk")))
        .order_by("version__agenda__title", "version__number", "position")
    )


def agenda_item_get(*, viewer: Viewer, partnership_slug: str, item_id: int) -> AgendaItem:
    """Return an item of a published agenda version the viewer may read; else raise Http404."""
    item = (
        AgendaItem.objects.filter(
            pk=item_id,
            version__status=AgendaVersion.Status.PUBLISHED,
            version__agenda__dialogue__partnership__slug=partnership_slug,
            version__agenda__dialogue__in=Dialogue.objects.visible_to(viewer).values("pk"),
        )
        .select_related("version__agenda__dialogue__partnership")
        .prefetch_related(
            Prefetch(
                "statements",
                queryset=Statement.objects.filter(status=Statement.Status.PUBLISHED)
                .select_related("dialogue__partnership")
                .order_by("pk"),
            )
        )
        .first()
    )
    if item is None:
        raise Http404
    return item


def agenda_item_initiatives(*, viewer: Viewer, item: AgendaItem) -> list[Initiative]:
    """Return the visible initiatives answering the item, with money and indicator progress."""
    periods = IndicatorPeriod.objects.select_related("indicator").order_by("period_start", "pk")
    indicators = Indicator.objects.order_by("pk").prefetch_related(
        Prefetch("periods", queryset=periods)
    )
    return list(
        initiative_list(viewer=viewer, filters=PortfolioFilters(agenda_item=item.pk))
        .select_related("partnership")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=Result.objects.prefetch_related(
                    Prefetch("indicators", queryset=indicators)
                ),
            )
        )
    )


def initiatives_by_item(*, viewer: Viewer, item_ids: list[int]) -> dict[int, list[Initiative]]:
    """Return, per agenda item id, the visible initiatives that answer it, by title."""
    links = (
        Initiative.agenda_items.through.objects.filter(
            agendaitem_id__in=item_ids,
            initiative__in=initiatives_visible_to(viewer).values("pk"),
        )
        .select_related("initiative__partnership")
        .order_by("initiative__title", "initiative__pk")
    )
    found: dict[int, list[Initiative]] = {}
    for link in links:
        found.setdefault(link.agendaitem_id, []).append(link.initiative)
    return found


def partnership_initiatives(*, viewer: Viewer, partnership: Partnership) -> QuerySet[Initiative]:
    """Return the partnership's initiatives the viewer may read, with their money, by title."""
    return initiative_list(viewer=viewer, filters=PortfolioFilters(partnership=partnership.slug))
