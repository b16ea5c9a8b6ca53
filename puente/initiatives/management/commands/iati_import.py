"""manage.py iati_import PATH --partnership SLUG [--actor EMAIL]: import an IATI activity file."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from puente.accounts.models import User
from puente.partnerships.models import Partnership

from ...iati_import import MAX_BYTES, IatiImportError, iati_import


class Command(BaseCommand):
    help = (
        "Create or update a partnership's initiatives from an IATI 2.03 activity file "
        "(a local path; nothing is fetched). Nothing is written if any problem is found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument(
            "--actor", default="", help="e-mail of the person importing (checked as facilitator)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership has the slug {options['partnership']!r}.")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No person has the e-mail address {options['actor']!r}.")
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            report = iati_import(data=data, partnership=partnership, actor=actor)
        except IatiImportError as error:
            raise CommandError(f"{path} was not imported:\n{error}") from None
        except PermissionDenied:
            raise CommandError(
                f"{options['actor']} may not add initiatives to {partnership.slug}."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} initiatives created, {len(report.updated)} updated."
            )
        )
