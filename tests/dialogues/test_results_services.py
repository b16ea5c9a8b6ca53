"""The engine's input read from the vote rows, the results snapshot and its scheduling."""

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from django.db import connection

from puente.celery import app as celery_app
from puente.consensus.isolated import isolated_process_stop
from puente.core.background import BackgroundWorker, background_worker
from puente.dialogues.models import Comparison, ResultSnapshot, Statement, Vote, VoteChange
from puente.dialogues.selectors import dialogue_engine_input, snapshot_latest, votes_since
from puente.dialogues.selectors import results as results_selectors
from puente.dialogues.services import results as results_services
from puente.dialogues.services import results_refresh, results_schedule
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import (
    DialogueFactory,
    ParticipationFactory,
    StatementFactory,
    VoteFactory,
)


def _vote(statement, person, choice):
    VoteFactory(statement=statement, participant=person, choice=choice)
    VoteChange.objects.create(
        dialogue=statement.dialogue, statement=statement, participant=person, choice=choice
    )


@pytest.fixture
def voted(db):
    """A dialogue with 4 statements (one hidden, one pending) and 6 voters, 3 EU and 3 LAC."""
    dialogue = DialogueFactory()
    statements = [StatementFactory(dialogue=dialogue) for _ in range(3)]
    statements[1].status = Statement.Status.HIDDEN
    statements[1].save()
    StatementFactory(dialogue=dialogue, status=Statement.Status.PENDING)
    people = [UserFactory() for _ in range(6)]
    for index, person in enumerate(people):
        ParticipationFactory(
            dialogue=dialogue,
            person=person,
            region="EU" if index < 3 else "LAC",
            stakeholder_type="academia" if index % 2 else "",
        )
        for position, statement in enumerate(statements):
            _vote(statement, person, [1, -1, 0][(index + position) % 3])
    return dialogue, statements, people


def test_engine_input_holds_every_vote_with_anonymous_participants(voted):
    dialogue, statements, people = voted
    engine_input = dialogue_engine_input(dialogue=dialogue)
    votes = engine_input.votes
    assert votes.participant_ids == tuple(str(i) for i in range(6))
    assert votes.statement_ids == tuple(str(s.pk) for s in statements)
    assert votes.n_votes == 18
    dense = votes.dense()
    people_in_order = sorted(people, key=lambda person: person.pk)
    for row, person in enumerate(people_in_order):
        for column, statement in enumerate(statements):
            expected = Vote.objects.get(participant=person, statement=statement).choice
            assert dense[row, column] == expected
    assert votes.moderated_out.tolist() == [False, True, False]
    # Sorted by participant, as the engine expects.
    assert np.all(np.diff(votes.participant) >= 0)
    assert engine_input.last_vote_change_id == VoteChange.objects.latest("pk").pk


def test_engine_input_declares_region_and_stakeholder_type_from_participation(voted):
    dialogue, _statements, people = voted
    groupings = dialogue_engine_input(dialogue=dialogue).groupings
    assert groupings.categories == {"region": ("EU", "LAC"), "stakeholder_type": ("academia",)}
    order = sorted(range(6), key=lambda index: people[index].pk)
    assert groupings.codes["region"].tolist() == [0 if i < 3 else 1 for i in order]
    assert groupings.codes["stakeholder_type"].tolist() == [0 if i % 2 else -1 for i in order]


def test_engine_input_reads_decided_comparisons_only(voted):
    dialogue, statements, people = voted
    first, _hidden, third = statements
    Comparison.objects.create(
        dialogue=dialogue, participant=people[0], first=first, second=third, choice="second"
    )
    Comparison.objects.create(
        dialogue=dialogue, participant=people[1], first=first, second=third, choice="undecided"
    )
    comparisons = dialogue_engine_input(dialogue=dialogue).comparisons
    assert comparisons is not None
    assert comparisons.winner.tolist() == [2]
    assert comparisons.loser.tolist() == [0]
    voters = sorted(person.pk for person in people)
    assert comparisons.participant.tolist() == [voters.index(people[0].pk)]


def test_the_generic_and_the_postgresql_paths_read_the_same_votes(voted):
    if connection.vendor != "postgresql":
        pytest.skip("the packed path needs PostgreSQL")
    dialogue, _statements, _people = voted
    rows = sorted(
        Vote.objects.filter(dialogue=dialogue).values_list(
            "participant_id", "statement_id", "choice"
        )
    )
    assert {choice for _person, _statement, choice in rows} == {-1, 0, 1}
    for one_column in (None, True, False):
        fast = results_selectors._vote_columns_packed(dialogue.pk, one_column=one_column)
        assert sorted(zip(*(column.tolist() for column in fast), strict=True)) == rows
        empty = results_selectors._vote_columns_packed(DialogueFactory().pk, one_column=one_column)
        assert [len(column) for column in empty] == [0, 0, 0]


def test_refresh_stores_a_json_snapshot_of_the_analysis(voted):
    dialogue, statements, _people = voted
    snapshot = results_refresh(dialogue=dialogue)
    assert snapshot is not None
    snapshot.refresh_from_db()
    assert snapshot.n_votes == 18
    assert snapshot.n_participants == 6
    assert snapshot.ranking_method == "joint-support"
    result = snapshot.result
    assert result["participants"] == 6
    assert [entry["id"] for entry in result["statement_results"]] == [
        str(statement.pk) for statement in statements
    ]
    assert str(statements[1].pk) not in result["ranking"]["order"]
    assert set(result["statement_results"][0]["by_grouping"]["region"]) == {"EU", "LAC"}
    # Groups keep their size; who is in them is the map's business.
    sizes = {group["id"]: group["size"] for group in result["groups"]}
    assert all("members" not in group for group in result["groups"])
    assert sum(sizes.values()) == sum(
        1 for entry in result["participants_map"] if entry["group"] is not None
    )
    assert result["statements_text"][str(statements[0].pk)] == statements[0].text
    assert snapshot_latest(dialogue=dialogue) == snapshot
    assert votes_since(snapshot=snapshot) == 0


def test_the_snapshot_is_stored_as_json_and_read_back_equal(voted):
    dialogue, _statements, _people = voted
    snapshot = results_refresh(dialogue=dialogue)
    assert snapshot is not None
    # Written with orjson, as jsonb on PostgreSQL: the database can look inside it.
    stored = ResultSnapshot.objects.filter(pk=snapshot.pk, result__participants=6)
    assert stored.values_list("result__seed", flat=True).get() == 0
    assert ResultSnapshot.objects.get(pk=snapshot.pk).result == snapshot.result


def test_votes_after_a_snapshot_count_as_since(voted):
    dialogue, statements, _people = voted
    snapshot = results_refresh(dialogue=dialogue)
    assert snapshot is not None
    newcomer = UserFactory()
    _vote(statements[0], newcomer, 1)
    _vote(statements[2], newcomer, -1)
    assert votes_since(snapshot=snapshot) == 2


def test_only_the_latest_snapshots_are_kept(voted, settings):
    settings.RESULTS_SNAPSHOTS_KEPT = 2
    dialogue, _statements, _people = voted
    made = [results_refresh(dialogue=dialogue) for _ in range(4)]
    kept = list(ResultSnapshot.objects.filter(dialogue=dialogue).order_by("pk"))
    assert [snapshot.pk for snapshot in kept] == [s.pk for s in made[-2:] if s is not None]


def test_below_two_participants_there_is_no_snapshot_and_old_ones_go(voted):
    dialogue, _statements, people = voted
    assert results_refresh(dialogue=dialogue) is not None
    Vote.objects.filter(dialogue=dialogue).exclude(participant=people[0]).delete()
    assert results_refresh(dialogue=dialogue) is None
    assert not ResultSnapshot.objects.filter(dialogue=dialogue).exists()
    empty = DialogueFactory()
    assert results_refresh(dialogue=empty) is None


def test_schedule_runs_at_once_when_eager(voted):
    dialogue, _statements, _people = voted
    results_schedule(dialogue_id=dialogue.pk)
    assert ResultSnapshot.objects.filter(dialogue=dialogue).count() == 1


def test_many_schedules_within_the_delay_run_once():
    worker = BackgroundWorker("test-worker")
    runs: list[float] = []
    for _ in range(50):
        worker.schedule("dialogue-1", delay=0.2, job=lambda: runs.append(time.monotonic()))
    worker.schedule("dialogue-2", delay=0.0, job=lambda: runs.append(-1.0))
    assert worker.wait_idle(5)
    assert len(runs) == 2
    assert runs[0] == -1.0


def test_a_schedule_during_a_run_leads_to_another_run():
    worker = BackgroundWorker("test-worker")
    started = threading.Event()
    release = threading.Event()
    runs: list[str] = []

    def slow() -> None:
        started.set()
        release.wait(5)
        runs.append("slow")

    worker.schedule("key", delay=0.0, job=slow)
    assert started.wait(5)
    assert worker.schedule("key", delay=0.0, job=lambda: runs.append("again"))
    release.set()
    assert worker.wait_idle(5)
    assert runs == ["slow", "again"]


def test_a_failing_job_does_not_stop_the_worker():
    worker = BackgroundWorker("test-worker")
    runs: list[int] = []

    def failing() -> None:
        raise RuntimeError("boom")

    worker.schedule("a", delay=0.0, job=failing)
    worker.schedule("b", delay=0.01, job=lambda: runs.append(1))
    assert worker.wait_idle(5)
    assert runs == [1]


# A process that stops while a job runs, as a server's worker that stops: the job fails
# because the analysis process pool is shut down when it asks for it. It fails at a given
# moment of the stop: once the main thread has ended, or while Python still runs the exit
# hooks that shut the pools down (the main thread has not ended yet; the hook registered
# here holds that moment open for a second, as a pool's hook waiting on its processes would).
_STOPPING_PROCESS = """
import threading, time
threading._register_atexit(time.sleep, 1.0)  # before the pools' hook: it runs after it
import concurrent.futures.process
import django
django.setup()
from puente.core.background import BackgroundWorker

worker = BackgroundWorker("stopping")
def job():
    while not (%(moment)s):
        time.sleep(0.01)
    raise RuntimeError("cannot schedule new futures after shutdown")
worker.schedule("results", delay=0.0, job=job)
threading.Thread(target=time.sleep, args=(2,)).start()  # keeps the process up meanwhile
"""
_MOMENTS = {
    "main thread ended": "not threading.main_thread().is_alive()",
    "exit hooks running": (
        "concurrent.futures.process._global_shutdown and threading.main_thread().is_alive()"
    ),
}


@pytest.mark.parametrize("moment", _MOMENTS)
def test_a_job_failing_because_the_process_stops_is_not_reported_as_an_error(moment):
    environment = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "puente.settings"}
    environment.pop("DATABASE_URL", None)
    script = _STOPPING_PROCESS % {"moment": _MOMENTS[moment]}
    stopped = subprocess.run(  # noqa: S603  # this interpreter, our own script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environment,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
        check=True,
    )
    [line] = stopped.stderr.splitlines()  # the log's JSON line
    record = json.loads(line)
    assert (record["level"], record["message"]) == (
        "INFO",
        "background job not run: the process is stopping",
    )
    assert "Traceback" not in stopped.stderr


def test_a_failing_job_is_reported_with_its_traceback(caplog):
    worker = BackgroundWorker("test-worker")

    def failing() -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="puente.core.background"):
        worker.schedule("a", delay=0.0, job=failing)
        assert worker.wait_idle(5)
    [record] = caplog.records
    assert record.getMessage() == "background job failed"
    assert record.exc_info is not None


def test_schedule_in_thread_mode_hands_the_dialogue_to_the_background_worker(
    voted, settings, monkeypatch
):
    settings.BACKGROUND_EAGER = False
    settings.BACKGROUND_WORKER = "thread"
    scheduled: list[tuple[str, float]] = []

    def schedule(key, *, delay, job):
        scheduled.append((key, delay))
        return True

    monkeypatch.setattr(background_worker, "schedule", schedule)
    dialogue, _statements, _people = voted
    results_schedule(dialogue_id=dialogue.pk)
    assert scheduled == [
        (results_services.results_schedule_key(dialogue.pk), settings.RESULTS_DEBOUNCE_SECONDS)
    ]
    assert not ResultSnapshot.objects.filter(dialogue=dialogue).exists()


def test_schedule_in_celery_mode_sends_one_task_per_burst(voted, settings, monkeypatch):
    settings.BACKGROUND_EAGER = False
    settings.BACKGROUND_WORKER = "celery"
    sent: list[tuple[str, list[int], float]] = []
    monkeypatch.setattr(
        celery_app,
        "send_task",
        lambda name, args, countdown: sent.append((name, args, countdown)),
    )
    dialogue, _statements, _people = voted
    for _ in range(10):
        results_schedule(dialogue_id=dialogue.pk)
    assert sent == [("dialogues.results_refresh", [dialogue.pk], settings.RESULTS_DEBOUNCE_SECONDS)]


@pytest.mark.django_db(transaction=True)
def test_the_embedded_mode_recomputes_once_in_the_background_in_its_analysis_process(settings):
    settings.BACKGROUND_EAGER = False
    settings.BACKGROUND_WORKER = "thread"
    settings.RESULTS_DEBOUNCE_SECONDS = 0.3
    dialogue = DialogueFactory()
    statements = [StatementFactory(dialogue=dialogue) for _ in range(3)]
    for index in range(4):
        person = UserFactory()
        for position, statement in enumerate(statements):
            _vote(statement, person, [1, -1, 0][(index + position) % 3])
    try:
        for _ in range(20):
            results_schedule(dialogue_id=dialogue.pk)
        assert background_worker.wait_idle(120)
        snapshots = list(ResultSnapshot.objects.filter(dialogue=dialogue))
        assert len(snapshots) == 1
        assert snapshots[0].n_votes == 12
    finally:
        isolated_process_stop()
