"""Time the engine at 1,000,000 and 10,000,000 votes and measure its peak memory.

    .venv/bin/python bench/consensus_scale.py [--sizes 1m,10m] [--clustering base-clusters]
        [--repeat 5]

Prints, per size: the time to read the votes CSV, each stage of ``analyze`` (from its own
timings) and the total computation, the bridging time per million votes inside ``analyze``
(where it shares the two cores with the clustering) and alone (best of ``--repeat`` runs
after a warm-up: this machine is shared and its speed varies), and the peak memory that
numpy and Python allocated during one more computation, traced by tracemalloc (which slows
it down, so that run is not timed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import synthetic_votes, write_votes_csv  # noqa: E402
from puente.consensus.analysis import analyze  # noqa: E402
from puente.consensus.bridging import bridging_scores  # noqa: E402
from puente.consensus.io import read_votes_csv  # noqa: E402

SIZES = {"1m": (10_000, 1_000, 0.1), "10m": (100_000, 2_000, 0.05)}


def run(
    label: str,
    n_participants: int,
    n_statements: int,
    density: float,
    clustering: str,
    repeat: int,
) -> None:
    """Generate, write, read and analyse one synthetic set; print the figures."""
    data = synthetic_votes(
        n_participants, n_statements, density=density, rng=np.random.default_rng(0)
    )
    votes = data.votes
    read_ms = float("inf")
    if votes.n_votes <= 2_000_000:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "votes.csv"
            write_votes_csv(votes, path)
            for _ in range(repeat):
                start = time.perf_counter()
                read_votes_csv(path)
                read_ms = min(read_ms, (time.perf_counter() - start) * 1000)
    analyze(votes, clustering=clustering, seed=0)  # warm-up
    result = None
    total_ms = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        candidate = analyze(votes, clustering=clustering, seed=0)
        elapsed = (time.perf_counter() - start) * 1000
        if elapsed < total_ms:
            total_ms, result = elapsed, candidate
    assert result is not None
    # The bridging fit alone: inside analyze() it shares the two cores with the clustering.
    bridging_alone_ms = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        bridging_scores(votes, rng=np.random.default_rng(0))
        bridging_alone_ms = min(bridging_alone_ms, (time.perf_counter() - start) * 1000)
    tracemalloc.start()
    analyze(votes, clustering=clustering, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    stages = ", ".join(
        f"{name} {value:.1f}" for name, value in result.timings_ms.items() if name != "total"
    )
    per_million = result.timings_ms["bridging"] / (votes.n_votes / 1_000_000)
    print(
        f"{label}: {votes.n_votes:,d} votes ({n_participants:,d} x {n_statements:,d}), "
        f"{clustering}, {result.groups.n_groups} groups\n"
        f"  computation {total_ms:.1f} ms  [{stages}]\n"
        + (
            f"  read CSV {read_ms:.1f} ms; read + computation {read_ms + total_ms:.1f} ms\n"
            if read_ms < float("inf")
            else ""
        )
        + f"  bridging {per_million:.1f} ms per million votes inside analyze(), "
        f"{bridging_alone_ms / (votes.n_votes / 1_000_000):.1f} alone\n"
        f"  peak memory during computation {peak / 2**20:.0f} MiB",
        flush=True,
    )


def main() -> None:
    """Run the requested sizes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1m,10m")
    parser.add_argument("--clustering", default="base-clusters")
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    for label in arguments.sizes.split(","):
        n_participants, n_statements, density = SIZES[label]
        run(label, n_participants, n_statements, density, arguments.clustering, arguments.repeat)


if __name__ == "__main__":
    main()
