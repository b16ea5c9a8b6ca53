"""The Puente consensus engine: from votes to opinion groups, shared priorities and rankings.

Pure numpy/scipy; importing it loads no Django module. Command line:
``python -m puente.consensus analyze PATH --out result.json``.
"""

from .analysis import CLUSTERING_METHODS, AnalysisResult, analyze
from .bridging import BridgingFit, bridging_scores
from .groups import OpinionGroups, opinion_groups
from .io import (
    InputError,
    PolisConversation,
    read_comparisons_csv,
    read_participants_csv,
    read_polis_conversation,
    read_votes_csv,
)
from .pairwise import PairwiseStrengths, bradley_terry
from .projection import Projection, pca_project
from .ranking import RANKING_METHODS, rank_statements
from .repness import consensus_statements, representative_statements
from .report import render_report
from .scores import (
    VoteCounts,
    divisiveness,
    group_informed_consensus,
    joint_support,
    vote_counts,
)
from .types import AGREE, DISAGREE, PASS, Comparisons, Groupings, Votes, votes_from_records

__all__ = [
    "AGREE",
    "CLUSTERING_METHODS",
    "DISAGREE",
    "PASS",
    "RANKING_METHODS",
    "AnalysisResult",
    "BridgingFit",
    "Comparisons",
    "Groupings",
    "InputError",
    "OpinionGroups",
    "PairwiseStrengths",
    "PolisConversation",
    "Projection",
    "VoteCounts",
    "Votes",
    "analyze",
    "bradley_terry",
    "bridging_scores",
    "consensus_statements",
    "divisiveness",
    "group_informed_consensus",
    "joint_support",
    "opinion_groups",
    "pca_project",
    "rank_statements",
    "read_comparisons_csv",
    "read_participants_csv",
    "read_polis_conversation",
    "read_votes_csv",
    "render_report",
    "representative_statements",
    "vote_counts",
    "votes_from_records",
]
