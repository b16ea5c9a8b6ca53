"""Writes in dialogues: one module per noun, every service importable from here."""

from .bulk import comparisons_bulk_load, votes_bulk_load
from .dialogues import (
    EDITABLE_FIELDS,
    RESERVED_SLUGS,
    dialogue_create,
    dialogue_phase_move,
    dialogue_update,
    participation_require,
    participation_set,
)
from .results import results_schedule

__all__ = [
    "EDITABLE_FIELDS",
    "RESERVED_SLUGS",
    "comparisons_bulk_load",
    "dialogue_create",
    "dialogue_phase_move",
    "dialogue_update",
    "participation_require",
    "participation_set",
    "results_schedule",
    "votes_bulk_load",
]
