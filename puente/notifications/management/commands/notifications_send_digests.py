from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from puente.notifications.models import Preference
from puente.notifications.services import notification_digests_send, notification_mail_retry


class Command(BaseCommand):
    help = (
        "Mail the daily or weekly notification digests (nothing new: no mail), then retry the "
        "immediate mails that failed. Run from cron, e.g. daily at 06:00 and Mondays at 06:30."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--frequency",
            choices=[Preference.Frequency.DAILY.value, Preference.Frequency.WEEKLY.value],
            help="Which digests to send; without it, only the failed mails are retried.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        frequency = options.get("frequency")
        if frequency:
            sent = notification_digests_send(frequency=Preference.Frequency(frequency))
            self.stdout.write(f"{frequency} digests sent: {sent}")
        retried = notification_mail_retry()
        self.stdout.write(f"failed mails sent again: {retried}")
