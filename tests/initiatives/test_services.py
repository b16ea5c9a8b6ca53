"""Writes to initiatives: who may make them, what they refuse, and that a refused write
leaves the database as it was."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from puente.initiatives import services
from puente.initiatives.models import (
    Budget,
    Document,
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
from puente.initiatives.services import (
    Role,
    Share,
    exchange_rates_import,
    initiative_create,
    initiative_delete,
    initiative_update,
    part_delete,
    part_save,
    pledge_save,
)
from tests.initiatives.factories import (
    BudgetFactory,
    ExchangeRateFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
    PlaceFactory,
    PledgeFactory,
    ResultFactory,
    SectorFactory,
    TransactionFactory,
)
from tests.initiatives.races import rival_takes
from tests.initiatives.worlds import ROLES, InitiativeWorld, initiative_world, published_item
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MANAGERS = frozenset({"facilitator", "platform_admin"})
EDITORS = MANAGERS | {"accountable_admin"}
# Written out: this is the specification.
ALLOWED: dict[str, frozenset[str]] = {
    "create": MANAGERS,
    "update": EDITORS,
    "delete": MANAGERS,
    "part_save": EDITORS,
    "part_delete": EDITORS,
    "pledge_save": MANAGERS,
}
FIELDS = {"title": "Cable to the Andes", "language": "en", "iati_identifier": "XI-TEST-NEW-1"}
TABLES = (
    Initiative,
    InitiativeSector,
    RecipientCountry,
    RecipientRegion,
    ParticipatingOrganisation,
    Initiative.agenda_items.through,
    Transaction,
    Budget,
    Milestone,
    Place,
    Document,
    Result,
    Indicator,
    IndicatorPeriod,
    Pledge,
    ExchangeRate,
)


def _rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


@pytest.fixture
def world() -> InitiativeWorld:
    return initiative_world()


def _actor(world: InitiativeWorld, role: str) -> Any:
    return world.person(role) or AnonymousUser()


def _manager(world: InitiativeWorld) -> Any:
    return world.person("facilitator")


def _attempt(action: str, world: InitiativeWorld, actor: Any, n: int) -> None:
    initiative = world.initiative
    if action == "create":
        initiative_create(
            actor=actor,
            partnership=world.partnership,
            fields={**FIELDS, "iati_identifier": f"XI-TEST-ROLE-{n}"},
        )
    elif action == "update":
        initiative_update(actor=actor, initiative=initiative, fields={"title": "Renamed"})
    elif action == "delete":
        initiative_delete(actor=actor, initiative=InitiativeFactory(partnership=world.partnership))
    elif action == "part_save":
        part_save(actor=actor, part=MilestoneFactory.build(initiative=initiative))
    elif action == "part_delete":
        part_delete(actor=actor, part=MilestoneFactory(initiative=initiative))
    else:
        pledge_save(
            actor=actor,
            pledge=PledgeFactory.build(
                partnership=world.partnership, organisation=world.member_organisation
            ),
        )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_write_exactly_the_table(world, role):
    actor = _actor(world, role)
    done = set()
    for n, action in enumerate(ALLOWED):
        try:
            _attempt(action, world, actor, n)
        except PermissionDenied:
            continue
        done.add(action)

    assert done == {action for action, roles in ALLOWED.items() if role in roles}


@pytest.mark.parametrize("role", sorted(set(ROLES) - EDITORS))
def test_a_refused_writer_changes_nothing(world, role):
    actor = _actor(world, role)
    before = _rows()
    for n, action in enumerate(ALLOWED):
        if action in {"delete", "part_delete"}:
            continue  # their setup adds the row to delete
        with pytest.raises(PermissionDenied):
            _attempt(action, world, actor, n)

    assert _rows() == before
    world.initiative.refresh_from_db()
    assert world.initiative.title != "Renamed"


# Creating and updating initiatives


def test_create_stores_the_initiative_with_all_its_parts(world):
    item = published_item(world.partnership)

    initiative = initiative_create(
        actor=_manager(world),
        partnership=world.partnership,
        fields={**FIELDS, "themes": ["connectivity"], "status": "2"},
        sectors=[Share("22040", Decimal(70)), Share("43082", Decimal(30))],
        countries=[Share("CL", Decimal("33.33")), Share("PE", Decimal("33.33"))],
        regions=[Share("489", Decimal("33.34"))],
        participants=[Role(world.accountable, OrganisationRole.ACCOUNTABLE, "XI-IATI-TEST")],
        agenda_items=[item],
    )

    initiative.refresh_from_db()
    assert (initiative.title, initiative.slug, initiative.created_by) == (
        "Cable to the Andes",
        "cable-to-the-andes",
        _manager(world),
    )
    assert {(s.code, s.percentage) for s in initiative.sectors.all()} == {
        ("22040", Decimal(70)),
        ("43082", Decimal(30)),
    }
    assert sorted(c.country.code for c in initiative.recipient_countries.all()) == ["CL", "PE"]
    assert [r.code for r in initiative.recipient_regions.all()] == ["489"]
    assert [(p.organisation, p.iati_ref) for p in initiative.participants.all()] == [
        (world.accountable, "XI-IATI-TEST")
    ]
    assert list(initiative.agenda_items.all()) == [item]


def test_a_second_initiative_with_the_same_title_gets_its_own_slug(world):
    first = initiative_create(actor=_manager(world), partnership=world.partnership, fields=FIELDS)
    second = initiative_create(
        actor=_manager(world),
        partnership=world.partnership,
        fields={**FIELDS, "iati_identifier": "XI-TEST-NEW-2"},
    )
    assert (first.slug, second.slug) == ("cable-to-the-andes", "cable-to-the-andes-2")


SHARES_REFUSED: dict[str, tuple[dict[str, Any], str]] = {
    "sectors under 100": ({"sectors": [Share("22040", Decimal(60))]}, "sectors"),
    "sectors over 100": (
        {"sectors": [Share("22040", Decimal(60)), Share("43082", Decimal(50))]},
        "sectors",
    ),
    "sector twice": (
        {"sectors": [Share("22040", Decimal(50)), Share("22040", Decimal(50))]},
        "sectors",
    ),
    "unknown sector": ({"sectors": [Share("99999", Decimal(100))]}, "sectors"),
    "sector category, not a sector": ({"sectors": [Share("220", Decimal(100))]}, "sectors"),
    "zero share": (
        {"sectors": [Share("22040", Decimal(100)), Share("43082", Decimal(0))]},
        "sectors",
    ),
    "negative share balanced": (
        {"sectors": [Share("22040", Decimal(150)), Share("43082", Decimal(-50))]},
        "sectors",
    ),
    "three decimals": (
        {
            "sectors": [
                Share("22040", Decimal("33.335")),
                Share("43082", Decimal("33.335")),
                Share("15110", Decimal("33.33")),
            ]
        },
        "sectors",
    ),
    "countries under 100": ({"countries": [Share("CL", Decimal(90))]}, "recipient_countries"),
    "countries and regions over 100": (
        {"countries": [Share("CL", Decimal(60))], "regions": [Share("489", Decimal(50))]},
        "recipient_countries",
    ),
    "regions alone under 100": ({"regions": [Share("489", Decimal(40))]}, "recipient_countries"),
    "country twice": (
        {"countries": [Share("CL", Decimal(50)), Share("CL", Decimal(50))]},
        "recipient_countries",
    ),
    "unknown country": ({"countries": [Share("XX", Decimal(100))]}, "recipient_countries"),
    "country in lower case": ({"countries": [Share("cl", Decimal(100))]}, "recipient_countries"),
    "unknown region": (
        {"countries": [], "regions": [Share("999", Decimal(100))]},
        "recipient_regions",
    ),
    "region twice": (
        {"regions": [Share("489", Decimal(50)), Share("489", Decimal(50))]},
        "recipient_countries",
    ),
}


@pytest.mark.parametrize(("parts", "field"), SHARES_REFUSED.values(), ids=SHARES_REFUSED.keys())
def test_create_refuses_bad_shares_and_writes_nothing(world, parts, field):
    before = _rows()

    with pytest.raises(ValidationError) as refused:
        initiative_create(
            actor=_manager(world), partnership=world.partnership, fields=FIELDS, **parts
        )

    assert field in refused.value.message_dict
    assert _rows() == before


@pytest.mark.parametrize(("parts", "field"), SHARES_REFUSED.values(), ids=SHARES_REFUSED.keys())
def test_update_refuses_bad_shares_and_keeps_the_old_ones(world, parts, field):
    initiative = world.initiative
    SectorFactory(initiative=initiative, code="15110", percentage=Decimal(100))
    RecipientCountry.objects.create(initiative=initiative, country="BR", percentage=Decimal(100))
    before = _rows()

    with pytest.raises(ValidationError) as refused:
        initiative_update(
            actor=_manager(world), initiative=initiative, fields={"title": "Changed"}, **parts
        )

    assert field in refused.value.message_dict
    assert _rows() == before
    initiative.refresh_from_db()
    assert initiative.title != "Changed"
    assert [s.code for s in initiative.sectors.all()] == ["15110"]
    assert [c.country.code for c in initiative.recipient_countries.all()] == ["BR"]


def test_countries_and_regions_together_make_100(world):
    initiative_update(
        actor=_manager(world),
        initiative=world.initiative,
        fields={},
        countries=[Share("CL", Decimal(50))],
        regions=[Share("489", Decimal(50))],
    )
    assert world.initiative.recipient_regions.get().percentage == Decimal(50)


def test_update_checks_new_countries_against_the_regions_it_keeps(world):
    initiative = world.initiative
    RecipientRegion.objects.create(initiative=initiative, code="489", percentage=Decimal(40))
    RecipientCountry.objects.create(initiative=initiative, country="BR", percentage=Decimal(60))

    with pytest.raises(ValidationError):
        initiative_update(
            actor=_manager(world),
            initiative=initiative,
            fields={},
            countries=[Share("CL", Decimal(100))],
        )
    initiative_update(
        actor=_manager(world),
        initiative=initiative,
        fields={},
        countries=[Share("CL", Decimal(60))],
    )

    assert [c.country.code for c in initiative.recipient_countries.all()] == ["CL"]
    assert [r.code for r in initiative.recipient_regions.all()] == ["489"]


def test_update_leaves_the_parts_it_is_not_given(world):
    initiative = world.initiative
    SectorFactory(initiative=initiative)
    item = published_item(world.partnership)
    initiative.agenda_items.add(item)

    initiative_update(actor=_manager(world), initiative=initiative, fields={"title": "New title"})

    initiative.refresh_from_db()
    assert initiative.title == "New title"
    assert initiative.sectors.count() == 1
    assert initiative.participants.count() == 2
    assert list(initiative.agenda_items.all()) == [item]


def test_empty_parts_remove_them(world):
    initiative = world.initiative
    SectorFactory(initiative=initiative)

    initiative_update(
        actor=_manager(world), initiative=initiative, fields={}, sectors=[], participants=[]
    )

    assert initiative.sectors.count() == 0
    assert initiative.participants.count() == 0


def test_an_organisation_holds_each_role_once(world):
    before = _rows()
    with pytest.raises(ValidationError) as refused:
        initiative_update(
            actor=_manager(world),
            initiative=world.initiative,
            fields={},
            participants=[
                Role(world.accountable, OrganisationRole.FUNDING),
                Role(world.accountable, OrganisationRole.FUNDING),
            ],
        )
    assert "participants" in refused.value.message_dict
    assert _rows() == before


def test_a_role_outside_the_codelist_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        initiative_update(
            actor=_manager(world),
            initiative=world.initiative,
            fields={},
            participants=[Role(world.accountable, "9")],
        )
    assert "participants" in refused.value.message_dict
    assert world.initiative.participants.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"iati_identifier": "has spaces in it"}, "iati_identifier"),
        ({"language": "xx"}, "language"),
        ({"status": "9"}, "status"),
        ({"themes": ["no-such-theme"]}, "themes"),
        ({"visibility": "secret"}, "visibility"),
        ({"planned_start": date(2025, 1, 1), "planned_end": date(2024, 1, 1)}, "planned_end"),
    ],
)
def test_bad_fields_are_refused_by_name_and_nothing_is_written(world, fields, field):
    before = _rows()

    with pytest.raises(ValidationError) as refused:
        initiative_update(
            actor=_manager(world),
            initiative=world.initiative,
            fields=fields,
            sectors=[Share("22040", Decimal(100))],
        )

    assert field in refused.value.message_dict
    assert _rows() == before


def test_an_iati_identifier_is_unique(world):
    with pytest.raises(ValidationError) as refused:
        initiative_create(
            actor=_manager(world),
            partnership=world.partnership,
            fields={**FIELDS, "iati_identifier": world.initiative.iati_identifier},
        )
    assert "iati_identifier" in refused.value.message_dict


def test_an_identifier_taken_by_a_concurrent_create_is_a_field_error(world):
    before = _rows()
    with rival_takes("XI-TEST-NEW-1"), pytest.raises(ValidationError) as refused:
        initiative_create(
            actor=_manager(world),
            partnership=world.partnership,
            fields=FIELDS,
            sectors=[Share("22040", Decimal(100))],
        )
    assert list(refused.value.message_dict) == ["iati_identifier"]
    # The savepoint undid the failed insert; the service's transaction undid the rest.
    assert _rows() == before


def test_an_identifier_taken_by_a_concurrent_update_is_a_field_error(world):
    old = world.initiative.iati_identifier
    with rival_takes("XI-TEST-MOVED-1"), pytest.raises(ValidationError) as refused:
        initiative_update(
            actor=_manager(world),
            initiative=world.initiative,
            fields={"iati_identifier": "XI-TEST-MOVED-1"},
        )
    assert list(refused.value.message_dict) == ["iati_identifier"]
    world.initiative.refresh_from_db()
    assert world.initiative.iati_identifier == old


def test_the_save_path_alone_turns_the_unique_clash_into_a_field_error(world):
    # As when the model's checks are skipped: only the database stands in the way.
    clash = InitiativeFactory.build(
        partnership=world.partnership, iati_identifier=world.initiative.iati_identifier
    )
    with pytest.raises(ValidationError) as refused:
        services._initiative_save(clash)
    assert list(refused.value.message_dict) == ["iati_identifier"]
    # The savepoint left the transaction usable.
    assert Initiative.objects.filter(iati_identifier=clash.iati_identifier).count() == 1


def test_another_integrity_error_is_not_taken_for_a_taken_identifier(world):
    clash = InitiativeFactory.build(partnership=world.partnership, slug=world.initiative.slug)
    with pytest.raises(IntegrityError):
        services._initiative_save(clash)


def test_fields_outside_the_list_are_ignored(world):
    other = InitiativeFactory()
    initiative = initiative_update(
        actor=_manager(world),
        initiative=world.initiative,
        fields={"partnership": other.partnership, "slug": "hijacked", "created_by": None},
    )
    initiative.refresh_from_db()
    assert initiative.partnership == world.partnership
    assert initiative.slug != "hijacked"


@pytest.mark.parametrize("which", ["other partnership", "draft version"])
def test_agenda_items_come_from_the_partnerships_published_versions(world, which):
    item = (
        published_item(InitiativeFactory().partnership)
        if which == "other partnership"
        else published_item(world.partnership, published=False)
    )
    before = _rows()

    with pytest.raises(ValidationError) as refused:
        initiative_create(
            actor=_manager(world), partnership=world.partnership, fields=FIELDS, agenda_items=[item]
        )
    assert "agenda_items" in refused.value.message_dict
    with pytest.raises(ValidationError):
        initiative_update(
            actor=_manager(world), initiative=world.initiative, fields={}, agenda_items=[item]
        )
    assert _rows() == before


def test_delete_removes_the_initiative_and_its_parts_but_not_the_organisations(world):
    initiative = world.initiative
    TransactionFactory(initiative=initiative)
    BudgetFactory(initiative=initiative)
    IndicatorFactory(result=ResultFactory(initiative=initiative))
    pledge = PledgeFactory(partnership=world.partnership, initiative=initiative)

    initiative_delete(actor=_manager(world), initiative=initiative)

    assert not Initiative.objects.filter(pk=initiative.pk).exists()
    assert Transaction.objects.count() == Budget.objects.count() == Indicator.objects.count() == 0
    assert ParticipatingOrganisation.objects.count() == 0
    world.accountable.refresh_from_db()
    pledge.refresh_from_db()
    assert pledge.initiative is None


# Parts


def _valid_parts(initiative: Initiative) -> list[Any]:
    result = ResultFactory(initiative=initiative)
    indicator = IndicatorFactory(result=result)
    return [
        BudgetFactory.build(initiative=initiative),
        TransactionFactory.build(initiative=initiative, provider=OrganisationFactory()),
        TransactionFactory.build(
            initiative=initiative,
            type=TransactionType.EXPENDITURE,
            value=Decimal("-250.00"),
            provider=None,
        ),
        MilestoneFactory.build(initiative=initiative),
        PlaceFactory.build(initiative=initiative),
        PlaceFactory.build(
            initiative=initiative,
            geometry={"type": "LineString", "coordinates": [[-8.87, 37.95], [-38.54, -3.72]]},
        ),
        Document(
            initiative=initiative,
            title="Agreement",
            url="https://example.org/agreement.pdf",
            category="A09",
            language="en",
        ),
        ResultFactory.build(initiative=initiative),
        IndicatorFactory.build(result=result),
        IndicatorPeriod(
            indicator=indicator,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            target=Decimal(10),
        ),
    ]


def test_part_save_stores_each_kind_of_part(world):
    for part in _valid_parts(world.initiative):
        saved = part_save(actor=world.person("accountable_admin"), part=part)
        assert saved.pk is not None, part
        assert type(part).objects.filter(pk=saved.pk).exists()


def _bad_parts(initiative: Initiative) -> dict[str, tuple[Any, str]]:
    indicator = IndicatorFactory(result=ResultFactory(initiative=initiative))
    return {
        "negative commitment": (
            TransactionFactory.build(initiative=initiative, provider=None, value=Decimal(-1)),
            "value",
        ),
        "zero disbursement": (
            TransactionFactory.build(
                initiative=initiative,
                provider=None,
                type=TransactionType.DISBURSEMENT,
                value=Decimal(0),
            ),
            "value",
        ),
        "unknown currency": (
            TransactionFactory.build(initiative=initiative, provider=None, currency="XYZ"),
            "currency",
        ),
        "withdrawn currency": (
            TransactionFactory.build(initiative=initiative, provider=None, currency="BYR"),
            "currency",
        ),
        "unknown transaction type": (
            TransactionFactory.build(initiative=initiative, provider=None, type="99"),
            "type",
        ),
        "budget ends before it starts": (
            BudgetFactory.build(
                initiative=initiative, period_start=date(2025, 1, 1), period_end=date(2024, 1, 1)
            ),
            "period_end",
        ),
        "negative budget": (BudgetFactory.build(initiative=initiative, value=Decimal(-1)), "value"),
        "budget in an unknown currency": (
            BudgetFactory.build(initiative=initiative, currency="EUX"),
            "currency",
        ),
        "period ends before it starts": (
            IndicatorPeriod(
                indicator=indicator,
                period_start=date(2025, 1, 1),
                period_end=date(2024, 1, 1),
                target=Decimal(1),
            ),
            "period_end",
        ),
        "place out of range": (
            PlaceFactory.build(
                initiative=initiative, geometry={"type": "Point", "coordinates": [-200, 0]}
            ),
            "geometry",
        ),
        "place with an open ring": (
            PlaceFactory.build(
                initiative=initiative,
                geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
            ),
            "geometry",
        ),
        "document without a link": (
            Document(initiative=initiative, title="x", url="not a url", language="en"),
            "url",
        ),
        "milestone without a date": (
            Milestone(initiative=initiative, title="x"),
            "planned_date",
        ),
    }


def test_part_save_refuses_bad_parts_by_field_and_writes_nothing(world):
    for name, (part, field) in _bad_parts(world.initiative).items():
        before = _rows()
        with pytest.raises(ValidationError) as refused:
            part_save(actor=world.person("accountable_admin"), part=part)
        if field:
            assert field in refused.value.message_dict, name
        assert _rows() == before, name


def test_part_save_refuses_moving_a_part_from_an_initiative_the_actor_may_not_edit(world):
    other = InitiativeFactory()
    transaction = TransactionFactory(initiative=other)
    moved = Transaction.objects.get(pk=transaction.pk)
    moved.initiative = world.initiative
    moved.value = Decimal(1)

    with pytest.raises(PermissionDenied):
        part_save(actor=world.person("accountable_admin"), part=moved)

    transaction.refresh_from_db()
    assert (transaction.initiative, transaction.value) == (other, Decimal("1000000.00"))


def test_part_delete_of_another_initiative_is_refused(world):
    milestone = MilestoneFactory()
    with pytest.raises(PermissionDenied):
        part_delete(actor=world.person("accountable_admin"), part=milestone)
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_part_delete_of_an_indicator_period_reaches_its_initiative(world):
    indicator = IndicatorFactory(result=ResultFactory(initiative=world.initiative))
    period = IndicatorPeriod.objects.create(
        indicator=indicator, period_start=date(2024, 1, 1), period_end=date(2024, 2, 1), target=1
    )
    with pytest.raises(PermissionDenied):
        part_delete(actor=world.person("implementing_admin"), part=period)
    part_delete(actor=world.person("accountable_admin"), part=period)
    assert not IndicatorPeriod.objects.filter(pk=period.pk).exists()


# Pledges


def test_a_money_pledge_is_stored_with_amount_and_currency(world):
    pledge = pledge_save(
        actor=_manager(world),
        pledge=PledgeFactory.build(
            partnership=world.partnership,
            organisation=world.member_organisation,
            initiative=world.initiative,
            kind=Pledge.Kind.MONEY,
            amount=Decimal("5000000"),
            currency="EUR",
        ),
    )
    assert Pledge.objects.get(pk=pledge.pk).amount == Decimal("5000000")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": Pledge.Kind.MONEY, "amount": None, "currency": "EUR"}, "amount"),
        ({"kind": Pledge.Kind.MONEY, "amount": Decimal(10), "currency": ""}, "amount"),
        ({"kind": Pledge.Kind.MONEY, "amount": Decimal(10), "currency": "XYZ"}, "currency"),
        ({"kind": Pledge.Kind.MONEY, "amount": Decimal(-10), "currency": "EUR"}, "amount"),
        ({"kind": "gold"}, "kind"),
        ({"description": ""}, "description"),
    ],
)
def test_a_bad_pledge_is_refused_by_field(world, values, field):
    before = _rows()
    with pytest.raises(ValidationError) as refused:
        pledge_save(
            actor=_manager(world),
            pledge=PledgeFactory.build(
                partnership=world.partnership, organisation=world.member_organisation, **values
            ),
        )
    assert field in refused.value.message_dict
    assert _rows() == before


def test_a_pledge_for_an_initiative_of_another_partnership_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        pledge_save(
            actor=_manager(world),
            pledge=PledgeFactory.build(
                partnership=world.partnership,
                organisation=world.member_organisation,
                initiative=InitiativeFactory(),
            ),
        )
    assert "initiative" in refused.value.message_dict
    assert Pledge.objects.count() == 0


def test_a_pledge_of_another_partnership_cannot_be_moved_into_ones_own(world):
    pledge = PledgeFactory()
    moved = Pledge.objects.get(pk=pledge.pk)
    moved.partnership = world.partnership

    with pytest.raises(PermissionDenied):
        pledge_save(actor=_manager(world), pledge=moved)

    pledge.refresh_from_db()
    assert pledge.partnership != world.partnership


def test_a_manager_updates_a_pledge_of_their_partnership(world):
    pledge = PledgeFactory(partnership=world.partnership)
    pledge.status = Pledge.Status.FULFILLED

    pledge_save(actor=_manager(world), pledge=pledge)

    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.FULFILLED


# Exchange rates


def test_import_creates_then_updates_rates():
    text = "currency,date,rate\nUSD,2024-01-02,1.0956\nbrl,2024-01-02,5.3516\n"

    first = exchange_rates_import(text=text, source="ECB")
    second = exchange_rates_import(
        text="currency,date,rate\nUSD,2024-01-02,1.1\nUSD,2024-02-01,1.08\n"
    )

    assert (first.created, first.updated) == (2, 0)
    assert (second.created, second.updated) == (1, 1)
    assert ExchangeRate.objects.get(currency="USD", date=date(2024, 1, 2)).rate == Decimal("1.1")
    assert ExchangeRate.objects.get(currency="BRL").source == "ECB"
    assert ExchangeRate.objects.count() == 3


def test_import_reads_columns_in_any_order_and_a_byte_order_mark():
    result = exchange_rates_import(text="\ufeffrate,currency,date\n965.25,CLP,2024-01-02\n")
    assert result.created == 1
    assert ExchangeRate.objects.get().rate == Decimal("965.25")


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        ("USD,2024-13-01,1.1", "Line 3"),
        ("USD,yesterday,1.1", "Line 3"),
        ("USD,2024-01-03,one", "Line 3"),
        ("USD,2024-01-03,", "Line 3"),
        ("USD,2024-01-03,0", "Line 3"),
        ("USD,2024-01-03,-1.2", "Line 3"),
        ("USD,2024-01-03,NaN", "Line 3"),
        ("USD,2024-01-03,Infinity", "Line 3"),
        ("USD,2024-01-03,1e-20", "Line 3"),
        ("USD,2024-01-03,1e10", "Line 3"),
        ("USD,2024-01-03,9999999999.99999999999", "Line 3"),
        ("EUR,2024-01-03,1", "EUR"),
        ("XYZ,2024-01-03,1.5", "XYZ"),
        ("BYR,2024-01-03,1.5", "BYR"),
        (",2024-01-03,1.5", "Line 3"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_written(line, wanted):
    ExchangeRateFactory(currency="USD", date=date(2024, 1, 2), rate=Decimal("1.2"))
    text = f"currency,date,rate\nUSD,2024-01-02,1.0956\n{line}\n"

    with pytest.raises(ValidationError) as refused:
        exchange_rates_import(text=text)

    assert wanted in " ".join(refused.value.message_dict["file"])
    assert ExchangeRate.objects.count() == 1
    assert ExchangeRate.objects.get().rate == Decimal("1.2")


@pytest.mark.parametrize(
    "text", ["", "currency,date\nUSD,2024-01-02\n", "code,day,value\nUSD,2024-01-02,1.1\n"]
)
def test_missing_columns_are_refused(text):
    with pytest.raises(ValidationError) as refused:
        exchange_rates_import(text=text)
    assert "file" in refused.value.message_dict
    assert ExchangeRate.objects.count() == 0


def test_a_field_too_large_for_csv_is_a_validation_error():
    text = "currency,date,rate\nUSD,2024-01-02," + "1" * 200_000 + "\n"
    with pytest.raises(ValidationError):
        exchange_rates_import(text=text)
    assert ExchangeRate.objects.count() == 0


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(services, "MAX_RATE_ROWS", 3)
    rows = [f"USD,2024-01-0{day},1.1" for day in range(1, 5)]

    exchange_rates_import(text="currency,date,rate\n" + "\n".join(rows[:3]))
    with pytest.raises(ValidationError) as refused:
        exchange_rates_import(text="currency,date,rate\n" + "\n".join(rows).replace("1.1", "1.2"))

    assert "too many" in refused.value.message_dict["file"][0]
    assert set(ExchangeRate.objects.values_list("rate", flat=True)) == {Decimal("1.1")}
