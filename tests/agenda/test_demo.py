import pytest

from puente.agenda.demo import agenda_demo_load
from puente.agenda.models import Agenda, AgendaVersion, Endorsement
from puente.dialogues.models import Dialogue, Phase, ResultSnapshot, Statement
from puente.partnerships.demo import DemoLoadReport, demo_load
from tests.agenda.factories import snapshot_create
from tests.dialogues.factories import StatementFactory

pytestmark = pytest.mark.django_db


def _demo_dialogue_with_results(phase=Phase.PRIORITISE, n_statements=10):
    demo_load()
    dialogue = Dialogue.objects.get(slug="shared-digital-priorities")
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=phase)
    dialogue.refresh_from_db()
    statements = list(Statement.objects.filter(dialogue=dialogue)) or [
        StatementFactory(dialogue=dialogue) for _ in range(n_statements)
    ]
    snapshot_create(dialogue, statements)
    return dialogue


def test_the_demo_publishes_version_one_with_the_top_statements_and_endorsements():
    report = demo_load()

    dialogue = Dialogue.objects.get(slug="shared-digital-priorities")
    version = AgendaVersion.objects.get(agenda__dialogue=dialogue)
    assert (version.number, version.status) == (1, "published")
    assert version.items.count() == 8
    endorsements = Endorsement.objects.filter(version=version)
    assert 1 <= endorsements.count() <= 4
    assert report.created["agenda versions"] == 1
    assert report.created["endorsements"] == endorsements.count()


def test_loading_twice_changes_nothing():
    _demo_dialogue_with_results()
    agenda_demo_load(report=DemoLoadReport())
    before = (
        list(AgendaVersion.objects.values_list("pk", "number", "status")),
        list(Endorsement.objects.values_list("pk", "organisation", "withdrawn_at")),
    )
    report = DemoLoadReport()
    agenda_demo_load(report=report)
    after = (
        list(AgendaVersion.objects.values_list("pk", "number", "status")),
        list(Endorsement.objects.values_list("pk", "organisation", "withdrawn_at")),
    )
    assert before == after
    assert report.created["agenda versions"] == 0
    assert report.kept["agenda versions"] == 1


def test_nothing_without_results_or_before_the_phase_allows_it():
    demo_load()
    Agenda.objects.all().delete()
    ResultSnapshot.objects.all().delete()
    agenda_demo_load(report=DemoLoadReport())
    assert not AgendaVersion.objects.exists()

    _demo_dialogue_with_results(phase=Phase.DELIBERATE)
    agenda_demo_load(report=DemoLoadReport())
    assert not AgendaVersion.objects.exists()
