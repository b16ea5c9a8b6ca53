"""Serve the dialogue pages from one gunicorn run and measure requests/s beside hello-world.

    .venv/bin/python bench/pages.py [PATH ...] [--database-url postgres://...]
        [--participants 10000] [--statements 1000] [--density 0.1] [--duration 10]
        [--connections 8] [--workers 2] [--as-email voter-001@demo.puente.example]

Prepares a database (migrations, the demo with its 400-voter dialogue, and a dialogue of
about 1M votes: 10,000 people x 1,000 statements at density 0.1, loaded by COPY on
PostgreSQL), then starts gunicorn once on it with a hello-world view at /bench/hello/ beside
Puente's pages. Each PATH is a template with ``{partnership}`` and ``{dialogue}``, requested
for both dialogues; by default the voting card, the statement list and the results page:

    /partnerships/{partnership}/dialogues/{dialogue}/vote/
    /partnerships/{partnership}/dialogues/{dialogue}/statements/
    /partnerships/{partnership}/dialogues/{dialogue}/results/

Requests are signed in as ``--as-email`` (a demo voter, who takes part in the demo
dialogue). wrk drives the load; the script prints each page's status, requests/s and its
ratio to hello-world (the mean of runs right before and right after the page, as the
machine's speed drifts). Pages that do not answer 200 are reported and skipped. Reruns reuse
the database (the data is created only when missing): drop it to change the sizes.
"""

from __future__ import annotations

import argparse
import os
import re
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_PATHS = (
    "/partnerships/{partnership}/dialogues/{dialogue}/vote/",
    "/partnerships/{partnership}/dialogues/{dialogue}/statements/",
    "/partnerships/{partnership}/dialogues/{dialogue}/results/",
)
HELLO = "/bench/hello/"
MILLION_SLUG = "bench-million-votes"
BENCH_EMAIL = "bench-{number:05d}@bench.puente.example"


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = url.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _environment(database_url: str, static_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
        "PUENTE_BENCH_STATIC_ROOT": str(static_root),
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
    }


def _prepare(arguments: argparse.Namespace) -> tuple[str, str, str]:
    """Create what is missing; return the partnership slug, the demo dialogue and the cookie."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("demo_load", verbosity=0)
    print(f"demo loaded in {time.perf_counter() - started:.1f} s", flush=True)

    from puente.dialogues.demo import DEMO_DIALOGUE, DEMO_PARTNERSHIP

    _million_load(arguments)
    cookie = f"{settings.SESSION_COOKIE_NAME}={_session_for(arguments.as_email)}"
    return DEMO_PARTNERSHIP, str(DEMO_DIALOGUE["slug"]), cookie


def _million_load(arguments: argparse.Namespace) -> None:
    """Add the big dialogue to the demo partnership unless it is there."""
    import numpy as np
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from puente.accounts.models import User
    from puente.consensus.synthetic import synthetic_votes
    from puente.dialogues.demo import DEMO_PARTNERSHIP
    from puente.dialogues.models import Dialogue, Participation, Phase, Statement
    from puente.dialogues.services.bulk import votes_bulk_load
    from puente.dialogues.services.results import results_refresh
    from puente.partnerships.models import Partnership

    partnership = Partnership.objects.get(slug=DEMO_PARTNERSHIP)
    if Dialogue.objects.filter(partnership=partnership, slug=MILLION_SLUG).exists():
        return
    started = time.perf_counter()
    data = synthetic_votes(
        arguments.participants,
        arguments.statements,
        density=arguments.density,
        rng=np.random.default_rng(0),
    )
    with transaction.atomic():
        dialogue = Dialogue.objects.create(
            partnership=partnership,
            slug=MILLION_SLUG,
            title="A million votes (benchmark)",
            framing_question="How do the pages hold up under a million votes?",
            languages=["en"],
            participation=Dialogue.Audience.SIGNED_IN,
            phase=Phase.PRIORITISE,
        )
        password = make_password(None)
        emails = [BENCH_EMAIL.format(number=i) for i in range(arguments.participants)]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        User.objects.bulk_create(
            [
                User(email=email, name=email, password=password)
                for email in emails
                if email not in existing
            ],
            batch_size=2000,
        )
        people = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
        person_ids = np.asarray([people[email] for email in emails], dtype=np.int64)
        Participation.objects.bulk_create(
            [
                Participation(dialogue=dialogue, person_id=pk, region="EU")
                for pk in person_ids.tolist()
            ],
            batch_size=2000,
        )
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    dialogue=dialogue,
                    text=f"Benchmark statement {j}: the Alliance should act on it.",
                    kind=Statement.Kind.PROPOSAL,
                    language="en",
                )
                for j in range(arguments.statements)
            ],
            batch_size=2000,
        )
        statement_ids = np.asarray([s.pk for s in statements], dtype=np.int64)
        n_votes = votes_bulk_load(
            dialogue=dialogue,
            rows=zip(
                person_ids[data.votes.participant].tolist(),
                statement_ids[data.votes.statement].tolist(),
                data.votes.value.tolist(),
                strict=True,
            ),
        )
    print(f"{n_votes:,d} votes loaded in {time.perf_counter() - started:.1f} s", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a load this size: the visibility map lets
        # vote counts come from the index alone, and every table has its statistics (the
        # planner misjudges a table it has none for), as on a database that has been running.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE dialogues_vote")
            cursor.execute("ANALYZE")
    # The results page reads the snapshot.
    started = time.perf_counter()
    results_refresh(dialogue=dialogue)
    print(f"results computed in {time.perf_counter() - started:.1f} s", flush=True)


def _session_for(email: str) -> str:
    """Return the key of a new signed-in session of the person."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from puente.accounts.models import User

    person = User.objects.get(email=email)
    store: Any = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.save()
    return str(store.session_key)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310  # http://127.0.0.1
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _requests_per_second(url: str, cookie: str, arguments: argparse.Namespace) -> float:
    """Run wrk against the URL; return its requests/s."""
    completed = subprocess.run(  # noqa: S603  # fixed arguments
        [
            shutil.which("wrk") or "wrk",
            f"-t{min(2, arguments.connections)}",
            f"-c{arguments.connections}",
            f"-d{arguments.duration}s",
            "--timeout",
            "60s",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"Requests/sec:\s+([\d.]+)", completed.stdout)
    if match is None:
        raise RuntimeError(completed.stdout + completed.stderr)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", completed.stdout)
    if non_2xx:
        print(f"  warning: {non_2xx.group(1)} answers were not 2xx/3xx for {url}", flush=True)
    return float(match.group(1))


def _gunicorn(
    arguments: argparse.Namespace, environment: dict[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    """Start Puente under gunicorn on a free port; return the process and its base URL."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603  # our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "puente.wsgi:application",
            f"--workers={arguments.workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    return server, f"http://127.0.0.1:{port}"


def serve_and_measure(
    arguments: argparse.Namespace, environment: dict[str, str], paths: list[str], width: int
) -> None:
    """Start gunicorn on the prepared database; print each path's figures beside hello-world.

    For each path: its status, how long its first request took (a page may compute what it
    then caches), and, after ``arguments.warm_up`` seconds of load that warm every worker,
    its requests/s and ratio to hello-world. Requests are anonymous.
    """
    server, base = _gunicorn(arguments, environment)
    try:
        for _ in range(100):
            try:
                if _status(base + HELLO, "") == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        hello = _requests_per_second(base + HELLO, "", arguments)
        print(f"{'page':{width}s} {'status':>6s} {'first ms':>9s} {'req/s':>9s} {'of hello':>9s}")
        print(f"{HELLO:{width}s} {200:6d} {'':>9s} {hello:9.1f} {1.0:9.3f}", flush=True)
        warm_up = argparse.Namespace(**{**vars(arguments), "duration": arguments.warm_up})
        for path in paths:
            started = time.perf_counter()
            status = _status(base + path, "")
            first = (time.perf_counter() - started) * 1000
            if status != 200:
                print(f"{path:{width}s} {status:6d} {'skipped':>9s}", flush=True)
                continue
            if arguments.warm_up:
                _requests_per_second(base + path, "", warm_up)
            rate = _requests_per_second(base + path, "", arguments)
            print(
                f"{path:{width}s} {status:6d} {first:9.0f} {rate:9.1f} {rate / hello:9.3f}",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    """Prepare the data, serve it with gunicorn and measure every page against hello-world."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS), metavar="PATH")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/puente_pages_bench"
    )
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--density", type=float, default=0.1)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--as-email", default="voter-001@demo.puente.example")
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (apt-get install wrk)")

    static_root = Path(tempfile.mkdtemp(prefix="puente-bench-static-"))
    if arguments.database_url.startswith("postgres"):
        _create_database(arguments.database_url)
    environment = _environment(arguments.database_url, static_root)
    os.environ.update(environment)
    partnership, demo_dialogue, cookie = _prepare(arguments)

    server, base = _gunicorn(arguments, environment)
    try:
        for _ in range(100):
            try:
                if _status(base + HELLO, cookie) == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        # The machine's speed drifts: hello-world runs right before and right after each
        # page, and the page is compared with the mean of the two.
        hello = _requests_per_second(base + HELLO, cookie, arguments)
        print(f"{'page':75s} {'status':>6s} {'req/s':>9s} {'hello':>9s} {'of hello':>9s}")
        for dialogue in (demo_dialogue, MILLION_SLUG):
            for template in arguments.paths:
                path = template.format(partnership=partnership, dialogue=dialogue)
                status = _status(base + path, cookie)
                if status != 200:
                    print(f"{path:75s} {status:6d} {'skipped':>9s}", flush=True)
                    continue
                rate = _requests_per_second(base + path, cookie, arguments)
                hello_after = _requests_per_second(base + HELLO, cookie, arguments)
                around = (hello + hello_after) / 2
                print(
                    f"{path:75s} {status:6d} {rate:9.1f} {around:9.1f} {rate / around:9.3f}",
                    flush=True,
                )
                hello = hello_after
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
