"""Reads of initiatives: who sees which, the portfolio filters, and money in EUR summed by
the database with the latest rate on or before each value date."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from puente.accounts.models import User
from puente.initiatives.models import (
    ActivityStatus,
    Initiative,
    OrganisationRole,
    Transaction,
    TransactionType,
    Visibility,
)
from puente.initiatives.permissions import can_view_initiative
from puente.initiatives.selectors import (
    PortfolioFilters,
    initiative_get,
    initiative_list,
    initiatives_visible_to,
    money_by_contributor,
    money_over_time,
    rate_on,
)
from puente.partnerships.models import Partnership
from tests.accounts.factories import AdminFactory
from tests.initiatives.factories import (
    ExchangeRateFactory,
    InitiativeFactory,
    ParticipantFactory,
    RecipientCountryFactory,
    SectorFactory,
    TransactionFactory,
)
from tests.initiatives.worlds import ROLES, InitiativeWorld, initiative_world, published_item
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

C, D, E = TransactionType.COMMITMENT, TransactionType.DISBURSEMENT, TransactionType.EXPENDITURE


# Visibility


@pytest.fixture
def world() -> InitiativeWorld:
    return initiative_world()


def _initiatives(world: InitiativeWorld) -> dict[str, Initiative]:
    """Public and members-only initiatives in the public partnership and a members-only one."""
    hidden_partnership = PartnershipFactory(
        visibility=Partnership.Visibility.MEMBERS,
        facilitators=[world.person("facilitator")],
        organisations=[world.member_organisation],
    )
    return {
        "public": world.initiative,
        "members only": InitiativeFactory(
            partnership=world.partnership, visibility=Visibility.MEMBERS
        ),
        "in a members-only partnership": InitiativeFactory(partnership=hidden_partnership),
        "elsewhere, members only": InitiativeFactory(visibility=Visibility.MEMBERS),
    }


MEMBERS_SEE = {"public", "members only", "in a members-only partnership"}
# Written out: this is the specification.
SEEN: dict[str, set[str]] = {
    "visitor": {"public"},
    "stranger": {"public"},
    "member": MEMBERS_SEE,
    "implementing_admin": {"public"},
    "accountable_admin": {"public"},
    "facilitator": MEMBERS_SEE,
    "platform_admin": MEMBERS_SEE | {"elsewhere, members only"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_the_table_and_the_predicate_agrees(world, role):
    initiatives = _initiatives(world)
    viewer = world.viewer(role)

    seen = set(initiatives_visible_to(viewer).values_list("pk", flat=True))

    assert {name for name, i in initiatives.items() if i.pk in seen} == SEEN[role]
    assert {name for name, i in initiatives.items() if can_view_initiative(viewer, i)} == SEEN[role]


def test_a_member_of_two_member_organisations_sees_each_initiative_once(world):
    member = world.person("member")
    second = OrganisationFactory()
    world.partnership.member_links.create(organisation=second)
    second.memberships.create(person=member)
    InitiativeFactory(partnership=world.partnership, visibility=Visibility.MEMBERS)

    visible = initiative_list(viewer=member, filters=PortfolioFilters())

    assert len(list(visible)) == len({i.pk for i in visible}) == 2


def test_initiative_get_is_404_for_what_the_viewer_may_not_see(world):
    hidden = _initiatives(world)["members only"]
    slug = world.partnership.slug

    got = initiative_get(viewer=world.viewer("member"), partnership_slug=slug, slug=hidden.slug)
    assert got == hidden
    with pytest.raises(Http404):
        initiative_get(viewer=world.viewer("stranger"), partnership_slug=slug, slug=hidden.slug)
    with pytest.raises(Http404):
        initiative_get(viewer=world.viewer("visitor"), partnership_slug="nope", slug=hidden.slug)


# Filters


def _portfolio() -> dict[str, Initiative]:
    partnership = PartnershipFactory(slug="alliance")
    bella = InitiativeFactory(
        partnership=partnership,
        title="BELLA extension",
        description="Research fibre",
        iati_identifier="XI-DEMO-BELLA",
        status=ActivityStatus.IMPLEMENTATION,
        themes=["connectivity", "e-government"],
    )
    copernicus = InitiativeFactory(
        partnership=partnership,
        title="Copernicus LAC",
        description="Earth observation centres for disaster risk",
        iati_identifier="XI-DEMO-COPERNICUS",
        status=ActivityStatus.PIPELINE,
        themes=["earth-observation"],
    )
    other = InitiativeFactory(
        title="Other partnership's project",
        iati_identifier="XI-DEMO-OTHER",
        themes=[],
    )
    SectorFactory(initiative=bella, code="22040")
    SectorFactory(initiative=copernicus, code="41010")
    RecipientCountryFactory(initiative=bella, country="BR")
    RecipientCountryFactory(initiative=copernicus, country="PA")
    eib = OrganisationFactory(slug="eib")
    ParticipantFactory(initiative=bella, organisation=eib, role=OrganisationRole.FUNDING)
    ParticipantFactory(initiative=copernicus, organisation=eib, role=OrganisationRole.IMPLEMENTING)
    item = published_item(partnership)
    bella.agenda_items.add(item)
    return {"bella": bella, "copernicus": copernicus, "other": other, "item": item}  # type: ignore[dict-item]  # the item rides along


def _names(filters: PortfolioFilters, portfolio: dict[str, Initiative]) -> set[str]:
    found = set(initiative_list(viewer=AdminFactory(), filters=filters))
    return {name for name, i in portfolio.items() if i in found}


def _filter_id(value: object) -> str:
    """Name a case the same way in every worker: sets have no stable order."""
    if isinstance(value, set):
        return "+".join(sorted(value)) or "none"
    if isinstance(value, PortfolioFilters):
        given = {k: v for k, v in vars(value).items() if v not in ("", None)}
        return ",".join(f"{k}={v}" for k, v in given.items()) or "no filter"
    return repr(value)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (PortfolioFilters(), {"bella", "copernicus", "other"}),
        (PortfolioFilters(partnership="alliance"), {"bella", "copernicus"}),
        (PortfolioFilters(q="bella"), {"bella"}),
        (PortfolioFilters(q="DISASTER"), {"copernicus"}),
        (PortfolioFilters(q="XI-DEMO-OTHER"), {"other"}),
        (PortfolioFilters(q="xi-demo"), {"bella", "copernicus", "other"}),
        (PortfolioFilters(q="100%"), set()),
        (PortfolioFilters(q="_"), set()),
        (PortfolioFilters(status=ActivityStatus.PIPELINE), {"copernicus"}),
        (PortfolioFilters(country="BR"), {"bella"}),
        (PortfolioFilters(country="CL"), set()),
        (PortfolioFilters(sector="41010"), {"copernicus"}),
        (PortfolioFilters(contributor="eib"), {"bella"}),
        (PortfolioFilters(contributor="nobody"), set()),
        (PortfolioFilters(theme="e-government"), {"bella"}),
        (PortfolioFilters(theme="government"), set()),
        (PortfolioFilters(theme="earth-observation"), {"copernicus"}),
        (PortfolioFilters(theme="connect"), set()),
        (PortfolioFilters(partnership="alliance", status="2", country="BR"), {"bella"}),
        (PortfolioFilters(partnership="nowhere"), set()),
    ],
    ids=_filter_id,
)
def test_each_filter_narrows_the_portfolio(filters, expected):
    portfolio = _portfolio()
    assert _names(filters, portfolio) == expected


def test_the_agenda_item_filter_finds_the_initiatives_linked_to_the_item():
    portfolio = _portfolio()
    item = portfolio["item"]
    assert _names(PortfolioFilters(agenda_item=item.pk), portfolio) == {"bella"}
    assert _names(PortfolioFilters(agenda_item=item.pk + 1000), portfolio) == set()


def test_is_filtered_says_whether_any_filter_but_the_partnership_is_set():
    assert not PortfolioFilters().is_filtered
    assert not PortfolioFilters(partnership="alliance").is_filtered
    assert PortfolioFilters(theme="ai").is_filtered
    assert PortfolioFilters(agenda_item=0).is_filtered


def test_the_list_is_by_title():
    partnership = PartnershipFactory()
    for title in ["b", "C", "a"]:
        InitiativeFactory(partnership=partnership, title=title)
    titles = [
        i.title
        for i in initiative_list(
            viewer=AdminFactory(), filters=PortfolioFilters(partnership=partnership.slug)
        )
    ]
    assert sorted(titles, key=str.lower) == ["a", "b", "C"]
    assert titles[0] in {"C", "a"}  # the database's collation decides upper against lower


# Money in EUR


def _annotated(instance: object, name: str) -> object:
    """Return a value the selector annotated (or a field) of the instance."""
    return vars(instance)[name]


def _money_of(initiative: Initiative) -> tuple[object, object]:
    return _annotated(initiative, "committed_eur"), _annotated(initiative, "disbursed_eur")


@pytest.fixture
def rates() -> None:
    ExchangeRateFactory(currency="USD", date=date(2023, 1, 2), rate=Decimal("1.0666"))
    ExchangeRateFactory(currency="USD", date=date(2024, 1, 2), rate=Decimal("1.0956"))
    ExchangeRateFactory(currency="USD", date=date(2024, 6, 3), rate=Decimal("1.25"))
    ExchangeRateFactory(currency="BRL", date=date(2024, 1, 2), rate=Decimal("5"))


def _money(initiative: Initiative, kind: str, value: str, currency: str, on: date, **more):
    return TransactionFactory(
        initiative=initiative,
        type=kind,
        value=Decimal(value),
        currency=currency,
        date=on,
        value_date=on,
        **more,
    )


@pytest.mark.parametrize(
    ("currency", "value", "on", "rate", "eur"),
    [
        ("EUR", "1000.00", date(2024, 3, 1), "1", "1000.00"),
        ("USD", "1095.60", date(2024, 3, 1), "1.0956", "1000.00"),
        ("USD", "1095.60", date(2024, 1, 2), "1.0956", "1000.00"),  # the rate of the day
        ("USD", "1066.60", date(2024, 1, 1), "1.0666", "1000.00"),  # the day before: last year's
        ("USD", "1250.00", date(2025, 1, 1), "1.25", "1000.00"),  # the latest
        ("USD", "100.00", date(2024, 3, 1), "1.0956", "91.27"),  # 91.2741..., to the cent
        ("BRL", "50.00", date(2024, 3, 1), "5", "10.00"),
    ],
)
def test_a_transaction_is_converted_with_the_latest_rate_on_or_before_its_value_date(
    rates, currency, value, on, rate, eur
):
    transaction = _money(InitiativeFactory(), C, value, currency, on)

    converted = Transaction.objects.get(pk=transaction.pk)

    assert _annotated(converted, "rate") == Decimal(rate)
    assert _annotated(converted, "eur") == Decimal(eur)


@pytest.mark.parametrize(
    ("currency", "on"), [("USD", date(2022, 12, 31)), ("GBP", date(2024, 3, 1))]
)
def test_without_a_rate_a_transaction_has_no_eur(rates, currency, on):
    transaction = _money(InitiativeFactory(), C, "100", currency, on)

    converted = Transaction.objects.get(pk=transaction.pk)

    assert (_annotated(converted, "rate"), _annotated(converted, "eur")) == (None, None)


def test_rate_on_is_the_latest_on_or_before_the_date(rates):
    assert _annotated(rate_on("USD", date(2024, 6, 2)), "rate") == Decimal("1.0956")
    assert _annotated(rate_on("USD", date(2024, 6, 3)), "rate") == Decimal("1.25")
    assert rate_on("USD", date(2022, 1, 1)) is None
    assert rate_on("GBP", date(2024, 1, 1)) is None


def test_the_list_sums_committed_and_disbursed_eur_per_initiative(rates):
    partnership = PartnershipFactory()
    funded = InitiativeFactory(partnership=partnership, title="A")
    empty = InitiativeFactory(partnership=partnership, title="B")
    _money(funded, C, "1000.00", "EUR", date(2024, 3, 1))
    _money(funded, C, "1095.60", "USD", date(2024, 3, 1))
    _money(funded, C, "999.00", "GBP", date(2024, 3, 1))  # no rate: left out of the sum
    _money(funded, D, "250.00", "EUR", date(2024, 4, 1))
    _money(funded, D, "50.00", "BRL", date(2024, 4, 1))
    _money(funded, E, "-20.00", "EUR", date(2024, 5, 1), provider=None)
    _money(funded, TransactionType.INCOMING_FUNDS, "7000.00", "EUR", date(2024, 5, 1))

    listed = list(
        initiative_list(
            viewer=AdminFactory(), filters=PortfolioFilters(partnership=partnership.slug)
        )
    )

    assert [(i.title, *_money_of(i)) for i in listed] == [
        ("A", Decimal("2000.00"), Decimal("240.00")),
        ("B", Decimal(0), Decimal(0)),
    ]
    del empty


def test_money_by_contributor_sums_per_provider_and_counts_what_it_could_not_convert(rates):
    initiative = InitiativeFactory()
    eib = OrganisationFactory(name="EIB", slug="eib")
    commission = OrganisationFactory(name="European Commission", slug="european-commission")
    _money(initiative, C, "3000.00", "EUR", date(2024, 3, 1), provider=eib)
    _money(initiative, D, "1095.60", "USD", date(2024, 3, 1), provider=eib)
    _money(initiative, C, "1000.00", "EUR", date(2024, 3, 1), provider=commission)
    _money(initiative, C, "10.00", "GBP", date(2024, 3, 1), provider=commission)
    _money(initiative, E, "100.00", "EUR", date(2024, 3, 1), provider=commission)
    _money(initiative, C, "5.00", "EUR", date(2024, 3, 1), provider=None)

    rows = money_by_contributor(Initiative.objects.filter(pk=initiative.pk))

    assert [
        (r["provider__slug"], r["committed"], r["disbursed"], r["unconverted"]) for r in rows
    ] == [
        ("eib", Decimal("3000.00"), Decimal("1000.00"), 0),
        ("european-commission", Decimal("1000.00"), Decimal("100.00"), 1),
    ]


def test_money_by_contributor_counts_only_the_initiatives_given(rates):
    eib = OrganisationFactory(slug="eib")
    counted, ignored = InitiativeFactory(), InitiativeFactory()
    _money(counted, C, "10.00", "EUR", date(2024, 3, 1), provider=eib)
    _money(ignored, C, "99.00", "EUR", date(2024, 3, 1), provider=eib)

    rows = money_by_contributor(Initiative.objects.filter(pk=counted.pk))

    assert [r["committed"] for r in rows] == [Decimal("10.00")]


def test_money_over_time_is_per_year_oldest_first(rates):
    initiative = InitiativeFactory()
    _money(initiative, C, "1000.00", "EUR", date(2023, 5, 1))
    _money(initiative, C, "1250.00", "USD", date(2025, 1, 1))
    _money(initiative, D, "100.00", "EUR", date(2023, 12, 31))
    _money(initiative, D, "50.00", "BRL", date(2024, 1, 2))

    rows = money_over_time(Initiative.objects.filter(pk=initiative.pk))

    assert [(r["year"], r["committed"], r["disbursed"]) for r in rows] == [
        (2023, Decimal("1000.00"), Decimal("100.00")),
        (2024, Decimal(0), Decimal("10.00")),
        (2025, Decimal("1000.00"), Decimal(0)),
    ]


# Query counts


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def _reads(partnership: Partnership, viewer: User | AnonymousUser) -> list[int]:
    """Count the queries of each read of the partnership's initiatives."""
    initiatives = Initiative.objects.filter(partnership=partnership)
    filters = PortfolioFilters(partnership=partnership.slug)
    last = initiatives.last()
    assert last is not None

    def listed() -> None:
        shown = [
            (i.partnership.slug, *_money_of(i))
            for i in initiative_list(viewer=viewer, filters=filters)
        ]
        assert shown

    def got() -> None:
        initiative_get(viewer=viewer, partnership_slug=partnership.slug, slug=last.slug)

    return [
        _queries(listed),
        _queries(lambda: money_by_contributor(initiatives)),
        _queries(lambda: money_over_time(initiatives)),
        _queries(got),
    ]


def _add_funded(partnership: Partnership, n: int) -> None:
    for index in range(n):
        initiative = InitiativeFactory(partnership=partnership)
        _money(initiative, C, "1000.00", "USD", date(2024, 3, 1), provider=OrganisationFactory())
        _money(initiative, D, "10.00", "EUR", date(2024 + index % 2, 3, 1))


@pytest.mark.parametrize("role", ["visitor", "member", "platform_admin"])
def test_reads_take_a_fixed_number_of_queries(rates, world, role):
    viewer = world.viewer(role)
    _add_funded(world.partnership, 1)
    few = _reads(world.partnership, viewer)
    _add_funded(world.partnership, 6)
    many = _reads(world.partnership, viewer)

    assert few == many
    # The list and the detail: one query, plus one when the viewer's second factor is
    # checked; the sums: one query each.
    assert many[0] <= 2
    assert many[1:3] == [1, 1]
    assert many[3] <= 2


def test_the_list_for_a_signed_in_member_takes_a_fixed_number_of_queries(world):
    member = world.person("member")
    for _n in range(5):
        InitiativeFactory(partnership=world.partnership, visibility=Visibility.MEMBERS)

    def listed() -> None:
        list(initiative_list(viewer=member, filters=PortfolioFilters()))

    assert _queries(listed) <= 2
