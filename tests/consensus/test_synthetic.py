"""Synthetic votes: shapes, density, determinism and the planted structure."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench.synthetic import (
    REGIONS,
    SyntheticData,
    main,
    synthetic_votes,
    write_participants_csv,
    write_votes_csv,
)
from puente.consensus.io import read_participants_csv, read_votes_csv


@pytest.fixture(scope="module")
def data() -> SyntheticData:
    return synthetic_votes(4000, 120, density=0.3, rng=np.random.default_rng(11))


def _agree_share(data: SyntheticData) -> np.ndarray:
    """Return the agree share of all votes per (true group, statement)."""
    votes = data.votes
    n_groups = int(data.groups.max()) + 1
    cell = data.groups[votes.participant] * votes.n_statements + votes.statement
    size = n_groups * votes.n_statements
    agree = np.bincount(cell, weights=votes.value == 1, minlength=size)
    total = np.bincount(cell, minlength=size)
    return (agree / total).reshape(n_groups, votes.n_statements)


def test_shapes_ids_and_types(data: SyntheticData) -> None:
    votes = data.votes
    assert votes.participant_ids == tuple(str(i) for i in range(4000))
    assert votes.statement_ids == tuple(str(j) for j in range(120))
    assert votes.participant.dtype == np.int32
    assert votes.statement.dtype == np.int32
    assert votes.value.dtype == np.int8
    assert set(np.unique(votes.value).tolist()) == {-1, 0, 1}
    assert data.groups.shape == (4000,)
    assert data.agree_probability.shape == (3, 120)
    assert not votes.moderated_out.any()


def test_votes_are_sorted_and_one_per_pair(data: SyntheticData) -> None:
    votes = data.votes
    key = votes.participant.astype(np.int64) * votes.n_statements + votes.statement
    assert (np.diff(key) > 0).all()


def test_density_is_the_share_of_pairs_voted(data: SyntheticData) -> None:
    expected = 4000 * 120 * 0.3
    spread = np.sqrt(expected * 0.7)
    assert abs(data.votes.n_votes - expected) < 6 * spread
    per_statement = np.bincount(data.votes.statement, minlength=120) / 4000
    assert np.allclose(per_statement, 0.3, atol=0.05)


def test_same_seed_same_votes_other_seed_other_votes() -> None:
    first = synthetic_votes(500, 60, rng=np.random.default_rng(3))
    second = synthetic_votes(500, 60, rng=np.random.default_rng(3))
    third = synthetic_votes(500, 60, rng=np.random.default_rng(4))
    for name in ("participant", "statement", "value"):
        np.testing.assert_array_equal(getattr(first.votes, name), getattr(second.votes, name))
    np.testing.assert_array_equal(first.groups, second.groups)
    np.testing.assert_array_equal(first.bridging, second.bridging)
    np.testing.assert_array_equal(first.groupings.codes["region"], second.groupings.codes["region"])
    assert first.votes.n_votes != third.votes.n_votes or not np.array_equal(
        first.votes.value, third.votes.value
    )


def test_bridging_statements_are_liked_by_every_group(data: SyntheticData) -> None:
    share = _agree_share(data)
    assert data.bridging.shape == (6,)
    assert share[:, data.bridging].min() > 0.55
    ordinary = np.setdiff1d(np.arange(120), np.concatenate([data.bridging, data.divisive]))
    # No ordinary statement is liked by every group.
    assert (share[:, ordinary].min(axis=0) < 0.5).all()


def test_divisive_statements_split_the_groups(data: SyntheticData) -> None:
    share = _agree_share(data)
    assert data.divisive.shape == (6,)
    assert not np.intersect1d(data.divisive, data.bridging).size
    spread = share.max(axis=0) - share.min(axis=0)
    assert spread[data.divisive].min() > 0.55
    ordinary = np.setdiff1d(np.arange(120), np.concatenate([data.bridging, data.divisive]))
    assert spread[data.divisive].min() > np.median(spread[ordinary])


def test_groups_differ_in_their_agree_profiles(data: SyntheticData) -> None:
    share = _agree_share(data)
    for first in range(3):
        for second in range(first + 1, 3):
            assert np.abs(share[first] - share[second]).mean() > 0.15


def test_regions_correlate_with_groups_without_coinciding(data: SyntheticData) -> None:
    assert data.groupings.categories == {"region": REGIONS}
    region = data.groupings.codes["region"]
    assert region.shape == (4000,)
    eu_share = [float((region[data.groups == group] == 0).mean()) for group in range(3)]
    assert eu_share[0] > 0.7
    assert eu_share[2] < 0.3
    assert 0.35 < eu_share[1] < 0.65


@pytest.mark.parametrize(
    ("n_participants", "n_statements", "density", "n_groups"),
    [(0, 10, 0.5, 3), (10, 0, 0.5, 3), (10, 10, 0.0, 3), (20, 5, 1.0, 2), (30, 1, 0.5, 1)],
)
def test_degenerate_sizes_give_valid_votes(
    n_participants: int, n_statements: int, density: float, n_groups: int
) -> None:
    data = synthetic_votes(
        n_participants,
        n_statements,
        n_groups=n_groups,
        density=density,
        rng=np.random.default_rng(0),
    )
    votes = data.votes
    assert votes.n_participants == n_participants
    assert votes.n_statements == n_statements
    if density == 1.0:
        assert votes.n_votes == n_participants * n_statements
    if density == 0.0:
        assert votes.n_votes == 0
    assert data.bridging.shape[0] + data.divisive.shape[0] <= n_statements


@pytest.mark.parametrize(
    "options",
    [
        {"density": 1.5},
        {"n_groups": 0},
        {"n_bridging": 8, "n_divisive": 5},
        {"n_groups": 1, "n_divisive": 1},
    ],
)
def test_impossible_settings_raise(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"must|need"):
        synthetic_votes(10, 12, rng=np.random.default_rng(0), **options)


def test_votes_csv_is_in_polis_format(tmp_path: Path) -> None:
    data = synthetic_votes(50, 20, density=0.5, rng=np.random.default_rng(2))
    path = tmp_path / "votes.csv"
    write_votes_csv(data.votes, path)
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
    assert len(rows) == data.votes.n_votes
    for row in rows[:: max(1, len(rows) // 25)]:
        moment = datetime.fromtimestamp(int(row["timestamp"]) / 1000, tz=UTC)
        assert row["datetime"] == moment.strftime("%a %b %d %H:%M:%S UTC %Y")
    first = data.votes
    assert rows[0]["voter-id"] == first.participant_ids[first.participant[0]]
    assert rows[0]["comment-id"] == first.statement_ids[first.statement[0]]
    assert int(rows[0]["vote"]) == first.value[0]


def test_datetime_column_handles_any_date(tmp_path: Path) -> None:
    data = synthetic_votes(3, 3, density=1.0, rng=np.random.default_rng(2))
    moments = [
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2000, 2, 29, 12, 0, 0, tzinfo=UTC),
        datetime(2024, 3, 1, 0, 0, 1, tzinfo=UTC),
        datetime(2100, 1, 1, 6, 7, 8, tzinfo=UTC),
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(2038, 1, 19, 3, 14, 8, tzinfo=UTC),
        datetime(2022, 8, 8, 9, 9, 9, tzinfo=UTC),
        datetime(2016, 12, 31, 23, 0, 0, tzinfo=UTC),
        datetime(2015, 6, 30, 15, 49, 52, tzinfo=UTC),
    ]
    stamps = np.asarray([int(moment.timestamp() * 1000) for moment in moments], dtype=np.int64)
    path = tmp_path / "votes.csv"
    write_votes_csv(data.votes, path, timestamps_ms=stamps)
    with path.open(encoding="utf-8", newline="") as file:
        written = [row["datetime"] for row in csv.DictReader(file)]
    assert written == [moment.strftime("%a %b %d %H:%M:%S UTC %Y") for moment in moments]


def test_written_files_read_back(tmp_path: Path) -> None:
    data = synthetic_votes(300, 30, density=0.4, rng=np.random.default_rng(5))
    write_votes_csv(data.votes, tmp_path / "votes.csv")
    write_participants_csv(data.votes.participant_ids, data.groupings, tmp_path / "p.csv")
    votes = read_votes_csv(tmp_path / "votes.csv")
    np.testing.assert_array_equal(votes.participant, data.votes.participant)
    np.testing.assert_array_equal(votes.statement, data.votes.statement)
    np.testing.assert_array_equal(votes.value, data.votes.value)
    groupings = read_participants_csv(tmp_path / "p.csv", participant_ids=votes.participant_ids)
    np.testing.assert_array_equal(groupings.codes["region"], data.groupings.codes["region"])


def test_command_writes_a_conversation_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    status = main(
        ["--participants", "200", "--statements", "25", "--seed", "4", "--out", str(folder)]
    )
    assert status == 0
    assert "votes of 200 participants on 25 statements" in capsys.readouterr().out
    assert (
        (folder / "votes.csv")
        .read_text(encoding="utf-8")
        .startswith("timestamp,datetime,comment-id,voter-id,vote\n")
    )
    header = (folder / "participants.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "voter-id,region"
    planted = json.loads((folder / "planted.json").read_text(encoding="utf-8"))
    assert len(planted["groups"]) == 200
    assert len(planted["bridging"]) == 1
    assert len(planted["divisive"]) == 1
