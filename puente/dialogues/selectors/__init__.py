"""Reads in dialogues: one module per noun, every selector importable from here."""

from .dialogues import dialogue_get, dialogue_list, participation_get
from .votes import votes_of

__all__ = ["dialogue_get", "dialogue_list", "participation_get", "votes_of"]
from .statements import (
    ModerationQueue,
    comment_list,
    flags_open,
    invitation_list,
    merge_candidates,
    moderation_queue,
    statement_get,
    statement_list,
    statement_with_counts,
)

__all__ += [
    "ModerationQueue",
    "comment_list",
    "flags_open",
    "invitation_list",
    "merge_candidates",
    "moderation_queue",
    "statement_get",
    "statement_list",
    "statement_with_counts",
]
