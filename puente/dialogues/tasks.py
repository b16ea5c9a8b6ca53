"""Celery tasks of dialogues (scale-out mode): the results recomputation."""

from celery import shared_task  # type: ignore[import-untyped]  # celery ships no types
from django.core.cache import cache

from .models import Dialogue
from .services.results import RESULTS_TASK, results_refresh, results_schedule_key


@shared_task(name=RESULTS_TASK)  # type: ignore[untyped-decorator]  # celery ships no types
def results_refresh_task(dialogue_id: int) -> None:
    """Recompute a dialogue's results; votes cast meanwhile schedule the next run."""
    # Released before the run, so that a vote during it asks for another one.
    cache.delete(results_schedule_key(dialogue_id))
    dialogue = Dialogue.objects.filter(pk=dialogue_id).first()
    if dialogue is not None:
        # A pool process of the worker runs one task at a time and nothing else: the
        # analysis may limit its BLAS there (see puente/consensus/blas.py).
        results_refresh(dialogue=dialogue)
