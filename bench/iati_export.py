"""Stream the IATI 2.03 activity export of 10,000 initiatives; print activities/s and memory.

    .venv/bin/python bench/iati_export.py
        [--database-url postgres://postgres@127.0.0.1:5432/puente_iati_bench]
        [--activities 10000] [--transactions 3] [--marks 1000,10000]

Recreates the PostgreSQL database (dropped first if it exists), migrates it, and fills one
public partnership with ``--activities`` initiatives by bulk_create, each with an accountable
and a funding organisation, two sectors, a recipient country, a budget and ``--transactions``
transactions. Then asks the export view (``initiatives:iati-activities``) for the file and
reads its streamed body twice:

1. timed, nothing traced: activities/s at each mark (and the bytes written);
2. traced with tracemalloc: the peak of Python memory allocated since the stream started,
   at each mark. A streaming export keeps it flat from 1,000 to 10,000 activities.

ru_maxrss (the process's peak resident memory, which also holds Django, lxml and the
schemas) is printed at each mark as well. The body goes to a temporary file, parsed at
the end (outside the measurements) to count its activities. DEBUG is off (Django would
otherwise keep every query in memory).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/puente_iati_bench"
PARTNERSHIP = "iati-bench"
BATCH = 1000


def _recreate(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _fill(n_activities: int, n_transactions: int) -> None:
    """Create the partnership, two organisations and the initiatives with their parts."""
    from puente.initiatives.models import (
        Budget,
        Initiative,
        InitiativeSector,
        OrganisationRole,
        ParticipatingOrganisation,
        RecipientCountry,
        Transaction,
        TransactionType,
    )
    from puente.partnerships.models import Partnership
    from puente.stakeholders.models import Organisation

    partnership = Partnership.objects.create(title="IATI bench", slug=PARTNERSHIP)
    funder = Organisation.objects.create(
        name="Bench Funder",
        slug="bench-funder",
        stakeholder_type="public",
        region="eu",
        country="BE",
    )
    lead = Organisation.objects.create(
        name="Bench Lead",
        slug="bench-lead",
        stakeholder_type="academia",
        region="lac",
        country="CL",
    )
    for start in range(0, n_activities, BATCH):
        initiatives = Initiative.objects.bulk_create(
            Initiative(
                partnership=partnership,
                title=f"Bench initiative {number:05d}",
                slug=f"bench-initiative-{number:05d}",
                description="Fibre, data centres and training for research networks. " * 3,
                language="en",
                iati_identifier=f"XI-PUENTE-BENCH-{number:05d}",
                status="2",
                planned_start=date(2024, 1, 1),
                planned_end=date(2027, 12, 31),
                actual_start=date(2024, 3, 1),
            )
            for number in range(start, min(start + BATCH, n_activities))
        )
        ParticipatingOrganisation.objects.bulk_create(
            ParticipatingOrganisation(initiative=initiative, organisation=organisation, role=role)
            for initiative in initiatives
            for organisation, role in (
                (funder, OrganisationRole.FUNDING),
                (lead, OrganisationRole.ACCOUNTABLE),
            )
        )
        InitiativeSector.objects.bulk_create(
            InitiativeSector(initiative=initiative, code=code, percentage=Decimal(share))
            for initiative in initiatives
            for code, share in (("22040", "70"), ("43082", "30"))
        )
        RecipientCountry.objects.bulk_create(
            RecipientCountry(initiative=initiative, country="CL", percentage=Decimal(100))
            for initiative in initiatives
        )
        Budget.objects.bulk_create(
            Budget(
                initiative=initiative,
                status="2",
                period_start=date(2024, 1, 1),
                period_end=date(2024, 12, 31),
                value=Decimal("1500000.00"),
                currency="EUR",
                value_date=date(2024, 1, 1),
            )
            for initiative in initiatives
        )
        Transaction.objects.bulk_create(
            Transaction(
                initiative=initiative,
                type=TransactionType.COMMITMENT if k == 0 else TransactionType.DISBURSEMENT,
                date=date(2024, 1 + k, 15),
                value=Decimal("500000.00"),
                currency="EUR",
                value_date=date(2024, 1 + k, 15),
                provider=funder,
                receiver=lead,
                description=f"Tranche {k + 1}",
            )
            for initiative in initiatives
            for k in range(n_transactions)
        )


def _stream(marks: list[int], *, traced: bool, into: Path) -> list[dict[str, Any]]:
    """Read the export view's streamed body into a file; return figures at each mark."""
    from django.test import RequestFactory

    from puente.initiatives.views.opendata import iati_activities

    request = RequestFactory().get(f"/partnerships/{PARTNERSHIP}/iati/activities.xml")
    figures: list[dict[str, Any]] = []
    n_activities = n_bytes = 0
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    response = iati_activities(request, partnership_slug=PARTNERSHIP)
    sink = into.open("wb")
    # A WSGI view's streaming content is a plain iterator of bytes.
    for piece in cast(Iterator[bytes], response.streaming_content):
        n_activities += piece.count(b"<iati-activity ")
        n_bytes += len(piece)
        sink.write(piece)
        if figures and len(figures) == len(marks):
            continue
        if n_activities >= marks[len(figures)]:
            elapsed = time.perf_counter() - started
            figure: dict[str, Any] = {
                "activities": n_activities,
                "seconds": elapsed,
                "per_second": n_activities / elapsed,
                "mb": n_bytes / 1e6,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
            if traced:
                figure["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
            figures.append(figure)
    sink.close()
    if traced:
        tracemalloc.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--transactions", type=int, default=3)
    parser.add_argument("--marks", default="1000,10000")
    arguments = parser.parse_args()
    marks = sorted(int(mark) for mark in arguments.marks.split(",") if int(mark) > 0)
    marks = [mark for mark in marks if mark <= arguments.activities] or [arguments.activities]

    os.environ.update(
        {
            "DATABASE_URL": arguments.database_url,
            "DJANGO_SETTINGS_MODULE": "puente.settings",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
            "ALLOWED_HOSTS": "testserver,localhost",
        }
    )
    _recreate(arguments.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _fill(arguments.activities, arguments.transactions)
    print(
        f"created {arguments.activities:,} activities with {arguments.transactions} "
        f"transactions each in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    folder = Path(tempfile.mkdtemp(prefix="puente-iati-bench-"))
    path = folder / "activities.xml"
    timed = _stream(marks, traced=False, into=path)
    print("\nstreamed, untraced (throughput):")
    for figure in timed:
        print(
            f"  {figure['activities']:>6,} activities  {figure['seconds']:6.2f} s  "
            f"{figure['per_second']:7,.0f} activities/s  {figure['mb']:6.1f} MB written  "
            f"ru_maxrss {figure['maxrss_mb']:6.1f} MB"
        )
    traced = _stream(marks, traced=True, into=path)
    print("\nstreamed, traced by tracemalloc (memory; tracing slows it down):")
    for figure in traced:
        print(
            f"  {figure['activities']:>6,} activities  peak allocated since the start "
            f"{figure['traced_peak_mb']:6.2f} MB  ru_maxrss {figure['maxrss_mb']:6.1f} MB"
        )
    from lxml import etree

    from puente.initiatives.codelists import safe_parser

    root = etree.parse(str(path), safe_parser(huge_tree=True)).getroot()
    print(f"\nfile: {len(root):,} activities, {path.stat().st_size / 1e6:.1f} MB")
    shutil.rmtree(folder)
    goal = timed[-1]["per_second"]
    print(f"goal >= 1,000 activities/s: {'met' if goal >= 1000 else 'NOT met'} ({goal:,.0f})")


if __name__ == "__main__":
    main()
