"""Drive concurrent voters through the API against gunicorn on PostgreSQL; check every vote.

    .venv/bin/python bench/vote_writes.py [--connections 200] [--duration 60]
        [--voters 200] [--statements 500] [--workers 2] [--threads 4] [--floor]
        [--admin-url postgres://postgres@127.0.0.1:5432/postgres] [--database puente_votebench]
        [--redis-url redis://127.0.0.1:6379/15]

Creates a fresh PostgreSQL database (dropped first if it exists), migrates it, and fills it
with one public dialogue open to any signed-in person, ``--statements`` statements and
``--voters`` people who take part, each with an API token. Serves Puente from gunicorn (a
process per core, each with threads that keep connections open, and Redis for the cache
and the rate limits as in the scale-out mode), then drives ``--connections`` concurrent
connections with wrk (``apt-get install -y wrk``) for ``--duration`` seconds: each request is
``PUT /api/v1/statements/<id>/vote/`` as one voter, every (voter, statement) pair at most
once. Prints the throughput, the latency percentiles and the status counts, then checks the
database: votes acknowledged (200) == rows, 0 duplicate (voter, statement) rows, one history
row per vote, 0 answers 5xx. Exits 1 if a check fails.

The client, the server and PostgreSQL share the machine: on 2 cores, the figure is what all
three together reach, not the server alone. With ``--floor`` gunicorn serves
``bench/vote_floor.py`` instead: the same SQL and Redis work per vote without Django or
Puente's checks, which tells what the machine reaches when little else runs per vote.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

# wrk: each thread numbers its requests; request k of thread t votes on pair t + k * threads,
# so no pair repeats until every pair was used. The counts come back through done().
LUA = r"""
local tokens = {%(tokens)s}
local statements = {%(statements)s}
local n_voters, n_statements, n_threads = #tokens, #statements, %(threads)d
local choices = {1, -1, 0}
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter, ok, client_errors, server_errors, other = 0, 0, 0, 0, 0
end

function request()
  local pair = id + counter * n_threads
  counter = counter + 1
  local voter = pair %% n_voters
  local statement = statements[math.floor(pair / n_voters) %% n_statements + 1]
  local body = '{"choice": ' .. choices[pair %% 3 + 1] .. '}'
  return wrk.format("PUT", "/api/v1/statements/" .. statement .. "/vote/", {
    ["Authorization"] = "Token " .. tokens[voter + 1],
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status >= 500 then server_errors = server_errors + 1
  elseif status >= 400 then client_errors = client_errors + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local totals = {ok = 0, client_errors = 0, server_errors = 0, other = 0, sent = 0}
  for _, thread in ipairs(threads) do
    totals.ok = totals.ok + thread:get("ok")
    totals.client_errors = totals.client_errors + thread:get("client_errors")
    totals.server_errors = totals.server_errors + thread:get("server_errors")
    totals.other = totals.other + thread:get("other")
    totals.sent = totals.sent + thread:get("counter")
  end
  io.write(string.format(
    'RESULT {"ok": %%d, "client_errors": %%d, "server_errors": %%d, "other": %%d, ' ..
    '"sent": %%d, "completed": %%d, "duration_us": %%d, "connect_errors": %%d, ' ..
    '"read_errors": %%d, "write_errors": %%d, "timeouts": %%d, ' ..
    '"p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "p999_us": %%d, "max_us": %%d, ' ..
    '"mean_us": %%d}\n',
    totals.ok, totals.client_errors, totals.server_errors, totals.other, totals.sent,
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
"""


def _seed(n_voters: int, n_statements: int, out: Path) -> None:
    """Create the dialogue, statements, voters and tokens; write what wrk needs as JSON."""
    import django

    django.setup()
    from knox.models import AuthToken

    from puente.accounts.models import User
    from puente.dialogues.models import Dialogue, Participation, Phase, Statement
    from puente.partnerships.models import Partnership

    partnership = Partnership.objects.create(
        title="EU-LAC Digital Alliance (bench)",
        slug="bench-alliance",
        visibility=Partnership.Visibility.PUBLIC,
    )
    dialogue = Dialogue.objects.create(
        partnership=partnership,
        title="Shared digital priorities (bench)",
        slug="bench-priorities",
        framing_question="Which digital priorities come first?",
        languages=["en"],
        participation=Dialogue.Audience.SIGNED_IN,
        phase=Phase.DELIBERATE,
    )
    statements = Statement.objects.bulk_create(
        Statement(
            dialogue=dialogue,
            text=f"Statement {number}: the Alliance should act on it.",
            kind=Statement.Kind.PROPOSAL,
            language="en",
        )
        for number in range(n_statements)
    )
    people = User.objects.bulk_create(
        User(email=f"voter{number}@bench.puente.example", name=f"Voter {number}", country="CL")
        for number in range(n_voters)
    )
    Participation.objects.bulk_create(
        Participation(dialogue=dialogue, person=person, country="CL", region="LAC")
        for person in people
    )
    tokens = [AuthToken.objects.create(user=person)[1] for person in people]
    out.write_text(
        json.dumps({"tokens": tokens, "statements": [statement.pk for statement in statements]})
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  # our own local server
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} in {timeout:.0f} s")


def _recreate_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user and system) the processes have used so far, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _workers_of(parent: int) -> list[int]:
    """Return the ids of the processes whose parent is the given one."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def _database_backends(admin_url: str, name: str) -> list[int]:
    """Return the ids of the PostgreSQL processes serving the database now."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]
        ).fetchall()
    return [int(row[0]) for row in rows]


class _DatabaseCpu:
    """Follow the CPU of the PostgreSQL processes serving the database, while the run lasts.

    Django closes a connection once it is ``CONN_MAX_AGE`` old (60 s by default) and opens
    another: a process that ends takes its CPU time with it, so each process seen is read
    every half second, and what it used until its last reading counts.
    """

    def __init__(self, admin_url: str, name: str) -> None:
        import threading

        self._admin_url, self._name = admin_url, name
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._stop = threading.Event()
        self._sample(at_start=True)
        self._thread = threading.Thread(target=self._follow, daemon=True)
        self._thread.start()

    def _sample(self, *, at_start: bool = False) -> None:
        for pid in _database_backends(self._admin_url, self._name):
            try:
                Path(f"/proc/{pid}/stat").stat()
            except OSError:
                continue  # ended meanwhile: its last reading stands
            seconds = _cpu_seconds([pid])
            # A process that started during the run counts from its start.
            self._first.setdefault(pid, seconds if at_start else 0.0)
            self._last[pid] = max(seconds, self._last.get(pid, 0.0))

    def _follow(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def stop(self) -> float:
        """Stop following; return the CPU seconds the processes used meanwhile."""
        self._stop.set()
        self._thread.join()
        self._sample()
        return sum(self._last[pid] - self._first[pid] for pid in self._last)


def _database_checks(database_url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as connection:

        def one(query: str) -> int:
            row = connection.execute(query).fetchone()
            assert row is not None
            return int(row[0])

        return {
            "rows": one("SELECT count(*) FROM dialogues_vote"),
            "duplicates": one(
                "SELECT count(*) FROM (SELECT 1 FROM dialogues_vote "
                "GROUP BY participant_id, statement_id HAVING count(*) > 1) AS repeated"
            ),
            "history_rows": one("SELECT count(*) FROM dialogues_votechange"),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--statements", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="puente_votebench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="serve bench/vote_floor.py instead of Puente: the same SQL and Redis work per "
        "vote without Django or Puente's checks, to see what the machine itself reaches",
    )
    parser.add_argument("--seed-only", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.seed_only is not None:
        _seed(arguments.voters, arguments.statements, arguments.seed_only)
        return 0
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    database_url = arguments.admin_url.rsplit("/", 1)[0] + "/" + arguments.database
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "puente.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": arguments.redis_url,
        "CACHE_KEY_PREFIX": f"votebench-{secrets.token_hex(4)}",
        "DEBUG": "0",
        "HTTPS": "0",
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(50),
        # The general limits would refuse most of the run: lift them for this server.
        "API_RATE_ANONYMOUS": "10000000/min",
        "API_RATE_PERSON": "10000000/min",
    }
    print(f"database {arguments.database}: created afresh", flush=True)
    _recreate_database(arguments.admin_url, arguments.database)
    # Our own programs with our own arguments, here and below.
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    with tempfile.TemporaryDirectory() as workdir:
        seeded = Path(workdir) / "seed.json"
        subprocess.run(  # noqa: S603
            [
                PYTHON,
                __file__,
                "--voters",
                str(arguments.voters),
                "--statements",
                str(arguments.statements),
                "--seed-only",
                str(seeded),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        seed = json.loads(seeded.read_text())
        n_pairs = arguments.voters * arguments.statements
        print(
            f"seeded: {arguments.voters} voters with tokens, {arguments.statements} "
            f"statements ({n_pairs} distinct votes possible)",
            flush=True,
        )
        script = Path(workdir) / "votes.lua"
        script.write_text(
            LUA
            % {
                "tokens": ", ".join(f'"{token}"' for token in seed["tokens"]),
                "statements": ", ".join(str(pk) for pk in seed["statements"]),
                "threads": arguments.wrk_threads,
            }
        )
        server = subprocess.Popen(  # noqa: S603
            [
                GUNICORN,
                "bench.vote_floor" if arguments.floor else "puente.wsgi",
                "--workers",
                str(arguments.workers),
                "--threads",
                str(arguments.threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--backlog",
                "2048",
                "--keep-alive",
                "30",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_until_up(f"http://127.0.0.1:{port}/api/v1/themes/", server)
            if arguments.floor:
                print("serving the floor (bench/vote_floor.py), not Puente", flush=True)
            print(
                f"gunicorn: {arguments.workers} workers x {arguments.threads} threads; wrk: "
                f"{arguments.connections} connections, {arguments.wrk_threads} threads, "
                f"{arguments.duration} s",
                flush=True,
            )
            # CPU used by the app and by PostgreSQL for the votes, without the load generator:
            # what the two cores could give the votes if nothing else ran.
            workers = _workers_of(server.pid)
            database = _DatabaseCpu(arguments.admin_url, arguments.database)
            app_before = _cpu_seconds(workers)
            children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            run = subprocess.run(  # noqa: S603
                [
                    wrk,
                    "-t",
                    str(arguments.wrk_threads),
                    "-c",
                    str(arguments.connections),
                    "-d",
                    f"{arguments.duration}s",
                    "--timeout",
                    "30s",
                    "-s",
                    str(script),
                    f"http://127.0.0.1:{port}",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            load_cpu = (children_after.ru_utime + children_after.ru_stime) - (
                children_before.ru_utime + children_before.ru_stime
            )
            app_cpu = _cpu_seconds(workers) - app_before
            # Backends opened during the run count from their start.
            database_cpu = database.stop()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    found = re.search(r"^RESULT (\{.*\})$", run.stdout, re.MULTILINE)
    if found is None:
        print(run.stdout, run.stderr)
        raise SystemExit("wrk printed no result")
    result = json.loads(found.group(1))
    checks = _database_checks(database_url)
    seconds = result["duration_us"] / 1e6
    print()
    print(f"votes acknowledged (200): {result['ok']} in {seconds:.1f} s")
    print(f"throughput: {result['ok'] / seconds:.0f} votes/s")
    print(
        "latency ms: "
        + ", ".join(
            f"{name} {result[key] / 1000:.1f}"
            for name, key in (
                ("p50", "p50_us"),
                ("p90", "p90_us"),
                ("p99", "p99_us"),
                ("p99.9", "p999_us"),
                ("max", "max_us"),
                ("mean", "mean_us"),
            )
        )
    )
    print(
        f"answers: 4xx {result['client_errors']}, 5xx {result['server_errors']}, "
        f"other {result['other']}; socket errors: connect {result['connect_errors']}, "
        f"read {result['read_errors']}, write {result['write_errors']}, "
        f"timeouts {result['timeouts']}"
    )
    print(
        f"database: {checks['rows']} vote rows, {checks['duplicates']} duplicates, "
        f"{checks['history_rows']} history rows"
    )
    if result["ok"]:
        app_ms = app_cpu / result["ok"] * 1000
        database_ms = database_cpu / result["ok"] * 1000
        load_ms = load_cpu / result["ok"] * 1000
        print(
            f"CPU per acknowledged vote: app {app_ms:.2f} ms, PostgreSQL {database_ms:.2f} ms, "
            f"load generator (wrk) {load_ms:.2f} ms; two idle cores would give at most "
            f"{2000 / (app_ms + database_ms):.0f} votes/s to the app and PostgreSQL alone"
        )
    print(f"load average now: {os.getloadavg()[0]:.1f} (other work on the machine counts too)")
    answered = result["ok"] + result["client_errors"] + result["server_errors"] + result["other"]
    # wrk stops at the deadline with requests in flight: the server may still store those
    # votes, which nobody acknowledged. Every pair is voted on once, so each acknowledged
    # vote is one row, and at most the unanswered requests add more.
    unanswered = result["sent"] - answered
    print(f"requests sent {result['sent']}, answered {answered}, in flight at the end {unanswered}")
    failures = []
    if result["sent"] > n_pairs:
        failures.append("more requests than distinct pairs: raise --voters or --statements")
    if not result["ok"] <= checks["rows"] <= result["ok"] + unanswered:
        failures.append(
            f"rows {checks['rows']} outside acknowledged {result['ok']} .. "
            f"{result['ok'] + unanswered} (acknowledged + unanswered)"
        )
    for failure in failures:
        print(f"FAILED: {failure}")
    if not failures:
        print(
            "checks: every acknowledged vote stored (rows = acknowledged + "
            f"{checks['rows'] - result['ok']} unanswered at the deadline), 0 duplicates, 0 5xx"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
