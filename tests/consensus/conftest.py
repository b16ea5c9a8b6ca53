"""Cases shared by the consensus tests: Polis conversations run by red-dwarf, small vote sets."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.typing import NDArray
from reddwarf.implementations.polis import run_pipeline

from puente.consensus.scores import VoteCounts, vote_counts
from puente.consensus.types import Votes, votes_from_records

ATOL = 1e-9
# Real Polis conversations, CC BY 4.0: see data/polis/LICENSE-NOTE.md.
POLIS_DATA = Path(__file__).resolve().parent / "data" / "polis"
CONVERSATIONS = sorted(
    path.name
    for path in (POLIS_DATA.iterdir() if POLIS_DATA.is_dir() else [])
    if (path / "votes.csv").is_file() or (path / "participants-votes.csv").is_file()
)


def votes_from_matrix(
    matrix: NDArray[np.float64], moderated_out: list[int] | tuple[int, ...] = ()
) -> Votes:
    """Build Votes from a dense matrix (nan unseen), keeping row and column order."""
    participant, statement = np.nonzero(~np.isnan(matrix))
    return votes_from_records(
        participant.tolist(),
        statement.tolist(),
        matrix[participant, statement].astype(int),
        moderated_out=[str(j) for j in moderated_out],
        participant_order=[str(i) for i in range(matrix.shape[0])],
        statement_order=[str(j) for j in range(matrix.shape[1])],
    )


def _read_polis_records(name: str) -> tuple[list[dict[str, int]], list[int]]:
    """Return the latest vote of every pair as red-dwarf records, and the moderated-out ids."""
    folder = POLIS_DATA / name
    latest: dict[tuple[int, int], dict[str, int]] = {}
    if (folder / "votes.csv").is_file():
        with (folder / "votes.csv").open(newline="") as file:
            for row in csv.DictReader(file):
                pair = (int(row["voter-id"]), int(row["comment-id"]))
                modified = int(row["timestamp"])
                if pair not in latest or modified >= latest[pair]["modified"]:
                    latest[pair] = {
                        "participant_id": pair[0],
                        "statement_id": pair[1],
                        "vote": int(row["vote"]),
                        "modified": modified,
                    }
    else:
        with (folder / "participants-votes.csv").open(newline="") as file:
            reader = csv.reader(file)
            header = next(reader)
            first = header.index("n-disagree") + 1
            for cells in reader:
                for column in range(first, len(header)):
                    if cells[column] != "":
                        pair = (int(cells[0]), int(header[column]))
                        latest[pair] = {
                            "participant_id": pair[0],
                            "statement_id": pair[1],
                            "vote": int(cells[column]),
                            "modified": 0,
                        }
    with (folder / "comments.csv").open(newline="") as file:
        moderated_out = [
            int(row["comment-id"]) for row in csv.DictReader(file) if row["moderated"] == "-1"
        ]
    return list(latest.values()), moderated_out


@dataclass
class Conversation:
    """A real conversation, red-dwarf's result on it and our tallies with red-dwarf's groups."""

    name: str
    votes: Votes
    moderated_out_ids: list[int]
    result: Any
    labels: NDArray[np.intp]
    by_group: VoteCounts

    def statement_id(self, index: int) -> int:
        return int(self.votes.statement_ids[index])

    def index_of(self, statement_ids: Any) -> NDArray[np.intp]:
        position = {int(s): j for j, s in enumerate(self.votes.statement_ids)}
        return np.array([position[int(s)] for s in statement_ids], dtype=np.intp)


_RED_DWARF_RUNS: dict[str, Conversation] = {}


@pytest.fixture(scope="module", params=CONVERSATIONS)
def conversation(request: pytest.FixtureRequest) -> Conversation:
    """Run red-dwarf once per conversation and tally our counts with its opinion groups."""
    name = request.param
    if name not in _RED_DWARF_RUNS:
        records, moderated_out = _read_polis_records(name)
        result = run_pipeline(votes=records, mod_out_statement_ids=moderated_out, random_state=0)
        votes = votes_from_records(
            [r["participant_id"] for r in records],
            [r["statement_id"] for r in records],
            [r["vote"] for r in records],
            moderated_out=[str(s) for s in moderated_out],
        )
        cluster = result.participants_df["cluster_id"]
        labels = np.array(
            [
                -1 if pd.isna(cluster.loc[int(p)]) else int(cluster.loc[int(p)])
                for p in votes.participant_ids
            ],
            dtype=np.intp,
        )
        n_groups = int(labels.max()) + 1
        _RED_DWARF_RUNS[name] = Conversation(
            name=name,
            votes=votes,
            moderated_out_ids=moderated_out,
            result=result,
            labels=labels,
            by_group=vote_counts(votes, labels, n_groups),
        )
    return _RED_DWARF_RUNS[name]


def random_case(seed: int) -> tuple[NDArray[np.float64], NDArray[np.intp], int, list[int]]:
    """Return a small random vote matrix with group-dependent opinions, labels and mod-outs."""
    rng = np.random.default_rng(seed)
    n_participants = int(rng.integers(4, 40))
    n_statements = int(rng.integers(2, 25))
    n_groups = int(rng.integers(1, 5))
    labels = np.sort(rng.integers(0, n_groups, n_participants))
    labels[:n_groups] = np.arange(n_groups)
    labels = np.sort(labels).astype(np.intp)
    agree_rate = rng.uniform(0, 1, (n_groups, n_statements))[labels]
    pass_rate = rng.uniform(0, 0.5, (n_groups, n_statements))[labels]
    draw = rng.uniform(size=(n_participants, n_statements))
    matrix = np.where(
        draw < pass_rate, 0.0, np.where(draw < pass_rate + (1 - pass_rate) * agree_rate, 1.0, -1.0)
    )
    matrix[rng.uniform(size=matrix.shape) < rng.uniform(0, 0.6)] = np.nan
    matrix[0] = 1.0  # every statement has a vote, as in red-dwarf's matrix
    moderated_out = np.flatnonzero(rng.uniform(size=n_statements) < 0.15).tolist()
    return matrix, labels, n_groups, moderated_out


CAMP_SIZE = 40
BOTH_LIKE = (0, 1)
A_ONLY, B_ONLY, A_MOSTLY = 2, 3, 4
BOTH_REJECT = 5


def two_camps(size_a: int = CAMP_SIZE, size_b: int = CAMP_SIZE) -> tuple[Votes, NDArray[np.intp]]:
    """Return two opposed camps A and B voting on six statements, and their labels.

    Statements 0 and 1 are liked by both camps; 2 is loved by A and rejected by B, 3 the
    reverse, 4 is mostly liked by A and mostly rejected by B; both camps reject 5.
    """
    # (agree, disagree, pass) per camp and statement, as fractions of the camp.
    plan = {
        0: ((0.9, 0.1, 0.0), (0.85, 0.0, 0.15)),
        1: ((0.95, 0.0, 0.05), (0.85, 0.15, 0.0)),
        2: ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
        3: ((0.0, 1.0, 0.0), (1.0, 0.0, 0.0)),
        4: ((0.95, 0.05, 0.0), (0.1, 0.9, 0.0)),
        5: ((0.1, 0.9, 0.0), (0.0, 0.9, 0.1)),
    }
    matrix = np.full((size_a + size_b, len(plan)), np.nan)
    for statement, camps in plan.items():
        for rows, (agree, disagree, _) in zip(
            (slice(0, size_a), slice(size_a, size_a + size_b)), camps, strict=True
        ):
            size = rows.stop - rows.start
            n_agree = round(agree * size)
            n_disagree = round(disagree * size)
            column = np.zeros(size)
            column[:n_agree] = 1
            column[n_agree : n_agree + n_disagree] = -1
            matrix[rows, statement] = column
    labels = np.repeat(np.array([0, 1], dtype=np.intp), [size_a, size_b])
    return votes_from_matrix(matrix), labels


def planted_votes(
    n_camps: int, n_per_camp: int = 200, n_statements: int = 60, seed: int = 0
) -> tuple[Votes, np.ndarray]:
    """Camps at evenly spaced points of a 2-D opinion space, people in random order.

    Each statement has a random direction in that space; a person agrees with probability
    rising with how far their camp lies along it, and skips 30% of the statements.
    """
    rng = np.random.default_rng(seed)
    angle = 2 * np.pi * np.arange(n_camps) / n_camps
    position = np.column_stack([np.cos(angle), np.sin(angle)])
    direction = rng.standard_normal((n_statements, 2))
    camp_of_person = rng.permutation(np.repeat(np.arange(n_camps), n_per_camp))
    participants, statements, values = [], [], []
    for person, camp in enumerate(camp_of_person):
        p_agree = 1 / (1 + np.exp(-4 * direction @ position[camp]))
        draw = rng.random(n_statements)
        vote = np.where(draw < p_agree, 1, -1)
        vote[rng.random(n_statements) < 0.1] = 0
        for statement in np.flatnonzero(rng.random(n_statements) > 0.3):
            participants.append(str(person))
            statements.append(str(statement))
            values.append(int(vote[statement]))
    votes = votes_from_records(participants, statements, values)
    return votes, camp_of_person[[int(pid) for pid in votes.participant_ids]]
