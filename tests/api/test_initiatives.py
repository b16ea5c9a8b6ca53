"""The initiatives API: who may do what, filters, visibility, money as strings, bad input."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from puente.agenda.models import Agenda, AgendaItem, AgendaVersion
from puente.initiatives.models import (
    Budget,
    Initiative,
    InitiativeSector,
    Milestone,
    OrganisationRole,
    Place,
    Pledge,
    Visibility,
)
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Membership
from tests.api.conftest import ROLES, assert_error, token_client
from tests.dialogues.factories import DialogueFactory
from tests.initiatives.factories import (
    BudgetFactory,
    ExchangeRateFactory,
    IndicatorPeriodFactory,
    InitiativeFactory,
    MilestoneFactory,
    ParticipantFactory,
    PlaceFactory,
    PledgeFactory,
    RecipientCountryFactory,
    SectorFactory,
    TransactionFactory,
)
from tests.initiatives.races import rival_takes
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

BASE = "/api/v1/partnerships/eu-lac-digital-alliance/initiatives/"


def new_initiative_body(**changes):
    body = {
        "title": "Caribbean fibre ring",
        "language": "en",
        "iati_identifier": "XI-TEST-CARIBBEAN-RING",
        "status": "2",
        "planned_start": "2025-01-01",
        "planned_end": "2027-12-31",
        "themes": ["connectivity"],
        "sectors": [
            {"code": "22040", "percentage": "60"},
            {"code": "22030", "percentage": "40"},
        ],
        "recipient_countries": [{"country": "JM", "percentage": "50"}],
        "recipient_regions": [{"code": "389", "percentage": "50"}],
        "participants": [{"organisation": "eclac", "role": OrganisationRole.IMPLEMENTING}],
    }
    body.update(changes)
    return body


@pytest.fixture
def initiative(world):
    """A public initiative of the world's partnership, ECLAC accountable for it."""
    initiative = InitiativeFactory(
        partnership=world.partnership, title="RedCLARA backbone", slug="redclara-backbone"
    )
    ParticipantFactory(
        initiative=initiative, organisation=world.organisation, role=OrganisationRole.ACCOUNTABLE
    )
    return initiative


@pytest.fixture
def hidden(world):
    """An initiative for the partnership's members only."""
    return InitiativeFactory(
        partnership=world.partnership,
        title="Members' data space",
        slug="members-data-space",
        visibility=Visibility.MEMBERS,
    )


# Role x action: the expected status of each request.
MAY_READ_HIDDEN = {
    "visitor": 404,
    "stranger": 404,
    "member": 200,
    "org_admin": 200,
    "facilitator": 200,
    "platform_admin": 200,
}
MAY_CREATE = {
    "visitor": 401,
    "stranger": 403,
    "member": 403,
    "org_admin": 403,
    "facilitator": 201,
    "platform_admin": 201,
}
# The organisation's admin edits because the organisation is accountable for the initiative.
MAY_EDIT = {
    "visitor": 401,
    "stranger": 403,
    "member": 403,
    "org_admin": 200,
    "facilitator": 200,
    "platform_admin": 200,
}
MAY_DELETE = {
    "visitor": 401,
    "stranger": 403,
    "member": 403,
    "org_admin": 403,
    "facilitator": 204,
    "platform_admin": 204,
}
MAY_ADD_PART = {role: 201 if code == 200 else code for role, code in MAY_EDIT.items()}
MAY_MANAGE_PLEDGES = MAY_CREATE


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_a_members_only_initiative(world, hidden, role):
    client = world.client(role)
    response = client.get(BASE + "members-data-space/")
    assert response.status_code == MAY_READ_HIDDEN[role]
    listed = [row["slug"] for row in client.get("/api/v1/initiatives/").json()["results"]]
    assert ("members-data-space" in listed) is (MAY_READ_HIDDEN[role] == 200)
    # Its parts are hidden the same way.
    assert (
        client.get(BASE + "members-data-space/milestones/").status_code
        in {
            200: {200},
            404: {404},
        }[MAY_READ_HIDDEN[role]]
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_adds_an_initiative(world, role):
    response = world.client(role).post(BASE, new_initiative_body(), format="json")
    assert response.status_code == MAY_CREATE[role], response.content
    assert Initiative.objects.filter(title="Caribbean fibre ring").exists() is (
        MAY_CREATE[role] == 201
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_changes_an_initiative(world, initiative, role):
    response = world.client(role).patch(
        BASE + "redclara-backbone/", {"title": "RedCLARA 2"}, format="json"
    )
    assert response.status_code == MAY_EDIT[role], response.content
    initiative.refresh_from_db()
    assert (initiative.title == "RedCLARA 2") is (MAY_EDIT[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_who_deletes_an_initiative(world, initiative, role):
    response = world.client(role).delete(BASE + "redclara-backbone/")
    assert response.status_code == MAY_DELETE[role], response.content
    assert Initiative.objects.filter(pk=initiative.pk).exists() is (MAY_DELETE[role] != 204)


@pytest.mark.parametrize("role", ROLES)
def test_who_adds_changes_and_removes_a_milestone(world, initiative, role):
    client = world.client(role)
    response = client.post(
        BASE + "redclara-backbone/milestones/",
        {"title": "Panama node", "planned_date": "2025-06-30"},
        format="json",
    )
    assert response.status_code == MAY_ADD_PART[role], response.content
    milestone = MilestoneFactory(initiative=initiative)
    url = BASE + f"redclara-backbone/milestones/{milestone.pk}/"
    assert client.patch(url, {"status": "reached"}, format="json").status_code == MAY_EDIT[role]
    expected_delete = 204 if MAY_EDIT[role] == 200 else MAY_EDIT[role]
    assert client.delete(url).status_code == expected_delete
    # Everyone may read them.
    assert client.get(BASE + "redclara-backbone/milestones/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_who_records_a_pledge(world, role):
    response = world.client(role).post(
        "/api/v1/partnerships/eu-lac-digital-alliance/pledges/",
        {"organisation": "eclac", "kind": "staff", "description": "Two engineers"},
        format="json",
    )
    assert response.status_code == MAY_MANAGE_PLEDGES[role], response.content


@pytest.mark.parametrize("role", ROLES)
def test_who_adds_a_place(world, initiative, role):
    response = world.client(role).post(
        BASE + "redclara-backbone/places/",
        {"name": "Panama IXP", "geometry": {"type": "Point", "coordinates": [-79.5, 8.9]}},
        format="json",
    )
    assert response.status_code == MAY_ADD_PART[role], response.content


def test_an_initiative_is_created_with_its_parts_and_shown_in_full(world):
    response = world.client("facilitator").post(BASE, new_initiative_body(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "caribbean-fibre-ring"
    assert [(s["code"], s["percentage"]) for s in body["sectors"]] == [
        ("22040", "60.00"),
        ("22030", "40.00"),
    ]
    assert body["recipient_countries"] == [{"country": "JM", "percentage": "50.00"}]
    assert body["recipient_regions"] == [{"code": "389", "percentage": "50.00"}]
    assert body["participants"][0]["organisation"]["slug"] == "eclac"
    assert body["committed_eur"] == "0.00"
    assert body["url"].endswith("/caribbean-fibre-ring/")


def test_money_is_sent_as_decimal_strings_converted_at_the_reference_rate(world, initiative):
    TransactionFactory(initiative=initiative, value=Decimal("1000000.00"), currency="EUR")
    ExchangeRateFactory(currency="USD", date=date(2024, 1, 2), rate=Decimal("1.1"))
    TransactionFactory(
        initiative=initiative,
        type="3",
        value=Decimal("110000.00"),
        currency="USD",
        value_date=date(2024, 2, 1),
    )
    detail = world.client("visitor").get(BASE + "redclara-backbone/").json()
    assert detail["committed_eur"] == "1000000.00"
    assert detail["disbursed_eur"] == "100000.00"
    rows = world.client("visitor").get(BASE + "redclara-backbone/transactions/").json()["results"]
    usd = next(row for row in rows if row["currency"] == "USD")
    assert usd["value"] == "110000.00"
    assert Decimal(usd["rate"]) == Decimal("1.1")
    assert usd["eur"] == "100000.00"
    assert all(isinstance(row["value"], str) for row in rows)


def test_a_transaction_without_a_rate_has_null_eur(world, initiative):
    TransactionFactory(initiative=initiative, currency="JPY", value_date=date(2024, 2, 1))
    rows = world.client("visitor").get(BASE + "redclara-backbone/transactions/").json()["results"]
    assert (rows[0]["rate"], rows[0]["eur"]) == (None, None)


def test_the_list_filters_as_the_portfolio_page_does(world, initiative):
    other = InitiativeFactory(partnership=world.partnership, status="1", themes=["ai"])
    SectorFactory(initiative=initiative, code="22040")
    RecipientCountryFactory(initiative=initiative, country="CL")
    funder = OrganisationFactory(slug="eib")
    ParticipantFactory(initiative=other, organisation=funder, role=OrganisationRole.FUNDING)
    client = world.client("visitor")

    def slugs(**params):
        response = client.get("/api/v1/initiatives/", params)
        assert response.status_code == 200, response.content
        return {row["slug"] for row in response.json()["results"]}

    assert slugs() == {initiative.slug, other.slug}
    assert slugs(status="1") == {other.slug}
    assert slugs(country="CL") == {initiative.slug}
    assert slugs(sector="22040") == {initiative.slug}
    assert slugs(contributor="eib") == {other.slug}
    assert slugs(theme="ai") == {other.slug}
    assert slugs(q="redclara") == {initiative.slug}
    assert slugs(partnership="eu-lac-digital-alliance") == {initiative.slug, other.slug}
    assert slugs(partnership="another") == set()
    # Free text left empty narrows nothing, as on the page.
    assert slugs(sector="", contributor="", partnership="", q="") == {initiative.slug, other.slug}


# The list of one partnership: GET on the path that POST adds to.


def _slugs_at(client, url: str, **params) -> set[str]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def test_a_partnerships_list_holds_only_its_initiatives_filtered(world, initiative):
    other = InitiativeFactory(partnership=world.partnership, status="1", themes=["ai"])
    RecipientCountryFactory(initiative=initiative, country="CL")
    InitiativeFactory(title="Elsewhere")  # another partnership's
    client = world.client("visitor")
    body = client.get(BASE).json()
    assert body["count"] == 2
    row = next(row for row in body["results"] if row["slug"] == initiative.slug)
    assert row["partnership"]["slug"] == "eu-lac-digital-alliance"
    assert {"committed_eur", "disbursed_eur", "url"} <= set(row)
    assert _slugs_at(client, BASE, status="1") == {other.slug}
    assert _slugs_at(client, BASE, country="CL") == {initiative.slug}
    assert _slugs_at(client, BASE, theme="ai", q=other.title) == {other.slug}
    # The partnership is the path's: a parameter cannot widen the list to another one.
    assert _slugs_at(client, BASE, partnership="another") == {initiative.slug, other.slug}


def test_a_partnerships_list_is_paginated_as_the_whole_list_is(world):
    for _ in range(3):
        InitiativeFactory(partnership=world.partnership)
    client = world.client("visitor")
    ours = client.get(BASE, {"page_size": 2}).json()
    whole = client.get("/api/v1/initiatives/", {"page_size": 2}).json()
    assert set(ours) == set(whole)
    assert (ours["count"], len(ours["results"])) == (whole["count"], len(whole["results"]))


def test_a_partnerships_list_refuses_bad_filters_naming_them(world):
    assert_error(world.client("visitor").get(BASE, {"status": "9"}), 400, "status")


@pytest.mark.parametrize("role", ROLES)
def test_members_only_initiatives_are_listed_for_members_only(world, initiative, hidden, role):
    expected = {initiative.slug}
    if MAY_READ_HIDDEN[role] == 200:
        expected.add(hidden.slug)
    assert _slugs_at(world.client(role), BASE) == expected


@pytest.mark.parametrize("role", ROLES)
def test_a_members_only_partnerships_list_is_a_404_to_outsiders(world, role):
    secret = PartnershipFactory(
        slug="secret-space",
        visibility=Partnership.Visibility.MEMBERS,
        facilitators=[world.people["facilitator"]],
        organisations=[world.organisation],
    )
    InitiativeFactory(partnership=secret, slug="inside")
    response = world.client(role).get("/api/v1/partnerships/secret-space/initiatives/")
    if role in {"visitor", "stranger"}:
        assert_error(response, 404)
    else:
        assert response.status_code == 200, response.content
        assert [row["slug"] for row in response.json()["results"]] == ["inside"]


def test_an_unknown_partnerships_list_is_a_404(world):
    assert_error(world.client("visitor").get("/api/v1/partnerships/nowhere/initiatives/"), 404)


def test_a_partnerships_list_is_in_the_schema_with_its_filters(world):
    schema = world.client("visitor").get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    operation = schema.json()["paths"]["/api/v1/partnerships/{slug}/initiatives/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"slug", "q", "status", "country", "theme", "agenda_item", "page"} <= names
    assert "partnership" not in names
    assert {"200", "400", "404"} <= set(operation["responses"])


def test_the_list_filters_by_agenda_item(world, initiative):
    dialogue = DialogueFactory(partnership=world.partnership)
    agenda = Agenda.objects.create(dialogue=dialogue, title="Agenda")
    version = AgendaVersion.objects.create(agenda=agenda, status=AgendaVersion.Status.DRAFT)
    item = AgendaItem.objects.create(
        version=version, position=1, text={"en": "Connect"}, original_language="en"
    )
    AgendaVersion.objects.filter(pk=version.pk).update(
        number=1, status=AgendaVersion.Status.PUBLISHED, published_at=timezone.now()
    )
    response = world.client("facilitator").patch(
        BASE + "redclara-backbone/", {"agenda_items": [item.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["agenda_items"]] == [item.pk]
    rows = world.client("visitor").get("/api/v1/initiatives/", {"agenda_item": item.pk}).json()
    assert [row["slug"] for row in rows["results"]] == ["redclara-backbone"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "9"}, "status"),
        ({"theme": "nothing"}, "theme"),
        ({"country": "XX"}, "country"),
        ({"agenda_item": "a"}, "agenda_item"),
        ({"agenda_item": "0"}, "agenda_item"),
        ({"agenda_item": "1.5"}, "agenda_item"),
        ({"status": ""}, "status"),
    ],
)
def test_bad_filters_are_a_400_naming_them(world, params, field):
    assert_error(world.client("visitor").get("/api/v1/initiatives/", params), 400, field)


def test_the_list_reads_a_page_in_a_few_queries(world):
    for _ in range(8):
        initiative = InitiativeFactory(partnership=world.partnership)
        TransactionFactory(initiative=initiative)
    client = world.client("member")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/initiatives/").status_code == 200
    assert len(queries) <= 10


def test_members_only_initiatives_are_hidden_from_every_count_and_map(world, hidden, initiative):
    PlaceFactory(initiative=hidden, name="Secret site")
    PlaceFactory(initiative=initiative, name="Panama IXP")
    PledgeFactory(partnership=world.partnership, organisation=world.organisation, initiative=hidden)
    stranger = world.client("stranger")
    assert stranger.get("/api/v1/initiatives/").json()["count"] == 1
    names = {
        feature["properties"]["name"]
        for feature in stranger.get("/api/v1/places/").json()["features"]
    }
    assert names == {"Panama IXP"}
    assert stranger.get(BASE + "members-data-space/places/").status_code == 404
    pledges = stranger.get("/api/v1/partnerships/eu-lac-digital-alliance/pledges/").json()
    assert pledges["results"][0]["initiative"] is None
    member_pledges = (
        world.client("member").get("/api/v1/partnerships/eu-lac-digital-alliance/pledges/").json()
    )
    assert member_pledges["results"][0]["initiative"]["slug"] == "members-data-space"
    members_map = world.client("member").get("/api/v1/places/").json()["features"]
    assert {feature["properties"]["name"] for feature in members_map} == {
        "Panama IXP",
        "Secret site",
    }


def test_places_are_a_geojson_feature_collection(world, initiative):
    place = PlaceFactory(
        initiative=initiative,
        name="Fortaleza landing",
        kind=Place.Kind.LANDING_STATION,
        geometry={"type": "Point", "coordinates": [-38.5, -3.7]},
    )
    elsewhere = InitiativeFactory(partnership=PartnershipFactory())
    PlaceFactory(initiative=elsewhere)
    body = world.client("visitor").get(BASE + "redclara-backbone/places/").json()
    assert body == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": place.pk,
                "geometry": {"type": "Point", "coordinates": [-38.5, -3.7]},
                "properties": {
                    "name": "Fortaleza landing",
                    "kind": "landing_station",
                    "initiative_id": initiative.pk,
                    "initiative_title": "RedCLARA backbone",
                    "initiative_status": "2",
                    "url": "http://testserver" + initiative.get_absolute_url(),
                },
            }
        ],
    }
    everywhere = world.client("visitor").get("/api/v1/places/").json()["features"]
    assert len(everywhere) == 2
    only_ours = world.client("visitor").get(
        "/api/v1/places/", {"partnership": "eu-lac-digital-alliance"}
    )
    assert [f["id"] for f in only_ours.json()["features"]] == [place.pk]
    assert len(world.client("visitor").get("/api/v1/places/?partnership=").json()["features"]) == 2


def test_a_place_is_changed_and_removed_by_an_editor(world, initiative):
    place = PlaceFactory(initiative=initiative)
    client = world.client("org_admin")
    url = BASE + f"redclara-backbone/places/{place.pk}/"
    line = {"type": "LineString", "coordinates": [[-79.5, 8.9], [-38.5, -3.7]]}
    response = client.patch(url, {"geometry": line, "kind": "cable"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["geometry"] == line
    assert client.delete(url).status_code == 204
    assert not Place.objects.filter(pk=place.pk).exists()


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [200, 0]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 2]]]},
        {"type": "Circle", "coordinates": [0, 0]},
        {"type": "Point", "coordinates": [0, 0], "crs": "x"},
        "POINT(0 0)",
    ],
)
def test_a_bad_geometry_is_a_400_naming_it_and_writes_nothing(world, initiative, geometry):
    response = world.client("facilitator").post(
        BASE + "redclara-backbone/places/", {"name": "X", "geometry": geometry}, format="json"
    )
    assert_error(response, 400, "geometry")
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sectors": [{"code": "22040", "percentage": "60"}]}, "sectors"),
        ({"sectors": [{"code": "99999", "percentage": "100"}]}, "sectors[0].code"),
        (
            {"recipient_countries": [{"country": "XX", "percentage": "50"}]},
            "recipient_countries[0].country",
        ),
        ({"recipient_regions": [{"code": "1", "percentage": "50"}]}, "recipient_regions[0].code"),
        ({"recipient_regions": [{"code": "389", "percentage": "10"}]}, "recipient_countries"),
        ({"planned_end": "2024-12-31"}, "planned_end"),
        ({"actual_start": "2025-03-01", "actual_end": "2025-02-28"}, "actual_end"),
        ({"themes": ["astrology"]}, "themes[0]"),
        ({"iati_identifier": "no spaces allowed"}, "iati_identifier"),
        (
            {"participants": [{"organisation": "nobody", "role": "1"}]},
            "participants[0].organisation",
        ),
        ({"agenda_items": [999999]}, "agenda_items"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_initiative_input_is_a_400_naming_the_field_and_writes_nothing(world, changes, field):
    response = world.client("facilitator").post(BASE, new_initiative_body(**changes), format="json")
    assert_error(response, 400, field)
    assert not Initiative.objects.exists()
    assert not InitiativeSector.objects.exists()


def test_a_taken_iati_identifier_is_a_400_naming_it(world, initiative):
    response = world.client("facilitator").post(
        BASE, new_initiative_body(iati_identifier=initiative.iati_identifier), format="json"
    )
    assert_error(response, 400, "iati_identifier")


def test_an_iati_identifier_taken_meanwhile_is_a_400_naming_it(world):
    with rival_takes("XI-TEST-CARIBBEAN-RING"):
        response = world.client("facilitator").post(BASE, new_initiative_body(), format="json")
    assert_error(response, 400, "iati_identifier")
    assert not Initiative.objects.filter(partnership=world.partnership).exists()


def test_an_iati_identifier_taken_meanwhile_by_a_change_is_a_400_naming_it(world, initiative):
    url = f"{BASE}{initiative.slug}/"
    with rival_takes("XI-TEST-MOVED-1"):
        response = world.client("facilitator").patch(
            url, {"iati_identifier": "XI-TEST-MOVED-1"}, format="json"
        )
    assert_error(response, 400, "iati_identifier")


def test_a_refused_change_leaves_the_initiative_as_it_was(world, initiative):
    SectorFactory(initiative=initiative, code="22040", percentage=Decimal(100))
    response = world.client("facilitator").patch(
        BASE + "redclara-backbone/",
        {"title": "Changed", "sectors": [{"code": "22030", "percentage": "50"}]},
        format="json",
    )
    assert_error(response, 400, "sectors")
    initiative.refresh_from_db()
    assert initiative.title == "RedCLARA backbone"
    assert list(initiative.sectors.values_list("code", flat=True)) == ["22040"]


def test_an_end_before_the_stored_start_is_a_400_naming_the_end(world, initiative):
    response = world.client("facilitator").patch(
        BASE + "redclara-backbone/", {"planned_end": "2020-01-01"}, format="json"
    )
    assert_error(response, 400, "planned_end")


def test_ends_before_their_starts_are_a_400_naming_each_end_and_change_nothing(world, initiative):
    Initiative.objects.filter(pk=initiative.pk).update(actual_start=date(2024, 3, 1))
    response = world.client("facilitator").patch(
        BASE + "redclara-backbone/",
        {"title": "Changed", "planned_end": "2023-12-31", "actual_end": "2024-02-29"},
        format="json",
    )
    assert_error(response, 400, "planned_end")
    assert_error(response, 400, "actual_end")
    initiative.refresh_from_db()
    assert (initiative.title, initiative.planned_end, initiative.actual_end) == (
        "RedCLARA backbone",
        date(2027, 12, 31),
        None,
    )


BUDGET = {
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
    "value": "250000.00",
    "currency": "EUR",
    "value_date": "2025-01-01",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"value": "-1.00"}, "value"),
        ({"period_end": "2024-01-01"}, "period_end"),
        ({"value": "1e30"}, "value"),
        ({"type": "7"}, "type"),
    ],
)
def test_bad_budget_input_is_a_400_naming_the_field_and_writes_nothing(
    world, initiative, changes, field
):
    response = world.client("facilitator").post(
        BASE + "redclara-backbone/budgets/", {**BUDGET, **changes}, format="json"
    )
    assert_error(response, 400, field)
    assert not Budget.objects.exists()


def test_a_budget_is_added_and_its_money_is_a_string(world, initiative):
    response = world.client("facilitator").post(
        BASE + "redclara-backbone/budgets/", BUDGET, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["value"] == "250000.00"


def test_a_period_end_moved_before_its_stored_start_is_refused(world, initiative):
    budget = BudgetFactory(initiative=initiative)
    response = world.client("facilitator").patch(
        BASE + f"redclara-backbone/budgets/{budget.pk}/",
        {"period_end": "2023-01-01"},
        format="json",
    )
    assert_error(response, 400, "period_end")
    budget.refresh_from_db()
    assert budget.period_end == date(2024, 12, 31)


def test_a_negative_commitment_is_refused_but_a_negative_expenditure_is_not(world, initiative):
    client = world.client("facilitator")
    url = BASE + "redclara-backbone/transactions/"
    common = {"date": "2025-01-01", "value_date": "2025-01-01", "currency": "EUR"}
    assert_error(
        client.post(url, {**common, "type": "2", "value": "-5.00"}, format="json"), 400, "value"
    )
    response = client.post(
        url, {**common, "type": "4", "value": "-5.00", "provider": "eclac"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["provider"] == "eclac"
    assert response.json()["eur"] == "-5.00"


def test_results_show_indicators_and_periods_with_progress(world, initiative):
    period = IndicatorPeriodFactory(indicator__result__initiative=initiative)
    client = world.client("visitor")
    results = client.get(BASE + "redclara-backbone/results/").json()["results"]
    shown = results[0]["indicators"][0]["periods"][0]
    assert shown["id"] == period.pk
    assert (shown["target"], shown["actual"], shown["progress"]) == ("100.0000", "40.0000", "40")
    editor = world.client("org_admin")
    indicator = period.indicator
    response = editor.post(
        BASE + f"redclara-backbone/indicators/{indicator.pk}/periods/",
        {"period_start": "2025-01-01", "period_end": "2024-12-31", "target": "100"},
        format="json",
    )
    assert_error(response, 400, "period_end")
    response = editor.post(
        BASE + f"redclara-backbone/results/{indicator.result_id}/indicators/",
        {"title": "Students reached", "unit": "students"},
        format="json",
    )
    assert response.status_code == 201, response.content
    response = editor.patch(
        BASE + f"redclara-backbone/periods/{period.pk}/", {"actual": "80"}, format="json"
    )
    assert response.json()["progress"] == "80"


def test_parts_of_another_initiative_are_not_found(world, initiative):
    foreign = MilestoneFactory(initiative=InitiativeFactory(partnership=world.partnership))
    response = world.client("facilitator").patch(
        BASE + f"redclara-backbone/milestones/{foreign.pk}/", {"title": "x"}, format="json"
    )
    assert_error(response, 404)
    assert Milestone.objects.get(pk=foreign.pk).title != "x"


def test_documents_are_listed_and_added(world, initiative):
    client = world.client("facilitator")
    response = client.post(
        BASE + "redclara-backbone/documents/",
        {
            "title": "Agreement",
            "url": "https://example.org/a.pdf",
            "category": "A09",
            "language": "en",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert_error(
        client.post(
            BASE + "redclara-backbone/documents/",
            {"title": "Bad", "url": "not a link", "language": "en"},
            format="json",
        ),
        400,
        "url",
    )
    rows = world.client("visitor").get(BASE + "redclara-backbone/documents/").json()["results"]
    assert [row["title"] for row in rows] == ["Agreement"]


def test_exchange_rates_filter_by_currency_and_dates(world):
    ExchangeRateFactory(currency="USD", date=date(2024, 1, 2))
    ExchangeRateFactory(currency="USD", date=date(2024, 6, 3))
    ExchangeRateFactory(currency="BRL", date=date(2024, 1, 2), rate=Decimal("5.3512000001"))
    client = world.client("visitor")
    rows = client.get("/api/v1/exchange-rates/", {"currency": "usd"}).json()["results"]
    assert [row["date"] for row in rows] == ["2024-06-03", "2024-01-02"]
    rows = client.get(
        "/api/v1/exchange-rates/", {"date_from": "2024-01-01", "date_to": "2024-02-01"}
    ).json()["results"]
    assert {(row["currency"], row["rate"]) for row in rows} == {
        ("BRL", "5.3512000001"),
        ("USD", "1.1000000000"),
    }
    assert_error(client.get("/api/v1/exchange-rates/", {"date_from": "soon"}), 400, "date_from")


def test_pledges_are_recorded_changed_and_checked(world, initiative):
    client = world.client("facilitator")
    url = "/api/v1/partnerships/eu-lac-digital-alliance/pledges/"
    assert_error(
        client.post(
            url,
            {"organisation": "eclac", "kind": "money", "description": "Funds"},
            format="json",
        ),
        400,
        "amount",
    )
    assert_error(
        client.post(
            url,
            {
                "organisation": "eclac",
                "kind": "money",
                "description": "F",
                "amount": "5",
                "currency": "ABC",
            },
            format="json",
        ),
        400,
        "currency",
    )
    foreign = InitiativeFactory()
    assert_error(
        client.post(
            url,
            {
                "organisation": "eclac",
                "kind": "staff",
                "description": "F",
                "initiative": foreign.pk,
            },
            format="json",
        ),
        400,
        "initiative",
    )
    assert not Pledge.objects.exists()
    response = client.post(
        url,
        {
            "organisation": "eclac",
            "kind": "money",
            "description": "Co-financing",
            "amount": "2000000",
            "currency": "EUR",
            "initiative": initiative.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "2000000.00"
    pledge_id = response.json()["id"]
    response = client.patch(url + f"{pledge_id}/", {"status": "fulfilled"}, format="json")
    assert response.status_code == 200, response.content
    assert Pledge.objects.get().status == "fulfilled"
    listed = world.client("visitor").get(url).json()["results"]
    assert listed[0]["initiative"]["slug"] == "redclara-backbone"


def test_the_schema_documents_money_as_strings(world):
    from rest_framework.test import APIClient

    schema = (
        APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    components = schema["components"]["schemas"]
    assert components["Transaction"]["properties"]["eur"]["type"] == "string"
    assert components["InitiativeDetail"]["properties"]["committed_eur"]["type"] == "string"
    geometry_type = components["Geometry"]["properties"]["type"]
    assert components[geometry_type["$ref"].rsplit("/", 1)[1]]["enum"][0] == "Point"
    paths = schema["paths"]
    initiative = "/api/v1/partnerships/{slug}/initiatives/{initiative_slug}/"
    assert {"get", "patch", "delete"} <= set(paths[initiative])
    for method in ("patch", "delete"):
        assert {"401", "403", "404"} <= set(paths[initiative][method]["responses"])
    assert "400" in paths[initiative + "places/"]["post"]["responses"]


def test_an_accountable_admin_outside_the_partnership_gets_back_what_they_hid(world, initiative):
    outsider = OrganisationFactory(slug="outside-org")
    admin = MembershipFactory(organisation=outsider, role=Membership.Role.ADMIN).person
    ParticipantFactory(
        initiative=initiative, organisation=outsider, role=OrganisationRole.ACCOUNTABLE
    )
    response = token_client(admin).patch(
        BASE + "redclara-backbone/", {"visibility": "members"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["visibility"] == "members"
    assert_error(token_client(admin).get(BASE + "redclara-backbone/"), 404)
