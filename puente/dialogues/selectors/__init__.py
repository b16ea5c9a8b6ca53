"""Reads in dialogues: one module per noun, every selector importable from here."""

from .dialogues import dialogue_get, dialogue_list, participation_get
from .results import dialogue_engine_input, snapshot_latest, votes_since
from .votes import votes_of

__all__ = [
    "dialogue_engine_input",
    "dialogue_get",
    "dialogue_list",
    "participation_get",
    "snapshot_latest",
    "votes_of",
    "votes_since",
]
