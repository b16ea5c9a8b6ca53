"""The scale-out mode for real: a Celery worker on Redis recomputes the results.

Runs only when PUENTE_SCALE_OUT_TESTS is set (CI sets it to ``required`` in its PostgreSQL +
Redis step, where a missing Redis or PostgreSQL fails the test instead of skipping it). The
worker is a separate process, so it reads committed rows from the same test database.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection

from puente.celery import app as celery_app
from puente.dialogues.models import ResultSnapshot, VoteChange
from puente.dialogues.services import results_schedule
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import DialogueFactory, StatementFactory, VoteFactory

_MODE = os.environ.get("PUENTE_SCALE_OUT_TESTS", "")
_REDIS_URL = os.environ.get("REDIS_URL", "") or "redis://127.0.0.1:6379/0"
_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not _MODE, reason="set PUENTE_SCALE_OUT_TESTS to run")


def _unavailable(message: str) -> None:
    if _MODE == "required":
        pytest.fail(message)
    pytest.skip(message)


def _database_url() -> str:
    database = django_settings.DATABASES["default"]
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def worker(transactional_db, settings) -> Iterator[str]:
    """Start a Celery worker on its own queue against the test database; stop it after."""
    try:
        redis.Redis.from_url(_REDIS_URL).ping()
    except redis.RedisError as error:
        _unavailable(f"Redis is not reachable at {_REDIS_URL}: {error}")
    if connection.vendor != "postgresql":
        _unavailable("the scale-out test needs PostgreSQL (DATABASE_URL) for the worker")
    queue = f"puente-test-{uuid.uuid4().hex[:8]}"
    settings.BACKGROUND_EAGER = False
    settings.BACKGROUND_WORKER = "celery"
    settings.RESULTS_DEBOUNCE_SECONDS = 1.0
    previous = (celery_app.conf.broker_url, celery_app.conf.task_default_queue)
    celery_app.conf.broker_url = _REDIS_URL
    celery_app.conf.task_default_queue = queue
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": _REDIS_URL,
        "BACKGROUND_WORKER": "celery",
        "CACHE_KEY_PREFIX": str(settings.CACHES["default"].get("KEY_PREFIX", "")),
    }
    process = subprocess.Popen(  # noqa: S603  # our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "puente.celery",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=_ROOT,
        env=environment,
    )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        celery_app.conf.broker_url, celery_app.conf.task_default_queue = previous


def _wait_for(count: int, dialogue_id: int, timeout: float = 90.0) -> int:
    deadline = time.monotonic() + timeout
    found = 0
    while time.monotonic() < deadline:
        found = ResultSnapshot.objects.filter(dialogue_id=dialogue_id).count()
        if found >= count:
            return found
        time.sleep(0.2)
    return found


def _cast(statement, person, choice) -> None:
    VoteFactory(statement=statement, participant=person, choice=choice)
    VoteChange.objects.create(
        dialogue=statement.dialogue, statement=statement, participant=person, choice=choice
    )


def test_a_celery_worker_recomputes_once_per_burst_of_votes(worker):
    dialogue = DialogueFactory()
    statements = [StatementFactory(dialogue=dialogue) for _ in range(3)]
    for index in range(4):
        person = UserFactory()
        for position, statement in enumerate(statements):
            _cast(statement, person, [1, -1, 0][(index + position) % 3])
    for _ in range(10):
        results_schedule(dialogue_id=dialogue.pk)
    assert _wait_for(1, dialogue.pk) == 1
    time.sleep(2.5)  # past the debounce delay: no second run follows the burst
    assert ResultSnapshot.objects.filter(dialogue=dialogue).count() == 1
    snapshot = ResultSnapshot.objects.get(dialogue=dialogue)
    assert snapshot.n_votes == 12
    assert snapshot.n_participants == 4

    latecomer = UserFactory()
    _cast(statements[0], latecomer, 1)
    results_schedule(dialogue_id=dialogue.pk)
    assert _wait_for(2, dialogue.pk) == 2
    latest = ResultSnapshot.objects.filter(dialogue=dialogue).latest()
    assert latest.n_participants == 5
    assert latest.last_vote_change_id == VoteChange.objects.latest("pk").pk
