"""Time the whole engine command line against red-dwarf's load + pipeline on the same votes.

    .venv/bin/python bench/cli_vs_reddwarf.py [--participants 10000] [--statements 1000]
        [--repeat 3] [--reddwarf-repeat 2] [--folder /tmp/cli-bench]

Writes a synthetic conversation (``bench/synthetic.py``: 10,000 x 1,000 at density 0.1 is
about 1M votes, with ``participants.csv``) once, then alternates fresh processes:

- ours: the wall time of ``python -m puente.consensus analyze FOLDER --out result.json``,
  everything included: interpreter start, imports, reading the CSV files, the analysis and
  writing the JSON result;
- red-dwarf's load + pipeline, timed inside its process after its imports (which are not
  counted, in its favour): red-dwarf's own loading of a Polis ``votes.csv`` export
  (``Loader.load_remote_export_data_votes``, a ``csv.DictReader`` and one pydantic ``Vote``
  per row, with the file read from disk instead of the network) and its duplicate filter,
  then ``run_pipeline(random_state=0)``. The script also times red-dwarf with the fastest
  load it can be given (pandas ``read_csv`` to the list of vote dicts ``run_pipeline`` takes)
  and prints that ratio too.

Both sides run from compiled bytecode, as an install leaves them (``make install`` compiles
Puente's modules; the script does it too, in case they changed since). Every figure is the
best of its runs: the machine is shared and its speed drifts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# Runs in a fresh interpreter; prints the load and pipeline seconds as JSON.
_REDDWARF = r"""
import json, sys, time
from pathlib import Path
import pandas
from reddwarf.data_loader import Loader
from reddwarf.implementations.polis import run_pipeline

folder, load = Path(sys.argv[1]), sys.argv[2]


class _Disk:
    # Serves the export "directory" from disk: red-dwarf's loader fetches it with a session.
    def get(self, url):
        class _Response:
            text = (folder / url.rsplit("/", 1)[-1]).read_text(encoding="utf-8")
        return _Response()


started = time.perf_counter()
if load == "reddwarf":
    loader = Loader()
    loader.session = _Disk()
    loader.load_remote_export_data_votes(str(folder) + "/")
    loader.filter_duplicate_votes(keep="recent")
    votes = loader.votes_data
else:
    columns = {"timestamp": "modified", "comment-id": "statement_id", "voter-id": "participant_id"}
    frame = pandas.read_csv(folder / "votes.csv", usecols=[*columns, "vote"])
    frame = frame.rename(columns=columns)
    votes = frame.to_dict("records")
loaded = time.perf_counter()
result = run_pipeline(votes=votes, random_state=0)
done = time.perf_counter()
print(json.dumps({"load": loaded - started, "pipeline": done - loaded, "n_votes": len(votes)}))
"""


def _ours(folder: Path) -> tuple[float, dict[str, float]]:
    """Run the command line once; return its wall time and the timings it wrote."""
    out = folder / "result.json"
    started = time.perf_counter()
    subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [PYTHON, "-m", "puente.consensus", "analyze", str(folder), "--out", str(out)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    timings: dict[str, float] = json.loads(out.read_bytes())["timings_ms"]
    return wall, timings


def _reddwarf(folder: Path, load: str) -> dict[str, float]:
    """Run red-dwarf's load and pipeline once in a fresh process; return their seconds."""
    completed = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [PYTHON, "-c", _REDDWARF, str(folder), load],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def _import_ms() -> float:
    """Return the wall time of starting Python and importing what a run imports."""
    started = time.perf_counter()
    subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [
            PYTHON,
            "-c",
            "import puente.consensus.__main__, puente.consensus.analysis",
        ],
        check=True,
        cwd=ROOT,
    )
    return (time.perf_counter() - started) * 1000


def main() -> None:
    """Write the data, alternate the runs and print the best times and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reddwarf-repeat", type=int, default=2)
    parser.add_argument(
        "--folder", type=Path, default=Path(tempfile.gettempdir()) / "puente-cli-bench"
    )
    arguments = parser.parse_args()
    folder: Path = arguments.folder
    if not (folder / "votes.csv").is_file():
        subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
            [
                PYTHON,
                str(ROOT / "bench" / "synthetic.py"),
                "--participants",
                str(arguments.participants),
                "--statements",
                str(arguments.statements),
                "--out",
                str(folder),
            ],
            check=True,
        )
    (folder / "planted.json").unlink(missing_ok=True)  # not an input of either side
    subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [PYTHON, "-m", "compileall", "-q", str(ROOT / "puente")], check=True
    )

    ours: list[tuple[float, dict[str, float]]] = []
    imports: list[float] = []
    theirs: dict[str, list[dict[str, float]]] = {"reddwarf": [], "pandas": []}
    _ours(folder)  # warm the page cache
    for round_number in range(max(arguments.repeat, arguments.reddwarf_repeat)):
        if round_number < arguments.repeat:
            ours.append(_ours(folder))
            imports.append(_import_ms())
        if round_number < arguments.reddwarf_repeat:
            for load in theirs:
                theirs[load].append(_reddwarf(folder, load))
        print(f"round {round_number + 1} done", file=sys.stderr, flush=True)

    wall, timings = min(ours, key=lambda run: run[0])
    n_votes = theirs["reddwarf"][0]["n_votes"]
    print(f"{n_votes:,.0f} votes ({arguments.participants:,d} x {arguments.statements:,d})")
    print(
        f"ours, whole CLI run (best of {len(ours)}): {wall * 1000:,.0f} ms "
        f"(of which read {timings['read']:,.0f} ms, analysis {timings['total']:,.0f} ms; "
        f"starting Python and importing: {min(imports):,.0f} ms)"
    )
    for load, label in (
        ("reddwarf", "red-dwarf's own CSV-export loader"),
        ("pandas", "pandas read_csv"),
    ):
        best_load = min(run["load"] for run in theirs[load])
        best_pipeline = min(run["pipeline"] for run in theirs[load])
        best_total = min(run["load"] + run["pipeline"] for run in theirs[load])
        print(
            f"red-dwarf with {label} (best of {len(theirs[load])}): "
            f"load {best_load * 1000:,.0f} ms + pipeline {best_pipeline * 1000:,.0f} ms "
            f"= {best_total * 1000:,.0f} ms; ratio {best_total / wall:.1f}x"
        )


if __name__ == "__main__":
    main()
