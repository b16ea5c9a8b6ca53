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
from .results import results_schedule
from .votes import comparison_record, vote_cast

__all__ = [
    "EDITABLE_FIELDS",
    "RESERVED_SLUGS",
    "comparison_record",
    "dialogue_create",
    "dialogue_phase_move",
    "dialogue_update",
    "participation_require",
    "participation_set",
    "results_schedule",
    "vote_cast",
]
from .statements import (
    comment_create,
    comment_hide,
    flag_create,
    flag_resolve,
    invitation_create,
    invitation_delete,
    statement_approve,
    statement_create,
    statement_hide,
    statement_merge,
    statement_restore,
    statement_seed,
    statement_update,
)

__all__ += [
    "comment_create",
    "comment_hide",
    "flag_create",
    "flag_resolve",
    "invitation_create",
    "invitation_delete",
    "statement_approve",
    "statement_create",
    "statement_hide",
    "statement_merge",
    "statement_restore",
    "statement_seed",
    "statement_update",
]
