"""Readers of votes, participants and comparisons; Polis export folders."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bench.synthetic import synthetic_votes, write_votes_csv
from puente.consensus.io import (
    InputError,
    read_comparisons_csv,
    read_participants_csv,
    read_polis_conversation,
    read_votes_csv,
)
from puente.consensus.types import Votes, votes_from_records
from tests.consensus.conftest import POLIS_DATA

POLIS = POLIS_DATA
CONVERSATIONS = sorted(path.name for path in POLIS.iterdir() if path.is_dir())
WITH_VOTES_CSV = [name for name in CONVERSATIONS if (POLIS / name / "votes.csv").is_file()]

POLIS_HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"


def _csv_dicts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _triples(votes: Votes) -> set[tuple[str, str, int]]:
    participant_ids = np.asarray(votes.participant_ids)
    statement_ids = np.asarray(votes.statement_ids)
    return set(
        zip(
            participant_ids[votes.participant].tolist(),
            statement_ids[votes.statement].tolist(),
            votes.value.tolist(),
            strict=True,
        )
    )


def _assert_same_votes(left: Votes, right: Votes) -> None:
    assert left.participant_ids == right.participant_ids
    assert left.statement_ids == right.statement_ids
    np.testing.assert_array_equal(left.participant, right.participant)
    np.testing.assert_array_equal(left.statement, right.statement)
    np.testing.assert_array_equal(left.value, right.value)
    np.testing.assert_array_equal(left.moderated_out, right.moderated_out)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


# --- Polis conversations --------------------------------------------------------------------


@pytest.mark.parametrize("name", WITH_VOTES_CSV)
def test_polis_vote_one_is_agree_as_comments_csv_counts_show(name: str) -> None:
    # comments.csv counts every vote row, superseded ones included: with 1 = agree and
    # -1 = disagree the raw counts of votes.csv reproduce both columns for every comment.
    rows = _csv_dicts(POLIS / name / "votes.csv")
    counted = Counter((row["comment-id"], int(row["vote"])) for row in rows)
    comments = _csv_dicts(POLIS / name / "comments.csv")
    for comment in comments:
        assert counted[(comment["comment-id"], 1)] == int(comment["agrees"])
        assert counted[(comment["comment-id"], -1)] == int(comment["disagrees"])


@pytest.mark.parametrize("name", WITH_VOTES_CSV)
def test_polis_votes_csv_equals_votes_from_records_with_latest_vote(name: str) -> None:
    rows = _csv_dicts(POLIS / name / "votes.csv")
    expected = votes_from_records(
        [row["voter-id"] for row in rows],
        [row["comment-id"] for row in rows],
        [int(row["vote"]) for row in rows],
        timestamps=[float(row["timestamp"]) for row in rows],
    )
    votes = read_polis_conversation(POLIS / name).votes
    assert _triples(votes) == _triples(expected)
    assert votes.participant_ids == expected.participant_ids
    assert len(rows) > votes.n_votes  # the export holds superseded votes


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_polis_conversation_has_every_comment_with_moderation_and_text(name: str) -> None:
    conversation = read_polis_conversation(POLIS / name)
    votes = conversation.votes
    comments = _csv_dicts(POLIS / name / "comments.csv")
    assert set(votes.statement_ids) == {row["comment-id"] for row in comments}
    moderated = {row["comment-id"] for row in comments if row["moderated"] == "-1"}
    flagged = {votes.statement_ids[index] for index in np.flatnonzero(votes.moderated_out)}
    assert flagged == moderated
    assert conversation.statement_text == {
        row["comment-id"]: row["comment-body"] for row in comments
    }
    assert list(votes.statement_ids) == sorted(votes.statement_ids, key=int)
    assert np.bincount(votes.participant, minlength=votes.n_participants).min() >= 1


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_polis_group_ids_come_from_participants_votes(name: str) -> None:
    rows = _csv_dicts(POLIS / name / "participants-votes.csv")
    expected = {row["participant"]: int(row["group-id"]) for row in rows if row["group-id"]}
    conversation = read_polis_conversation(POLIS / name)
    assert conversation.polis_group_ids == expected
    assert len(set(expected.values())) >= 2


@pytest.mark.parametrize("name", WITH_VOTES_CSV)
def test_participants_votes_csv_gives_the_same_votes_as_votes_csv(
    name: str, tmp_path: Path
) -> None:
    for file_name in ("comments.csv", "participants-votes.csv"):
        shutil.copy(POLIS / name / file_name, tmp_path / file_name)
    wide = read_polis_conversation(tmp_path)
    long = read_polis_conversation(POLIS / name)
    assert wide.source.endswith("participants-votes.csv")
    assert long.source.endswith("votes.csv")
    _assert_same_votes(wide.votes, long.votes)


def test_bowling_green_is_read_from_participants_votes() -> None:
    conversation = read_polis_conversation(POLIS / "american-assembly.bowling-green")
    rows = _csv_dicts(POLIS / "american-assembly.bowling-green" / "participants-votes.csv")
    n_cells = sum(
        1
        for row in rows
        for key, cell in row.items()
        if key.isdigit() and cell != ""  # comment columns only
    )
    assert conversation.source.endswith("participants-votes.csv")
    assert conversation.votes.n_votes == n_cells


def test_polis_folder_without_comments_reads_votes_only(tmp_path: Path) -> None:
    _write(tmp_path / "votes.csv", POLIS_HEADER + "1,d,5,1,1\n2,d,3,2,-1\n")
    conversation = read_polis_conversation(tmp_path)
    assert conversation.votes.statement_ids == ("3", "5")
    assert conversation.statement_text == {}
    assert conversation.polis_group_ids == {}


def test_statements_without_votes_are_included(tmp_path: Path) -> None:
    _write(tmp_path / "votes.csv", POLIS_HEADER + "1,d,1,7,1\n")
    _write(
        tmp_path / "comments.csv",
        'comment-id,moderated,comment-body\n1,1,first\n12,-1,hidden\n2,0,"second, quoted"\n',
    )
    conversation = read_polis_conversation(tmp_path)
    votes = conversation.votes
    assert votes.statement_ids == ("1", "2", "12")
    assert votes.moderated_out.tolist() == [False, False, True]
    assert conversation.statement_text["2"] == "second, quoted"
    assert votes.n_votes == 1


def test_polis_folder_errors_name_the_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no votes\.csv or participants-votes\.csv"):
        read_polis_conversation(tmp_path)
    with pytest.raises(InputError, match="no such folder"):
        read_polis_conversation(tmp_path / "missing")


def test_bad_moderation_value_is_located(tmp_path: Path) -> None:
    _write(tmp_path / "votes.csv", POLIS_HEADER + "1,d,1,7,1\n")
    _write(tmp_path / "comments.csv", "comment-id,moderated\n1,1\n2,maybe\n")
    with pytest.raises(InputError) as caught:
        read_polis_conversation(tmp_path)
    assert (caught.value.row, caught.value.column) == (3, "moderated")


def test_bad_wide_cell_is_located_by_row_and_comment_column(tmp_path: Path) -> None:
    _write(
        tmp_path / "participants-votes.csv",
        "participant,group-id,n-votes,0,1,2\n0,0,2,1,,-1\n1,,1,,x,\n",
    )
    with pytest.raises(InputError) as caught:
        read_polis_conversation(tmp_path)
    assert (caught.value.row, caught.value.column) == (3, "1")
    assert "unknown vote value 'x'" in str(caught.value)


def test_wide_file_with_quoted_cells_reads_like_plain(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    quoted = tmp_path / "quoted"
    plain.mkdir()
    quoted.mkdir()
    _write(plain / "participants-votes.csv", "participant,xid,group-id,0,1\n4,a,1,1,-1\n2,,,0,\n")
    _write(
        quoted / "participants-votes.csv",
        'participant,xid,group-id,0,1\n4,"a",1,1,-1\n2,,,"0",\n',
    )
    left = read_polis_conversation(plain)
    right = read_polis_conversation(quoted)
    _assert_same_votes(left.votes, right.votes)
    assert left.polis_group_ids == right.polis_group_ids == {"4": 1}
    assert left.votes.participant_ids == ("2", "4")


# --- Votes files ----------------------------------------------------------------------------


def test_latest_vote_of_a_pair_wins_then_the_last_row(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "votes.csv",
        POLIS_HEADER
        + "300,d,1,1,1\n"  # latest for (1, 1)
        + "100,d,1,1,-1\n"
        + "200,d,2,1,0\n"
        + "200,d,2,1,1\n"  # same time: the later row wins
        + "50,d,1,2,-1\n",
    )
    votes = read_votes_csv(path)
    assert _triples(votes) == {("1", "1", 1), ("1", "2", 1), ("2", "1", -1)}


def test_fast_and_careful_readers_agree(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    n_rows = 3000
    participant = rng.integers(0, 300, n_rows)
    statement = rng.integers(0, 40, n_rows)
    value = rng.integers(-1, 2, n_rows)
    timestamp = rng.integers(10**12, 2 * 10**12, n_rows)
    timestamp[::7] = timestamp[1::7][: timestamp[::7].shape[0]]  # ties
    lines = [
        f"{t},Mon Jan 01 00:00:00 UTC 2024,{s},{p},{v}\n"
        for t, s, p, v in zip(timestamp, statement, participant, value, strict=True)
    ]
    fast = read_votes_csv(_write(tmp_path / "fast.csv", POLIS_HEADER + "".join(lines)))
    quoted = lines[:]
    quoted[0] = quoted[0].replace("Mon Jan", '"Mon Jan').replace("2024", '2024"')
    careful = read_votes_csv(_write(tmp_path / "careful.csv", POLIS_HEADER + "".join(quoted)))
    expected = votes_from_records(
        participant.astype(str), statement.astype(str), value, timestamps=timestamp.astype(float)
    )
    _assert_same_votes(fast, expected)
    _assert_same_votes(careful, expected)


def test_large_synthetic_file_reads_back_exactly(tmp_path: Path) -> None:
    data = synthetic_votes(3000, 200, density=0.2, rng=np.random.default_rng(1))
    path = tmp_path / "votes.csv"
    write_votes_csv(data.votes, path)
    assert path.stat().st_size > 1 << 20  # memory-mapped
    votes = read_votes_csv(path)
    assert votes.n_votes == data.votes.n_votes
    np.testing.assert_array_equal(votes.value, data.votes.value)
    assert _triples(votes) == _triples(data.votes)


def test_error_deep_in_a_large_file_names_its_row(tmp_path: Path) -> None:
    data = synthetic_votes(2000, 200, density=0.2, rng=np.random.default_rng(2))
    path = tmp_path / "votes.csv"
    write_votes_csv(data.votes, path)
    lines = path.read_bytes().split(b"\n")
    lines[60_000] = lines[60_000].rsplit(b",", 1)[0] + b",2"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as caught:
        read_votes_csv(path)
    assert caught.value.row == 60_001
    assert caught.value.column == "vote"
    assert str(caught.value) == (
        f"{path}, row 60001, column 'vote': unknown vote value '2' (expected -1, 0 or 1)"
    )


def test_short_header_participant_statement_vote_in_any_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "votes.csv",
        "vote,statement,participant,note\n1,s1,alice,x\n-1,s2,bob,y\n0,s1,bob,z\n",
    )
    votes = read_votes_csv(path)
    assert votes.participant_ids == ("alice", "bob")
    assert votes.statement_ids == ("s1", "s2")
    assert _triples(votes) == {("alice", "s1", 1), ("bob", "s2", -1), ("bob", "s1", 0)}


def test_short_header_with_timestamp_keeps_the_latest(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "votes.csv",
        "participant,statement,vote,timestamp\n1,1,1,20.5\n1,1,-1,3\n",
    )
    assert _triples(read_votes_csv(path)) == {("1", "1", 1)}


def test_integer_ids_are_numeric_and_lose_leading_zeros(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "votes.csv",
        POLIS_HEADER + "1,d,10,007,1\n2,d,9,12,1\n3,d,10,1234567890123456,0\n",
    )
    votes = read_votes_csv(path)
    assert votes.participant_ids == ("7", "12", "1234567890123456")
    assert votes.statement_ids == ("9", "10")


def test_ids_of_every_length_parse(tmp_path: Path) -> None:
    ids = [int("9" * length) - 3 * length for length in range(2, 17)] + [0, 5]
    lines = [f"{index},d,1,{identifier},1\n" for index, identifier in enumerate(ids)]
    votes = read_votes_csv(_write(tmp_path / "votes.csv", POLIS_HEADER + "".join(lines)))
    assert votes.participant_ids == tuple(str(identifier) for identifier in sorted(ids))


@pytest.mark.parametrize(
    "text",
    [
        POLIS_HEADER + "1,d,1,1,1\r\n2,d,2,1,-1\r\n",
        "\ufeff" + POLIS_HEADER + "1,d,1,1,1\n2,d,2,1,-1",
        POLIS_HEADER + "1,d,1,1,1\n2,d,2,1,-1\n\n\n",
        POLIS_HEADER + "1,d,1,1,1\n\n2,d,2,1,-1\n",
        POLIS_HEADER + '1,d,1,1,1\n2,"d, quoted",2,1,-1\n',
        POLIS_HEADER + "1,d,1, 1 ,1\n2,d,2,1, -1\n",
    ],
    ids=["crlf", "bom-no-final-newline", "trailing-blank-lines", "blank-line", "quoted", "spaces"],
)
def test_layout_variants_read_the_same(tmp_path: Path, text: str) -> None:
    votes = read_votes_csv(_write(tmp_path / "votes.csv", text))
    assert _triples(votes) == {("1", "1", 1), ("1", "2", -1)}


def test_header_only_file_has_no_votes(tmp_path: Path) -> None:
    votes = read_votes_csv(_write(tmp_path / "votes.csv", POLIS_HEADER))
    assert (votes.n_participants, votes.n_statements, votes.n_votes) == (0, 0, 0)


@pytest.mark.parametrize(
    ("text", "row", "column", "message"),
    [
        (POLIS_HEADER + "1,d,1,1,1\n2,d,1,2,x\n", 3, "vote", "unknown vote value 'x'"),
        (POLIS_HEADER + "1,d,1,1,1.0\n", 2, "vote", "unknown vote value '1.0'"),
        (POLIS_HEADER + "1,d,1,1,\n", 2, "vote", "unknown vote value ''"),
        (POLIS_HEADER + "1,d,1,1\n", 2, "vote", "missing field"),
        (POLIS_HEADER + "1,d,1,1,1,1\n", 2, None, "too many fields"),
        (POLIS_HEADER + "1,d,,1,1\n", 2, "comment-id", "empty id"),
        (POLIS_HEADER + "soon,d,1,1,1\n", 2, "timestamp", "timestamp 'soon' is not a number"),
        ("timestamp,comment-id,voter-id\n1,1,1\n", 1, "vote", "column is missing"),
        ("participant,vote\n1,1\n", 1, "comment-id", "column is missing"),
        ("", 1, None, "the file is empty"),
    ],
)
def test_bad_votes_file_names_row_and_column(
    tmp_path: Path, text: str, row: int, column: str | None, message: str
) -> None:
    path = _write(tmp_path / "votes.csv", text)
    with pytest.raises(InputError) as caught:
        read_votes_csv(path)
    error = caught.value
    assert (error.row, error.column) == (row, column)
    assert message in error.message
    assert str(error).startswith(str(path))


def test_input_error_reads_like_a_sentence() -> None:
    error = InputError(
        "votes.csv", "unknown vote value 'x' (expected -1, 0 or 1)", row=12, column="vote"
    )
    assert (
        str(error)
        == "votes.csv, row 12, column 'vote': unknown vote value 'x' (expected -1, 0 or 1)"
    )
    assert isinstance(error, ValueError)
    assert str(InputError("data", "no such folder")) == "data: no such folder"
    assert str(InputError("a.csv", "bad", row=3)) == "a.csv, row 3: bad"


def test_missing_votes_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_votes_csv(tmp_path / "absent.csv")


def test_non_utf8_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_bytes(b"participant,statement,vote\n1,1,1\n\xff\xfe,1,1\n")
    with pytest.raises(InputError, match="not UTF-8") as caught:
        read_votes_csv(path)
    assert caught.value.row == 3


# --- Participants and comparisons -----------------------------------------------------------


def test_participants_file_gives_groupings_in_participant_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "participants.csv",
        "voter-id,region,stakeholder_type\n"
        "3,LAC,ngo\n"
        "1,EU,business\n"
        "99,EU,ngo\n"  # unknown participant: ignored
        "007,,academia\n",
    )
    groupings = read_participants_csv(path, participant_ids=["1", "2", "3", "7"])
    assert groupings.names == ["region", "stakeholder_type"]
    assert groupings.categories["region"] == ("EU", "LAC")
    assert groupings.codes["region"].tolist() == [0, -1, 1, -1]
    assert groupings.categories["stakeholder_type"] == ("academia", "business", "ngo")
    assert groupings.codes["stakeholder_type"].tolist() == [1, -1, 2, 0]


def test_participants_file_selects_the_requested_groupings(tmp_path: Path) -> None:
    path = _write(tmp_path / "participants.csv", "voter-id,region,age\n1,EU,30\n")
    groupings = read_participants_csv(path, participant_ids=["1"], groupings=["region"])
    assert groupings.names == ["region"]


def test_missing_grouping_column_names_file_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "participants.csv", "voter-id,region\n1,EU\n")
    with pytest.raises(InputError) as caught:
        read_participants_csv(path, participant_ids=["1"], groupings=["region", "sector"])
    assert str(caught.value) == f"{path}, row 1, column 'sector': column is missing"


def test_participant_listed_twice_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "participants.csv", "voter-id,region\n1,EU\n01,LAC\n")
    with pytest.raises(InputError, match="appears twice") as caught:
        read_participants_csv(path, participant_ids=["1"])
    assert caught.value.row == 3


def test_participants_file_without_id_column_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "participants.csv", "name,region\n1,EU\n")
    with pytest.raises(InputError) as caught:
        read_participants_csv(path, participant_ids=["1"])
    assert (caught.value.row, caught.value.column) == (1, "voter-id")


def test_comparisons_map_ids_to_indices(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "comparisons.csv", "voter-id,preferred,other\n2,10,9\n5,9,11\n2,11,10\n"
    )
    comparisons = read_comparisons_csv(
        path, statement_ids=["9", "10", "11"], participant_ids=["1", "2"]
    )
    assert comparisons.n_comparisons == 3
    assert comparisons.participant.tolist() == [1, -1, 1]
    assert comparisons.winner.tolist() == [1, 0, 2]
    assert comparisons.loser.tolist() == [0, 2, 1]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [("2,10,12", "other", "unknown statement id '12'"), ("2,10,10", "other", "itself")],
)
def test_bad_comparison_is_located(tmp_path: Path, row: str, column: str, message: str) -> None:
    path = _write(tmp_path / "comparisons.csv", f"voter-id,preferred,other\n2,9,10\n{row}\n")
    with pytest.raises(InputError, match=message) as caught:
        read_comparisons_csv(path, statement_ids=["9", "10"], participant_ids=["2"])
    assert (caught.value.row, caught.value.column) == (3, column)
