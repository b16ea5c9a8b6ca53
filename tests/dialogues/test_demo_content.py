"""The demo's dialogues as loaded: statements, crowd, votes and comparisons with structure."""

from collections import Counter

import numpy as np
import pytest
from django.utils import timezone

from puente.accounts.models import User
from puente.consensus import analyze, votes_from_records
from puente.core.choices import Region, StakeholderType
from puente.dialogues import demo
from puente.dialogues.demo_content import ACCELERATOR_STATEMENTS, PRIORITIES_STATEMENTS
from puente.dialogues.models import (
    Comparison,
    Dialogue,
    Participation,
    Phase,
    Statement,
    Vote,
    VoteChange,
)
from puente.dialogues.phases import dialogue_phase_now
from puente.initiatives.models import ExchangeRate
from puente.partnerships.demo import DEMO_PASSWORD, demo_load
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Membership, Organisation

pytestmark = pytest.mark.django_db

PRIORITIES = "shared-digital-priorities"
ACCELERATOR = "digital-accelerator-challenges"
FULL_CROWD = demo.N_VOTERS  # read at import, before any test makes it smaller


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the demo once for the module's read-only tests (it takes about a second)."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        # The full crowd, not the small one of the other tests (tests/conftest.py).
        patch.setattr(demo, "N_VOTERS", FULL_CROWD)
        report = demo_load()
    yield report
    with django_db_blocker.unblock():
        # Everything the demo created; rows that migrations seeded (themes) stay.
        for model in (Dialogue, Partnership, Organisation, User, ExchangeRate):
            model.objects.all().delete()


@pytest.fixture
def priorities(loaded):
    return Dialogue.objects.get(slug=PRIORITIES)


def test_the_alliance_holds_a_dialogue_to_prioritise_and_one_still_collecting(loaded):
    alliance = Dialogue.objects.filter(partnership__slug="eu-lac-digital-alliance")

    phases = {d.slug: dialogue_phase_now(d, timezone.now()) for d in alliance}

    assert phases == {PRIORITIES: Phase.PRIORITISE, ACCELERATOR: Phase.CONTRIBUTE}
    for dialogue in alliance:
        assert dialogue.languages == ["en", "es", "pt"]
        assert dialogue.participation == Dialogue.Audience.SIGNED_IN
        assert dialogue.created_by is not None
        assert dialogue.partnership.facilitators.filter(pk=dialogue.created_by.pk).exists()
    assert alliance.get(slug=PRIORITIES).title == "Shared digital priorities for 2027"


def test_sixty_statements_in_three_languages_of_every_kind(priorities):
    statements = list(priorities.statements.select_related("author", "organisation"))

    assert len(statements) == 60
    assert Counter(s.language for s in statements).keys() == {"en", "es", "pt"}
    assert {s.kind for s in statements} == set(Statement.Kind.values)
    for statement in statements:
        assert len(statement.text) <= Statement.MAX_LENGTH
        assert statement.status == Statement.Status.PUBLISHED
        assert statement.author is not None
        assert statement.organisation is not None
        statement.full_clean()
    texts = " ".join(s.text for s in statements)
    for fact in ("BELLA", "Copernicus", "Panamá", "Chile", "145", "CEPAL", "Digital Accelerator"):
        assert fact in texts


def test_each_author_takes_part_for_the_organisation_on_the_statement(priorities):
    for statement in priorities.statements.all():
        participation = Participation.objects.get(dialogue=priorities, person=statement.author)
        assert participation.organisation == statement.organisation
        assert Vote.objects.get(participant=statement.author, statement=statement).choice == 1


def test_about_four_hundred_voters_of_both_regions_and_every_type(priorities):
    participations = Participation.objects.filter(dialogue=priorities).select_related(
        "organisation"
    )

    assert participations.count() == FULL_CROWD
    for region in (Region.EU, Region.LAC):
        of_region = participations.filter(region=region)
        assert of_region.count() >= FULL_CROWD // 3
        assert set(of_region.values_list("stakeholder_type", flat=True)) == set(
            StakeholderType.values
        )
    for participation in participations:
        organisation = participation.organisation
        assert organisation is not None
        assert participation.stakeholder_type == organisation.stakeholder_type
        assert participation.country == organisation.country
        assert Membership.objects.filter(
            person=participation.person, organisation=organisation, status="active"
        ).exists()


def test_every_vote_has_its_history_and_comes_from_a_participant(priorities):
    votes = Vote.objects.filter(dialogue=priorities)
    voters = set(Participation.objects.filter(dialogue=priorities).values_list("person", flat=True))

    assert 8_000 <= votes.count() <= 16_000
    assert VoteChange.objects.filter(dialogue=priorities).count() == votes.count()
    assert set(votes.values_list("participant", flat=True)) <= voters
    assert set(votes.values_list("choice", flat=True)) == {-1, 0, 1}


def test_comparisons_agree_with_the_votes(priorities):
    comparisons = Comparison.objects.filter(dialogue=priorities)
    agree_share: dict[int, list[bool]] = {}
    for statement_id, vote in Vote.objects.filter(dialogue=priorities).values_list(
        "statement_id", "choice"
    ):
        agree_share.setdefault(statement_id, []).append(vote == 1)
    share = {pk: float(np.mean(seen)) for pk, seen in agree_share.items()}

    assert 2_500 <= comparisons.count() <= 3_000
    consistent = decided = 0
    for first, second, choice in comparisons.values_list("first", "second", "choice"):
        if choice == Comparison.Choice.UNDECIDED or abs(share[first] - share[second]) < 0.2:
            continue
        decided += 1
        preferred_first = choice == Comparison.Choice.FIRST
        consistent += preferred_first == (share[first] > share[second])
    assert consistent / decided > 0.7


def test_the_engine_finds_the_bridging_and_divisive_statements_as_written(priorities):
    rows = list(
        Vote.objects.filter(dialogue=priorities).values_list("participant", "statement", "choice")
    )
    votes = votes_from_records(
        [str(p) for p, _s, _c in rows], [str(s) for _p, s, _c in rows], [c for *_r, c in rows]
    )
    result = analyze(votes, seed=0)
    written = {s.text: s.structure for s in PRIORITIES_STATEMENTS}
    structure = {
        str(pk): written[text] for pk, text in priorities.statements.values_list("pk", "text")
    }
    ids = votes.statement_ids

    assert result.groups.n_groups >= 2
    top_consensus = np.argsort(-result.group_consensus)[:6]
    assert sum(structure[ids[i]] == "bridging" for i in top_consensus) >= 5
    top_divisive = np.argsort(-result.divisiveness)[:8]
    assert sum(structure[ids[i]] == "divisive" for i in top_divisive) >= 4


def test_bridging_statements_are_supported_in_both_regions(priorities):
    written = {s.text: s.structure for s in PRIORITIES_STATEMENTS}
    region_of = dict(
        Participation.objects.filter(dialogue=priorities).values_list("person", "region")
    )
    for statement in priorities.statements.all():
        if written[statement.text] != "bridging":
            continue
        for region in (Region.EU, Region.LAC):
            choices = [
                choice
                for person, choice in statement.votes.values_list("participant", "choice")
                if region_of[person] == region and choice != 0
            ]
            assert np.mean([c == 1 for c in choices]) > 0.7


def test_the_accelerator_dialogue_has_a_handful_of_statements_and_early_votes(loaded):
    accelerator = Dialogue.objects.get(slug=ACCELERATOR)

    assert accelerator.statements.count() == len(ACCELERATOR_STATEMENTS)
    assert 5 <= accelerator.statements.count() <= 10
    assert accelerator.votes.exists()
    assert not accelerator.comparisons.exists()


def test_demo_voters_log_in_with_the_documented_password(loaded, client):
    voter = User.objects.get(email=demo.DEMO_VOTER_EMAIL.format(number=1))

    assert voter.name
    assert client.login(email=voter.email, password=DEMO_PASSWORD)


def test_the_named_demo_people_have_not_taken_part_yet(loaded):
    """Journeys start from a clean slate: the five documented accounts have no votes."""
    named = User.objects.filter(email__in=[f"{r}@demo.puente.example" for r in ("participant",)])

    assert not Participation.objects.filter(person__in=named).exists()
    assert not Vote.objects.filter(participant__in=named).exists()
