"""The demo's initiatives: loaded once however often the demo is loaded, valid by the same
rules as anything a person enters, and adding up to Team Europe's EUR 145 million."""

from decimal import Decimal

import pytest
from django.db.models import Model

from puente.agenda.models import AgendaVersion
from puente.dialogues.demo import DEMO_PARTNERSHIP
from puente.initiatives.codelists import codelist
from puente.initiatives.demo import INITIATIVES, PLEDGES
from puente.initiatives.geometry import validate_geometry
from puente.initiatives.models import (
    Budget,
    ExchangeRate,
    Indicator,
    IndicatorPeriod,
    Initiative,
    InitiativeSector,
    Milestone,
    ParticipatingOrganisation,
    Place,
    Pledge,
    RecipientCountry,
    RecipientRegion,
    Result,
    Transaction,
    TransactionType,
)
from puente.initiatives.selectors import (
    TEAM_EUROPE_INITIAL_EUR,
    money_by_contributor,
)
from puente.partnerships.demo import demo_load
from puente.stakeholders.models import Organisation

pytestmark = pytest.mark.django_db

MODELS: tuple[type[Model], ...] = (
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
    Result,
    Indicator,
    IndicatorPeriod,
    ExchangeRate,
    Pledge,
)


def _rows() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


@pytest.fixture
def demo() -> None:
    demo_load()


def _demo_initiatives() -> list[Initiative]:
    return list(Initiative.objects.filter(partnership__slug=DEMO_PARTNERSHIP))


def test_loading_twice_creates_the_initiatives_rates_and_pledges_once():
    first = demo_load()
    rows = _rows()

    second = demo_load()

    assert _rows() == rows
    assert (
        first.created["initiatives"],
        first.created["exchange rates"],
        first.created["pledges"],
    ) == (len(INITIATIVES), 7, len(PLEDGES))
    assert {
        kind: second.created[kind] for kind in ("initiatives", "exchange rates", "pledges")
    } == {
        "initiatives": 0,
        "exchange rates": 0,
        "pledges": 0,
    }
    assert second.kept["initiatives"] == len(INITIATIVES)
    assert second.kept["pledges"] == len(PLEDGES)


def test_loading_keeps_an_initiative_someone_changed(demo):
    Initiative.objects.filter(slug="bella-extension").update(title="Renamed by a facilitator")
    Transaction.objects.filter(initiative__slug="bella-extension").delete()

    demo_load()

    bella = Initiative.objects.get(slug="bella-extension")
    assert bella.title == "Renamed by a facilitator"
    assert bella.transactions.count() == 0


def test_every_seed_organisation_exists_in_the_demo_directory(demo):
    slugs = {slug for seed in INITIATIVES for slug, _role in seed.roles}
    slugs |= {m.provider for seed in INITIATIVES for m in seed.money}
    slugs |= {m.receiver for seed in INITIATIVES for m in seed.money if m.receiver}
    slugs |= {pledge[0] for pledge in PLEDGES}

    assert slugs <= set(Organisation.objects.values_list("slug", flat=True))


def test_the_team_europe_commitments_add_up_to_145_million_of_which_the_eu_50(demo):
    rows = money_by_contributor(Initiative.objects.filter(partnership__slug=DEMO_PARTNERSHIP))
    committed = {row["provider__slug"]: row["committed"] for row in rows}

    assert sum(committed.values(), Decimal(0)) == TEAM_EUROPE_INITIAL_EUR == Decimal("145000000")
    assert committed["european-commission"] == Decimal("50000000")
    assert all(row["unconverted"] == 0 for row in rows)


def test_every_demo_transaction_converts_to_eur(demo):
    converted = list(Transaction.objects.all())
    assert {t.currency for t in converted} == {"EUR", "USD"}
    assert [t for t in converted if t.eur is None] == []


def test_every_demo_row_passes_the_checks_a_person_would_face(demo):
    for model in MODELS:
        if model is Initiative.agenda_items.through:
            continue
        for row in model._default_manager.all():
            row.full_clean()


def test_every_demo_code_is_in_its_codelist(demo):
    assert set(InitiativeSector.objects.values_list("code", flat=True)) <= set(codelist("Sector"))
    assert set(RecipientRegion.objects.values_list("code", flat=True)) <= set(codelist("Region"))
    countries = {str(c.country.code) for c in RecipientCountry.objects.all()}
    assert countries
    assert countries <= set(codelist("Country"))
    currencies = set(Transaction.objects.values_list("currency", flat=True))
    currencies |= set(Budget.objects.values_list("currency", flat=True))
    currencies |= set(ExchangeRate.objects.values_list("currency", flat=True))
    currencies |= set(Pledge.objects.exclude(currency="").values_list("currency", flat=True))
    assert currencies <= set(codelist("Currency"))
    for model, field, name in [
        (Initiative, "status", "ActivityStatus"),
        (ParticipatingOrganisation, "role", "OrganisationRole"),
        (Transaction, "type", "TransactionType"),
        (Budget, "type", "BudgetType"),
        (Budget, "status", "BudgetStatus"),
        (Result, "type", "ResultType"),
        (Indicator, "measure", "IndicatorMeasure"),
    ]:
        used = set(model._default_manager.values_list(field, flat=True))
        assert used, (model, field)
        assert used <= set(codelist(name)), (model, field)


def test_every_demo_geometry_is_valid(demo):
    places = list(Place.objects.all())
    assert places
    for place in places:
        validate_geometry(place.geometry)


def test_every_demo_initiative_has_shares_adding_up_to_100(demo):
    for initiative in _demo_initiatives():
        sectors = [s.percentage for s in initiative.sectors.all()]
        places = [c.percentage for c in initiative.recipient_countries.all()]
        places += [r.percentage for r in initiative.recipient_regions.all()]
        assert sum(sectors) == 100, initiative
        assert sum(places) == 100, initiative


def test_the_demo_initiatives_serve_published_agenda_items_of_their_partnership(demo):
    initiatives = _demo_initiatives()
    assert len(initiatives) == len(INITIATIVES)
    for initiative in initiatives:
        items = list(initiative.agenda_items.select_related("version__agenda__dialogue"))
        assert items, initiative
        for item in items:
            assert item.version.status == AgendaVersion.Status.PUBLISHED
            assert item.version.agenda.dialogue.partnership_id == initiative.partnership_id


def test_the_demo_money_pledge_has_an_amount_in_euro(demo):
    money = Pledge.objects.filter(kind=Pledge.Kind.MONEY)
    assert money.exists()
    assert all(p.amount and p.currency == "EUR" for p in money)
    assert not Pledge.objects.exclude(kind=Pledge.Kind.MONEY).exclude(currency="").exists()


def test_the_demo_commits_before_it_disburses(demo):
    for initiative in _demo_initiatives():
        types = set(initiative.transactions.values_list("type", flat=True))
        if TransactionType.DISBURSEMENT in types:
            assert TransactionType.COMMITMENT in types, initiative
