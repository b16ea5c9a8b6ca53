"""The Puente consensus engine: from votes to opinion groups, shared priorities and rankings.

Pure numpy/scipy; importing it loads no Django module. Command line:
``python -m puente.consensus analyze PATH --out result.json``.

The public names load their module on first use (PEP 562): a command-line run or a caller
that needs only reading and analysis does not pay for scipy modules it never uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Public name -> module that defines it.
_MODULE_OF = {
    "CLUSTERING_METHODS": ".analysis",
    "AnalysisResult": ".analysis",
    "analyze": ".analysis",
    "BridgingFit": ".bridging",
    "bridging_scores": ".bridging",
    "OpinionGroups": ".groups",
    "opinion_groups": ".groups",
    "InputError": ".io",
    "PolisConversation": ".io",
    "read_comparisons_csv": ".io",
    "read_participants_csv": ".io",
    "read_polis_conversation": ".io",
    "read_votes_csv": ".io",
    "PairwiseStrengths": ".pairwise",
    "bradley_terry": ".pairwise",
    "Projection": ".projection",
    "pca_project": ".projection",
    "RANKING_METHODS": ".ranking",
    "rank_statements": ".ranking",
    "consensus_statements": ".repness",
    "representative_statements": ".repness",
    "render_report": ".report",
    "VoteCounts": ".scores",
    "divisiveness": ".scores",
    "group_informed_consensus": ".scores",
    "joint_support": ".scores",
    "vote_counts": ".scores",
    "AGREE": ".types",
    "DISAGREE": ".types",
    "PASS": ".types",
    "Comparisons": ".types",
    "Groupings": ".types",
    "Votes": ".types",
    "votes_from_records": ".types",
}

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


def __getattr__(name: str) -> Any:
    """Import the module of a public name when it is first used, and keep the name."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
