"""The demo's initiatives: BELLA, Copernicus LAC, the Digital Accelerator and two smaller ones.

ILLUSTRATIVE FIGURES: the amounts, dates, identifiers and indicators below are invented for
the demo. Only their frame is public: Team Europe's initial contribution of EUR 145 million
(EUR 50 million of it from the EU budget), BELLA over the EllaLink cable, Copernicus data
centres in Panama and Chile, and an accelerator financed under NDICI-Global Europe. The
commitments of the Team Europe contributors add up to EUR 145 million.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from puente.agenda.models import AgendaItem, AgendaVersion
from puente.dialogues.demo import DEMO_PARTNERSHIP
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation

from .models import (
    ActivityStatus,
    Budget,
    BudgetStatus,
    ExchangeRate,
    Indicator,
    IndicatorPeriod,
    Initiative,
    InitiativeSector,
    Milestone,
    OrganisationRole,
    ParticipatingOrganisation,
    Place,
    Pledge,
    RecipientCountry,
    RecipientRegion,
    Result,
    Transaction,
    TransactionType,
)
from .services import transactions_convert

ILLUSTRATIVE = "Illustrative demo figures, not official data."
M = Decimal("1000000")

# (currency, date, units per euro): an illustrative reference-rate table.
DEMO_RATES = (
    ("USD", date(2023, 1, 2), Decimal("1.0666")),
    ("USD", date(2024, 1, 2), Decimal("1.0956")),
    ("USD", date(2025, 1, 2), Decimal("1.0321")),
    ("BRL", date(2023, 1, 2), Decimal("5.6348")),
    ("BRL", date(2024, 1, 2), Decimal("5.3516")),
    ("BRL", date(2025, 1, 2), Decimal("6.4275")),
    ("CLP", date(2024, 1, 2), Decimal("965.25")),
)


@dataclass(frozen=True)
class Money:
    """One transaction: type, date, amount, currency, provider and receiver slugs."""

    type: str
    on: date
    amount: Decimal
    provider: str
    receiver: str = ""
    currency: str = "EUR"


@dataclass(frozen=True)
class DemoInitiative:
    slug: str
    title: str
    description: str
    iati_identifier: str
    status: str
    planned_start: date
    planned_end: date
    actual_start: date | None
    themes: tuple[str, ...]
    sectors: tuple[tuple[str, str], ...]
    countries: tuple[tuple[str, str], ...]
    regions: tuple[tuple[str, str], ...]
    roles: tuple[tuple[str, str], ...]  # (organisation slug, OrganisationRole)
    money: tuple[Money, ...]
    milestones: tuple[tuple[str, date, date | None, str], ...]
    places: tuple[tuple[str, str, dict[str, Any]], ...]
    indicator: tuple[str, str, Decimal, Decimal, Decimal] | None = None
    agenda_words: tuple[str, ...] = field(default_factory=tuple)


C, D = TransactionType.COMMITMENT, TransactionType.DISBURSEMENT
FUNDING, ACCOUNTABLE, IMPLEMENTING = (
    OrganisationRole.FUNDING,
    OrganisationRole.ACCOUNTABLE,
    OrganisationRole.IMPLEMENTING,
)

INITIATIVES = (
    DemoInitiative(
        slug="bella-extension",
        title="BELLA extension: research fibre to more of Latin America",
        description=(
            "Extends the BELLA research and education network, which links Europe and Latin "
            "America over the EllaLink submarine cable (about 6,000 km), with new terrestrial "
            "segments and landing capacity. " + ILLUSTRATIVE
        ),
        iati_identifier="XI-PUENTE-DEMO-BELLA-EXT",
        status=ActivityStatus.IMPLEMENTATION,
        planned_start=date(2023, 6, 1),
        planned_end=date(2027, 12, 31),
        actual_start=date(2023, 9, 1),
        themes=("connectivity",),
        sectors=(("22040", "70"), ("43082", "30")),
        countries=(("BR", "40"), ("CO", "20"), ("EC", "20")),
        regions=(("489", "20"),),
        roles=(
            ("european-commission", FUNDING),
            ("eib", FUNDING),
            ("bella", ACCOUNTABLE),
            ("redclara", IMPLEMENTING),
            ("geant", IMPLEMENTING),
        ),
        money=(
            Money(C, date(2023, 6, 15), 25 * M, "european-commission", "bella"),
            Money(C, date(2023, 11, 20), 30 * M, "eib", "bella"),
            Money(D, date(2024, 2, 1), 10 * M, "european-commission", "bella"),
            Money(D, date(2024, 9, 1), 12 * M, "eib", "bella"),
            Money(
                D, date(2025, 3, 3), Decimal("8500000"), "european-commission", "redclara", "USD"
            ),
        ),
        milestones=(
            ("Route survey of the new segments", date(2023, 12, 1), date(2023, 12, 15), "reached"),
            ("Fortaleza landing upgrade in service", date(2025, 6, 30), None, "in_progress"),
            ("Andean segment lit", date(2026, 12, 1), None, "planned"),
        ),
        places=(
            (
                "EllaLink: Sines to Fortaleza",
                "cable",
                {
                    "type": "LineString",
                    "coordinates": [[-8.87, 37.95], [-20.0, 20.0], [-38.54, -3.72]],
                },
            ),
            (
                "Fortaleza landing station",
                "landing_station",
                {"type": "Point", "coordinates": [-38.54, -3.72]},
            ),
            (
                "Sines landing station",
                "landing_station",
                {"type": "Point", "coordinates": [-8.87, 37.95]},
            ),
            (
                "Terrestrial segment Fortaleza to Bogotá",
                "cable",
                {
                    "type": "LineString",
                    "coordinates": [[-38.54, -3.72], [-60.02, -3.1], [-74.07, 4.71]],
                },
            ),
        ),
        indicator=(
            "Research institutions connected",
            "institutions",
            Decimal(120),
            Decimal(400),
            Decimal(260),
        ),
        agenda_words=("connect", "fibre", "broadband", "infrastructure", "network"),
    ),
    DemoInitiative(
        slug="copernicus-lac",
        title="Copernicus LAC: regional data centres in Panama and Chile",
        description=(
            "Makes Copernicus Earth-observation data and services easy to use across Latin "
            "America and the Caribbean, through regional data centres in Panama and Chile and "
            "training for disaster-risk and environment agencies. " + ILLUSTRATIVE
        ),
        iati_identifier="XI-PUENTE-DEMO-COPERNICUS-LAC",
        status=ActivityStatus.IMPLEMENTATION,
        planned_start=date(2023, 9, 1),
        planned_end=date(2028, 6, 30),
        actual_start=date(2024, 1, 15),
        themes=("earth-observation",),
        sectors=(("41010", "50"), ("74020", "50")),
        countries=(("PA", "50"), ("CL", "50")),
        regions=(),
        roles=(
            ("european-commission", FUNDING),
            ("afd", FUNDING),
            ("aecid", FUNDING),
            ("european-commission", ACCOUNTABLE),
            ("consorcio-austral-datos-satelitales", IMPLEMENTING),
            ("instituto-amazonico-observacao-terra", IMPLEMENTING),
        ),
        money=(
            Money(
                C,
                date(2023, 9, 10),
                15 * M,
                "european-commission",
                "consorcio-austral-datos-satelitales",
            ),
            Money(C, date(2024, 1, 20), 12 * M, "afd"),
            Money(C, date(2024, 3, 5), 8 * M, "aecid"),
            Money(
                D,
                date(2024, 4, 1),
                6 * M,
                "european-commission",
                "consorcio-austral-datos-satelitales",
            ),
            Money(D, date(2025, 2, 1), Decimal("4000000"), "afd"),
        ),
        milestones=(
            ("Panama centre opened", date(2024, 11, 1), date(2024, 11, 20), "reached"),
            ("Chile centre opened", date(2025, 5, 1), None, "late"),
            ("First regional training cycle", date(2026, 3, 1), None, "planned"),
        ),
        places=(
            (
                "Copernicus data centre, Panama City",
                "data_centre",
                {"type": "Point", "coordinates": [-79.52, 8.98]},
            ),
            (
                "Copernicus data centre, Santiago",
                "data_centre",
                {"type": "Point", "coordinates": [-70.65, -33.45]},
            ),
        ),
        indicator=(
            "Agencies using the data centres",
            "agencies",
            Decimal(0),
            Decimal(60),
            Decimal(22),
        ),
        agenda_words=("earth", "satellite", "data", "climate", "copernicus"),
    ),
    DemoInitiative(
        slug="eu-lac-digital-accelerator",
        title="EU-LAC Digital Accelerator",
        description=(
            "A meeting place where companies and public bodies post digital challenges and "
            "startups and SMEs from both regions answer them; matched pairs get help towards "
            "business partnerships and investors. Financed under NDICI-Global Europe. "
            + ILLUSTRATIVE
        ),
        iati_identifier="XI-PUENTE-DEMO-DIGITAL-ACCELERATOR",
        status=ActivityStatus.IMPLEMENTATION,
        planned_start=date(2023, 3, 15),
        planned_end=date(2026, 12, 31),
        actual_start=date(2023, 6, 1),
        themes=("innovation", "digital-skills"),
        sectors=(("25010", "60"), ("22040", "40")),
        countries=(),
        regions=(("489", "60"), ("389", "40")),
        roles=(
            ("european-commission", FUNDING),
            ("giz", FUNDING),
            ("european-commission", ACCOUNTABLE),
            ("giz", IMPLEMENTING),
            ("aecid", IMPLEMENTING),
        ),
        money=(
            Money(C, date(2023, 3, 20), 10 * M, "european-commission", "giz"),
            Money(C, date(2023, 5, 10), 14 * M, "giz"),
            Money(D, date(2023, 9, 1), 5 * M, "european-commission", "giz"),
            Money(D, date(2024, 9, 1), 7 * M, "giz"),
        ),
        milestones=(
            ("First challenge call", date(2023, 10, 1), date(2023, 10, 5), "reached"),
            ("100 matches made", date(2025, 6, 30), date(2025, 5, 12), "reached"),
        ),
        places=(),
        indicator=(
            "Startups matched with a partner",
            "startups",
            Decimal(0),
            Decimal(250),
            Decimal(140),
        ),
        agenda_words=("startup", "innovation", "entrepreneur", "sme", "business"),
    ),
    DemoInitiative(
        slug="caribbean-cyber-resilience",
        title="Caribbean cyber-resilience centres",
        description=(
            "Incident-response teams and shared training for small island states. " + ILLUSTRATIVE
        ),
        iati_identifier="XI-PUENTE-DEMO-CARIBBEAN-CYBER",
        status=ActivityStatus.PIPELINE,
        planned_start=date(2025, 1, 1),
        planned_end=date(2027, 12, 31),
        actual_start=None,
        themes=("cybersecurity",),
        sectors=(("22040", "100"),),
        countries=(("DO", "50"), ("TT", "50")),
        regions=(),
        roles=(
            ("enabel", FUNDING),
            ("aics", FUNDING),
            ("caribbean-digital-cooperation-secretariat", ACCOUNTABLE),
            ("centro-istmeno-incidentes", IMPLEMENTING),
        ),
        money=(
            Money(C, date(2025, 2, 1), 6 * M, "enabel"),
            Money(C, date(2025, 4, 1), 5 * M, "aics"),
        ),
        milestones=(("Centres' staff recruited", date(2025, 12, 1), None, "planned"),),
        places=(
            (
                "Santo Domingo response centre",
                "site",
                {"type": "Point", "coordinates": [-69.93, 18.49]},
            ),
        ),
        agenda_words=("cyber", "security", "incident", "trust"),
    ),
    DemoInitiative(
        slug="digital-public-services-andes",
        title="Digital public services in the Andes",
        description=(
            "Helps municipalities move their services online, with digital identity and "
            "open data. " + ILLUSTRATIVE
        ),
        iati_identifier="XI-PUENTE-DEMO-ANDES-SERVICES",
        status=ActivityStatus.FINALISATION,
        planned_start=date(2023, 1, 1),
        planned_end=date(2025, 12, 31),
        actual_start=date(2023, 2, 1),
        themes=("e-government",),
        sectors=(("15110", "100"),),
        countries=(("PE", "50"), ("BO", "50")),
        regions=(),
        roles=(
            ("aecid", FUNDING),
            ("aecid", ACCOUNTABLE),
            ("tierra-alta-state-modernisation", IMPLEMENTING),
        ),
        money=(
            Money(C, date(2023, 1, 15), 20 * M, "aecid"),
            Money(D, date(2023, 6, 1), 12 * M, "aecid"),
            Money(D, date(2024, 6, 1), 6 * M, "aecid"),
        ),
        milestones=(
            ("Twenty municipalities online", date(2025, 6, 1), date(2025, 7, 15), "reached"),
        ),
        places=(),
        agenda_words=("public service", "government", "identity", "open data"),
    ),
)

# Pledges: (organisation slug, kind, what, amount, due, status, initiative slug).
PLEDGES = (
    (
        "european-commission",
        "money",
        "Top-up for the Andean fibre segment",
        5 * M,
        date(2026, 6, 30),
        "open",
        "bella-extension",
    ),
    (
        "geant",
        "staff",
        "Two network engineers for the BELLA operations centre",
        None,
        date(2025, 3, 1),
        "fulfilled",
        "bella-extension",
    ),
    (
        "nordic-earth-imaging",
        "data",
        "Archive of high-resolution imagery for flood mapping",
        None,
        date(2025, 1, 31),
        "late",
        "copernicus-lac",
    ),
    (
        "eclac",
        "service",
        "Regional statistics on digital adoption, every year",
        None,
        date(2026, 12, 31),
        "open",
        "",
    ),
)


def _agenda_items(partnership: Partnership, words: tuple[str, ...]) -> list[AgendaItem]:
    """Return items of the partnership's first published agenda whose text has one of the words."""
    items = AgendaItem.objects.filter(
        version__agenda__dialogue__partnership=partnership,
        version__status=AgendaVersion.Status.PUBLISHED,
    ).order_by("version__number", "position")
    chosen = [
        item
        for item in items
        if any(word in " ".join(map(str, item.text.values())).lower() for word in words)
    ]
    return chosen[:2] or list(items[:1])


def _organisations(slugs: set[str]) -> dict[str, Organisation]:
    return {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}


def initiatives_demo_load(*, report: Any) -> None:
    """Create the demo initiatives, rates and pledges that are missing; keep the others."""
    partnership = Partnership.objects.filter(slug=DEMO_PARTNERSHIP).first()
    if partnership is None:
        return
    for currency, on, rate in DEMO_RATES:
        _rate, created = ExchangeRate.objects.get_or_create(
            currency=currency, date=on, defaults={"rate": rate, "source": ILLUSTRATIVE}
        )
        report.created["exchange rates"] += created
        report.kept["exchange rates"] += not created
    slugs = {slug for seed in INITIATIVES for slug, _role in seed.roles}
    slugs |= {m.provider for seed in INITIATIVES for m in seed.money}
    slugs |= {m.receiver for seed in INITIATIVES for m in seed.money if m.receiver}
    slugs |= {pledge[0] for pledge in PLEDGES}
    organisations = _organisations(slugs)
    for seed in INITIATIVES:
        if Initiative.objects.filter(
            Q(iati_identifier=seed.iati_identifier) | Q(partnership=partnership, slug=seed.slug)
        ).exists():
            report.kept["initiatives"] += 1
            continue
        _initiative_load(seed, partnership, organisations)
        report.created["initiatives"] += 1
    # The demo's money, converted at the demo's rates (a few dozen rows: every time).
    transactions_convert(Transaction.objects.filter(initiative__partnership=partnership))
    for slug, kind, what, amount, due, status, initiative_slug in PLEDGES:
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        if Pledge.objects.filter(partnership=partnership, description=what).exists():
            report.kept["pledges"] += 1
            continue
        Pledge.objects.create(
            partnership=partnership,
            organisation=organisation,
            initiative=Initiative.objects.filter(
                partnership=partnership, slug=initiative_slug
            ).first(),
            kind=kind,
            description=what,
            amount=amount,
            currency="EUR" if amount is not None else "",
            made_at="Launch of the Alliance, Bogotá, March 2023",
            due_date=due,
            status=status,
        )
        report.created["pledges"] += 1


def _initiative_load(
    seed: DemoInitiative, partnership: Partnership, organisations: dict[str, Organisation]
) -> None:
    initiative = Initiative.objects.create(
        partnership=partnership,
        slug=seed.slug,
        title=seed.title,
        description=seed.description,
        language="en",
        iati_identifier=seed.iati_identifier,
        status=seed.status,
        planned_start=seed.planned_start,
        planned_end=seed.planned_end,
        actual_start=seed.actual_start,
        themes=list(seed.themes),
    )
    InitiativeSector.objects.bulk_create(
        InitiativeSector(initiative=initiative, code=code, percentage=Decimal(share))
        for code, share in seed.sectors
    )
    RecipientCountry.objects.bulk_create(
        RecipientCountry(initiative=initiative, country=code, percentage=Decimal(share))
        for code, share in seed.countries
    )
    RecipientRegion.objects.bulk_create(
        RecipientRegion(initiative=initiative, code=code, percentage=Decimal(share))
        for code, share in seed.regions
    )
    ParticipatingOrganisation.objects.bulk_create(
        ParticipatingOrganisation(
            initiative=initiative, organisation=organisations[slug], role=role
        )
        for slug, role in seed.roles
        if slug in organisations
    )
    for money in seed.money:
        Transaction.objects.create(
            initiative=initiative,
            type=money.type,
            date=money.on,
            value=money.amount,
            currency=money.currency,
            value_date=money.on,
            provider=organisations.get(money.provider),
            receiver=organisations.get(money.receiver) if money.receiver else None,
            description=ILLUSTRATIVE,
        )
    committed = sum(
        (m.amount for m in seed.money if m.type == C and m.currency == "EUR"), Decimal(0)
    )
    Budget.objects.create(
        initiative=initiative,
        status=BudgetStatus.COMMITTED,
        period_start=seed.planned_start,
        period_end=seed.planned_end,
        value=committed,
        currency="EUR",
        value_date=seed.planned_start,
    )
    Milestone.objects.bulk_create(
        Milestone(
            initiative=initiative,
            title=title,
            planned_date=planned,
            actual_date=actual,
            status=status,
        )
        for title, planned, actual, status in seed.milestones
    )
    Place.objects.bulk_create(
        Place(initiative=initiative, name=name, kind=kind, geometry=geometry)
        for name, kind, geometry in seed.places
    )
    if seed.indicator is not None:
        title, unit, baseline, target, actual = seed.indicator
        result = Result.objects.create(initiative=initiative, title=title)
        indicator = Indicator.objects.create(
            result=result,
            title=title,
            unit=unit,
            baseline_year=seed.planned_start.year,
            baseline_value=baseline,
        )
        IndicatorPeriod.objects.create(
            indicator=indicator,
            period_start=seed.planned_start,
            period_end=seed.planned_end,
            target=target,
            actual=actual,
        )
    initiative.agenda_items.set(_agenda_items(partnership, seed.agenda_words))
