"""The command line: arguments, reading, errors (exit status 2) and the files it writes."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from puente.consensus.types import Comparisons, Groupings, Votes
from tests.consensus.conftest import POLIS_DATA
from tests.consensus.test_report import hand_result

ROOT = Path(__file__).resolve().parents[2]
POLIS = POLIS_DATA
VTAIWAN = POLIS / "vtaiwan.uberx"


@pytest.fixture
def cli() -> ModuleType:
    """Return the ``puente.consensus.__main__`` module."""
    return importlib.import_module("puente.consensus.__main__")


class _Recorded:
    """A stand-in for ``analyze`` that records its call and returns a fixed result."""

    def __init__(self, payload: dict[str, Any] | None = None) -> None:
        self.calls: list[tuple[Votes, dict[str, Any]]] = []
        self.payload = payload if payload is not None else hand_result()

    def __call__(self, votes: Votes, **options: Any) -> Any:
        self.calls.append((votes, options))
        payload = self.payload

        class _Result:
            def to_dict(self) -> dict[str, Any]:
                return payload

        return _Result()


@pytest.fixture
def recorded(cli: ModuleType, monkeypatch: pytest.MonkeyPatch) -> _Recorded:
    stand_in = _Recorded()
    monkeypatch.setattr(cli, "analyze", stand_in)
    return stand_in


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


VOTES = (
    "timestamp,datetime,comment-id,voter-id,vote\n1,d,1,10,1\n2,d,2,10,-1\n3,d,1,11,0\n4,d,2,12,1\n"
)


def test_polis_folder_is_read_and_analysed_with_the_options(
    cli: ModuleType, recorded: _Recorded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "result.json"
    status = cli.main(
        [
            "analyze",
            str(VTAIWAN),
            "--clustering",
            "direct",
            "--method",
            "bridging",
            "--seed",
            "7",
            "--out",
            str(out),
        ]
    )
    assert status == 0
    ((votes, options),) = recorded.calls
    assert (votes.n_participants, votes.n_statements) == (1921, 197)
    assert options["clustering"] == "direct"
    assert options["method"] == "bridging"
    assert options["seed"] == 7
    assert options["groupings"] is None
    assert options["comparisons"] is None
    assert options["statement_text"]["0"]
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["statements"] == recorded.payload["statements"]
    assert written["timings_ms"]["read"] > 0
    assert "wrote" in capsys.readouterr().out


def test_json_is_utf8_indented_and_strict(
    cli: ModuleType, recorded: _Recorded, tmp_path: Path
) -> None:
    recorded.payload["statement_results"][0]["bridging"] = float("nan")
    recorded.payload["statement_results"][0]["approval"] = np.float64(0.25)
    recorded.payload["statement_results"][0]["agree"] = np.int64(3)
    recorded.payload["statement_results"][0]["loadings"] = np.array([0.5, float("inf")])
    votes_path = _write(tmp_path / "votes.csv", VOTES)
    out = tmp_path / "result.json"
    assert cli.main(["analyze", str(votes_path), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert '\n  "participants": 41,' in text
    assert "تحسين النقل العام" in text  # not \u-escaped
    first = json.loads(text, parse_constant=pytest.fail)["statement_results"][0]
    assert first["bridging"] is None
    assert first["approval"] == 0.25
    assert first["agree"] == 3
    assert first["loadings"] == [0.5, None]


def test_votes_csv_with_participants_and_by(
    cli: ModuleType, recorded: _Recorded, tmp_path: Path
) -> None:
    votes_path = _write(tmp_path / "votes.csv", VOTES)
    participants = _write(
        tmp_path / "people.csv",
        "voter-id,region,stakeholder_type,age\n10,EU,ngo,30\n11,LAC,business,40\n",
    )
    status = cli.main(
        [
            "analyze",
            str(votes_path),
            "--participants",
            str(participants),
            "--by",
            "region, stakeholder_type",
            "--out",
            str(tmp_path / "r.json"),
        ]
    )
    assert status == 0
    ((votes, options),) = recorded.calls
    groupings: Groupings = options["groupings"]
    assert groupings.names == ["region", "stakeholder_type"]
    assert votes.participant_ids == ("10", "11", "12")
    assert groupings.codes["region"].tolist() == [0, 1, -1]
    assert options["statement_text"] is None


def test_participants_csv_in_the_folder_is_used_by_default(
    cli: ModuleType, recorded: _Recorded, tmp_path: Path
) -> None:
    _write(tmp_path / "votes.csv", VOTES)
    _write(tmp_path / "participants.csv", "voter-id,region\n10,EU\n12,LAC\n")
    assert cli.main(["analyze", str(tmp_path), "--out", str(tmp_path / "r.json")]) == 0
    ((_, options),) = recorded.calls
    assert options["groupings"].codes["region"].tolist() == [0, -1, 1]


def test_comparisons_are_read_against_the_votes(
    cli: ModuleType, recorded: _Recorded, tmp_path: Path
) -> None:
    votes_path = _write(tmp_path / "votes.csv", VOTES)
    comparisons_path = _write(tmp_path / "pairs.csv", "voter-id,preferred,other\n10,2,1\n")
    status = cli.main(
        [
            "analyze",
            str(votes_path),
            "--comparisons",
            str(comparisons_path),
            "--out",
            str(tmp_path / "r.json"),
        ]
    )
    assert status == 0
    ((_, options),) = recorded.calls
    comparisons: Comparisons = options["comparisons"]
    assert comparisons.winner.tolist() == [1]
    assert comparisons.loser.tolist() == [0]


def test_report_is_written_when_asked(cli: ModuleType, recorded: _Recorded, tmp_path: Path) -> None:
    votes_path = _write(tmp_path / "votes.csv", VOTES)
    report = tmp_path / "report.html"
    assert (
        cli.main(
            ["analyze", str(votes_path), "--out", str(tmp_path / "r.json"), "--report", str(report)]
        )
        == 0
    )
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Opinion map" in html


@pytest.mark.parametrize(
    ("files", "arguments", "expected"),
    [
        (
            {"votes.csv": VOTES + "5,d,3,13,yes\n"},
            ["votes.csv"],
            "votes.csv, row 6, column 'vote': unknown vote value 'yes' (expected -1, 0 or 1)",
        ),
        (
            {"votes.csv": "voter-id,comment-id\n1,2\n"},
            ["votes.csv"],
            "votes.csv, row 1, column 'vote': column is missing",
        ),
        (
            {"votes.csv": VOTES + "5,d,3\n"},
            ["votes.csv"],
            "votes.csv, row 6, column 'voter-id': missing field",
        ),
        ({}, ["absent.csv"], "absent.csv: no such file or folder"),
        (
            {"votes.csv": VOTES, "people.csv": "voter-id,region\n10,EU\n"},
            ["votes.csv", "--participants", "people.csv", "--by", "sector"],
            "people.csv, row 1, column 'sector': column is missing",
        ),
        (
            {"votes.csv": VOTES},
            ["votes.csv", "--participants", "people.csv"],
            "people.csv: no such file",
        ),
        ({"votes.csv": VOTES}, ["votes.csv", "--by", "region"], "needs a participants file"),
        (
            {"votes.csv": VOTES, "pairs.csv": "voter-id,preferred,other\n10,1,99\n"},
            ["votes.csv", "--comparisons", "pairs.csv"],
            "pairs.csv, row 2, column 'other': unknown statement id '99'",
        ),
    ],
)
def test_bad_input_prints_one_line_and_exits_2(
    cli: ModuleType,
    recorded: _Recorded,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    arguments: list[str],
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        _write(tmp_path / name, text)
    status = cli.main(["analyze", *arguments, "--out", "result.json"])
    assert status == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("error: ")
    assert expected in error
    assert not recorded.calls
    assert not (tmp_path / "result.json").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["analyze"],
        ["analyze", "votes.csv"],  # no --out
        ["analyze", "votes.csv", "--out", "r.json", "--clustering", "kmeans"],
        ["analyze", "votes.csv", "--out", "r.json", "--method", "popularity"],
        ["analyze", "votes.csv", "--out", "r.json", "--seed", "one"],
        ["summarise", "votes.csv"],
    ],
)
def test_bad_arguments_exit_2(cli: ModuleType, arguments: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(arguments)
    assert caught.value.code == 2


def test_unwritable_output_exits_1(
    cli: ModuleType, recorded: _Recorded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    votes_path = _write(tmp_path / "votes.csv", VOTES)
    out = tmp_path / "missing-folder" / "result.json"
    assert cli.main(["analyze", str(votes_path), "--out", str(out)]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_module_runs_end_to_end_on_a_polis_conversation(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    report = tmp_path / "report.html"
    completed = subprocess.run(  # noqa: S603  # fixed arguments
        [
            sys.executable,
            "-m",
            "puente.consensus",
            "analyze",
            str(VTAIWAN),
            "--clustering",
            "direct",
            "--out",
            str(out),
            "--report",
            str(report),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert (result["participants"], result["statements"]) == (1921, 197)
    assert result["clustering"] == "direct"
    assert len(result["statement_results"]) == 197
    assert result["statements_text"]["0"]
    assert {"read", "groups"} <= set(result["timings_ms"])
    assert "<svg" in report.read_text(encoding="utf-8")


def test_module_exits_2_on_bad_input(tmp_path: Path) -> None:
    votes_path = _write(tmp_path / "votes.csv", VOTES + "5,d,3,13,2\n")
    completed = subprocess.run(  # noqa: S603  # fixed arguments
        [sys.executable, "-m", "puente.consensus", "analyze", str(votes_path), "--out", "r.json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.strip() == (
        f"error: {votes_path}, row 6, column 'vote': unknown vote value '2' (expected -1, 0 or 1)"
    )


def test_synthetic_folder_with_regions_analyses(tmp_path: Path) -> None:
    from bench.synthetic import main as synthetic_main

    folder = tmp_path / "synthetic"
    assert (
        synthetic_main(
            [
                "--participants",
                "300",
                "--statements",
                "40",
                "--density",
                "0.5",
                "--out",
                str(folder),
            ]
        )
        == 0
    )
    out = tmp_path / "result.json"
    cli = importlib.import_module("puente.consensus.__main__")
    assert cli.main(["analyze", str(folder), "--by", "region", "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["participants"] == 300
    first = result["statement_results"][0]
    assert set(first["by_grouping"]["region"]) == {"EU", "LAC"}
    assert "region" in first["joint_support"]
