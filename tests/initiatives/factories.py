"""Initiative test data: an initiative with its parts, money in EUR and other currencies."""

import datetime as dt
from datetime import date
from decimal import Decimal
from typing import Any

import factory

from puente.initiatives.models import (
    ActivityStatus,
    Budget,
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
    Result,
    Transaction,
    TransactionType,
)
from puente.initiatives.services import rates_changed, transactions_convert
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import OrganisationFactory


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    description = "Fibre and data centres for research networks."
    language = "en"
    iati_identifier = factory.Sequence(lambda n: f"XI-TEST-ACTIVITY-{n}")
    status = ActivityStatus.IMPLEMENTATION
    planned_start = date(2024, 1, 1)
    planned_end = date(2027, 12, 31)
    themes = factory.LazyFunction(lambda: ["connectivity"])


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeSector

    initiative = factory.SubFactory(InitiativeFactory)
    code = "22040"
    percentage = Decimal(100)


class RecipientCountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecipientCountry

    initiative = factory.SubFactory(InitiativeFactory)
    country = "CL"
    percentage = Decimal(100)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipatingOrganisation

    initiative = factory.SubFactory(InitiativeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = OrganisationRole.FUNDING


class TransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transaction

    initiative = factory.SubFactory(InitiativeFactory)
    type = TransactionType.COMMITMENT
    date = dt.date(2024, 3, 1)
    value = Decimal("1000000.00")
    currency = "EUR"
    value_date = dt.date(2024, 3, 1)
    provider = factory.SubFactory(OrganisationFactory)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Transaction:
        """Save and convert to EUR, as every write path of the app does."""
        created: Transaction = super()._create(model_class, *args, **kwargs)
        transactions_convert(Transaction.objects.filter(pk=created.pk))
        created.refresh_from_db(fields=["rate", "eur"])
        return created


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    initiative = factory.SubFactory(InitiativeFactory)
    period_start = date(2024, 1, 1)
    period_end = date(2024, 12, 31)
    value = Decimal("500000.00")
    currency = "EUR"
    value_date = date(2024, 1, 1)


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    currency = "USD"
    date = dt.date(2024, 1, 2)
    rate = Decimal("1.1000000000")

    @classmethod
    def _create(cls, model_class: type[ExchangeRate], *args: Any, **kwargs: Any) -> ExchangeRate:
        """Save and convert the transactions the rate concerns again, as the app does."""
        created: ExchangeRate = super()._create(model_class, *args, **kwargs)
        rates_changed([(created.currency, created.date)])
        return created


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    planned_date = date(2025, 6, 30)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Sequence(lambda n: f"Data centre {n}")
    kind = Place.Kind.DATA_CENTRE
    geometry = factory.LazyFunction(lambda: {"type": "Point", "coordinates": [-79.52, 8.98]})


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    initiative = factory.SubFactory(InitiativeFactory)
    title = "Institutions connected"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    result = factory.SubFactory(ResultFactory)
    title = "Institutions connected"
    unit = "institutions"
    baseline_year = 2024
    baseline_value = Decimal(0)


class IndicatorPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorPeriod

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = date(2024, 1, 1)
    period_end = date(2024, 12, 31)
    target = Decimal(100)
    actual = Decimal(40)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = Pledge.Kind.STAFF
    description = factory.Sequence(lambda n: f"Two engineers ({n})")
    status = Pledge.Status.OPEN
