"""The command line loads only what a run needs: the start-up is part of every run's time."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POLIS_FOLDER = ROOT / "tests" / "consensus" / "data" / "polis" / "vtaiwan.uberx"

# Runs the command line in this process, then prints the scipy and engine modules loaded.
_RUN = """
import runpy, sys
sys.argv = ["puente.consensus", *sys.argv[1:]]
try:
    runpy.run_module("puente.consensus", run_name="__main__", alter_sys=True)
except SystemExit as stop:
    assert stop.code in (0, None, 2), stop.code
print("MODULES", ",".join(sorted(m for m in sys.modules if m.startswith(("scipy", "puente")))))
"""


def _modules_after(*arguments: str) -> set[str]:
    completed = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", _RUN, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    line = next(x for x in completed.stdout.splitlines() if x.startswith("MODULES "))
    return set(line.removeprefix("MODULES ").split(","))


def test_help_loads_neither_the_analysis_nor_scipy():
    loaded = _modules_after("analyze", "--help")

    assert "puente.consensus.analysis" not in loaded
    assert not any(module.startswith("scipy") for module in loaded)


def test_a_run_without_comparisons_or_report_skips_the_modules_it_does_not_use(tmp_path):
    if not POLIS_FOLDER.is_dir():
        pytest.skip("the Polis test conversation is missing")

    loaded = _modules_after("analyze", str(POLIS_FOLDER), "--out", str(tmp_path / "r.json"))

    assert "puente.consensus.analysis" in loaded
    assert (tmp_path / "r.json").stat().st_size > 0
    assert "puente.consensus.report" not in loaded
    # No scipy package at all: the sparse products load scipy's compiled routines alone,
    # and scipy.special comes only with comparisons or unusual confidence levels.
    assert {module for module in loaded if module.startswith("scipy")} == {
        "scipy.sparse._sparsetools"
    }
