"""Writes in dialogues: one module per noun, every service importable from here."""

from .dialogues import (
    EDITABLE_FIELDS,
    RESERVED_SLUGS,
    dialogue_create,
    dialogue_phase_move,
    dialogue_update,
    participation_require,
    participation_set,
)
from .results import results_refresh, results_schedule

__all__ = [
    "EDITABLE_FIELDS",
    "RESERVED_SLUGS",
    "dialogue_create",
    "dialogue_phase_move",
    "dialogue_update",
    "participation_require",
    "participation_set",
    "results_refresh",
    "results_schedule",
]
