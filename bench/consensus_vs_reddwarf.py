"""Run red-dwarf's pipeline and the Puente engine on the same data; print times and agreement.

    .venv/bin/python bench/consensus_vs_reddwarf.py [--repeat 3] [--synthetic-participants 10000]
        [--synthetic-statements 1000] [--skip-synthetic]

Red-dwarf is a benchmark and test dependency only. Every pipeline runs once to warm up,
then ``--repeat`` times; the best time counts (this machine is shared, and its speed
varies by tens of percent from run to run). Red-dwarf's time is that of ``run_pipeline``
alone (building its list of vote dicts is not counted). Ours is given twice, in direct
mode (the mode that reproduces red-dwarf):

- "same work": what ``run_pipeline`` computes: the PCA projection, the clustering with the
  number of groups chosen by silhouette, the vote counts per group, group-informed
  consensus, the consensus lists and the representative statements;
- "analyze": the whole ``analyze()``, which also fits the bridging model and computes
  divisiveness, approval and the ranking.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import synthetic_votes  # noqa: E402
from puente.consensus.analysis import analyze  # noqa: E402
from puente.consensus.groups import OpinionGroups, opinion_groups  # noqa: E402
from puente.consensus.io import read_polis_conversation  # noqa: E402
from puente.consensus.repness import (  # noqa: E402
    consensus_statements,
    representative_statements,
)
from puente.consensus.scores import (  # noqa: E402
    group_informed_consensus,
    vote_counts_and_overall,
)
from puente.consensus.types import Votes  # noqa: E402

POLIS = ROOT / "tests" / "consensus" / "data" / "polis"


@dataclass
class Comparison:
    name: str
    n_votes: int
    reddwarf_s: float
    same_work_s: float
    analyze_s: float
    same_group_count: bool
    adjusted_rand: float
    top10_same: bool
    top10_max_difference: float
    consensus_same: bool
    same_as_analyze: bool


def _reddwarf_records(votes: Votes) -> list[dict[str, float | int]]:
    participant_ids = np.asarray(votes.participant_ids, dtype=np.int64)
    statement_ids = np.asarray(votes.statement_ids, dtype=np.int64)
    return [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": 0}
        for p, s, v in zip(
            participant_ids[votes.participant],
            statement_ids[votes.statement],
            votes.value,
            strict=True,
        )
    ]


@dataclass
class SameWork:
    """Our results for the outputs red-dwarf's pipeline computes."""

    groups: OpinionGroups
    group_consensus: np.ndarray
    consensus: dict[str, list[int]]
    repness: dict[int, list[dict[str, object]]]


def same_work(votes: Votes) -> SameWork:
    """Compute what red-dwarf's ``run_pipeline`` computes, with the engine's public functions."""
    groups = opinion_groups(votes, method="direct", rng=np.random.default_rng(0))
    by_group, overall = vote_counts_and_overall(votes, groups.labels, groups.n_groups)
    return SameWork(
        groups=groups,
        group_consensus=group_informed_consensus(by_group)[0],
        consensus=consensus_statements(votes, counts=overall),
        repness=representative_statements(by_group, moderated_out=votes.moderated_out),
    )


def best_time(compute: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Run once to warm up, then ``repeat`` times; return the best time and the last result."""
    result = compute()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = compute()
        best = min(best, time.perf_counter() - start)
    return best, result


def compare(name: str, votes: Votes, repeat: int) -> Comparison:
    """Time both pipelines on the votes and compare what they found."""
    from reddwarf.implementations.polis import run_pipeline

    records = _reddwarf_records(votes)
    moderated = [int(votes.statement_ids[j]) for j in np.flatnonzero(votes.moderated_out)]
    reddwarf_s, theirs_result = best_time(
        lambda: run_pipeline(votes=records, mod_out_statement_ids=moderated, random_state=0),
        repeat,
    )
    theirs: Any = theirs_result
    same_work_s, mine = best_time(lambda: same_work(votes), repeat)
    analyze_s, ours_result = best_time(lambda: analyze(votes, clustering="direct", seed=0), repeat)
    ours: Any = ours_result
    mine_work: Any = mine
    # The same-work run must find what analyze() finds.
    same_as_analyze = (
        np.array_equal(mine_work.groups.labels, ours.groups.labels)
        and np.array_equal(mine_work.group_consensus, ours.group_consensus)
        and mine_work.consensus == ours.consensus
    )

    participants = theirs.participants_df
    clustered = participants[participants["to_cluster"]]
    their_labels = clustered["cluster_id"].astype(int).to_numpy()
    index = {pid: i for i, pid in enumerate(votes.participant_ids)}
    our_labels = ours.groups.labels[[index[str(pid)] for pid in clustered.index]]
    their_gic = theirs.statements_df["group-aware-consensus-agree"]
    their_top = [str(s) for s in their_gic.sort_values(ascending=False, kind="stable").index[:10]]
    our_gic = {sid: ours.group_consensus[j] for j, sid in enumerate(votes.statement_ids)}
    our_top = sorted(our_gic, key=lambda sid: -our_gic[sid])[:10]
    difference = max(abs(float(their_gic.loc[int(s)]) - our_gic[s]) for s in their_top)
    their_consensus = {
        direction: [str(entry["tid"]) for entry in theirs.consensus[direction]]
        for direction in ("agree", "disagree")
    }
    our_consensus = {
        direction: [votes.statement_ids[j] for j in ours.consensus[direction]]
        for direction in ("agree", "disagree")
    }
    return Comparison(
        name=name,
        n_votes=votes.n_votes,
        reddwarf_s=reddwarf_s,
        same_work_s=same_work_s,
        analyze_s=analyze_s,
        same_group_count=len(set(their_labels)) == ours.groups.n_groups,
        adjusted_rand=float(adjusted_rand_score(their_labels, our_labels)),
        top10_same=their_top == our_top,
        top10_max_difference=difference,
        consensus_same=their_consensus == our_consensus,
        same_as_analyze=same_as_analyze,
    )


def main() -> None:
    """Compare on every shared conversation and on a synthetic set."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic-participants", type=int, default=10_000)
    parser.add_argument("--synthetic-statements", type=int, default=1_000)
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()

    rows: list[Comparison] = []
    for folder in sorted(POLIS.iterdir()):
        if folder.is_dir():
            conversation = read_polis_conversation(folder)
            rows.append(compare(folder.name, conversation.votes, arguments.repeat))
            _print(rows[-1])
    if not arguments.skip_synthetic:
        data = synthetic_votes(
            arguments.synthetic_participants,
            arguments.synthetic_statements,
            rng=np.random.default_rng(0),
        )
        rows.append(compare("synthetic", data.votes, arguments.repeat))
        _print(rows[-1])


def _print(row: Comparison) -> None:
    print(
        f"{row.name:40s} votes={row.n_votes:>9,d} red-dwarf={row.reddwarf_s * 1000:8.1f} ms  "
        f"same work={row.same_work_s * 1000:6.1f} ms (x{row.reddwarf_s / row.same_work_s:5.1f})  "
        f"analyze={row.analyze_s * 1000:6.1f} ms (x{row.reddwarf_s / row.analyze_s:5.1f})  "
        f"groups-equal={row.same_group_count} ARI={row.adjusted_rand:.6f} "
        f"top10-equal={row.top10_same} (max |diff|={row.top10_max_difference:.1e}) "
        f"consensus-equal={row.consensus_same} same-work-equals-analyze={row.same_as_analyze}",
        flush=True,
    )


if __name__ == "__main__":
    main()
