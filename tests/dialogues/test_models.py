from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from puente.dialogues.models import Dialogue
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import DialogueFactory, ParticipationFactory
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_the_slug_is_unique_within_a_partnership():
    dialogue = DialogueFactory(slug="priorities")
    with pytest.raises(IntegrityError), transaction.atomic():
        DialogueFactory(partnership=dialogue.partnership, slug="priorities")


def test_two_partnerships_may_use_the_same_slug():
    DialogueFactory(slug="priorities")
    DialogueFactory(slug="priorities", partnership=PartnershipFactory())
    assert Dialogue.objects.filter(slug="priorities").count() == 2


def test_the_database_refuses_dates_out_of_order():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        DialogueFactory(deliberate_starts_at=now, closes_at=now - timedelta(days=1))


def test_the_database_refuses_an_unknown_phase():
    with pytest.raises(IntegrityError), transaction.atomic():
        DialogueFactory(phase="voting")


def test_one_participation_per_person_and_dialogue():
    participation = ParticipationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(dialogue=participation.dialogue, person=participation.person)


def test_clean_names_the_date_out_of_order():
    now = timezone.now()
    dialogue = DialogueFactory.build(
        contribute_starts_at=now, prioritise_starts_at=now - timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as error:
        dialogue.clean()
    assert set(error.value.message_dict) == {"prioritise_starts_at"}


def test_languages_must_be_site_languages():
    dialogue = DialogueFactory.build(languages=["en", "de"], created_by=UserFactory())
    with pytest.raises(ValidationError) as error:
        dialogue.full_clean(exclude=["partnership"])
    assert "languages" in error.value.message_dict


def test_the_url_names_the_partnership_and_the_dialogue():
    dialogue = DialogueFactory(slug="priorities", partnership__slug="alliance")
    assert dialogue.get_absolute_url() == "/partnerships/alliance/dialogues/priorities/"
