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

__all__ = [
    "EDITABLE_FIELDS",
    "RESERVED_SLUGS",
    "dialogue_create",
    "dialogue_phase_move",
    "dialogue_update",
    "participation_require",
    "participation_set",
    "results_schedule",
]
from .comments import comment_create, comment_hide
from .flags import flag_create, flag_resolve
from .invitations import invitation_create, invitation_delete
from .statements import (
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
