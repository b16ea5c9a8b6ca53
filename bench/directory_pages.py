"""Serve the directory and partnership pages of a large platform; measure them beside hello-world.

    .venv/bin/python bench/directory_pages.py [PATH ...] [--database-url URL]
        [--organisations 5000] [--partnerships 50] [--people 20000] [--duration 10]
        [--connections 8] [--workers 2] [--warm-up 3]

Prepares a database (PostgreSQL by default; ``sqlite:///path`` works too): migrations, the
demo, and ``--organisations`` organisations with ``--people`` people as their members and
admins, ``--partnerships`` public partnerships of 100 member organisations each (with a
facilitator), all made up, bulk-created. It then starts gunicorn once (sync workers, DEBUG
off) with a hello-world view at /bench/hello/ beside Puente's pages (the settings of
bench/pages.py) and requests each PATH as a visitor; by default the home page, the
directory, an organisation's page and a partnership's page. For each it prints the status,
how long the first request took (pages may cache what they render), and, after
``--warm-up`` seconds of load that warm every worker, requests/s and the ratio to
hello-world (issue 13's goal: at least 0.1). Reruns reuse the data: drop the database (or
delete the SQLite file) to change the sizes.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import (  # noqa: E402  # after the path is set
    _create_database,
    _environment,
    serve_and_measure,
)

PREFIX = "bench-dir"
DEFAULT_PATHS = (
    "/",
    "/organisations/",
    f"/organisations/{PREFIX}-org-00001/",
    f"/partnerships/{PREFIX}-partnership-01/",
)
MEMBERS_PER_PARTNERSHIP = 100
DESCRIPTION = (
    "A made-up organisation of the benchmark. It works on **connectivity**, data and skills:\n\n"
    "- fibre and satellite links\n- open data\n- digital skills\n\n"
    "See [its website](https://example.org) for more."
)


def _prepare(arguments: argparse.Namespace) -> None:
    """Create what is missing: the schema, the demo and the generated directory."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo_load", verbosity=0)
    _directory_load(arguments)


def _directory_load(arguments: argparse.Namespace) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from puente.accounts.models import User
    from puente.core.choices import Region, StakeholderType
    from puente.partnerships.models import Partnership, PartnershipMember
    from puente.stakeholders.models import Membership, Organisation

    if Organisation.objects.filter(slug=f"{PREFIX}-org-00001").exists():
        return
    started = time.perf_counter()
    rng = random.Random(0)  # noqa: S311  # made-up data, the same on every run
    countries = {
        Region.EU: ["DE", "ES", "FR", "IT", "PT", "NL", "BE", "SE"],
        Region.LAC: ["BR", "CL", "CO", "MX", "PA", "PE", "AR", "UY"],
    }
    types = StakeholderType.values
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Benchmark organisation {number:05d}",
                    slug=f"{PREFIX}-org-{number:05d}",
                    acronym=f"BO{number}",
                    stakeholder_type=types[number % len(types)],
                    region=(Region.EU, Region.LAC)[number % 2],
                    country=rng.choice(countries[(Region.EU, Region.LAC)[number % 2]]),
                    description=DESCRIPTION,
                    is_verified=number % 3 == 0,
                )
                for number in range(1, arguments.organisations + 1)
            ],
            batch_size=2000,
        )
        password = make_password(None)
        people = User.objects.bulk_create(
            [
                User(
                    email=f"{PREFIX}-{number:05d}@bench.puente.example",
                    name=f"Person {number}",
                    password=password,
                )
                for number in range(1, arguments.people + 1)
            ],
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    person=person,
                    organisation=organisations[k % len(organisations)],
                    role=Membership.Role.ADMIN
                    if k < len(organisations)
                    else Membership.Role.MEMBER,
                    status=Membership.Status.ACTIVE,
                )
                for k, person in enumerate(people)
            ],
            batch_size=2000,
        )
        for number in range(1, arguments.partnerships + 1):
            partnership = Partnership.objects.create(
                title=f"Benchmark partnership {number:02d}",
                slug=f"{PREFIX}-partnership-{number:02d}",
                description=DESCRIPTION,
                regions=["EU", "LAC"],
                visibility=Partnership.Visibility.PUBLIC,
            )
            partnership.facilitators.add(people[number])
            PartnershipMember.objects.bulk_create(
                [
                    PartnershipMember(partnership=partnership, organisation=organisation)
                    for organisation in rng.sample(organisations, MEMBERS_PER_PARTNERSHIP)
                ]
            )
    print(
        f"{arguments.organisations:,d} organisations, {arguments.people:,d} people and "
        f"{arguments.partnerships} partnerships loaded in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def main() -> None:
    """Prepare the data, serve it with gunicorn and measure every page against hello-world."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS), metavar="PATH")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/puente_directory_bench"
    )
    parser.add_argument("--organisations", type=int, default=5_000)
    parser.add_argument("--partnerships", type=int, default=50)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--warm-up", type=int, default=3, help="seconds of load before each measured run"
    )
    arguments = parser.parse_args()

    if arguments.database_url.startswith("postgres"):
        _create_database(arguments.database_url)
    static_root = Path(tempfile.mkdtemp(prefix="puente-bench-static-"))
    environment = _environment(arguments.database_url, static_root)
    os.environ.update(environment)
    _prepare(arguments)

    serve_and_measure(arguments, environment, arguments.paths, width=50)


if __name__ == "__main__":
    main()
