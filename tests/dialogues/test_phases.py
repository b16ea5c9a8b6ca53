from datetime import timedelta

import pytest
from django.utils import timezone

from puente.dialogues.models import Phase
from puente.dialogues.phases import PHASE_ALLOWS, Action, dialogue_phase_now, phase_actions
from tests.dialogues.factories import DialogueFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
HOUR = timedelta(hours=1)


def test_every_phase_is_in_the_table():
    assert set(PHASE_ALLOWS) == set(Phase)


def test_a_closed_dialogue_takes_no_new_input():
    assert not PHASE_ALLOWS[Phase.CLOSED] & {
        Action.CONTRIBUTE,
        Action.COMMENT,
        Action.VOTE,
        Action.COMPARE,
    }


def test_statements_are_added_only_in_the_contribute_phase():
    assert [phase for phase in Phase if Action.CONTRIBUTE in PHASE_ALLOWS[phase]] == [
        Phase.CONTRIBUTE
    ]


def test_pairs_are_compared_only_in_the_prioritise_phase():
    assert [phase for phase in Phase if Action.COMPARE in PHASE_ALLOWS[phase]] == [Phase.PRIORITISE]


def test_phase_actions_follow_the_order_of_the_actions():
    assert phase_actions(Phase.CONTRIBUTE) == [Action.CONTRIBUTE, Action.COMMENT, Action.VOTE]


def test_without_dates_the_phase_set_holds():
    dialogue = DialogueFactory(phase=Phase.DELIBERATE, phase_set_at=NOW - HOUR)
    assert dialogue_phase_now(dialogue, NOW + 1000 * HOUR) == Phase.DELIBERATE


def test_a_passed_date_moves_the_dialogue_forward():
    dialogue = DialogueFactory(phase_set_at=NOW - 3 * HOUR, deliberate_starts_at=NOW - HOUR)
    assert dialogue_phase_now(dialogue, NOW - 2 * HOUR) == Phase.CONTRIBUTE
    assert dialogue_phase_now(dialogue, NOW) == Phase.DELIBERATE


def test_the_latest_passed_date_wins():
    dialogue = DialogueFactory(
        phase_set_at=NOW - 10 * HOUR,
        deliberate_starts_at=NOW - 3 * HOUR,
        prioritise_starts_at=NOW - 2 * HOUR,
        closes_at=NOW + HOUR,
    )
    assert dialogue_phase_now(dialogue, NOW) == Phase.PRIORITISE
    assert dialogue_phase_now(dialogue, NOW + 2 * HOUR) == Phase.CLOSED


def test_dates_never_move_a_dialogue_back():
    dialogue = DialogueFactory(
        phase=Phase.CLOSED, phase_set_at=NOW - 3 * HOUR, prioritise_starts_at=NOW - HOUR
    )
    assert dialogue_phase_now(dialogue, NOW) == Phase.CLOSED


def test_a_phase_moved_back_by_hand_holds_until_the_next_date():
    dialogue = DialogueFactory(
        phase=Phase.CONTRIBUTE,
        # Moved back to contribute after deliberation had started by date.
        phase_set_at=NOW - HOUR,
        deliberate_starts_at=NOW - 2 * HOUR,
        prioritise_starts_at=NOW + HOUR,
    )
    assert dialogue_phase_now(dialogue, NOW) == Phase.CONTRIBUTE
    assert dialogue_phase_now(dialogue, NOW + 2 * HOUR) == Phase.PRIORITISE


def test_a_date_at_the_moment_the_phase_was_set_does_not_move_it():
    dialogue = DialogueFactory(
        phase=Phase.CONTRIBUTE, phase_set_at=NOW - HOUR, deliberate_starts_at=NOW - HOUR
    )
    assert dialogue_phase_now(dialogue, NOW) == Phase.CONTRIBUTE
