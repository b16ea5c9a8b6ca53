"""Votes and pairwise comparisons: one current answer per person, history, who may, and reads."""

import itertools
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from puente.dialogues.models import Comparison, Dialogue, Phase, Statement, Vote, VoteChange
from puente.dialogues.selectors import (
    next_pair_for,
    next_statement_for,
    statement_vote_counts,
    vote_history,
    vote_list_of,
    vote_progress,
    votes_of,
)
from puente.dialogues.services import comparison_record, vote_cast
from tests.accounts.factories import UserFactory
from tests.dialogues.conftest import ROLES, World
from tests.dialogues.factories import ParticipationFactory, StatementFactory, VoteFactory

AGREE, DISAGREE, PASS = Vote.Choice.AGREE, Vote.Choice.DISAGREE, Vote.Choice.PASS


def _open(world: World, phase: Phase = Phase.CONTRIBUTE) -> Dialogue:
    """Return the dialogue open to any signed-in person, in the phase."""
    dialogue = world.open_dialogue
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=phase)
    dialogue.refresh_from_db()
    return dialogue


def _voter(dialogue: Dialogue, person=None):
    """Return a person taking part in the dialogue."""
    person = person or UserFactory()
    ParticipationFactory(dialogue=dialogue, person=person)
    return person


@pytest.fixture
def results_calls(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(
        "puente.dialogues.services.votes.results_schedule",
        lambda *, dialogue_id: calls.append(dialogue_id),
    )
    return calls


@pytest.mark.django_db
class TestVoteCast:
    def test_first_vote_is_stored_with_one_history_entry(
        self, world, results_calls, django_capture_on_commit_callbacks
    ):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue)
        voter = _voter(dialogue)

        with django_capture_on_commit_callbacks(execute=True):
            vote = vote_cast(participant=voter, statement=statement, choice=AGREE)

        assert vote.pk == Vote.objects.get().pk
        assert (vote.choice, vote.dialogue_id, vote.statement_id) == (1, dialogue.pk, statement.pk)
        assert vote.updated_at is not None
        assert list(VoteChange.objects.values_list("choice", flat=True)) == [1]
        assert results_calls == [dialogue.pk]

    def test_a_double_submit_leaves_one_vote_and_one_history_entry(
        self, world, results_calls, django_capture_on_commit_callbacks
    ):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue)
        voter = _voter(dialogue)

        with django_capture_on_commit_callbacks(execute=True):
            first = vote_cast(participant=voter, statement=statement, choice=DISAGREE)
            again = vote_cast(participant=voter, statement=statement, choice=DISAGREE)

        assert first.pk == again.pk
        assert Vote.objects.count() == 1
        assert VoteChange.objects.count() == 1
        # Nothing changed the second time: no recomputation asked for.
        assert results_calls == [dialogue.pk]

    def test_a_change_writes_history_and_the_latest_wins(self, world):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue)
        voter = _voter(dialogue)

        for choice in (AGREE, DISAGREE, PASS, PASS, AGREE):
            vote_cast(participant=voter, statement=statement, choice=choice)

        assert Vote.objects.get().choice == AGREE
        assert [
            change.choice for change in vote_history(participant=voter, statement=statement)
        ] == [1, -1, 0, 1]
        assert votes_of(dialogue=dialogue, participant=voter, statement_ids=[statement.pk]) == {
            statement.pk: 1
        }

    def test_votes_of_different_people_and_statements_are_separate(self, world):
        dialogue = _open(world)
        one, two = StatementFactory.create_batch(2, dialogue=dialogue)
        ana, ben = _voter(dialogue), _voter(dialogue)

        vote_cast(participant=ana, statement=one, choice=AGREE)
        vote_cast(participant=ana, statement=two, choice=DISAGREE)
        vote_cast(participant=ben, statement=one, choice=PASS)

        assert sorted(Vote.objects.values_list("participant", "statement", "choice")) == sorted(
            [(ana.pk, one.pk, 1), (ana.pk, two.pk, -1), (ben.pk, one.pk, 0)]
        )

    @pytest.mark.parametrize("status", ["pending", "hidden"])
    def test_a_statement_not_shown_is_refused(self, world, status):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue, status=status)
        voter = _voter(dialogue)

        with pytest.raises(ValidationError) as error:
            vote_cast(participant=voter, statement=statement, choice=AGREE)

        assert "statement" in error.value.message_dict
        assert not Vote.objects.exists()
        assert not VoteChange.objects.exists()

    @pytest.mark.parametrize("choice", [2, -2, 5])
    def test_an_unknown_choice_is_refused_naming_choice(self, world, choice):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue)

        with pytest.raises(ValidationError) as error:
            vote_cast(participant=_voter(dialogue), statement=statement, choice=choice)

        assert "choice" in error.value.message_dict
        assert not Vote.objects.exists()

    def test_without_a_participation_the_person_is_asked_to_choose_one(self, world):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue)

        with pytest.raises(ValidationError) as error:
            vote_cast(participant=UserFactory(), statement=statement, choice=AGREE)

        assert "participation" in error.value.message_dict
        assert not Vote.objects.exists()

    def test_a_vote_takes_few_queries(self, world, django_assert_num_queries):
        dialogue = _open(world)
        statement = Statement.objects.select_related("dialogue__partnership").get(
            pk=StatementFactory(dialogue=dialogue).pk
        )
        voter = _voter(dialogue)

        # The open dialogue of a public partnership needs no permission query.
        with django_assert_num_queries(VOTE_QUERIES):
            vote_cast(participant=voter, statement=statement, choice=AGREE)


# The participation, then on PostgreSQL one statement (the upsert and its history row); on
# SQLite the upsert and the history row between a savepoint and its release.
VOTE_QUERIES = 2 if connection.vendor == "postgresql" else 5


# Who may vote and compare, by role and phase, asked of the services themselves.
TAKING_PART = {"members": {"member"}, "signed_in": set(ROLES) - {"visitor"}}
VOTE_PHASES = {Phase.CONTRIBUTE, Phase.DELIBERATE, Phase.PRIORITISE}
COMPARE_PHASES = {Phase.PRIORITISE}


def _dialogue_for(world: World, audience: str, phase: Phase) -> Dialogue:
    dialogue = world.dialogue if audience == "members" else world.open_dialogue
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=phase)
    dialogue.refresh_from_db()
    return dialogue


def _participant(world: World, role: str, dialogue: Dialogue):
    person = world.person(role)
    if person is None:
        return AnonymousUser()
    ParticipationFactory(dialogue=dialogue, person=person)
    return person


@pytest.mark.django_db
@pytest.mark.parametrize("audience", ["members", "signed_in"])
@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_vote_by_role_and_phase(world, role, phase, audience):
    dialogue = _dialogue_for(world, audience, phase)
    statement = StatementFactory(dialogue=dialogue)
    person = _participant(world, role, dialogue)
    allowed = phase in VOTE_PHASES and role in TAKING_PART[audience]

    if allowed:
        vote_cast(participant=person, statement=statement, choice=AGREE)
        assert Vote.objects.filter(statement=statement).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            vote_cast(participant=person, statement=statement, choice=AGREE)
        assert not Vote.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("audience", ["members", "signed_in"])
@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_compare_by_role_and_phase(world, role, phase, audience):
    dialogue = _dialogue_for(world, audience, phase)
    one, two = StatementFactory.create_batch(2, dialogue=dialogue)
    person = _participant(world, role, dialogue)
    allowed = phase in COMPARE_PHASES and role in TAKING_PART[audience]

    if allowed:
        comparison_record(participant=person, first=one, second=two, choice="first")
        assert Comparison.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            comparison_record(participant=person, first=one, second=two, choice="first")
        assert not Comparison.objects.exists()


@pytest.mark.django_db
def test_members_only_dialogue_refuses_votes_from_outsiders(world):
    dialogue = world.hidden_dialogue
    statement = StatementFactory(dialogue=dialogue)
    outsider = _participant(world, "outsider", dialogue)

    with pytest.raises(PermissionDenied):
        vote_cast(participant=outsider, statement=statement, choice=AGREE)


@pytest.mark.django_db
class TestComparisonRecord:
    def test_the_pair_is_stored_lower_id_first_with_the_answer_turned_round(self, world):
        dialogue = _open(world, Phase.PRIORITISE)
        low, high = StatementFactory.create_batch(2, dialogue=dialogue)
        person = _voter(dialogue)

        comparison = comparison_record(participant=person, first=high, second=low, choice="first")

        assert (comparison.first_id, comparison.second_id, comparison.choice) == (
            low.pk,
            high.pk,
            "second",
        )
        stored = Comparison.objects.get()
        assert (stored.first_id, stored.second_id, stored.choice) == (low.pk, high.pk, "second")

    def test_answering_again_in_either_order_changes_the_one_row(self, world):
        dialogue = _open(world, Phase.PRIORITISE)
        low, high = StatementFactory.create_batch(2, dialogue=dialogue)
        person = _voter(dialogue)

        comparison_record(participant=person, first=low, second=high, choice="first")
        comparison_record(participant=person, first=low, second=high, choice="first")
        comparison_record(participant=person, first=high, second=low, choice="first")

        assert list(Comparison.objects.values_list("choice", flat=True)) == ["second"]

    @pytest.mark.parametrize(
        ("case", "field"),
        [
            ("same", "second"),
            ("other_dialogue", "second"),
            ("hidden", "second"),
            ("choice", "choice"),
        ],
    )
    def test_bad_pairs_are_refused_naming_the_field(self, world, case, field):
        dialogue = _open(world, Phase.PRIORITISE)
        first = StatementFactory(dialogue=dialogue)
        second = {
            "same": first,
            "other_dialogue": StatementFactory(dialogue=world.dialogue),
            "hidden": StatementFactory(dialogue=dialogue, status=Statement.Status.HIDDEN),
            "choice": StatementFactory(dialogue=dialogue),
        }[case]
        choice = "both" if case == "choice" else "first"

        with pytest.raises(ValidationError) as error:
            comparison_record(
                participant=_voter(dialogue), first=first, second=second, choice=choice
            )

        assert field in error.value.message_dict
        assert not Comparison.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize(
    "choices", [[AGREE] * 12, [AGREE, DISAGREE, PASS, AGREE] * 4], ids=["same", "changing"]
)
def test_concurrent_votes_by_one_person_leave_one_vote_and_consistent_history(world, choices):
    dialogue = _open(world)
    statement = Statement.objects.select_related("dialogue__partnership").get(
        pk=StatementFactory(dialogue=dialogue).pk
    )
    voter = _voter(dialogue)
    barrier = threading.Barrier(len(choices))
    errors: list[BaseException] = []

    def cast(choice: int) -> None:
        try:
            barrier.wait()
            vote_cast(participant=voter, statement=statement, choice=choice)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(choice,)) for choice in choices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    vote = Vote.objects.get()
    history = list(VoteChange.objects.order_by("pk").values_list("choice", flat=True))
    # The latest history entry is the vote, and no entry repeats the one before it.
    assert history[-1] == vote.choice
    assert all(a != b for a, b in itertools.pairwise(history))
    if len(set(choices)) == 1:
        assert history == [choices[0]]


@pytest.mark.django_db
class TestSelectors:
    def test_next_statement_is_a_seed_first_then_the_least_voted_and_skips_my_votes(self, world):
        dialogue = _open(world)
        popular, quiet, seed = StatementFactory.create_batch(3, dialogue=dialogue)
        Statement.objects.filter(pk=seed.pk).update(is_seed=True)
        StatementFactory(dialogue=dialogue, status=Statement.Status.HIDDEN)
        VoteFactory.create_batch(2, statement=popular)
        me = _voter(dialogue)

        assert next_statement_for(dialogue=dialogue, participant=me) == seed
        vote_cast(participant=me, statement=seed, choice=AGREE)
        assert next_statement_for(dialogue=dialogue, participant=me) == quiet
        vote_cast(participant=me, statement=quiet, choice=PASS)
        assert next_statement_for(dialogue=dialogue, participant=me) == popular
        vote_cast(participant=me, statement=popular, choice=DISAGREE)
        assert next_statement_for(dialogue=dialogue, participant=me) is None

    def test_progress_counts_votes_on_shown_statements(self, world):
        dialogue = _open(world)
        one, two, _three = StatementFactory.create_batch(3, dialogue=dialogue)
        hidden = StatementFactory(dialogue=dialogue)
        me = _voter(dialogue)
        for statement in (one, two, hidden):
            vote_cast(participant=me, statement=statement, choice=AGREE)
        Statement.objects.filter(pk=hidden.pk).update(status=Statement.Status.HIDDEN)

        progress = vote_progress(dialogue=dialogue, participant=me)

        assert (progress.n_voted, progress.n_total, progress.is_done) == (2, 3, False)

    def test_my_votes_list_newest_first_with_their_statements(
        self, world, django_assert_max_num_queries
    ):
        dialogue = _open(world)
        statements = StatementFactory.create_batch(4, dialogue=dialogue)
        me = _voter(dialogue)
        for statement in statements:
            vote_cast(participant=me, statement=statement, choice=AGREE)
        VoteFactory(statement=statements[0])  # someone else's

        # The statements, then their translations, in one query each, however many votes.
        with django_assert_max_num_queries(2):
            votes = list(vote_list_of(participant=me, dialogue=dialogue))
            texts = [vote.statement.text for vote in votes]
            shown = [vote.statement.shown_in("es").text for vote in votes]

        assert texts == [statement.text for statement in reversed(statements)]
        assert shown == texts  # no translation: the originals

    def test_vote_counts_per_statement(self, world):
        dialogue = _open(world)
        one, two = StatementFactory.create_batch(2, dialogue=dialogue)
        for choice in (AGREE, AGREE, DISAGREE, PASS):
            VoteFactory(statement=one, choice=choice)

        counts = statement_vote_counts(dialogue=dialogue)

        assert counts[one.pk] == (2, 1, 1)
        assert counts[one.pk].n_votes == 4
        assert two.pk not in counts

    def test_pairs_cover_every_statement_before_repeating_any(self, world):
        dialogue = _open(world, Phase.PRIORITISE)
        statements = StatementFactory.create_batch(6, dialogue=dialogue)
        me = _voter(dialogue)
        seen: list[int] = []

        for _round in range(3):
            pair = next_pair_for(dialogue=dialogue, participant=me)
            assert pair is not None
            first, second = pair
            assert first.pk != second.pk
            seen += [first.pk, second.pk]
            comparison_record(participant=me, first=first, second=second, choice="first")

        # Three pairs of six statements: each statement compared exactly once.
        assert sorted(seen) == sorted(statement.pk for statement in statements)

    def test_pairs_favour_statements_others_compared_least(self, world):
        dialogue = _open(world, Phase.PRIORITISE)
        a, b, c, d = StatementFactory.create_batch(4, dialogue=dialogue)
        other = _voter(dialogue)
        comparison_record(participant=other, first=a, second=b, choice="first")
        comparison_record(participant=other, first=a, second=c, choice="first")
        comparison_record(participant=other, first=b, second=c, choice="first")

        pair = next_pair_for(dialogue=dialogue, participant=_voter(dialogue))

        assert pair is not None
        assert d in pair

    def test_pairs_are_the_same_for_the_same_person_and_end_when_all_are_compared(self, world):
        dialogue = _open(world, Phase.PRIORITISE)
        StatementFactory.create_batch(3, dialogue=dialogue)
        me = _voter(dialogue)

        assert next_pair_for(dialogue=dialogue, participant=me) == next_pair_for(
            dialogue=dialogue, participant=me
        )
        for _round in range(3):
            pair = next_pair_for(dialogue=dialogue, participant=me)
            assert pair is not None
            comparison_record(participant=me, first=pair[0], second=pair[1], choice="undecided")
        assert next_pair_for(dialogue=dialogue, participant=me) is None
