"""Reads in dialogues: one module per noun, every selector importable from here."""

from .dialogues import (
    dialogue_get,
    dialogue_list,
    dialogue_open_for_votes_list,
    participation_get,
)
from .results import dialogue_engine_input, snapshot_latest, votes_since
from .statements import (
    ModerationQueue,
    comment_list,
    flag_list,
    invitation_list,
    merge_candidates,
    moderation_queue,
    statement_get,
    statement_list,
    statement_with_counts,
)
from .votes import (
    VoteCounts,
    VoteProgress,
    next_pair_for,
    next_statement_for,
    statement_vote_counts,
    statement_vote_totals,
    vote_histories_of,
    vote_history,
    vote_list_of,
    vote_progress,
    votes_of,
)

__all__ = [
    "ModerationQueue",
    "VoteCounts",
    "VoteProgress",
    "comment_list",
    "dialogue_engine_input",
    "dialogue_get",
    "dialogue_list",
    "dialogue_open_for_votes_list",
    "flag_list",
    "invitation_list",
    "merge_candidates",
    "moderation_queue",
    "next_pair_for",
    "next_statement_for",
    "participation_get",
    "snapshot_latest",
    "statement_get",
    "statement_list",
    "statement_vote_counts",
    "statement_vote_totals",
    "statement_with_counts",
    "vote_histories_of",
    "vote_history",
    "vote_list_of",
    "vote_progress",
    "votes_of",
    "votes_since",
]
