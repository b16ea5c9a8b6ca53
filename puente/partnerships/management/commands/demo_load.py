from typing import Any

from django.core.management.base import BaseCommand

from puente.partnerships.demo import DEMO_PASSWORD, PEOPLE, demo_load


class Command(BaseCommand):
    help = "Load the EU-LAC demo; running it again creates only what is missing."

    def handle(self, *args: Any, **options: Any) -> None:
        report = demo_load()
        if options["verbosity"] < 1:
            return
        self.stdout.write(report.summary())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready. Accounts ({', '.join(person.email for person in PEOPLE)}) "
                f'use the password "{DEMO_PASSWORD}"; see the README.'
            )
        )
