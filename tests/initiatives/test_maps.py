"""The map of initiatives and the money dashboards: visibility, figures in EUR, query budgets."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse

from puente.core.choices import Region
from puente.initiatives.dashboards import COMMITTED_COLOUR, DISBURSED_COLOUR
from puente.initiatives.maps import STATUS_COLOURS, choropleth_classes
from puente.initiatives.models import ActivityStatus, Initiative, TransactionType, Visibility
from puente.initiatives.selectors import (
    TEAM_EUROPE_INITIAL_EUR,
    money_by_country,
    money_by_theme,
    team_europe_money,
)
from puente.partnerships.models import Partnership
from tests.accounts.factories import UserFactory
from tests.initiatives.factories import (
    ExchangeRateFactory,
    InitiativeFactory,
    PlaceFactory,
    RecipientCountryFactory,
    TransactionFactory,
)
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CABLE = {"type": "LineString", "coordinates": [[-8.87, 37.95], [-20.0, 20.0], [-38.54, -3.72]]}


@pytest.fixture
def world():
    """A public and a members-only initiative of one partnership, each with a place."""
    facilitator = UserFactory()
    partnership = PartnershipFactory(slug="alliance", facilitators=[facilitator])
    public = InitiativeFactory(
        partnership=partnership, title="Public cable", status=ActivityStatus.IMPLEMENTATION
    )
    hidden = InitiativeFactory(
        partnership=partnership,
        title="Members-only centre",
        visibility=Visibility.MEMBERS,
        status=ActivityStatus.PIPELINE,
    )
    PlaceFactory(initiative=public, name="Sines to Fortaleza", geometry=CABLE)
    PlaceFactory(initiative=hidden, name="Secret data centre")
    return {"facilitator": facilitator, "public": public, "hidden": hidden}


def _features(client, query=""):
    response = client.get(reverse("initiatives:map-data") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return response.json()["features"]


def test_map_data_shows_outsiders_only_public_initiatives_places(client, world):
    features = _features(client)
    assert [f["properties"]["name"] for f in features] == ["Sines to Fortaleza"]
    (cable,) = features
    assert cable["geometry"] == CABLE
    assert cable["properties"]["status"] == ActivityStatus.IMPLEMENTATION
    assert cable["properties"]["colour"] == STATUS_COLOURS[ActivityStatus.IMPLEMENTATION]
    assert cable["properties"]["url"] == world["public"].get_absolute_url()
    assert cable["properties"]["initiative"] == "Public cable"


def test_map_data_shows_members_their_members_only_places(client, world):
    client.force_login(world["facilitator"])
    features = _features(client)
    by_name = {f["properties"]["name"]: f for f in features}
    assert set(by_name) == {"Sines to Fortaleza", "Secret data centre"}
    point = by_name["Secret data centre"]
    assert point["geometry"] == {"type": "Point", "coordinates": [-79.52, 8.98]}
    assert point["properties"]["status"] == ActivityStatus.PIPELINE


def test_map_data_narrows_to_a_partnership_and_hides_unknown_ones(client, world):
    PlaceFactory(name="Elsewhere")  # another partnership's initiative
    assert len(_features(client)) == 2
    assert [f["properties"]["name"] for f in _features(client, "?partnership=alliance")] == [
        "Sines to Fortaleza"
    ]
    assert client.get(reverse("initiatives:map-data") + "?partnership=nowhere").status_code == 404
    private = PartnershipFactory(visibility=Partnership.Visibility.MEMBERS)
    url = reverse("initiatives:map") + f"?partnership={private.slug}"
    assert client.get(url).status_code == 404


def test_map_page_lists_the_visible_places_in_a_table(client, world):
    response = client.get(reverse("initiatives:map"))
    assert response.status_code == 200
    assert "initiatives/map.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Sines to Fortaleza" in html
    assert "Secret data centre" not in html
    # The table gives the line's ends as latitude, longitude.
    assert "37.95, -8.87" in html
    assert "-3.72, -38.54" in html
    assert world["public"].get_absolute_url() in html
    assert 'data-features-url="/initiatives/map/places.geojson"' in html
    assert "leaflet/leaflet.js" in html
    assert "<script>" not in html  # the CSP allows no inline script


def test_user_text_is_escaped_in_the_table(client):
    place = PlaceFactory(name="<script>alert(1)</script>")
    html = client.get(reverse("initiatives:map")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert _features(client)[0]["properties"]["name"] == place.name


def test_map_and_data_stay_within_a_query_budget(client, django_assert_max_num_queries):
    for index in range(12):
        initiative = InitiativeFactory(status=ActivityStatus.choices[index % 6][0])
        PlaceFactory.create_batch(3, initiative=initiative)
    with django_assert_max_num_queries(3):
        assert len(_features(client)) == 36
    with django_assert_max_num_queries(3):
        assert client.get(reverse("initiatives:map")).status_code == 200


def test_places_fragment_draws_the_initiative_places(world, django_assert_max_num_queries):
    initiative = world["public"]
    PlaceFactory.create_batch(5, initiative=initiative)
    with django_assert_max_num_queries(1):
        html = render_to_string(
            "initiatives/_places_map.html",
            {"initiative": initiative, "places": initiative.places.all()},
        )
    assert 'data-features-id="places-' in html
    assert '<script id="places-' in html
    assert 'type="application/json"' in html
    assert "Sines to Fortaleza" in html
    assert (
        render_to_string(
            "initiatives/_places_map.html", {"initiative": initiative, "places": []}
        ).strip()
        == ""
    )


@pytest.mark.parametrize(
    "path", ["leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/images/layers.png"]
)
def test_leaflet_is_served_from_the_site_static_files(path):
    found = finders.find(path)
    assert found is not None
    assert Path(str(found)).is_file()


def test_country_shapes_are_served_from_the_site_static_files():
    assert finders.find("initiatives/countries-110m.geojson") is not None
    assert finders.find("initiatives/map.js") is not None


# Dashboards


@pytest.fixture
def money():
    """Two initiatives: EUR and USD money from an EU and a LAC provider, split by countries."""
    eu = OrganisationFactory(name="European Commission", region=Region.EU)
    lac = OrganisationFactory(name="CAF", region=Region.LAC)
    bella = InitiativeFactory(title="BELLA", themes=["connectivity", "digital-skills"])
    RecipientCountryFactory(initiative=bella, country="BR", percentage=Decimal(60))
    RecipientCountryFactory(initiative=bella, country="CL", percentage=Decimal(40))
    copernicus = InitiativeFactory(
        partnership=bella.partnership, title="Copernicus", themes=["earth-observation"]
    )
    RecipientCountryFactory(initiative=copernicus, country="CL", percentage=Decimal(100))
    # EUR 10 M committed by the EU to BELLA in 2023, EUR 4 M disbursed in 2024.
    TransactionFactory(
        initiative=bella, provider=eu, value=Decimal("10000000"), date=dt.date(2023, 5, 1)
    )
    TransactionFactory(
        initiative=bella,
        provider=eu,
        type=TransactionType.DISBURSEMENT,
        value=Decimal("4000000"),
        date=dt.date(2024, 5, 1),
    )
    # USD 2.2 M, valued on 2024-06-01: the rate of 2024-01-03 (1.1) applies, not the later one.
    ExchangeRateFactory(currency="USD", date=dt.date(2023, 1, 3), rate=Decimal("1.0"))
    ExchangeRateFactory(currency="USD", date=dt.date(2024, 1, 3), rate=Decimal("1.1"))
    ExchangeRateFactory(currency="USD", date=dt.date(2024, 7, 1), rate=Decimal("2.0"))
    TransactionFactory(
        initiative=copernicus,
        provider=lac,
        currency="USD",
        value=Decimal("2200000"),
        date=dt.date(2024, 6, 1),
        value_date=dt.date(2024, 6, 1),
    )
    # An EU commitment of EUR 5 M to Copernicus, in 2024.
    TransactionFactory(
        initiative=copernicus, provider=eu, value=Decimal("5000000"), date=dt.date(2024, 2, 1)
    )
    return {"eu": eu, "lac": lac, "bella": bella, "copernicus": copernicus}


def test_money_by_country_splits_each_initiative_by_its_percentages(money):
    rows = {row["country"]: row for row in money_by_country(Initiative.objects.all())}
    # BR: 60 % of BELLA's 10 M; CL: 40 % of BELLA's 10 M + all of Copernicus' 5 M + USD 2.2 M / 1.1.
    assert rows["BR"]["committed"] == pytest.approx(Decimal("6000000"))
    assert rows["CL"]["committed"] == pytest.approx(Decimal("11000000"))
    assert rows["BR"]["disbursed"] == pytest.approx(Decimal("2400000"))
    assert rows["CL"]["disbursed"] == pytest.approx(Decimal("1600000"))
    assert list(rows) == ["CL", "BR"]


def test_money_by_theme_counts_an_initiative_under_each_of_its_themes(money):
    rows = {row["theme"]: row for row in money_by_theme(Initiative.objects.all())}
    assert rows["connectivity"]["committed"] == pytest.approx(Decimal("10000000"))
    assert rows["digital-skills"]["committed"] == pytest.approx(Decimal("10000000"))
    assert rows["earth-observation"]["committed"] == pytest.approx(Decimal("7000000"))
    assert rows["ai"]["committed"] == 0
    assert rows["connectivity"]["disbursed"] == pytest.approx(Decimal("4000000"))


def test_team_europe_counts_only_providers_from_the_eu(money):
    totals = team_europe_money(Initiative.objects.all())
    assert totals["committed"] == pytest.approx(Decimal("15000000"))
    assert totals["disbursed"] == pytest.approx(Decimal("4000000"))
    assert totals["initial"] == TEAM_EUROPE_INITIAL_EUR == Decimal("145000000")
    assert totals["share"] == pytest.approx(Decimal(15) / Decimal(145))


def test_dashboard_shows_the_figures_in_euros(client, money):
    response = client.get(reverse("initiatives:dashboard"))
    assert response.status_code == 200
    assert "initiatives/dashboard.html" in [t.name for t in response.templates]
    charts = response.context["dash"]
    contributors = {row.label: row for row in charts["contributor_chart"].rows}
    assert contributors["European Commission"].committed == pytest.approx(Decimal("15000000"))
    assert contributors["European Commission"].disbursed == pytest.approx(Decimal("4000000"))
    # USD 2.2 M at 1.1 USD per euro, the latest rate on or before the value date.
    assert contributors["CAF"].committed == pytest.approx(Decimal("2000000"))
    years = {row.label: row.committed for row in charts["year_chart"].rows}
    assert years == {
        "2023": pytest.approx(Decimal("10000000")),
        "2024": pytest.approx(Decimal("7000000")),
    }
    countries = {row.code: row.label for row in charts["country_chart"].rows}
    assert countries == {"CL": "Chile", "BR": "Brazil"}
    assert charts["country_colours"] == {"CL": "#08519c", "BR": "#6baed6"}
    html = response.content.decode()
    # Every chart has its table: the same figures as text.
    assert "15,000,000.00" in html
    assert "2,000,000.00" in html
    assert "145,000,000.00" in html
    assert html.count("<table") >= 5
    assert "<script>" not in html


def test_dashboard_counts_only_what_the_viewer_may_see(client, money):
    hidden = InitiativeFactory(visibility=Visibility.MEMBERS)
    TransactionFactory(initiative=hidden, provider=money["eu"], value=Decimal("90000000"))
    totals = client.get(reverse("initiatives:dashboard")).context["dash"]["team_europe"]
    assert totals["committed"] == pytest.approx(Decimal("15000000"))


def test_dashboard_narrows_to_a_partnership(client, money):
    TransactionFactory(provider=money["eu"], value=Decimal("1000000"))  # another partnership
    everything = client.get(reverse("initiatives:dashboard")).context["dash"]["team_europe"]
    assert everything["committed"] == pytest.approx(Decimal("16000000"))
    slug = money["bella"].partnership.slug
    narrowed = client.get(reverse("initiatives:dashboard") + f"?partnership={slug}")
    assert narrowed.context["dash"]["team_europe"]["committed"] == pytest.approx(
        Decimal("15000000")
    )
    assert client.get(reverse("initiatives:dashboard") + "?partnership=x").status_code == 404


def test_dashboard_in_spanish_uses_spanish_number_format(client, money):
    client.cookies["puente_language"] = "es"
    html = client.get(reverse("initiatives:dashboard")).content.decode()
    assert 'lang="es"' in html
    # SVG coordinates stay plain integers whatever the language.
    assert 'width="300"' in html


def test_money_without_an_earlier_rate_is_left_out_and_reported(client, money):
    # No USD rate on or before 2022-06-01: the transaction cannot be converted.
    TransactionFactory(
        initiative=money["copernicus"],
        provider=money["lac"],
        currency="USD",
        value=Decimal("999999"),
        date=dt.date(2022, 6, 1),
        value_date=dt.date(2022, 6, 1),
    )
    response = client.get(reverse("initiatives:dashboard"))
    contributors = {row.label: row for row in response.context["dash"]["contributor_chart"].rows}
    assert contributors["CAF"].committed == pytest.approx(Decimal("2000000"))
    assert response.context["dash"]["unconverted"] == 1
    assert "1 transaction has no exchange rate for its date" in response.content.decode()


def test_an_empty_dashboard_says_so(client):
    response = client.get(reverse("initiatives:dashboard"))
    assert response.status_code == 200
    assert "No money recorded yet." in response.content.decode()
    assert response.context["dash"]["team_europe"]["committed"] == 0


def test_dashboard_stays_within_a_query_budget(client, money, django_assert_max_num_queries):
    for index in range(10):
        initiative = InitiativeFactory(themes=["ai"])
        RecipientCountryFactory(initiative=initiative, country=["MX", "PE"][index % 2])
        TransactionFactory.create_batch(3, initiative=initiative)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("initiatives:dashboard")).status_code == 200


def test_choropleth_classes_are_five_steps_up_to_the_largest():
    colours, legend = choropleth_classes(
        {"BR": Decimal(100), "CL": Decimal(20), "PE": Decimal(21), "MX": Decimal(0)}
    )
    assert colours == {"BR": "#08519c", "CL": "#eff3ff", "PE": "#bdd7e7"}
    assert [step["high"] for step in legend] == [20, 40, 60, 80, 100]
    assert choropleth_classes({}) == ({}, [])


def test_dashboard_legends_show_both_bar_colours(client, money):
    html = client.get(reverse("initiatives:dashboard")).content.decode()
    assert f'fill="{COMMITTED_COLOUR}"' in html
    assert f'fill="{DISBURSED_COLOUR}"' in html
    assert 'fill=""' not in html
