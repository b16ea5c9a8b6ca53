"""Celery tasks of notifications (scale-out mode): mail now, retries, digests (beat)."""

from celery import shared_task  # type: ignore[import-untyped]  # celery ships no types

from .models import Preference
from .services import (
    DIGEST_TASK,
    MAIL_TASK,
    RETRY_TASK,
    notification_digests_send,
    notification_mail_deliver,
    notification_mail_retry,
)


@shared_task(name=MAIL_TASK)  # type: ignore[untyped-decorator]  # celery ships no types
def notification_mail_task(notification_ids: list[int]) -> int:
    """Mail these notifications to those who want them at once."""
    return notification_mail_deliver(notification_ids=notification_ids)


@shared_task(name=RETRY_TASK)  # type: ignore[untyped-decorator]  # celery ships no types
def notification_mail_retry_task() -> int:
    """Try again the mails that failed and are due."""
    return notification_mail_retry()


@shared_task(name=DIGEST_TASK)  # type: ignore[untyped-decorator]  # celery ships no types
def notification_digests_task(frequency: str) -> int:
    """Send the daily or weekly digests, then the retries that are due."""
    sent = notification_digests_send(frequency=Preference.Frequency(frequency))
    notification_mail_retry()
    return sent
