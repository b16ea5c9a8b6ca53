from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from puente.celery import app as celery_app
from puente.core.background import background_worker
from puente.notifications.models import Kind, Notification, Preference
from puente.notifications.services import (
    DIGEST_TASK,
    MAIL_TASK,
    RETRY_TASK,
    notification_digests_send,
    notification_mail_muted,
    notification_mail_retry,
    notification_send,
    preference_set,
)
from puente.notifications.tasks import notification_mail_task
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = _("Your request to join %(organisation)s was approved.")


class DownBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def _html(message: mail.EmailMessage) -> str:
    assert isinstance(message, mail.EmailMultiAlternatives)
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert isinstance(content, str)
    return content


def _send(recipient: Any, **extra: Any) -> list[Notification]:
    return notification_send(
        kind=extra.pop("kind", Kind.MEMBERSHIP_DECIDED),
        recipients=[recipient],
        message=MESSAGE,
        params={"organisation": "CEPAL"},
        url="/organisations/cepal/",
        **extra,
    )


def test_an_immediate_notification_is_mailed_after_the_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send(ana)
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    (message,) = mail.outbox
    assert message.to == [ana.email]
    assert "Your request to join CEPAL was approved." in message.subject
    assert Notification.objects.get(recipient=ana).emailed_at is not None


def test_the_mail_is_html_with_a_text_part_and_absolute_links_from_site_url(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://puente.example.org"
    ana = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _send(ana)

    (message,) = mail.outbox
    html = _html(message)
    assert 'href="https://puente.example.org/organisations/cepal/"' in html
    assert "https://puente.example.org/organisations/cepal/" in message.body
    assert "testserver" not in str(message.body) + html
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://puente.example.org/notifications/unsubscribe/"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The kind named as text in both parts, never as a Python list.
    kind = str(Kind.MEMBERSHIP_DECIDED.label)
    assert f"({kind})" in str(message.body)
    assert f"({kind})" in html
    assert "['" not in str(message.body)


def test_the_mail_is_in_the_recipients_language_not_the_senders(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana = UserFactory(preferred_language="fr")
    sender = UserFactory(preferred_language="es")
    with override("es"), django_capture_on_commit_callbacks(execute=True):
        _send(ana, actor=sender)

    (message,) = mail.outbox
    with override("fr"):
        expected = str(MESSAGE) % {"organisation": "CEPAL"}
    assert expected != "Your request to join CEPAL was approved."
    assert expected in message.subject
    assert expected in message.body


def test_no_immediate_mail_for_a_digest_or_never_preference(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana, ben = UserFactory(), UserFactory()
    preference_set(person=ana, kind=Kind.MEMBERSHIP_DECIDED, frequency=Preference.Frequency.DAILY)
    preference_set(person=ben, kind=Kind.MEMBERSHIP_DECIDED, frequency=Preference.Frequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            kind=Kind.MEMBERSHIP_DECIDED,
            recipients=[ana, ben],
            message=MESSAGE,
            params={"organisation": "CEPAL"},
        )
    assert mail.outbox == []
    assert Notification.objects.count() == 2


def test_mail_server_down_keeps_the_notification_and_a_later_retry_sends_it(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ana = UserFactory()
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _send(ana)

    notification = Notification.objects.get(recipient=ana)
    assert notification.emailed_at is None
    assert notification.mail_attempts == 1
    assert notification.mail_next_attempt_at is not None
    assert notification_mail_retry() == 0  # not due yet

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.update(mail_next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("notifications_send_digests")

    (message,) = mail.outbox
    assert message.to == [ana.email]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification_mail_retry() == 0


def test_a_daily_digest_sends_one_mail_with_every_new_item_and_not_twice() -> None:
    ana = UserFactory(preferred_language="es")
    preference_set(person=ana, kind=Kind.MEMBERSHIP_DECIDED, frequency=Preference.Frequency.DAILY)
    preference_set(person=ana, kind=Kind.REPLY, frequency=Preference.Frequency.DAILY)
    for name in ["CEPAL", "BID", "AECID"]:
        notification_send(
            kind=Kind.MEMBERSHIP_DECIDED,
            recipients=[ana],
            message=MESSAGE,
            params={"organisation": name},
            url="/organisations/",
        )
    # Weekly kinds wait for the weekly digest.
    preference_set(person=ana, kind=Kind.DIALOGUE_PHASE, frequency=Preference.Frequency.WEEKLY)
    notification_send(kind=Kind.DIALOGUE_PHASE, recipients=[ana], message=MESSAGE, params={})

    assert notification_digests_send(frequency=Preference.Frequency.DAILY) == 1
    (message,) = mail.outbox
    for name in ["CEPAL", "BID", "AECID"]:
        assert name in message.body
    with override("es"):
        assert str(MESSAGE) % {"organisation": "BID"} in message.body
    assert "3" in message.subject

    assert notification_digests_send(frequency=Preference.Frequency.DAILY) == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1


def test_a_digest_with_nothing_new_is_not_sent() -> None:
    ana = UserFactory()
    preference_set(person=ana, kind=Kind.REPLY, frequency=Preference.Frequency.WEEKLY)
    call_command("notifications_send_digests", "--frequency", "weekly")
    assert mail.outbox == []


def test_the_digest_command_sends_the_weekly_digest() -> None:
    ana = UserFactory()
    preference_set(person=ana, kind=Kind.REPLY, frequency=Preference.Frequency.WEEKLY)
    notification_send(kind=Kind.REPLY, recipients=[ana], message=MESSAGE, params={})
    call_command("notifications_send_digests", "--frequency", "weekly")
    (message,) = mail.outbox
    assert "<html" in _html(message)
    assert "List-Unsubscribe" in message.extra_headers


def test_in_thread_mode_the_mail_job_goes_to_the_background_worker(
    settings: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    settings.BACKGROUND_EAGER = False
    settings.BACKGROUND_WORKER = "thread"
    jobs: list[Any] = []

    def schedule(key: str, *, delay: float, job: Any) -> bool:
        jobs.append(job)
        return True

    monkeypatch.setattr(background_worker, "schedule", schedule)
    ana = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _send(ana)
    assert mail.outbox == []  # nothing in the request
    (job,) = jobs
    job()
    assert [message.to for message in mail.outbox] == [[ana.email]]


def test_in_celery_mode_the_mail_is_a_task(
    settings: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    settings.BACKGROUND_EAGER = False
    settings.BACKGROUND_WORKER = "celery"
    sent: list[tuple[str, Any]] = []
    monkeypatch.setattr(
        celery_app, "send_task", lambda name, args, countdown: sent.append((name, args))
    )
    ana = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = _send(ana)
    assert sent == [(MAIL_TASK, [[notification.pk]])]
    assert mail.outbox == []
    notification_mail_task(*sent[0][1])
    assert len(mail.outbox) == 1


def test_the_beat_schedule_names_registered_tasks(settings: Any) -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {DIGEST_TASK, RETRY_TASK}
    assert tasks <= set(celery_app.tasks)


def test_the_list_unsubscribe_address_of_a_mail_stops_that_kind_in_one_post(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://puente.example.org"
    ana = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _send(ana)
    (message,) = mail.outbox
    address = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert address in message.body
    path = address.removeprefix("https://puente.example.org")
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert (
        Preference.objects.get(person=ana, kind=Kind.MEMBERSHIP_DECIDED).frequency
        == Preference.Frequency.NEVER
    )
    with django_capture_on_commit_callbacks(execute=True):
        _send(ana)
    assert len(mail.outbox) == 1


def test_within_a_muted_block_notifications_are_kept_but_never_mailed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), notification_mail_muted():
        (notification,) = _send(ana)
    notification_mail_retry()

    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.read_at is None  # still new in the app
    with django_capture_on_commit_callbacks(execute=True):
        _send(ana)
    assert len(mail.outbox) == 1  # the block is over
