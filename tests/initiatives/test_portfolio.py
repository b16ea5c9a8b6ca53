"""The initiative pages: portfolio lists, filters, downloads, the initiative, the trace."""

# The shared fixtures (world, client_as) are imported, so test arguments redefine them.
# ruff: noqa: F811

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from puente.agenda.models import Agenda, AgendaItem, AgendaVersion
from puente.dialogues.models import Statement
from puente.initiatives.models import (
    ActivityStatus,
    Initiative,
    Milestone,
    OrganisationRole,
    TransactionType,
    Visibility,
)
from tests.accounts.factories import UserFactory
from tests.dialogues.conftest import World, client_as, world  # noqa: F401  # shared fixtures
from tests.dialogues.factories import StatementFactory
from tests.initiatives.factories import (
    BudgetFactory,
    ExchangeRateFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    InitiativeFactory,
    MilestoneFactory,
    ParticipantFactory,
    PlaceFactory,
    RecipientCountryFactory,
    ResultFactory,
    SectorFactory,
    TransactionFactory,
)
from tests.initiatives.sheets import csv_rows, xlsx_rows
from tests.stakeholders.factories import OrganisationFactory

PORTFOLIO = reverse("initiatives:portfolio")


@dataclass
class Portfolio:
    world: World
    bella: Initiative  # public, EU funder, Chile, connectivity, serves the item
    copernicus: Initiative  # public, other funder, Panama, earth observation, pipeline
    secret: Initiative  # members only
    hidden_partnership: Initiative  # public initiative of the members-only partnership
    item: AgendaItem
    statement: Statement
    funder: object

    @property
    def version(self):
        return self.item.version


def _published_item(dialogue, statement, text):
    """Return the one item of a new published version of the dialogue's agenda."""
    agenda, _created = Agenda.objects.get_or_create(
        dialogue=dialogue, defaults={"title": "Joint agenda 2027"}
    )
    version = AgendaVersion.objects.create(agenda=agenda)
    item = AgendaItem.objects.create(version=version, position=1, text=text, original_language="en")
    item.statements.add(statement)
    # Published last: the database refuses new items and statements in a published version.
    AgendaVersion.objects.filter(pk=version.pk).update(
        status=AgendaVersion.Status.PUBLISHED,
        number=agenda.versions.exclude(number=None).count() + 1,
        published_at=timezone.now(),
    )
    item.refresh_from_db()
    return item


@pytest.fixture
def portfolio(world):
    funder = OrganisationFactory(name="European Commission", slug="european-commission")
    other_funder = OrganisationFactory(name="Development Bank", slug="development-bank")
    bella = InitiativeFactory(
        partnership=world.partnership,
        title="BELLA extension",
        slug="bella",
        description="Fibre for **research** networks.",
        themes=["connectivity"],
    )
    SectorFactory(initiative=bella, code="22040")
    RecipientCountryFactory(initiative=bella, country="CL")
    ParticipantFactory(initiative=bella, organisation=funder, role=OrganisationRole.FUNDING)
    TransactionFactory(initiative=bella, provider=funder, value=Decimal("1000000.00"))
    TransactionFactory(
        initiative=bella,
        provider=funder,
        type=TransactionType.DISBURSEMENT,
        value=Decimal("400000.00"),
        date=date(2025, 2, 1),
        value_date=date(2025, 2, 1),
    )
    copernicus = InitiativeFactory(
        partnership=world.partnership,
        title="Copernicus centre",
        slug="copernicus",
        description="Earth observation data for disaster response.",
        status=ActivityStatus.PIPELINE,
        themes=["earth-observation"],
    )
    SectorFactory(initiative=copernicus, code="41010")
    RecipientCountryFactory(initiative=copernicus, country="PA")
    ParticipantFactory(
        initiative=copernicus, organisation=other_funder, role=OrganisationRole.FUNDING
    )
    secret = InitiativeFactory(
        partnership=world.partnership,
        title="Secret cable",
        slug="secret-cable",
        visibility=Visibility.MEMBERS,
    )
    RecipientCountryFactory(initiative=secret, country="UY")
    TransactionFactory(initiative=secret, provider=funder, value=Decimal("777.00"))
    hidden_partnership = InitiativeFactory(
        partnership=world.members_only, title="Hidden satellites", slug="hidden-satellites"
    )
    statement = StatementFactory(dialogue=world.dialogue, text="Research networks matter.")
    item = _published_item(
        world.dialogue,
        statement,
        {"en": "Connect research networks", "es": "Conectar las redes de investigación"},
    )
    bella.agenda_items.add(item)
    secret.agenda_items.add(item)
    return Portfolio(
        world=world,
        bella=bella,
        copernicus=copernicus,
        secret=secret,
        hidden_partnership=hidden_partnership,
        item=item,
        statement=statement,
        funder=funder,
    )


def _titles(response):
    return [initiative.title for initiative in response.context["initiatives"]]


# Visibility


@pytest.mark.django_db
def test_a_visitor_sees_only_public_initiatives_of_public_partnerships(portfolio, client):
    response = client.get(PORTFOLIO)
    assert response.status_code == 200
    assert _titles(response) == ["BELLA extension", "Copernicus centre"]
    assert "Secret cable" not in response.text
    assert "Hidden satellites" not in response.text
    assert "2 initiatives" in response.text


@pytest.mark.django_db
def test_a_member_sees_the_members_only_initiatives_too(portfolio, client_as):
    response = client_as(portfolio.world.person("member")).get(PORTFOLIO)
    assert _titles(response) == [
        "BELLA extension",
        "Copernicus centre",
        "Hidden satellites",
        "Secret cable",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["visitor", "stranger", "outsider"])
def test_outsiders_never_see_a_members_only_initiative(portfolio, client_as, role):
    client = client_as(portfolio.world.person(role))
    secret = portfolio.secret
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(portfolio.hidden_partnership.get_absolute_url()).status_code == 404
    for fmt in ("csv", "xlsx"):
        response = client.get(PORTFOLIO, {"format": fmt})
        assert response.status_code == 200
        assert b"Secret cable" not in response.content
    rows = csv_rows(client.get(PORTFOLIO, {"format": "csv"}))
    assert len(rows) == 3  # the header and the two public initiatives
    # The members-only initiative's country is not offered as a filter either.
    page = client.get(PORTFOLIO)
    assert "UY" not in dict(page.context["options"]["countries"])
    trace = client.get(_trace_url(portfolio))
    assert "Secret cable" not in trace.text
    version = client.get(portfolio.version.get_absolute_url())
    assert "Secret cable" not in version.text


@pytest.mark.django_db
def test_the_partnership_list_of_a_members_only_partnership_is_404_to_outsiders(
    portfolio, client_as
):
    url = reverse(
        "initiatives:partnership-portfolio",
        kwargs={"partnership_slug": portfolio.world.members_only.slug},
    )
    assert client_as(None).get(url).status_code == 404
    assert client_as(portfolio.world.person("outsider")).get(url).status_code == 404
    assert client_as(portfolio.world.person("member")).get(url).status_code == 200


@pytest.mark.django_db
def test_the_partnership_list_shows_only_that_partnership(portfolio, client_as):
    url = reverse(
        "initiatives:partnership-portfolio",
        kwargs={"partnership_slug": portfolio.world.members_only.slug},
    )
    response = client_as(portfolio.world.person("member")).get(url)
    assert _titles(response) == ["Hidden satellites"]


@pytest.mark.django_db
def test_an_unknown_initiative_or_partnership_is_404(portfolio, client):
    slug = portfolio.world.partnership.slug
    assert client.get(f"/partnerships/{slug}/initiatives/nope/").status_code == 404
    assert client.get("/partnerships/nope/initiatives/bella/").status_code == 404
    assert client.get("/partnerships/nope/initiatives/").status_code == 404


# Filters and search


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": ActivityStatus.PIPELINE}, ["Copernicus centre"]),
        ({"country": "CL"}, ["BELLA extension"]),
        ({"country": "pa"}, ["Copernicus centre"]),
        ({"sector": "41010"}, ["Copernicus centre"]),
        ({"contributor": "european-commission"}, ["BELLA extension"]),
        ({"contributor": "development-bank"}, ["Copernicus centre"]),
        ({"theme": "earth-observation"}, ["Copernicus centre"]),
        ({"q": "disaster"}, ["Copernicus centre"]),
        ({"q": "BELLA"}, ["BELLA extension"]),
        ({"q": "nothing like this"}, []),
        ({"status": "99"}, ["BELLA extension", "Copernicus centre"]),  # unknown: ignored
        ({"agenda_item": "x"}, ["BELLA extension", "Copernicus centre"]),
    ],
)
def test_each_filter_narrows_the_list(portfolio, client, query, expected):
    response = client.get(PORTFOLIO, query)
    assert response.status_code == 200
    assert _titles(response) == expected


@pytest.mark.django_db
def test_the_agenda_item_filter(portfolio, client_as):
    query = {"agenda_item": str(portfolio.item.pk)}
    assert _titles(client_as(None).get(PORTFOLIO, query)) == ["BELLA extension"]
    member = client_as(portfolio.world.person("member"))
    assert _titles(member.get(PORTFOLIO, query)) == ["BELLA extension", "Secret cable"]


@pytest.mark.django_db
def test_the_partnership_filter_of_the_global_list(portfolio, client_as):
    member = client_as(portfolio.world.person("member"))
    response = member.get(PORTFOLIO, {"partnership": portfolio.world.members_only.slug})
    assert _titles(response) == ["Hidden satellites"]
    assert ("copernicus-lac", "Copernicus LAC") in response.context["options"]["partnerships"]


@pytest.mark.django_db
def test_an_empty_search_says_so_and_offers_the_whole_list(portfolio, client):
    response = client.get(PORTFOLIO, {"q": "zzz"})
    assert "No initiative matches your search." in response.text
    assert f'href="{PORTFOLIO}"' in response.text


@pytest.mark.django_db
def test_an_empty_portfolio_says_so(world, client):
    response = client.get(PORTFOLIO)
    assert "No initiative has been recorded yet." in response.text


@pytest.mark.django_db
def test_htmx_gets_only_the_rows(portfolio, client):
    response = client.get(PORTFOLIO, {"q": "BELLA"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.startswith('<div id="portfolio-rows">')
    assert "BELLA extension" in response.text


@pytest.mark.django_db
def test_the_list_is_paginated(world, client):
    for n in range(30):
        InitiativeFactory(partnership=world.partnership, title=f"Initiative {n:02}")
    first = client.get(PORTFOLIO)
    assert len(first.context["initiatives"]) == 25
    assert "Page 1 of 2" in first.text
    second = client.get(PORTFOLIO, {"page": 2})
    assert _titles(second) == [f"Initiative {n:02}" for n in range(25, 30)]


# Downloads


@pytest.mark.django_db
def test_the_csv_holds_the_filtered_list_with_money_in_eur(portfolio, client):
    response = client.get(PORTFOLIO, {"format": "csv", "country": "CL"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:2] == ["iati_identifier", "title"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["title"] == "BELLA extension"
    assert row["recipient_countries"] == "CL"
    assert Decimal(row["committed_eur"]) == Decimal("1000000.00")
    assert Decimal(row["disbursed_eur"]) == Decimal("400000.00")
    assert row["url"].endswith(portfolio.bella.get_absolute_url())


@pytest.mark.django_db
def test_the_xlsx_holds_the_same_rows_with_money_as_numbers(portfolio, client):
    response = client.get(PORTFOLIO, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *rows = xlsx_rows(response)
    assert header[1] == "title"
    assert [row[1] for row in rows] == ["BELLA extension", "Copernicus centre"]
    committed = header.index("committed_eur")
    assert rows[0][committed] == 1_000_000
    assert isinstance(rows[0][committed], int | float)


@pytest.mark.django_db
@pytest.mark.parametrize("dangerous", ["=HYPERLINK(1)", "+1+1", "-2", "@SUM(A1)"])
def test_downloads_neutralise_formulas_in_user_text(world, client, dangerous):
    InitiativeFactory(partnership=world.partnership, title=dangerous)
    csv_title = csv_rows(client.get(PORTFOLIO, {"format": "csv"}))[1][1]
    assert csv_title == "'" + dangerous
    xlsx_title = xlsx_rows(client.get(PORTFOLIO, {"format": "xlsx"}))[1][1]
    assert xlsx_title == "'" + dangerous


@pytest.mark.django_db
def test_the_page_links_to_both_downloads_with_the_filters(portfolio, client):
    response = client.get(PORTFOLIO, {"country": "CL", "page": "1"})
    assert "?country=CL&amp;format=csv" in response.text
    assert "?country=CL&amp;format=xlsx" in response.text


# Query budget


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_list_reads_a_fixed_number_of_queries(
    world,
    client_as,
    django_assert_max_num_queries,
):
    client = client_as(world.person("member"))

    def add(n):
        for _ in range(n):
            initiative = InitiativeFactory(partnership=world.partnership)
            RecipientCountryFactory(initiative=initiative)
            SectorFactory(initiative=initiative)
            ParticipantFactory(initiative=initiative)
            TransactionFactory(initiative=initiative)

    add(2)
    few = _count_queries(client, PORTFOLIO)
    add(20)
    many = _count_queries(client, PORTFOLIO)
    assert many == few
    with django_assert_max_num_queries(20):
        client.get(PORTFOLIO)
    csv_few = _count_queries(client, PORTFOLIO + "?format=csv")
    add(5)
    assert _count_queries(client, PORTFOLIO + "?format=csv") == csv_few


@pytest.mark.django_db
def test_the_initiative_page_reads_a_bounded_number_of_queries(
    portfolio, client, django_assert_max_num_queries
):
    for _ in range(5):
        MilestoneFactory(initiative=portfolio.bella)
        IndicatorPeriodFactory(
            indicator=IndicatorFactory(result=ResultFactory(initiative=portfolio.bella))
        )
        TransactionFactory(initiative=portfolio.bella)
    with django_assert_max_num_queries(30):
        assert client.get(portfolio.bella.get_absolute_url()).status_code == 200


# The initiative's page


@pytest.mark.django_db
def test_the_initiative_page_shows_every_section(portfolio, client):
    bella = portfolio.bella
    MilestoneFactory(
        initiative=bella,
        title="Route survey",
        planned_date=date(2024, 5, 1),
        actual_date=date(2024, 6, 1),
        status=Milestone.Status.REACHED,
    )
    IndicatorPeriodFactory(
        indicator=IndicatorFactory(
            result=ResultFactory(initiative=bella, title="Universities linked"),
            title="Universities linked",
        ),
        target=Decimal(100),
        actual=Decimal(40),
    )
    PlaceFactory(initiative=bella, name="Santiago data centre")
    BudgetFactory(initiative=bella, value=Decimal("500000.00"))
    response = client.get(bella.get_absolute_url())
    assert response.status_code == 200
    assert response.templates[0].name == "initiatives/initiative_detail.html"
    text = response.text
    # Description as Markdown.
    assert "<strong>research</strong>" in text
    # Sector with its name, country with its share, funder linking to the directory.
    assert "Information and communication technology (ICT)" in text
    assert "Chile: 100 %" in text
    assert portfolio.funder.get_absolute_url() in text
    # Money, milestone, result progress, place, budget.
    assert "1,000,000&nbsp;EUR" in text
    assert "400,000&nbsp;EUR" in text
    assert "Route survey" in text
    assert "Reached" in text
    assert 'value="40"' in text
    assert "40 % of the way to the target" in text
    assert "Santiago data centre" in text
    assert "Point" in text
    assert "500,000.00&nbsp;EUR" in text
    # Why: the agenda item, its version page and the statement behind it.
    assert "Connect research networks" in text
    assert portfolio.version.get_absolute_url() in text
    assert portfolio.statement.get_absolute_url() in text
    assert _trace_url(portfolio) in text


@pytest.mark.django_db
def test_a_usd_transaction_converts_at_the_latest_earlier_rate(portfolio, client):
    ExchangeRateFactory(currency="USD", date=date(2025, 1, 1), rate=Decimal("1.2500000000"))
    ExchangeRateFactory(currency="USD", date=date(2025, 3, 1), rate=Decimal("1.0000000000"))
    ExchangeRateFactory(currency="USD", date=date(2025, 6, 1), rate=Decimal("2.0000000000"))
    TransactionFactory(
        initiative=portfolio.bella,
        provider=portfolio.funder,
        type=TransactionType.DISBURSEMENT,
        value=Decimal("1000.00"),
        currency="USD",
        date=date(2025, 4, 1),
        value_date=date(2025, 4, 1),
    )
    response = client.get(portfolio.bella.get_absolute_url())
    transaction = response.context["transactions"][-1]
    assert transaction.rate == Decimal(1)
    text = response.text
    assert "1,000.00&nbsp;USD" in text
    assert "1,000.00&nbsp;EUR" in text
    # Disbursed: 400,000 EUR and 1,000 USD at 1 USD per EUR.
    assert "401,000&nbsp;EUR" in text
    row = next(row for row in response.context["by_contributor"] if row["provider__slug"])
    assert row["disbursed"] == Decimal("401000.00")


@pytest.mark.django_db
def test_a_transaction_without_a_rate_says_so(portfolio, client):
    TransactionFactory(
        initiative=portfolio.bella,
        value=Decimal("50.00"),
        currency="BRL",
        date=date(2020, 1, 1),
        value_date=date(2020, 1, 1),
    )
    response = client.get(portfolio.bella.get_absolute_url())
    assert "no rate" in response.text


@pytest.mark.django_db
def test_the_edit_link_shows_only_to_editors_and_only_when_the_page_exists(portfolio, client_as):
    url = portfolio.bella.get_absolute_url()
    visitor = client_as(None).get(url)
    assert visitor.context["edit_url"] is None
    try:
        edit = reverse(
            "initiatives:initiative-edit",
            kwargs={"partnership_slug": portfolio.world.partnership.slug, "slug": "bella"},
        )
    except NoReverseMatch:  # the edit pages may not exist yet
        edit = None
    facilitator = client_as(portfolio.world.person("facilitator")).get(url)
    assert facilitator.context["edit_url"] == edit


@pytest.mark.django_db
def test_a_member_reads_the_members_only_initiative(portfolio, client_as):
    response = client_as(portfolio.world.person("member")).get(portfolio.secret.get_absolute_url())
    assert response.status_code == 200
    assert "Partnership members only" in response.text


@pytest.mark.django_db
def test_the_page_speaks_spanish(portfolio, client):
    response = client.get(portfolio.bella.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    assert "Conectar las redes de investigación" in response.text
    assert 'lang="es"' in response.text


# The trace


def _trace_url(portfolio, item=None):
    return reverse(
        "initiatives:agenda-item-trace",
        kwargs={
            "partnership_slug": portfolio.world.partnership.slug,
            "item_id": (item or portfolio.item).pk,
        },
    )


@pytest.mark.django_db
def test_the_trace_runs_from_statements_to_results(portfolio, client):
    IndicatorPeriodFactory(
        indicator=IndicatorFactory(result=ResultFactory(initiative=portfolio.bella)),
        target=Decimal(10),
        actual=Decimal(5),
    )
    response = client.get(_trace_url(portfolio))
    assert response.status_code == 200
    text = response.text
    assert portfolio.statement.get_absolute_url() in text
    assert "Connect research networks" in text
    assert portfolio.bella.get_absolute_url() in text
    assert "1,000,000&nbsp;EUR" in text
    assert "50 % of the way to the target" in text
    assert "Secret cable" not in text


@pytest.mark.django_db
def test_the_trace_of_a_draft_or_foreign_item_is_404(portfolio, client_as):
    draft = AgendaVersion.objects.create(agenda=portfolio.item.version.agenda)
    draft_item = AgendaItem.objects.create(
        version=draft, position=1, text={"en": "Draft"}, original_language="en"
    )
    client = client_as(portfolio.world.person("facilitator"))
    assert client.get(_trace_url(portfolio, draft_item)).status_code == 404
    other = reverse(
        "initiatives:agenda-item-trace",
        kwargs={
            "partnership_slug": portfolio.world.members_only.slug,
            "item_id": portfolio.item.pk,
        },
    )
    assert client.get(other).status_code == 404
    assert (
        client.get(_trace_url(portfolio).replace(str(portfolio.item.pk), "999999")).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_trace_of_an_item_in_a_members_only_partnership_is_404_to_outsiders(
    portfolio, client_as
):
    world = portfolio.world
    statement = StatementFactory(dialogue=world.hidden_dialogue)
    item = _published_item(world.hidden_dialogue, statement, {"en": "Hidden"})
    url = reverse(
        "initiatives:agenda-item-trace",
        kwargs={"partnership_slug": world.members_only.slug, "item_id": item.pk},
    )
    assert client_as(None).get(url).status_code == 404
    assert client_as(UserFactory()).get(url).status_code == 404
    assert client_as(world.person("member")).get(url).status_code == 200


# Other pages


@pytest.mark.django_db
def test_the_agenda_version_page_lists_the_initiatives_under_each_item(portfolio, client_as):
    response = client_as(None).get(portfolio.version.get_absolute_url())
    assert response.status_code == 200
    assert "Initiatives that answer it" in response.text
    assert portfolio.bella.get_absolute_url() in response.text
    assert _trace_url(portfolio) in response.text
    member = client_as(portfolio.world.person("member")).get(portfolio.version.get_absolute_url())
    assert portfolio.secret.get_absolute_url() in member.text


@pytest.mark.django_db
def test_the_partnership_page_lists_its_initiatives(portfolio, client):
    response = client.get(portfolio.world.partnership.get_absolute_url())
    assert response.status_code == 200
    assert portfolio.bella.get_absolute_url() in response.text
    assert "Secret cable" not in response.text
    assert (
        reverse(
            "initiatives:partnership-portfolio",
            kwargs={"partnership_slug": portfolio.world.partnership.slug},
        )
        in response.text
    )


@pytest.mark.django_db
def test_the_main_navigation_links_to_the_portfolio(client):
    assert f'href="{PORTFOLIO}"' in client.get("/").text


# The pages' cached parts follow every write (see puente/initiatives/portfolio_cache.py)


def _add_money(portfolio, value, *, currency="EUR", on=date(2025, 3, 1)):
    """Record a commitment to BELLA through the service, as the edit page does."""
    from puente.initiatives.models import Transaction
    from puente.initiatives.services import part_save

    return part_save(
        actor=portfolio.world.person("facilitator"),
        part=Transaction(
            initiative=portfolio.bella,
            type=TransactionType.COMMITMENT,
            date=on,
            value=Decimal(value),
            currency=currency,
            value_date=on,
            provider=portfolio.funder,
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    [
        "portfolio",
        "partnership-portfolio",
        "initiative",
        "dashboard",
    ],
)
def test_a_page_shows_new_money_at_once(portfolio, client, page):
    url = {
        "portfolio": PORTFOLIO,
        "partnership-portfolio": reverse(
            "initiatives:partnership-portfolio",
            kwargs={"partnership_slug": portfolio.world.partnership.slug},
        ),
        "initiative": portfolio.bella.get_absolute_url(),
        "dashboard": reverse("initiatives:dashboard"),
    }[page]
    assert "1,000,000" in client.get(url).text
    assert "1,000,000" in client.get(url).text  # from the cache now

    _add_money(portfolio, "250000.00")

    text = client.get(url).text
    assert "1,250,000" in text


@pytest.mark.django_db
def test_new_rates_convert_the_stored_amounts_again_and_the_page_follows(portfolio, client):
    from puente.initiatives.services import exchange_rates_import

    ExchangeRateFactory(currency="USD", date=date(2025, 1, 2), rate=Decimal("2.0000000000"))
    transaction = _add_money(portfolio, "1000.00", currency="USD")
    assert (transaction.rate, transaction.eur) == (Decimal(2), Decimal("500.00"))
    url = portfolio.bella.get_absolute_url()
    assert "500.00&nbsp;EUR" in client.get(url).text

    exchange_rates_import(text="currency,date,rate\nUSD,2025-02-03,1.25\n")

    transaction.refresh_from_db()
    assert (transaction.rate, transaction.eur) == (Decimal("1.25"), Decimal("800.00"))
    text = client.get(url).text
    assert "800.00&nbsp;EUR" in text
    assert "500.00&nbsp;EUR" not in text


@pytest.mark.django_db
def test_a_rate_after_the_value_date_leaves_the_stored_amount_alone(portfolio):
    from puente.initiatives.services import exchange_rates_import

    ExchangeRateFactory(currency="USD", date=date(2025, 1, 2), rate=Decimal("2.0000000000"))
    transaction = _add_money(portfolio, "1000.00", currency="USD")

    exchange_rates_import(text="currency,date,rate\nUSD,2025-03-02,4\nBRL,2025-01-01,5\n")

    transaction.refresh_from_db()
    assert (transaction.rate, transaction.eur) == (Decimal(2), Decimal("500.00"))


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["portfolio", "dashboard", "initiative"])
def test_what_a_member_was_shown_never_reaches_a_visitor(portfolio, client_as, client, page):
    url = {
        "portfolio": PORTFOLIO,
        "dashboard": reverse("initiatives:dashboard"),
        "initiative": portfolio.bella.get_absolute_url(),
    }[page]
    member_page = client_as(portfolio.world.person("facilitator")).get(url).text
    client.logout()

    visitor_page = client.get(url).text

    if page == "initiative":  # the facilitator may edit: the visitor gets no edit links
        assert "Add a transaction" in member_page
        assert "Add a transaction" not in visitor_page
    elif page == "portfolio":
        assert "Secret cable" in member_page
        assert "Secret cable" not in visitor_page
    else:  # the members-only initiative's EUR 777 counted for the member only
        assert "1,000,777" in member_page
        assert "1,000,777" not in visitor_page


@pytest.mark.django_db
def test_a_hidden_statement_leaves_the_initiative_page_at_once(portfolio, client):
    from puente.dialogues.services.statements import statement_hide

    url = portfolio.bella.get_absolute_url()
    assert "Research networks matter." in client.get(url).text

    statement_hide(
        actor=portfolio.world.person("facilitator"),
        statement=portfolio.statement,
        reason="Off topic",
    )

    assert "Research networks matter." not in client.get(url).text


@pytest.mark.django_db
def test_a_renamed_agenda_shows_on_the_initiative_page_at_once(portfolio, client):
    url = portfolio.bella.get_absolute_url()
    agenda = portfolio.item.version.agenda
    assert agenda.title in client.get(url).text

    agenda.title = "Renamed joint agenda"
    agenda.save()

    assert "Renamed joint agenda" in client.get(url).text


@pytest.mark.django_db
def test_only_those_who_may_add_an_initiative_see_the_button(portfolio, client_as, client):
    url = reverse(
        "initiatives:partnership-portfolio",
        kwargs={"partnership_slug": portfolio.world.partnership.slug},
    )
    create = reverse(
        "initiatives:initiative-create",
        kwargs={"partnership_slug": portfolio.world.partnership.slug},
    )
    assert create not in client.get(url).text  # a visitor, first: cached without the button

    assert create in client_as(portfolio.world.person("facilitator")).get(url).text
    assert create not in client_as(portfolio.world.person("member")).get(url).text
