import pytest
from django.utils import timezone

from puente.dialogues.models import Dialogue, Phase
from puente.dialogues.phases import dialogue_phase_now
from puente.partnerships.demo import demo_load

pytestmark = pytest.mark.django_db


def test_the_demo_opens_one_dialogue_in_the_alliance_in_the_contribute_phase():
    report = demo_load()
    dialogue = Dialogue.objects.get(partnership__slug="eu-lac-digital-alliance")

    assert report.created["dialogues"] == 1
    assert dialogue_phase_now(dialogue, timezone.now()) == Phase.CONTRIBUTE
    assert dialogue.languages == ["en", "es", "pt"]
    assert "digital priorities" in dialogue.framing_question
    assert dialogue.created_by is not None
    assert dialogue.partnership.facilitators.filter(pk=dialogue.created_by.pk).exists()


def test_loading_the_demo_twice_keeps_the_dialogue_as_it_is():
    demo_load()
    Dialogue.objects.update(title="Renamed by a facilitator", phase=Phase.DELIBERATE)

    report = demo_load()

    assert report.kept["dialogues"] == 1
    assert report.created["dialogues"] == 0
    dialogue = Dialogue.objects.get()
    assert (dialogue.title, dialogue.phase) == ("Renamed by a facilitator", Phase.DELIBERATE)
