"""The write pages of initiatives: who may use them (one role x action table), what bad input
they refuse with a field error and no write, and what a good submission stores."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from puente.agenda.models import Agenda, AgendaItem, AgendaVersion
from puente.initiatives.forms import MAX_RATES_FILE_BYTES
from puente.initiatives.models import (
    Budget,
    ExchangeRate,
    Indicator,
    IndicatorPeriod,
    Initiative,
    Milestone,
    OrganisationRole,
    Place,
    Pledge,
    Result,
    Transaction,
    TransactionType,
    Visibility,
)
from puente.partnerships.models import Partnership
from tests.api.conftest import ROLES, World
from tests.api.conftest import world as api_world  # noqa: F401  # the fixture below uses it
from tests.dialogues.factories import DialogueFactory
from tests.initiatives.factories import (
    BudgetFactory,
    ExchangeRateFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    InitiativeFactory,
    MilestoneFactory,
    ParticipantFactory,
    PlaceFactory,
    PledgeFactory,
    ResultFactory,
    SectorFactory,
    TransactionFactory,
)
from tests.initiatives.races import rival_takes
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

ALL = frozenset(ROLES)
EDITORS = frozenset({"facilitator", "org_admin", "platform_admin"})
MANAGERS = frozenset({"facilitator", "platform_admin"})
# Written out: this is the specification.
ALLOWED: dict[str, frozenset[str]] = {
    "create initiative": MANAGERS,
    "edit initiative": EDITORS,
    "delete initiative": MANAGERS,
    "add part": EDITORS,
    "edit part": EDITORS,
    "delete part": EDITORS,
    "view pledges": ALL,
    "manage pledges": MANAGERS,
    "view rates": ALL,
    "upload rates": frozenset({"platform_admin"}),
}


@pytest.fixture
def world(api_world: World) -> World:  # noqa: F811  # the imported fixture
    """The API tests' world: an organisation, its member and admin, a facilitated partnership."""
    return api_world


def _initiative(world: World, **fields: Any) -> Initiative:
    """An initiative of the world's partnership, its organisation accountable for it."""
    initiative = InitiativeFactory(partnership=world.partnership, **fields)
    ParticipantFactory(
        initiative=initiative, organisation=world.organisation, role=OrganisationRole.ACCOUNTABLE
    )
    return initiative


def _kwargs(initiative: Initiative, **more: Any) -> dict[str, Any]:
    return {"partnership_slug": initiative.partnership.slug, "slug": initiative.slug, **more}


def _pages(world: World) -> dict[str, str]:
    initiative = _initiative(world)
    transaction = TransactionFactory(initiative=initiative)
    pledge = PledgeFactory(partnership=world.partnership)
    p = world.partnership.slug
    return {
        "create initiative": reverse("initiatives:initiative-create", args=[p]),
        "edit initiative": reverse("initiatives:initiative-edit", kwargs=_kwargs(initiative)),
        "delete initiative": reverse("initiatives:initiative-delete", kwargs=_kwargs(initiative)),
        "add part": reverse("initiatives:transaction-create", kwargs=_kwargs(initiative)),
        "edit part": reverse(
            "initiatives:transaction-edit", kwargs=_kwargs(initiative, pk=transaction.pk)
        ),
        "delete part": reverse(
            "initiatives:transaction-delete", kwargs=_kwargs(initiative, pk=transaction.pk)
        ),
        "view pledges": reverse("initiatives:pledges", args=[p]),
        "manage pledges": reverse("initiatives:pledge-edit", args=[p, pledge.pk]),
        "view rates": reverse("initiatives:exchange-rates"),
        "upload rates": reverse("initiatives:exchange-rates-upload"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_open_exactly_the_pages_of_the_table(world, role):
    pages = _pages(world)
    client = world.page_client(role)
    opened = set()
    for action, url in pages.items():
        response = client.get(url)
        if response.status_code == 200:
            opened.add(action)
        elif role == "visitor":
            assert response.status_code == 302, (action, response.status_code)
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 403, (action, response.status_code)
    assert opened == {action for action, roles in ALLOWED.items() if role in roles}


@pytest.mark.parametrize("role", sorted(ALL - EDITORS))
def test_who_may_not_edit_writes_nothing_by_posting(world, role):
    initiative = _initiative(world)
    transaction = TransactionFactory(initiative=initiative)
    client = world.page_client(role)
    client.post(
        reverse("initiatives:initiative-edit", kwargs=_kwargs(initiative)),
        _initiative_data(world, title="Taken over"),
    )
    client.post(
        reverse("initiatives:transaction-delete", kwargs=_kwargs(initiative, pk=transaction.pk))
    )
    client.post(reverse("initiatives:initiative-delete", kwargs=_kwargs(initiative)))
    initiative.refresh_from_db()
    assert initiative.title != "Taken over"
    assert Transaction.objects.filter(pk=transaction.pk).exists()


def test_an_accountable_admin_may_not_delete_the_initiative(world):
    initiative = _initiative(world)
    response = world.page_client("org_admin").post(
        reverse("initiatives:initiative-delete", kwargs=_kwargs(initiative))
    )
    assert response.status_code == 403
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_a_members_only_initiative_is_not_found_by_a_stranger(world):
    initiative = _initiative(world, visibility=Visibility.MEMBERS)
    response = world.page_client("stranger").get(
        reverse("initiatives:initiative-edit", kwargs=_kwargs(initiative))
    )
    assert response.status_code == 404


def test_the_admin_of_an_organisation_only_funding_the_initiative_may_not_edit_it(world):
    initiative = InitiativeFactory(partnership=world.partnership)
    ParticipantFactory(
        initiative=initiative, organisation=world.organisation, role=OrganisationRole.FUNDING
    )
    response = world.page_client("org_admin").get(
        reverse("initiatives:initiative-edit", kwargs=_kwargs(initiative))
    )
    assert response.status_code == 403


# The initiative form.


def _initiative_data(world: World, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "BELLA II",
        "description": "Fibre for **research** networks.",
        "language": "en",
        "iati_identifier": "XI-IATI-EC_INTPA-BELLA-2",
        "status": "2",
        "planned_start": "2024-01-01",
        "planned_end": "2027-12-31",
        "actual_start": "",
        "actual_end": "",
        "themes": ["connectivity", "digital-skills"],
        "visibility": "public",
        "sector_1_code": "22040",
        "sector_1_percentage": "60",
        "sector_2_code": "15110",
        "sector_2_percentage": "40",
        "country_1_code": "CL",
        "country_1_percentage": "50",
        "region_1_code": "489",
        "region_1_percentage": "50",
        "participant_1_organisation": str(world.organisation.pk),
        "participant_1_role": OrganisationRole.ACCOUNTABLE,
        "participant_1_iati_ref": "XM-DAC-ECLAC",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _create_url(world: World) -> str:
    return reverse("initiatives:initiative-create", args=[world.partnership.slug])


def test_a_facilitator_creates_an_initiative_with_its_shares_and_roles(world):
    response = world.page_client("facilitator").post(_create_url(world), _initiative_data(world))
    initiative = Initiative.objects.get(iati_identifier="XI-IATI-EC_INTPA-BELLA-2")
    assert response.status_code == 302
    assert response["Location"] == initiative.get_absolute_url()
    assert initiative.partnership == world.partnership
    assert initiative.slug == "bella-ii"
    assert initiative.themes == ["connectivity", "digital-skills"]
    assert initiative.created_by == world.people["facilitator"]
    assert {(s.code, s.percentage) for s in initiative.sectors.all()} == {
        ("22040", Decimal(60)),
        ("15110", Decimal(40)),
    }
    assert [(c.country.code, c.percentage) for c in initiative.recipient_countries.all()] == [
        ("CL", Decimal(50))
    ]
    assert [r.code for r in initiative.recipient_regions.all()] == ["489"]
    participant = initiative.participants.get()
    assert (participant.organisation, participant.role, participant.iati_ref) == (
        world.organisation,
        OrganisationRole.ACCOUNTABLE,
        "XM-DAC-ECLAC",
    )


def test_the_create_form_is_shown_with_labelled_rows(world):
    response = world.page_client("facilitator").get(_create_url(world))
    assert response.status_code == 200
    assert "initiatives/form_initiative.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert '<label class="visually-hidden" for="id_sector_1_code">' in html
    assert 'name="participant_3_role"' in html


def test_a_reserved_title_gets_a_slug_that_does_not_hide_the_create_page(world):
    world.page_client("facilitator").post(_create_url(world), _initiative_data(world, title="New"))
    assert Initiative.objects.get().slug == "new-initiative"


BAD_INITIATIVES: dict[str, tuple[dict[str, Any], str]] = {
    "sectors not adding to 100": ({"sector_2_percentage": "30"}, "sector_1_percentage"),
    "countries and regions not adding to 100": (
        {"region_1_percentage": "40"},
        "country_1_percentage",
    ),
    "unknown sector code": ({"sector_1_code": "99999"}, "sector_1_code"),
    "unknown region code": ({"region_1_code": "999"}, "region_1_code"),
    "unknown country": ({"country_1_code": "XX"}, "country_1_code"),
    "a share without a code": (
        {"sector_3_percentage": "10", "sector_1_percentage": "50"},
        "sector_3_code",
    ),
    "a code without a share": ({"sector_3_code": "11110"}, "sector_3_percentage"),
    "planned end before start": ({"planned_end": "2023-12-31"}, "planned_end"),
    "actual end before start": (
        {"actual_start": "2024-05-01", "actual_end": "2024-04-30"},
        "actual_end",
    ),
    "bad IATI identifier": ({"iati_identifier": "no spaces allowed"}, "iati_identifier"),
    "no title": ({"title": ""}, "title"),
    "an organisation without a role": ({"participant_1_role": ""}, "participant_1_role"),
    "a role without an organisation": (
        {
            "participant_2_organisation": None,
            "participant_2_role": OrganisationRole.ACCOUNTABLE,
        },
        "participant_2_organisation",
    ),
    "unknown theme": ({"themes": ["astrology"]}, "themes"),
}


@pytest.mark.parametrize("case", list(BAD_INITIATIVES))
def test_bad_initiative_input_gets_a_field_error_and_writes_nothing(world, case):
    changes, field = BAD_INITIATIVES[case]
    response = world.page_client("facilitator").post(
        _create_url(world), _initiative_data(world, **changes)
    )
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Initiative.objects.exists()


def test_the_same_organisation_twice_in_one_role_is_refused_by_the_service(world):
    data = _initiative_data(
        world,
        participant_2_organisation=str(world.organisation.pk),
        participant_2_role=OrganisationRole.ACCOUNTABLE,
    )
    response = world.page_client("facilitator").post(_create_url(world), data)
    assert response.status_code == 400
    assert response.context["form"].errors["participant_1_organisation"]
    assert not Initiative.objects.exists()


def test_an_iati_identifier_already_taken_is_refused(world):
    InitiativeFactory(iati_identifier="XI-IATI-EC_INTPA-BELLA-2")
    response = world.page_client("facilitator").post(_create_url(world), _initiative_data(world))
    assert response.status_code == 400
    assert response.context["form"].errors["iati_identifier"]
    assert Initiative.objects.count() == 1


def test_an_iati_identifier_taken_meanwhile_is_a_field_error_not_a_500(world):
    with rival_takes("XI-IATI-EC_INTPA-BELLA-2"):
        response = world.page_client("facilitator").post(
            _create_url(world), _initiative_data(world)
        )
    assert response.status_code == 400
    assert response.context["form"].errors["iati_identifier"]
    assert not Initiative.objects.filter(partnership=world.partnership).exists()


def _agenda_item(partnership: Partnership, status: str = "published") -> AgendaItem:
    dialogue = DialogueFactory(partnership=partnership)
    agenda = Agenda.objects.create(dialogue=dialogue, title="Shared priorities")
    version = AgendaVersion.objects.create(agenda=agenda)
    item = AgendaItem.objects.create(
        version=version, position=1, text={"en": "Connect schools"}, original_language="en"
    )
    if status == AgendaVersion.Status.PUBLISHED:
        AgendaVersion.objects.filter(pk=version.pk).update(
            status=status, number=1, published_at=timezone.now()
        )
    return item


def test_an_initiative_is_linked_to_published_agenda_items_of_its_partnership(world):
    item = _agenda_item(world.partnership)
    client = world.page_client("facilitator")
    assert "Connect schools" in client.get(_create_url(world)).content.decode()
    client.post(_create_url(world), _initiative_data(world, agenda_items=[str(item.pk)]))
    assert list(Initiative.objects.get().agenda_items.all()) == [item]


@pytest.mark.parametrize("where", ["another partnership", "a draft"])
def test_other_agenda_items_cannot_be_chosen(world, where):
    if where == "a draft":
        item = _agenda_item(world.partnership, status=AgendaVersion.Status.DRAFT)
    else:
        item = _agenda_item(PartnershipFactory())
    response = world.page_client("facilitator").post(
        _create_url(world), _initiative_data(world, agenda_items=[str(item.pk)])
    )
    assert response.status_code == 400
    assert response.context["form"].errors["agenda_items"]
    assert not Initiative.objects.exists()


def test_editing_shows_the_rows_and_replaces_them(world):
    initiative = _initiative(world, title="Copernicus LAC")
    SectorFactory(initiative=initiative, code="22040", percentage=Decimal(100))
    url = reverse("initiatives:initiative-edit", kwargs=_kwargs(initiative))
    client = world.page_client("org_admin")
    page = client.get(url)
    assert b"Delete this initiative" not in page.content
    assert page.context["form"]["sector_1_code"].value() == "22040"
    assert page.context["form"]["participant_1_organisation"].value() == world.organisation.pk

    response = client.post(url, _initiative_data(world, title="Copernicus LAC II"))
    assert response.status_code == 302
    assert response["Location"] == initiative.get_absolute_url()
    initiative.refresh_from_db()
    assert initiative.title == "Copernicus LAC II"
    assert initiative.sectors.count() == 2


def test_a_refused_edit_leaves_the_initiative_and_its_rows_as_they_were(world):
    initiative = _initiative(world, title="Copernicus LAC")
    SectorFactory(initiative=initiative, code="22040", percentage=Decimal(100))
    response = world.page_client("facilitator").post(
        reverse("initiatives:initiative-edit", kwargs=_kwargs(initiative)),
        _initiative_data(world, title="Changed", sector_2_percentage="10"),
    )
    assert response.status_code == 400
    initiative.refresh_from_db()
    assert initiative.title == "Copernicus LAC"
    assert [(s.code, s.percentage) for s in initiative.sectors.all()] == [("22040", Decimal(100))]
    assert initiative.participants.count() == 1


def test_deleting_asks_first_then_deletes(world):
    initiative = _initiative(world)
    url = reverse("initiatives:initiative-delete", kwargs=_kwargs(initiative))
    client = world.page_client("facilitator")
    edit = client.get(reverse("initiatives:initiative-edit", kwargs=_kwargs(initiative)))
    assert url in edit.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "initiatives/edit_confirm_delete.html" in [t.name for t in page.templates]
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == world.partnership.get_absolute_url()
    assert not Initiative.objects.filter(pk=initiative.pk).exists()


# Parts.


def _part_url(name: str, initiative: Initiative, **more: Any) -> str:
    return reverse(f"initiatives:{name}", kwargs=_kwargs(initiative, **more))


def _transaction_data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "type": TransactionType.COMMITMENT,
        "date": "2024-03-01",
        "value": "2500000.00",
        "currency": "usd",
        "value_date": "2024-03-01",
        "provider": str(world.organisation.pk),
        "receiver": "",
        "description": "First tranche",
    }
    data.update(changes)
    return data


def test_an_editor_adds_edits_and_removes_a_transaction(world):
    initiative = _initiative(world)
    client = world.page_client("org_admin")
    response = client.post(_part_url("transaction-create", initiative), _transaction_data(world))
    assert response.status_code == 302
    assert response["Location"] == initiative.get_absolute_url()
    transaction = Transaction.objects.get(initiative=initiative)
    assert (transaction.value, transaction.currency, transaction.provider) == (
        Decimal("2500000.00"),
        "USD",
        world.organisation,
    )
    edit = _part_url("transaction-edit", initiative, pk=transaction.pk)
    assert client.get(edit).context["form"]["value"].value() == Decimal("2500000.00")
    client.post(edit, _transaction_data(world, value="3000000"))
    transaction.refresh_from_db()
    assert transaction.value == Decimal(3000000)
    delete = _part_url("transaction-delete", initiative, pk=transaction.pk)
    assert client.get(delete).status_code == 200
    assert Transaction.objects.filter(pk=transaction.pk).exists()
    assert client.post(delete).status_code == 302
    assert not Transaction.objects.filter(pk=transaction.pk).exists()


def test_a_negative_expenditure_is_a_correction_and_is_accepted(world):
    initiative = _initiative(world)
    response = world.page_client("facilitator").post(
        _part_url("transaction-create", initiative),
        _transaction_data(world, type=TransactionType.EXPENDITURE, value="-500"),
    )
    assert response.status_code == 302
    assert Transaction.objects.get().value == Decimal(-500)


def test_a_part_of_another_initiative_is_not_found(world):
    initiative = _initiative(world)
    other = TransactionFactory()
    response = world.page_client("facilitator").get(
        _part_url("transaction-edit", initiative, pk=other.pk)
    )
    assert response.status_code == 404


def _place_data(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Panama data centre",
        "kind": Place.Kind.DATA_CENTRE,
        "latitude": "",
        "longitude": "",
        "geometry_text": "",
    }
    data.update(changes)
    return data


# case -> (url name, model, changes to good data, field with the error)
BAD_PARTS: dict[str, tuple[str, type[Model], dict[str, Any], str]] = {
    "negative commitment": (
        "transaction-create",
        Transaction,
        {"value": "-10"},
        "value",
    ),
    "zero disbursement": (
        "transaction-create",
        Transaction,
        {"type": TransactionType.DISBURSEMENT, "value": "0"},
        "value",
    ),
    "unknown transaction currency": (
        "transaction-create",
        Transaction,
        {"currency": "XXZ"},
        "currency",
    ),
    "unknown transaction type": ("transaction-create", Transaction, {"type": "99"}, "type"),
}


@pytest.mark.parametrize("case", list(BAD_PARTS))
def test_bad_transaction_input_gets_a_field_error_and_writes_nothing(world, case):
    name, model, changes, field = BAD_PARTS[case]
    initiative = _initiative(world)
    response = world.page_client("facilitator").post(
        _part_url(name, initiative), _transaction_data(world, **changes)
    )
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not model._default_manager.exists()


def test_a_place_is_a_point_from_latitude_and_longitude(world):
    initiative = _initiative(world)
    response = world.page_client("facilitator").post(
        _part_url("place-create", initiative), _place_data(latitude="8.98", longitude="-79.52")
    )
    assert response.status_code == 302
    assert Place.objects.get().geometry == {"type": "Point", "coordinates": [-79.52, 8.98]}


def test_a_place_is_a_line_from_geojson_and_is_edited_as_such(world):
    initiative = _initiative(world)
    client = world.page_client("facilitator")
    line = '{"type": "LineString", "coordinates": [[-79.5, 9.0], [-71.6, -33.0]]}'
    client.post(
        _part_url("place-create", initiative),
        _place_data(name="Cable", kind=Place.Kind.CABLE, geometry_text=line),
    )
    place = Place.objects.get()
    assert place.geometry["type"] == "LineString"
    page = client.get(_part_url("place-edit", initiative, pk=place.pk))
    assert '"LineString"' in page.context["form"]["geometry_text"].value()


BAD_PLACES: dict[str, tuple[dict[str, Any], str]] = {
    "not JSON": ({"geometry_text": "{not json"}, "geometry_text"),
    "unknown type": (
        {"geometry_text": '{"type": "Circle", "coordinates": [1, 2]}'},
        "geometry_text",
    ),
    "line of one position": (
        {"geometry_text": '{"type": "LineString", "coordinates": [[1, 2]]}'},
        "geometry_text",
    ),
    "latitude out of range": ({"latitude": "95", "longitude": "10"}, "latitude"),
    "latitude without longitude": ({"latitude": "10"}, "longitude"),
    "both a point and a geometry": (
        {
            "latitude": "10",
            "longitude": "10",
            "geometry_text": '{"type": "Point", "coordinates": [1, 2]}',
        },
        "geometry_text",
    ),
    "nothing": ({}, "latitude"),
}


@pytest.mark.parametrize("case", list(BAD_PLACES))
def test_a_bad_place_gets_a_field_error_and_writes_nothing(world, case):
    changes, field = BAD_PLACES[case]
    initiative = _initiative(world)
    response = world.page_client("facilitator").post(
        _part_url("place-create", initiative), _place_data(**changes)
    )
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not Place.objects.exists()


def test_a_budget_ending_before_it_starts_is_refused(world):
    initiative = _initiative(world)
    response = world.page_client("facilitator").post(
        _part_url("budget-create", initiative),
        {
            "type": "1",
            "status": "1",
            "period_start": "2025-01-01",
            "period_end": "2024-12-31",
            "value": "100",
            "currency": "EUR",
            "value_date": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["period_end"]
    assert not Budget.objects.exists()


def test_a_budget_in_an_unknown_currency_is_refused(world):
    initiative = _initiative(world)
    response = world.page_client("facilitator").post(
        _part_url("budget-create", initiative),
        {
            "type": "1",
            "status": "1",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "value": "100",
            "currency": "EURO",
            "value_date": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["currency"]
    assert not Budget.objects.exists()


def test_a_milestone_is_added_and_needs_a_planned_date(world):
    initiative = _initiative(world)
    client = world.page_client("facilitator")
    url = _part_url("milestone-create", initiative)
    refused = client.post(url, {"title": "Cable landed", "status": "planned"})
    assert refused.status_code == 400
    assert refused.context["form"].errors["planned_date"]
    assert not Milestone.objects.exists()
    client.post(url, {"title": "Cable landed", "status": "planned", "planned_date": "2025-06-30"})
    assert Milestone.objects.get().planned_date == date(2025, 6, 30)


def test_a_document_needs_a_link(world):
    initiative = _initiative(world)
    response = world.page_client("facilitator").post(
        _part_url("document-create", initiative),
        {"title": "Agreement", "url": "not a link", "category": "A09", "language": "en"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["url"]


def test_results_indicators_and_periods_are_added_under_each_other(world):
    initiative = _initiative(world)
    client = world.page_client("org_admin")
    client.post(_part_url("result-create", initiative), {"type": "1", "title": "Connected"})
    result = Result.objects.get(initiative=initiative)
    client.post(
        _part_url("indicator-create", initiative, parent_pk=result.pk),
        {"title": "Institutions", "measure": "1", "unit": "institutions", "ascending": "on"},
    )
    indicator = Indicator.objects.get(result=result)
    bad = client.post(
        _part_url("period-create", initiative, parent_pk=indicator.pk),
        {"period_start": "2025-01-01", "period_end": "2024-01-01", "target": "10"},
    )
    assert bad.status_code == 400
    assert bad.context["form"].errors["period_end"]
    good = client.post(
        _part_url("period-create", initiative, parent_pk=indicator.pk),
        {"period_start": "2024-01-01", "period_end": "2024-12-31", "target": "10", "actual": "4"},
    )
    assert good.status_code == 302
    assert IndicatorPeriod.objects.get(indicator=indicator).actual == 4


def test_an_indicator_cannot_be_added_under_another_initiatives_result(world):
    initiative = _initiative(world)
    foreign = ResultFactory()
    response = world.page_client("facilitator").get(
        _part_url("indicator-create", initiative, parent_pk=foreign.pk)
    )
    assert response.status_code == 404


PART_FACTORIES: dict[str, Callable[[Initiative], Any]] = {
    "transaction": lambda i: TransactionFactory(initiative=i),
    "budget": lambda i: BudgetFactory(initiative=i),
    "milestone": lambda i: MilestoneFactory(initiative=i),
    "place": lambda i: PlaceFactory(initiative=i),
    "result": lambda i: ResultFactory(initiative=i),
    "indicator": lambda i: IndicatorFactory(result=ResultFactory(initiative=i)),
    "period": lambda i: IndicatorPeriodFactory(
        indicator=IndicatorFactory(result=ResultFactory(initiative=i))
    ),
}


@pytest.mark.parametrize("kind", list(PART_FACTORIES))
def test_every_part_has_an_edit_page_and_a_delete_confirmation(world, kind):
    initiative = _initiative(world)
    part = PART_FACTORIES[kind](initiative)
    client = world.page_client("facilitator")
    assert client.get(_part_url(f"{kind}-edit", initiative, pk=part.pk)).status_code == 200
    confirm = client.get(_part_url(f"{kind}-delete", initiative, pk=part.pk))
    assert confirm.status_code == 200
    assert type(part).objects.filter(pk=part.pk).exists()
    assert client.post(_part_url(f"{kind}-delete", initiative, pk=part.pk)).status_code == 302
    assert not type(part).objects.filter(pk=part.pk).exists()


# Pledges.


def test_the_pledge_scorecard_counts_and_filters_by_status(world):
    initiative = _initiative(world, title="BELLA")
    PledgeFactory(partnership=world.partnership, description="Engineers", initiative=initiative)
    PledgeFactory(
        partnership=world.partnership,
        description="Satellite data",
        status=Pledge.Status.FULFILLED,
        kind=Pledge.Kind.DATA,
    )
    PledgeFactory(description="Elsewhere")
    url = reverse("initiatives:pledges", args=[world.partnership.slug])
    page = Client().get(url)
    assert page.status_code == 200
    assert [p.description for p in page.context["pledges"]] == ["Engineers", "Satellite data"]
    counts = {value: n for value, _label, n in page.context["counts"]}
    assert counts == {"open": 1, "fulfilled": 1, "late": 0, "withdrawn": 0}
    assert b"Record a pledge" not in page.content
    fulfilled = Client().get(url, {"status": "fulfilled"})
    assert [p.description for p in fulfilled.context["pledges"]] == ["Satellite data"]
    assert Client().get(url, {"status": "nonsense"}).status_code == 200


def test_a_facilitator_records_and_updates_a_pledge(world):
    initiative = _initiative(world)
    client = world.page_client("facilitator")
    url = reverse("initiatives:pledge-create", args=[world.partnership.slug])
    data = {
        "organisation": str(world.organisation.pk),
        "kind": "money",
        "description": "EUR 5 million for BELLA",
        "amount": "5000000",
        "currency": "eur",
        "initiative": str(initiative.pk),
        "made_at": "Summit 2025",
        "due_date": "2026-06-30",
        "status": "open",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:pledges", args=[world.partnership.slug])
    pledge = Pledge.objects.get()
    assert (pledge.partnership, pledge.currency, pledge.initiative) == (
        world.partnership,
        "EUR",
        initiative,
    )
    client.post(
        reverse("initiatives:pledge-edit", args=[world.partnership.slug, pledge.pk]),
        {**data, "status": "fulfilled"},
    )
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.FULFILLED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": ""}, "amount"),
        ({"currency": "XXZ"}, "currency"),
        ({"amount": "-5"}, "amount"),
        ({"initiative": "foreign"}, "initiative"),
    ],
)
def test_a_bad_pledge_gets_a_field_error_and_writes_nothing(world, changes, field):
    foreign = InitiativeFactory()
    if changes.get("initiative") == "foreign":
        changes = {"initiative": str(foreign.pk)}
    data = {
        "organisation": str(world.organisation.pk),
        "kind": "money",
        "description": "Money",
        "amount": "100",
        "currency": "EUR",
        "status": "open",
        **changes,
    }
    response = world.page_client("facilitator").post(
        reverse("initiatives:pledge-create", args=[world.partnership.slug]), data
    )
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not Pledge.objects.exists()


# Exchange rates.


def test_the_rates_list_is_public_paginated_and_filtered_by_currency(world):
    for day in range(1, 61):
        ExchangeRateFactory(currency="USD", date=date(2024, 1, 1) + timedelta(days=day))
    ExchangeRateFactory(currency="BRL", date=date(2024, 1, 2), rate=Decimal("5.4"))
    url = reverse("initiatives:exchange-rates")
    first = Client().get(url)
    assert first.status_code == 200
    assert first.context["page_obj"].paginator.count == 61
    assert len(first.context["page_obj"].object_list) == 50
    brl = Client().get(url, {"currency": "brl"})
    assert [rate.currency for rate in brl.context["page_obj"].object_list] == ["BRL"]
    assert b"Upload rates" not in first.content


def _upload(client: Client, text: str | bytes, name: str = "rates.csv") -> Any:
    content = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("initiatives:exchange-rates-upload"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv"), "source": "ECB"},
    )


def test_a_platform_admin_uploads_rates_and_is_told_what_changed(world):
    ExchangeRateFactory(currency="USD", date=date(2024, 1, 2), rate=Decimal("1.1"))
    client = world.page_client("platform_admin")
    response = _upload(client, "currency,date,rate\nUSD,2024-01-02,1.0956\nBRL,2024-01-02,5.3741\n")
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:exchange-rates")
    assert ExchangeRate.objects.get(currency="USD").rate == Decimal("1.0956")
    assert ExchangeRate.objects.get(currency="BRL").source == "ECB"
    page = client.get(response["Location"])
    assert "1 rates added, 1 rates updated." in page.content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("currency,date,rate\nUSD,2024-01-02,1.09\nUSD,2024-13-02,1.1\n", "Line 3"),
        ("currency,date,rate\nUSD,2024-01-02,1.09\nXXZ,2024-01-03,1.1\n", "Line 3"),
        ("currency,date,rate\nUSD,2024-01-02,-1\n", "Line 2"),
        ("currency,day,rate\nUSD,2024-01-02,1\n", "columns"),
    ],
)
def test_a_rates_file_with_a_bad_line_names_it_and_writes_nothing(world, text, message):
    response = _upload(world.page_client("platform_admin"), text)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors
    assert not ExchangeRate.objects.exists()


def test_a_rates_file_too_large_or_not_text_is_refused(world):
    client = world.page_client("platform_admin")
    large = _upload(client, b"currency,date,rate\n" + b"x" * MAX_RATES_FILE_BYTES)
    assert large.status_code == 400
    assert large.context["form"].errors["file"]
    binary = _upload(client, b"\xff\xfe\x00bad")
    assert binary.status_code == 400
    assert binary.context["form"].errors["file"]
    assert not ExchangeRate.objects.exists()


def test_a_transaction_party_must_be_an_organisation_of_the_directory(world):
    initiative = _initiative(world)
    response = world.page_client("facilitator").post(
        _part_url("transaction-create", initiative), _transaction_data(world, receiver="999999")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["receiver"]
    assert not Transaction.objects.exists()


def test_the_pledge_scorecard_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for n in range(10):
        PledgeFactory(partnership=world.partnership, initiative=_initiative(world, title=f"I{n}"))
    with django_assert_max_num_queries(8):
        response = Client().get(reverse("initiatives:pledges", args=[world.partnership.slug]))
    assert len(response.context["pledges"]) == 10


def test_the_rates_list_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for day in range(30):
        ExchangeRateFactory(currency="USD", date=date(2024, 1, 1) + timedelta(days=day))
    with django_assert_max_num_queries(6):
        Client().get(reverse("initiatives:exchange-rates"))
