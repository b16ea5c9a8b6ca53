"""Reads in dialogues: one module per noun, every selector importable from here."""

from .dialogues import dialogue_get, dialogue_list, participation_get
from .votes import votes_of

__all__ = ["dialogue_get", "dialogue_list", "participation_get", "votes_of"]
