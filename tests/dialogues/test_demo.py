"""Loading the demo's dialogues creates only what is missing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from puente.accounts.models import User
from puente.dialogues import demo
from puente.dialogues.models import (
    Comparison,
    Dialogue,
    Participation,
    Statement,
    Vote,
    VoteChange,
)
from puente.partnerships.demo import demo_load
from puente.stakeholders.models import Membership

pytestmark = pytest.mark.django_db

PRIORITIES = "shared-digital-priorities"


def _row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Dialogue,
            Statement,
            Participation,
            Vote,
            VoteChange,
            Comparison,
            User,
            Membership,
        )
    }


def test_loading_the_demo_twice_changes_nothing():
    first = demo_load()
    counts = _row_counts()
    Dialogue.objects.filter(slug=PRIORITIES).update(title="Renamed by a facilitator")

    second = demo_load()

    assert _row_counts() == counts
    assert sum(second.created.values()) == 0
    assert second.kept == first.created
    assert Dialogue.objects.get(slug=PRIORITIES).title == "Renamed by a facilitator"


def test_a_reload_of_a_loaded_demo_is_fast_in_queries():
    demo_load()

    with CaptureQueriesContext(connection) as queries:
        demo_load()

    dialogue_queries = [q for q in queries if "dialogues_" in q["sql"]]
    assert len(dialogue_queries) <= 15


def test_a_deleted_dialogue_comes_back_with_the_same_voters():
    demo_load()
    voters = User.objects.count()
    Dialogue.objects.filter(slug=PRIORITIES).delete()

    report = demo_load()

    assert report.created["dialogues"] == 1
    assert report.created["demo voters"] == 0
    assert User.objects.count() == voters
    assert Dialogue.objects.get(slug=PRIORITIES).votes.count() > 500


def test_tests_load_a_smaller_crowd_with_every_author(monkeypatch):
    monkeypatch.setattr(demo, "N_VOTERS", 38)

    demo_load()

    priorities = Dialogue.objects.get(slug=PRIORITIES)
    assert priorities.participations.count() == 38
    assert priorities.comparisons.count() == round(demo.COMPARISONS_PER_VOTER * 38)
    assert priorities.statements.filter(author__isnull=False).count() == 60


def test_an_alliance_without_member_organisations_gets_no_demo_dialogue():
    from puente.partnerships.demo import DemoLoadReport
    from puente.partnerships.models import PartnershipMember

    demo_load()
    Dialogue.objects.all().delete()
    PartnershipMember.objects.filter(partnership__slug=demo.DEMO_PARTNERSHIP).delete()

    demo.dialogue_demo_load(report=DemoLoadReport())

    assert not Dialogue.objects.exists()
