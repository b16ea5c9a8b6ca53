"""Reads in dialogues: one module per noun, every selector importable from here."""

from .dialogues import dialogue_get, dialogue_list, participation_get
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
    "VoteCounts",
    "VoteProgress",
    "dialogue_get",
    "dialogue_list",
    "next_pair_for",
    "next_statement_for",
    "participation_get",
    "statement_vote_counts",
    "statement_vote_totals",
    "vote_histories_of",
    "vote_history",
    "vote_list_of",
    "vote_progress",
    "votes_of",
]
