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
from .invitations import invitation_delete_view, invitation_list_view
from .moderation import (
    comment_hide_view,
    comment_restore_view,
    flag_resolve_view,
    moderation_queue_view,
    statement_approve_view,
    statement_hide_view,
    statement_merge_view,
    statement_restore_view,
)
from .results import results_refresh_view, results_view
from .results_downloads import results_download
from .statements import (
    comment_create_view,
    comment_flag_view,
    statement_create_view,
    statement_detail_view,
    statement_edit_view,
    statement_flag_view,
    statement_list_view,
)
from .translations import (
    statement_translation_delete_view,
    statement_translation_edit_view,
    statement_translations_view,
)
from .votes import compare_view, my_votes_view, vote_card_view, vote_statement_view

__all__ = [
    "comment_create_view",
    "comment_flag_view",
    "comment_hide_view",
    "comment_restore_view",
    "compare_view",
    "dialogue_create_view",
    "dialogue_detail",
    "dialogue_edit_view",
    "dialogue_list_view",
    "dialogue_phase_move_view",
    "dialogue_rows",
    "flag_resolve_view",
    "invitation_delete_view",
    "invitation_list_view",
    "moderation_queue_view",
    "my_votes_view",
    "participation_set_view",
    "results_download",
    "results_refresh_view",
    "results_view",
    "statement_approve_view",
    "statement_create_view",
    "statement_detail_view",
    "statement_edit_view",
    "statement_flag_view",
    "statement_hide_view",
    "statement_list_view",
    "statement_merge_view",
    "statement_restore_view",
    "statement_translation_delete_view",
    "statement_translation_edit_view",
    "statement_translations_view",
    "vote_card_view",
    "vote_statement_view",
]
