"""Dialogue pages: one module per noun."""

from .dialogues import (
    dialogue_create_view,
    dialogue_detail,
    dialogue_edit_view,
    dialogue_list_view,
    dialogue_phase_move_view,
    dialogue_rows,
    participation_set_view,
)

__all__ = [
    "dialogue_create_view",
    "dialogue_detail",
    "dialogue_edit_view",
    "dialogue_list_view",
    "dialogue_phase_move_view",
    "dialogue_rows",
    "participation_set_view",
]
