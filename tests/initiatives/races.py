"""A concurrent writer, played deterministically: another initiative takes an IATI identifier
after this write checked that it was free, just before this write reaches the database."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models.signals import pre_save

from puente.initiatives.models import Initiative
from tests.initiatives.factories import InitiativeFactory
from tests.partnerships.factories import PartnershipFactory


@contextmanager
def rival_takes(identifier: str) -> Iterator[None]:
    """Insert a rival initiative with the identifier right before the next save that uses it."""
    partnership = PartnershipFactory()

    def insert_rival(sender: type[Initiative], instance: Initiative, **kwargs: Any) -> None:
        if instance.iati_identifier != identifier:
            return
        # bulk_create sends no pre_save, and skips the checks the rival's writer made anyway.
        rival = InitiativeFactory.build(partnership=partnership, iati_identifier=identifier)
        Initiative.objects.bulk_create([rival])

    pre_save.connect(insert_rival, sender=Initiative, weak=False)
    try:
        yield
    finally:
        pre_save.disconnect(insert_rival, sender=Initiative)
