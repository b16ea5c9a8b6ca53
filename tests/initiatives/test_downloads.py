"""Every list of initiatives downloads as CSV and XLSX: the pledge scorecard, the exchange
rates and the map's places (the portfolio's downloads are in test_portfolio). Each file
holds what its page shows to the same person, no more, with formulas neutralised."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from puente.initiatives.downloads import (
    EXCHANGE_RATE_COLUMNS,
    PLACE_COLUMNS,
    PLEDGE_COLUMNS,
)
from puente.initiatives.models import Place, Pledge, Visibility
from puente.partnerships.models import Partnership
from tests.api.conftest import ROLES, World
from tests.api.conftest import world as api_world  # noqa: F401  # the fixture below uses it
from tests.initiatives.factories import (
    ExchangeRateFactory,
    InitiativeFactory,
    PlaceFactory,
    PledgeFactory,
)
from tests.initiatives.sheets import csv_rows, xlsx_rows
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DANGEROUS = ["=HYPERLINK(1)", "+1+1", "-2", "@SUM(A1)"]
# Roles of tests/api/conftest.py that read a members-only partnership or initiative.
INSIDERS = frozenset({"member", "org_admin", "facilitator", "platform_admin"})


@pytest.fixture
def world(api_world: World) -> World:  # noqa: F811  # the imported fixture
    """An organisation, its member and admin, a facilitated partnership, people per role."""
    return api_world


def _as_dicts(rows: list[list[Any]]) -> list[dict[str, Any]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def _assert_attachment(response: Any, fmt: str, stem: str) -> None:
    assert response.status_code == 200
    kind = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats"
    assert response["Content-Type"].startswith(kind)
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{stem}-')
    assert disposition.endswith(f'.{fmt}"')


# Pledges.


def _pledges_url(partnership: Partnership) -> str:
    return reverse("initiatives:pledges", args=[partnership.slug])


@pytest.fixture
def pledged(world: World) -> dict[str, Any]:
    """A money pledge to a public initiative and a fulfilled one to a members-only one."""
    public = InitiativeFactory(partnership=world.partnership, title="RedCLARA backbone")
    hidden = InitiativeFactory(
        partnership=world.partnership, title="Members' data space", visibility=Visibility.MEMBERS
    )
    money = PledgeFactory(
        partnership=world.partnership,
        organisation=OrganisationFactory(name="European Investment Bank"),
        initiative=public,
        kind=Pledge.Kind.MONEY,
        description="Loan for the backbone",
        amount=Decimal("2500000.00"),
        currency="EUR",
        made_at="EU-LAC summit 2023",
        due_date=date(2026, 6, 30),
    )
    data = PledgeFactory(
        partnership=world.partnership,
        organisation=world.organisation,
        initiative=hidden,
        kind=Pledge.Kind.DATA,
        description="Satellite data",
        status=Pledge.Status.FULFILLED,
        due_date=date(2027, 1, 31),
    )
    return {"public": public, "hidden": hidden, "money": money, "data": data}


def test_the_pledge_csv_holds_the_scorecard_rows(world, pledged):
    response = Client().get(_pledges_url(world.partnership), {"format": "csv"})
    _assert_attachment(response, "csv", f"pledges-{world.partnership.slug}")
    rows = csv_rows(response)
    assert tuple(rows[0]) == PLEDGE_COLUMNS
    first = _as_dicts(rows)[0]
    assert first == {
        "description": "Loan for the backbone",
        "organisation": "European Investment Bank",
        "kind": "Money",
        "amount": "2500000.00",
        "currency": "EUR",
        "made_at": "EU-LAC summit 2023",
        "due_date": "2026-06-30",
        "status": "Open",
        "initiative": "RedCLARA backbone",
        "initiative_url": "http://testserver" + pledged["public"].get_absolute_url(),
    }


def test_the_pledge_xlsx_holds_amounts_as_numbers(world, pledged):
    response = Client().get(_pledges_url(world.partnership), {"format": "xlsx"})
    _assert_attachment(response, "xlsx", f"pledges-{world.partnership.slug}")
    rows = _as_dicts(xlsx_rows(response))
    assert [row["description"] for row in rows] == ["Loan for the backbone", "Satellite data"]
    assert rows[0]["amount"] == 2_500_000
    assert isinstance(rows[0]["amount"], int | float)
    assert rows[1]["amount"] is None


def test_the_pledge_download_keeps_the_status_filter(world, pledged):
    response = Client().get(
        _pledges_url(world.partnership), {"status": "fulfilled", "format": "csv"}
    )
    assert [row["description"] for row in _as_dicts(csv_rows(response))] == ["Satellite data"]


@pytest.mark.parametrize("dangerous", DANGEROUS)
def test_the_pledge_downloads_neutralise_formulas(world, dangerous):
    PledgeFactory(
        partnership=world.partnership,
        organisation=OrganisationFactory(name=dangerous),
        description=dangerous,
        made_at=dangerous,
    )
    url = _pledges_url(world.partnership)
    for read, fmt in ((csv_rows, "csv"), (xlsx_rows, "xlsx")):
        (row,) = _as_dicts(read(Client().get(url, {"format": fmt})))
        assert row["description"] == row["organisation"] == row["made_at"] == "'" + dangerous


@pytest.mark.parametrize("role", ROLES)
def test_a_members_only_initiative_is_named_to_its_readers_only(world, pledged, role):
    client = world.page_client(role)
    rows = _as_dicts(csv_rows(client.get(_pledges_url(world.partnership), {"format": "csv"})))
    data = next(row for row in rows if row["description"] == "Satellite data")
    page = client.get(_pledges_url(world.partnership)).content.decode()
    if role in INSIDERS:
        assert data["initiative"] == "Members' data space"
        assert data["initiative_url"].endswith(pledged["hidden"].get_absolute_url())
        assert pledged["hidden"].get_absolute_url() in page
    else:
        assert (data["initiative"], data["initiative_url"]) == ("", "")
        # The page hides it too: neither its link nor its title.
        assert pledged["hidden"].get_absolute_url() not in page
        assert "Members&#x27; data space" not in page


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_members_only_partnerships_pledges_never_leak(world, role, fmt):
    world.partnership.visibility = Partnership.Visibility.MEMBERS
    world.partnership.save()
    PledgeFactory(partnership=world.partnership, description="Confidential promise")
    response = world.page_client(role).get(_pledges_url(world.partnership), {"format": fmt})
    if role in INSIDERS:
        assert response.status_code == 200
        assert "Confidential promise" in str(
            xlsx_rows(response) if fmt == "xlsx" else response.content
        )
    else:
        assert response.status_code == 404
        assert b"Confidential promise" not in response.content


def test_the_pledge_page_links_to_both_downloads_with_its_filter(world, pledged):
    html = Client().get(_pledges_url(world.partnership), {"status": "fulfilled"}).content.decode()
    assert "?status=fulfilled&amp;format=csv" in html
    assert "?status=fulfilled&amp;format=xlsx" in html


# Exchange rates.

RATES_URL = "/initiatives/exchange-rates/"


@pytest.fixture
def rates() -> None:
    ExchangeRateFactory(currency="USD", date=date(2024, 1, 2), rate=Decimal("1.0956"), source="ECB")
    ExchangeRateFactory(currency="USD", date=date(2024, 2, 1), rate=Decimal("1.0800"), source="ECB")
    ExchangeRateFactory(currency="BRL", date=date(2024, 1, 2), rate=Decimal("5.3624"), source="ECB")


def test_the_rates_csv_holds_every_rate_by_currency_then_newest(rates):
    response = Client().get(RATES_URL, {"format": "csv"})
    _assert_attachment(response, "csv", "exchange-rates")
    rows = csv_rows(response)
    assert tuple(rows[0]) == EXCHANGE_RATE_COLUMNS
    assert rows[1:] == [
        ["BRL", "2024-01-02", "5.3624", "ECB"],
        ["USD", "2024-02-01", "1.08", "ECB"],
        ["USD", "2024-01-02", "1.0956", "ECB"],
    ]


def test_the_rates_download_keeps_the_currency_filter_and_holds_numbers(rates):
    response = Client().get(RATES_URL, {"currency": "usd", "format": "xlsx"})
    _assert_attachment(response, "xlsx", "exchange-rates")
    rows = _as_dicts(xlsx_rows(response))
    assert [(row["currency"], row["date"]) for row in rows] == [
        ("USD", "2024-02-01"),
        ("USD", "2024-01-02"),
    ]
    assert rows[1]["units_per_euro"] == pytest.approx(1.0956)


@pytest.mark.parametrize("dangerous", DANGEROUS)
def test_the_rates_downloads_neutralise_formulas(dangerous):
    ExchangeRateFactory(source=dangerous)
    for read, fmt in ((csv_rows, "csv"), (xlsx_rows, "xlsx")):
        (row,) = _as_dicts(read(Client().get(RATES_URL, {"format": fmt})))
        assert row["source"] == "'" + dangerous


def test_the_rates_page_links_to_both_downloads_with_its_filter(rates):
    html = Client().get(RATES_URL, {"currency": "USD"}).content.decode()
    assert "?currency=USD&amp;format=csv" in html
    assert "?currency=USD&amp;format=xlsx" in html


# The map's places.

PLACES_URL = "/initiatives/map/places/"


@pytest.fixture
def places(world: World) -> dict[str, Place]:
    public = InitiativeFactory(partnership=world.partnership, title="Public cable")
    hidden = InitiativeFactory(
        partnership=world.partnership, title="Secret centre", visibility=Visibility.MEMBERS
    )
    return {
        "cable": PlaceFactory(
            initiative=public,
            name="Sines to Fortaleza",
            kind=Place.Kind.CABLE,
            geometry={"type": "LineString", "coordinates": [[-8.87, 37.95], [-38.54, -3.72]]},
        ),
        "secret": PlaceFactory(initiative=hidden, name="Secret data centre"),
    }


def test_the_places_csv_holds_the_maps_table(world, places):
    response = Client().get(PLACES_URL, {"format": "csv"})
    _assert_attachment(response, "csv", "places")
    rows = csv_rows(response)
    assert tuple(rows[0]) == PLACE_COLUMNS
    (cable,) = _as_dicts(rows)
    assert cable == {
        "initiative": "Public cable",
        "place": "Sines to Fortaleza",
        "kind": "Cable segment",
        "status": "Implementation",
        "latitude": "37.95",
        "longitude": "-8.87",
        "geometry": '{"type":"LineString","coordinates":[[-8.87,37.95],[-38.54,-3.72]]}',
        "url": "http://testserver" + places["cable"].initiative.get_absolute_url(),
    }


def test_the_places_xlsx_holds_positions_as_numbers(world, places):
    response = world.page_client("member").get(PLACES_URL, {"format": "xlsx"})
    _assert_attachment(response, "xlsx", "places")
    rows = {row["place"]: row for row in _as_dicts(xlsx_rows(response))}
    assert set(rows) == {"Sines to Fortaleza", "Secret data centre"}
    assert rows["Secret data centre"]["latitude"] == pytest.approx(8.98)
    assert rows["Secret data centre"]["longitude"] == pytest.approx(-79.52)


@pytest.mark.parametrize("role", ROLES)
def test_the_places_download_shows_what_the_map_shows(world, places, role):
    client = world.page_client(role)
    downloaded = {
        row["place"] for row in _as_dicts(csv_rows(client.get(PLACES_URL, {"format": "csv"})))
    }
    shown = {row["place"].name for row in client.get(reverse("initiatives:map")).context["places"]}
    assert downloaded == shown
    assert ("Secret data centre" in downloaded) == (role in INSIDERS)


def test_the_places_download_narrows_to_a_partnership_and_hides_unknown_ones(world, places):
    PlaceFactory(name="Elsewhere")
    client = Client()
    slug = world.partnership.slug
    response = client.get(PLACES_URL, {"format": "csv", "partnership": slug})
    _assert_attachment(response, "csv", f"places-{slug}")
    assert [row["place"] for row in _as_dicts(csv_rows(response))] == ["Sines to Fortaleza"]
    private = PartnershipFactory(visibility=Partnership.Visibility.MEMBERS)
    PlaceFactory(initiative=InitiativeFactory(partnership=private), name="Private site")
    refused = client.get(PLACES_URL, {"format": "csv", "partnership": private.slug})
    assert refused.status_code == 404
    assert b"Private site" not in refused.content


@pytest.mark.parametrize("fmt", ["", "pdf", "geojson"])
def test_the_places_download_answers_only_its_formats(fmt):
    assert Client().get(PLACES_URL, {"format": fmt}).status_code == 404


@pytest.mark.parametrize("dangerous", DANGEROUS)
def test_the_places_downloads_neutralise_formulas(dangerous):
    PlaceFactory(name=dangerous, initiative=InitiativeFactory(title=dangerous))
    for read, fmt in ((csv_rows, "csv"), (xlsx_rows, "xlsx")):
        (row,) = _as_dicts(read(Client().get(PLACES_URL, {"format": fmt})))
        assert row["place"] == row["initiative"] == "'" + dangerous


def test_the_map_links_to_both_downloads_of_its_places(world, places):
    html = Client().get(reverse("initiatives:map"), {"partnership": world.partnership.slug})
    text = html.content.decode()
    for fmt in ("csv", "xlsx"):
        assert f"{PLACES_URL}?partnership={world.partnership.slug}&amp;format={fmt}" in text
