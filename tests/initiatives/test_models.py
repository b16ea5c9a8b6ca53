"""Initiative models: geometry checks, the invariants of money and dates, organisations with
money recorded in their name."""

import math
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from puente.initiatives.geometry import MAX_VERTICES, geometry_positions, validate_geometry
from puente.initiatives.models import ExchangeRate, Pledge, Transaction, TransactionType
from puente.stakeholders.models import Organisation
from puente.stakeholders.services import organisation_delete
from tests.accounts.factories import AdminFactory
from tests.initiatives.factories import (
    ExchangeRateFactory,
    IndicatorPeriodFactory,
    InitiativeFactory,
    PledgeFactory,
    TransactionFactory,
)
from tests.stakeholders.factories import OrganisationFactory

SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
VALID = {
    "point": {"type": "Point", "coordinates": [-79.52, 8.98]},
    "point with altitude": {"type": "Point", "coordinates": [-79.52, 8.98, 12]},
    "point on the edges": {"type": "Point", "coordinates": [180, -90]},
    "multipoint": {"type": "MultiPoint", "coordinates": [[0, 0], [1, 1]]},
    "linestring": {"type": "LineString", "coordinates": [[-8.87, 37.95], [-38.54, -3.72]]},
    "multilinestring": {
        "type": "MultiLineString",
        "coordinates": [[[0, 0], [1, 1]], [[2, 2], [3, 3]]],
    },
    "polygon": {"type": "Polygon", "coordinates": [SQUARE]},
    "polygon with a hole": {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
            [[2, 2], [3, 2], [3, 3], [2, 2]],
        ],
    },
    "multipolygon": {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]},
    "tuples": {"type": "Point", "coordinates": (1, 2)},
}

INVALID = {
    "not an object": [1, 2],
    "string": "POINT(1 2)",
    "none": None,
    "no type": {"coordinates": [1, 2]},
    "unknown type": {"type": "Circle", "coordinates": [1, 2]},
    "geometry collection": {"type": "GeometryCollection", "geometries": []},
    "feature": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}},
    "type in lower case": {"type": "point", "coordinates": [1, 2]},
    "longitude too big": {"type": "Point", "coordinates": [180.0001, 0]},
    "longitude too small": {"type": "Point", "coordinates": [-181, 0]},
    "latitude too big": {"type": "Point", "coordinates": [0, 90.5]},
    "latitude too small": {"type": "Point", "coordinates": [0, -91]},
    "nan": {"type": "Point", "coordinates": [math.nan, 0]},
    "infinity": {"type": "Point", "coordinates": [0, math.inf]},
    "minus infinity": {"type": "Point", "coordinates": [-math.inf, 0]},
    "nan altitude": {"type": "Point", "coordinates": [0, 0, math.nan]},
    "infinite altitude": {"type": "Point", "coordinates": [0, 0, math.inf]},
    "huge integer": {"type": "Point", "coordinates": [10**400, 0]},
    "booleans": {"type": "Point", "coordinates": [True, False]},
    "strings": {"type": "Point", "coordinates": ["1", "2"]},
    "one number": {"type": "Point", "coordinates": [1]},
    "four numbers": {"type": "Point", "coordinates": [1, 2, 3, 4]},
    "nested point": {"type": "Point", "coordinates": [[1, 2]]},
    "point without coordinates": {"type": "Point"},
    "coordinates as object": {"type": "LineString", "coordinates": {"a": [1, 2]}},
    "empty multipoint": {"type": "MultiPoint", "coordinates": []},
    "line of one position": {"type": "LineString", "coordinates": [[0, 0]]},
    "multiline with a short line": {
        "type": "MultiLineString",
        "coordinates": [[[0, 0], [1, 1]], [[2, 2]]],
    },
    "unclosed ring": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
    "unclosed ring of five": {
        "type": "Polygon",
        "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0.5]]],
    },
    "ring of three positions": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},
    "polygon without rings": {"type": "Polygon", "coordinates": [[]]},
    "polygon with no ring list": {"type": "Polygon", "coordinates": []},
    "ring not a list": {"type": "Polygon", "coordinates": ["ring"]},
    "multipolygon with a bad polygon": {"type": "MultiPolygon", "coordinates": [[SQUARE], []]},
    "extra key": {"type": "Point", "coordinates": [1, 2], "crs": {"type": "name"}},
    "bbox": {"type": "Point", "coordinates": [1, 2], "bbox": [1, 2, 1, 2]},
}


@pytest.mark.parametrize("geometry", VALID.values(), ids=VALID.keys())
def test_valid_geometries_are_accepted(geometry):
    validate_geometry(geometry)
    assert geometry_positions(geometry)


@pytest.mark.parametrize("geometry", INVALID.values(), ids=INVALID.keys())
def test_invalid_geometries_are_refused_with_a_validation_error(geometry):
    with pytest.raises(ValidationError):
        validate_geometry(geometry)


def test_a_line_of_max_vertices_is_accepted_and_one_more_is_refused():
    line = [[i / 100, 0] for i in range(MAX_VERTICES)]
    validate_geometry({"type": "LineString", "coordinates": line})

    with pytest.raises(ValidationError) as refused:
        validate_geometry({"type": "LineString", "coordinates": [*line, [0, 1]]})
    assert refused.value.code == "too_many"


def test_max_vertices_counts_across_the_parts_of_a_multi_geometry():
    half = [[0, 0]] * (MAX_VERTICES // 2 + 1)
    with pytest.raises(ValidationError):
        validate_geometry({"type": "MultiLineString", "coordinates": [half, half]})


@pytest.mark.django_db
def test_a_place_with_a_bad_geometry_fails_full_clean():
    from tests.initiatives.factories import PlaceFactory

    place = PlaceFactory.build(
        initiative=InitiativeFactory(), geometry={"type": "Point", "coordinates": [200, 0]}
    )
    with pytest.raises(ValidationError) as refused:
        place.full_clean()
    assert "geometry" in refused.value.message_dict


# Model checks


@pytest.mark.django_db
@pytest.mark.parametrize("themes", [["no-such-theme"], "connectivity", 5, {"a": 1}, None])
def test_an_initiative_takes_only_a_list_of_known_themes(themes):
    initiative = InitiativeFactory.build(partnership=InitiativeFactory().partnership, themes=themes)

    with pytest.raises(ValidationError) as refused:
        initiative.full_clean()
    assert "themes" in refused.value.message_dict


@pytest.mark.django_db
def test_an_initiative_ends_after_it_starts():
    from datetime import date

    initiative = InitiativeFactory.build(
        partnership=InitiativeFactory().partnership,
        planned_start=date(2025, 1, 1),
        planned_end=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        initiative.full_clean()
    assert "planned_end" in refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_a_transaction_amount_that_is_not_a_number_is_a_field_error(value):
    transaction = TransactionFactory.build(
        initiative=InitiativeFactory(), provider=None, value=value
    )

    with pytest.raises(ValidationError) as refused:
        transaction.full_clean()
    assert "value" in refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actual", "progress"),
    [
        (Decimal(40), Decimal(40)),
        (None, None),
        (Decimal(150), Decimal(100)),
        (Decimal(-5), Decimal(0)),
    ],
)
def test_indicator_progress_runs_from_baseline_to_target_within_0_and_100(actual, progress):
    period = IndicatorPeriodFactory(actual=actual)
    assert period.progress == progress


@pytest.mark.django_db
def test_progress_counts_from_the_baseline():
    period = IndicatorPeriodFactory(
        indicator__baseline_value=Decimal(120), target=Decimal(400), actual=Decimal(260)
    )
    assert period.progress == Decimal(50)


# Organisations with money or pledges in their name


@pytest.fixture
def funder(db) -> Organisation:
    return OrganisationFactory()


def _money_in_the_name_of(organisation: Organisation, what: str) -> None:
    if what == "provider":
        TransactionFactory(provider=organisation)
    elif what == "receiver":
        TransactionFactory(receiver=organisation)
    else:
        PledgeFactory(organisation=organisation)


@pytest.mark.parametrize("what", ["provider", "receiver", "pledge"])
def test_an_organisation_with_money_or_pledges_is_not_deleted(funder, what):
    _money_in_the_name_of(funder, what)
    counts = (Transaction.objects.count(), Pledge.objects.count())

    with pytest.raises(ValidationError):
        organisation_delete(actor=AdminFactory(), organisation=funder)

    assert Organisation.objects.filter(pk=funder.pk).exists()
    assert (Transaction.objects.count(), Pledge.objects.count()) == counts


def test_an_organisation_without_money_is_deleted(funder):
    organisation_delete(actor=AdminFactory(), organisation=funder)
    assert not Organisation.objects.filter(pk=funder.pk).exists()


@pytest.fixture
def admin_client(db, client):
    client.force_login(AdminFactory())
    return client


@pytest.mark.parametrize("what", ["provider", "pledge"])
def test_the_admin_refuses_to_delete_an_organisation_with_money_without_an_error_page(
    admin_client, funder, what
):
    _money_in_the_name_of(funder, what)
    url = reverse("admin:stakeholders_organisation_delete", args=[funder.pk])

    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code < 500
    assert Organisation.objects.filter(pk=funder.pk).exists()


def test_the_admin_bulk_delete_refuses_organisations_with_money_without_an_error_page(
    admin_client, funder
):
    TransactionFactory(provider=funder)
    other = OrganisationFactory()
    url = reverse("admin:stakeholders_organisation_changelist")

    response = admin_client.post(
        url,
        {"action": "delete_selected", "_selected_action": [funder.pk, other.pk], "post": "yes"},
    )

    assert response.status_code < 500
    assert Organisation.objects.filter(pk__in=[funder.pk, other.pk]).count() == 2


@pytest.mark.django_db
def test_a_negative_expenditure_is_a_correction_and_is_stored():
    transaction = TransactionFactory.build(
        initiative=InitiativeFactory(),
        provider=None,
        type=TransactionType.EXPENDITURE,
        value=Decimal("-10"),
    )
    transaction.full_clean()


# Rates and transactions written in the admin keep the stored EUR amounts right


def test_a_rate_added_changed_or_deleted_in_the_admin_converts_the_transactions_again(
    admin_client,
):

    usd = TransactionFactory(currency="USD", value=Decimal("1000.00"), value_date=date(2024, 3, 1))
    assert (usd.rate, usd.eur) == (None, None)

    response = admin_client.post(
        reverse("admin:initiatives_exchangerate_add"),
        {"currency": "USD", "date": "2024-01-02", "rate": "2", "source": "test"},
    )
    assert response.status_code == 302
    usd.refresh_from_db()
    assert (usd.rate, usd.eur) == (Decimal(2), Decimal("500.00"))

    rate = ExchangeRate.objects.get()
    response = admin_client.post(
        reverse("admin:initiatives_exchangerate_change", args=[rate.pk]),
        {"currency": "USD", "date": "2024-01-02", "rate": "4", "source": "test"},
    )
    assert response.status_code == 302
    usd.refresh_from_db()
    assert usd.eur == Decimal("250.00")

    response = admin_client.post(
        reverse("admin:initiatives_exchangerate_delete", args=[rate.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    usd.refresh_from_db()
    assert (usd.rate, usd.eur) == (None, None)


def test_a_transaction_changed_in_the_admin_is_converted_again(admin_client):
    transaction = TransactionFactory(value=Decimal("10.00"), currency="EUR")
    ExchangeRateFactory(currency="USD", date=date(2024, 1, 2), rate=Decimal("2"))
    url = reverse("admin:initiatives_transaction_change", args=[transaction.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"currency": "USD", "value": "30.00"})

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    transaction.refresh_from_db()
    assert (transaction.rate, transaction.eur) == (Decimal(2), Decimal("15.00"))
