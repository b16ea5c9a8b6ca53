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
from .results import results_refresh_view, results_view
from .results_downloads import results_download

__all__ = [
    "dialogue_create_view",
    "dialogue_detail",
    "dialogue_edit_view",
    "dialogue_list_view",
    "dialogue_phase_move_view",
    "dialogue_rows",
    "participation_set_view",
    "results_download",
    "results_refresh_view",
    "results_view",
]
