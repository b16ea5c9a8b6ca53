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
from .results import results_download, results_refresh_view, results_view
from .votes import compare_view, my_votes_view, vote_card_view, vote_statement_view

__all__ = [
    "compare_view",
    "dialogue_create_view",
    "dialogue_detail",
    "dialogue_edit_view",
    "dialogue_list_view",
    "dialogue_phase_move_view",
    "dialogue_rows",
    "my_votes_view",
    "participation_set_view",
    "results_download",
    "results_refresh_view",
    "results_view",
    "vote_card_view",
    "vote_statement_view",
]
