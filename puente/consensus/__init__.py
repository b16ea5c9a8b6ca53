"""The Puente consensus engine: from votes to opinion groups, shared priorities and rankings.

Pure numpy/scipy; importing it loads no Django module.
"""

from .types import AGREE, DISAGREE, PASS, Comparisons, Groupings, Votes, votes_from_records

__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "Comparisons",
    "Groupings",
    "Votes",
    "votes_from_records",
]
