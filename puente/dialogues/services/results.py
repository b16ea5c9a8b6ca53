"""Results of a dialogue: the engine's snapshot, recomputed in the background after votes.

Votes call ``results_schedule`` once committed. Many votes within
``RESULTS_DEBOUNCE_SECONDS`` lead to one recomputation, which runs

- in the embedded mode (``BACKGROUND_WORKER=thread``, what ``make run`` uses) in the process's
  background thread, with the engine itself in a process of its own
  (``puente.consensus.isolated``), so that no request waits for it or shares its BLAS limit;
- in the scale-out mode (``BACKGROUND_WORKER=celery``) in a Celery worker, the debounce kept in
  the shared cache (Redis);
- at once, in the caller, when ``BACKGROUND_EAGER`` is set (tests).
"""

import time
from functools import partial
from typing import Any

import orjson
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from puente.celery import app as celery_app
from puente.consensus import analyze
from puente.consensus.isolated import analyze_isolated
from puente.core.background import background_worker

from ..models import Dialogue, ResultSnapshot
from ..selectors.results import EngineInput, dialogue_engine_input

RESULTS_TASK = "dialogues.results_refresh"
RANKING_METHOD = "joint-support"
CLUSTERING = "base-clusters"
# Fewer participants than this give no results: one person's votes are not a result.
MIN_PARTICIPANTS = 2


def results_refresh(*, dialogue: Dialogue, isolated: bool = False) -> ResultSnapshot | None:
    """Analyse the dialogue's votes now and store the result as its latest snapshot.

    With fewer than two participants nothing is analysed and earlier snapshots are removed,
    so the pages show their empty state. Only the latest ``RESULTS_SNAPSHOTS_KEPT`` snapshots
    are kept. With ``isolated`` the engine runs in its own process (see the module).
    """
    started = time.perf_counter()
    engine_input = dialogue_engine_input(dialogue=dialogue)
    if engine_input.votes.n_participants < MIN_PARTICIPANTS:
        ResultSnapshot.objects.filter(dialogue=dialogue).delete()
        return None
    result = _analysis(engine_input, isolated=isolated)
    duration_ms = round((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        snapshot = ResultSnapshot.objects.create(
            dialogue=dialogue,
            result=result,
            n_votes=engine_input.votes.n_votes,
            n_participants=engine_input.votes.n_participants,
            n_comparisons=engine_input.n_comparisons,
            last_vote_change_id=engine_input.last_vote_change_id,
            computed_at=timezone.now(),
            duration_ms=duration_ms,
            ranking_method=RANKING_METHOD,
        )
        kept = (
            ResultSnapshot.objects.filter(dialogue=dialogue)
            .order_by("-computed_at", "-pk")
            .values_list("pk", flat=True)[: settings.RESULTS_SNAPSHOTS_KEPT]
        )
        ResultSnapshot.objects.filter(dialogue=dialogue).exclude(pk__in=list(kept)).delete()
    return snapshot


def _analysis(engine_input: EngineInput, *, isolated: bool) -> dict[str, Any]:
    """Return the engine's JSON-ready result: plain dicts, lists, strings and numbers."""
    arguments: dict[str, Any] = {
        "groupings": engine_input.groupings,
        "comparisons": engine_input.comparisons,
        "clustering": CLUSTERING,
        "method": RANKING_METHOD,
        "seed": 0,
        "statement_text": engine_input.statement_text,
    }
    if isolated:
        result = analyze_isolated(engine_input.votes, **arguments)
    else:
        result = analyze(engine_input.votes, **arguments).to_dict()
    # Each group's members are the participants' map entries again: the snapshot keeps their
    # number only (at 10,000 participants that is a tenth of the document).
    result["groups"] = [
        {"id": group["id"], "size": len(group["members"])} for group in result["groups"]
    ]
    # Through orjson and back: numpy scalars become numbers, nan becomes null.
    loaded: dict[str, Any] = orjson.loads(
        orjson.dumps(result, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)
    )
    return loaded


def results_schedule_key(dialogue_id: int) -> str:
    """Return the cache key that marks a dialogue's recomputation as scheduled."""
    return f"dialogues:results-scheduled:{dialogue_id}"


def results_schedule(*, dialogue_id: int) -> None:
    """Ask for the dialogue's results to be recomputed soon (debounced)."""
    delay = settings.RESULTS_DEBOUNCE_SECONDS
    if settings.BACKGROUND_EAGER:
        dialogue = Dialogue.objects.filter(pk=dialogue_id).first()
        if dialogue is not None:
            results_refresh(dialogue=dialogue)
        return
    if settings.BACKGROUND_WORKER == "celery":
        # The key outlives the countdown a little, in case the worker is slow to start.
        if cache.add(results_schedule_key(dialogue_id), 1, timeout=delay + 60):
            celery_app.send_task(RESULTS_TASK, args=[dialogue_id], countdown=delay)
        return
    background_worker.schedule(
        results_schedule_key(dialogue_id),
        delay=delay,
        job=partial(_refresh_in_background, dialogue_id),
    )


def _refresh_in_background(dialogue_id: int) -> None:
    dialogue = Dialogue.objects.filter(pk=dialogue_id).first()
    if dialogue is not None:
        results_refresh(dialogue=dialogue, isolated=True)
