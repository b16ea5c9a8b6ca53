"""Writes in dialogues: one module per noun, every service importable from here."""

from .bulk import comparisons_bulk_load, votes_bulk_load
from .comments import comment_create, comment_hide, comment_restore
from .dialogues import (
    EDITABLE_FIELDS,
    RESERVED_SLUGS,
    dialogue_create,
    dialogue_phase_move,
    dialogue_update,
    participation_require,
    participation_set,
)
from .flags import flag_create, flag_resolve
from .invitations import invitation_create, invitation_delete
from .results import results_refresh, results_schedule
from .statements import (
    statement_approve,
    statement_create,
    statement_hide,
    statement_merge,
    statement_restore,
    statement_seed,
    statement_translation_delete,
    statement_translation_save,
    statement_update,
)
from .votes import comparison_record, vote_cast

__all__ = [
    "EDITABLE_FIELDS",
    "RESERVED_SLUGS",
    "comment_create",
    "comment_hide",
    "comment_restore",
    "comparison_record",
    "comparisons_bulk_load",
    "dialogue_create",
    "dialogue_phase_move",
    "dialogue_update",
    "flag_create",
    "flag_resolve",
    "invitation_create",
    "invitation_delete",
    "participation_require",
    "participation_set",
    "results_refresh",
    "results_schedule",
    "statement_approve",
    "statement_create",
    "statement_hide",
    "statement_merge",
    "statement_restore",
    "statement_seed",
    "statement_translation_delete",
    "statement_translation_save",
    "statement_update",
    "vote_cast",
    "votes_bulk_load",
]
