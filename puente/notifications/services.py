"""Writes: notifying people, and mailing what they asked to get by mail.

``notification_send`` is called by the services of the apps whose events they are. Mail
leaves after the transaction commits, in the background (the embedded mode's thread or a
Celery worker); a mail that fails keeps its notification unmailed and is tried again later.
"""

import logging
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import ngettext, override

from puente.accounts.models import User
from puente.celery import app as celery_app
from puente.core.background import background_worker

from .models import Kind, Notification, Preference
from .selectors import notification_frequencies, notification_text
from .tokens import unsubscribe_token_make

logger = logging.getLogger(__name__)

MAIL_TASK = "notifications.mail_deliver"
DIGEST_TASK = "notifications.send_digests"
RETRY_TASK = "notifications.mail_retry"
# A failed mail is tried again after 1, 4, 16, 64 minutes... at most every 6 hours, 8 times.
MAIL_MAX_ATTEMPTS = 8
_RETRY_FIRST = timedelta(minutes=1)
_RETRY_LONGEST = timedelta(hours=6)
# A digest gathers what is unmailed from at most this far back: a person who turns a kind
# from "never" to a digest does not get months of old news at once.
DIGEST_REACH = {
    Preference.Frequency.DAILY: timedelta(days=2),
    Preference.Frequency.WEEKLY: timedelta(days=14),
}


# Set while notifications must stay in the app only (the demo's load: see notification_mail_muted).
_mail_muted: ContextVar[bool] = ContextVar("puente_notification_mail_muted", default=False)


@contextmanager
def notification_mail_muted() -> Iterator[None]:
    """Within the block, notifications are stored but never mailed (as if already mailed)."""
    token = _mail_muted.set(True)
    try:
        yield
    finally:
        _mail_muted.reset(token)


@transaction.atomic
def notification_send(
    *,
    kind: Kind,
    recipients: Iterable[User],
    message: str | Promise,
    params: Mapping[str, str] | None = None,
    url: str = "",
    actor: User | None = None,
    already_mailed: bool = False,
) -> list[Notification]:
    """Tell each recipient (but not the actor) something, in their language when read.

    ``message`` is a ``gettext_lazy`` string with %(name)s placeholders filled from
    ``params``; it is stored in English and translated whenever it is shown or mailed.
    Those who want this kind at once are mailed after the transaction commits, unless
    ``already_mailed`` (an invitation whose own mail went to the address).
    """
    already_mailed = already_mailed or _mail_muted.get()
    with override(None):
        source = str(message)
    seen: set[int] = set()
    rows = []
    for person in recipients:
        if person.pk in seen or (actor is not None and person.pk == actor.pk):
            continue
        seen.add(person.pk)
        rows.append(
            Notification(
                recipient=person,
                kind=kind,
                message=source,
                params={key: str(value) for key, value in (params or {}).items()},
                url=url,
                actor=actor,
                emailed_at=timezone.now() if already_mailed else None,
            )
        )
    created = Notification.objects.bulk_create(rows)
    if already_mailed:
        return created
    frequencies = notification_frequencies(person_ids=seen, kind=kind)
    immediate = [
        row.pk
        for row in created
        if row.recipient.is_active
        and row.recipient.email
        and frequencies.get(row.recipient_id, Preference.Frequency.IMMEDIATELY)
        == Preference.Frequency.IMMEDIATELY
    ]
    if immediate:
        transaction.on_commit(partial(notification_mail_schedule, notification_ids=immediate))
    return created


@transaction.atomic
def notification_read(*, person: User, notification: Notification) -> Notification:
    """Mark one of the person's notifications as read (again: nothing changes)."""
    if notification.recipient_id != person.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_read_all(*, person: User) -> int:
    """Mark all the person's unread notifications as read; return how many were unread."""
    return Notification.objects.filter(recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_set(*, person: User, kind: Kind, frequency: Preference.Frequency) -> Preference:
    """Set how often the person gets one kind of notification by mail."""
    preference, _created = Preference.objects.update_or_create(
        person=person, kind=Kind(kind), defaults={"frequency": Preference.Frequency(frequency)}
    )
    return preference


@transaction.atomic
def preferences_set(*, person: User, frequencies: Mapping[str, str]) -> None:
    """Set the frequency of several kinds at once (all or none)."""
    for kind, frequency in frequencies.items():
        preference_set(person=person, kind=Kind(kind), frequency=Preference.Frequency(frequency))


# Mail -------------------------------------------------------------------------------------


def notification_mail_schedule(*, notification_ids: Sequence[int], delay: float = 0) -> None:
    """Mail these notifications in the background, one message each (after the commit)."""
    ids = list(notification_ids)
    if settings.BACKGROUND_EAGER:
        # Tests: at once; a retry waits for the periodic run instead of looping here.
        if delay <= 0:
            notification_mail_deliver(notification_ids=ids)
        return
    if settings.BACKGROUND_WORKER == "celery":
        celery_app.send_task(MAIL_TASK, args=[ids], countdown=delay)
        return
    background_worker.schedule(
        f"notifications:mail:{uuid.uuid4().hex}",
        delay=delay,
        job=partial(_deliver_in_background, ids),
    )


def _deliver_in_background(notification_ids: list[int]) -> None:
    notification_mail_deliver(notification_ids=notification_ids)


def _retry_delay(attempts: int) -> timedelta:
    delay: timedelta = _RETRY_FIRST * 4 ** max(attempts - 1, 0)
    return min(delay, _RETRY_LONGEST)


def notification_mail_deliver(*, notification_ids: Sequence[int]) -> int:
    """Mail each notification still unmailed whose recipient wants its kind at once.

    Return how many mails left. A mail that fails is counted and scheduled again later.
    """
    sent = 0
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(of=("self",))
                .select_related("recipient")
                .filter(pk=notification_id, emailed_at__isnull=True)
                .first()
            )
            if notification is None:
                continue
            frequency = notification_frequencies(
                person_ids=[notification.recipient_id], kind=Kind(notification.kind)
            ).get(notification.recipient_id, Preference.Frequency.IMMEDIATELY)
            if frequency != Preference.Frequency.IMMEDIATELY or not notification.recipient.email:
                # Changed its mind meanwhile: the digest (or nobody) takes it.
                notification.mail_next_attempt_at = None
                notification.save(update_fields=["mail_next_attempt_at"])
                continue
            try:
                notification_mail_message(
                    person=notification.recipient, notifications=[notification]
                ).send()
            except Exception:
                notification.mail_attempts += 1
                if notification.mail_attempts < MAIL_MAX_ATTEMPTS:
                    delay = _retry_delay(notification.mail_attempts)
                    notification.mail_next_attempt_at = timezone.now() + delay
                    transaction.on_commit(
                        partial(
                            notification_mail_schedule,
                            notification_ids=[notification.pk],
                            delay=delay.total_seconds(),
                        )
                    )
                else:
                    notification.mail_next_attempt_at = None
                logger.exception(
                    "Mailing notification %s failed (attempt %s)",
                    notification.pk,
                    notification.mail_attempts,
                )
                notification.save(update_fields=["mail_attempts", "mail_next_attempt_at"])
                continue
            notification.emailed_at = timezone.now()
            notification.mail_next_attempt_at = None
            notification.save(update_fields=["emailed_at", "mail_next_attempt_at"])
            sent += 1
    return sent


def notification_mail_retry() -> int:
    """Try again every failed mail that is due (periodic: cron or Celery beat)."""
    due = list(
        Notification.objects.filter(
            emailed_at__isnull=True, mail_next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    # Each row is locked while it is mailed, and skipped once mailed: a retry the worker
    # scheduled for the same row meanwhile sends nothing twice.
    return notification_mail_deliver(notification_ids=due) if due else 0


def notification_digests_send(*, frequency: Preference.Frequency) -> int:
    """Mail each person with kinds at this frequency one digest of what is new; return how many.

    Nothing new, no mail; what a digest carried is marked mailed, so a second run sends none.
    """
    frequency = Preference.Frequency(frequency)
    since = timezone.now() - DIGEST_REACH[frequency]
    kinds_of: dict[int, list[str]] = {}
    for person_id, kind in Preference.objects.filter(frequency=frequency).values_list(
        "person_id", "kind"
    ):
        kinds_of.setdefault(person_id, []).append(kind)
    sent = 0
    people = User.objects.filter(pk__in=kinds_of, is_active=True).exclude(email="")
    for person in people.order_by("pk"):
        with transaction.atomic():
            notifications = list(
                Notification.objects.select_for_update()
                .filter(
                    recipient=person,
                    kind__in=kinds_of[person.pk],
                    emailed_at__isnull=True,
                    created_at__gte=since,
                )
                .order_by("created_at", "pk")
            )
            if not notifications:
                continue
            try:
                notification_mail_message(
                    person=person, notifications=notifications, frequency=frequency
                ).send()
            except Exception:
                # Left unmailed: the next run takes them (within the digest's reach).
                logger.exception("Mailing the %s digest to person %s failed", frequency, person.pk)
                continue
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                emailed_at=timezone.now(), mail_next_attempt_at=None
            )
            sent += 1
    return sent


def site_url(path: str) -> str:
    """Return the absolute address of a path on this site, from SITE_URL (never the request)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def notification_mail_message(
    *,
    person: User,
    notifications: Sequence[Notification],
    frequency: Preference.Frequency = Preference.Frequency.IMMEDIATELY,
) -> EmailMultiAlternatives:
    """Build the mail of one notification or of a digest, in the person's language."""
    kinds = sorted({notification.kind for notification in notifications})
    unsubscribe_url = site_url(
        reverse("notifications:unsubscribe", args=[unsubscribe_token_make(person, kinds)])
    )
    language = person.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        items = [
            {"text": notification_text(notification), "url": site_url(notification.url or "/")}
            for notification in notifications
        ]
        if frequency == Preference.Frequency.IMMEDIATELY:
            subject = " ".join(items[0]["text"].split())
            if len(subject) > 120:
                subject = subject[:119] + "…"
        elif frequency == Preference.Frequency.DAILY:
            subject = ngettext(
                "Your daily Puente digest: %(count)s notification",
                "Your daily Puente digest: %(count)s notifications",
                len(items),
            ) % {"count": len(items)}
        else:
            subject = ngettext(
                "Your weekly Puente digest: %(count)s notification",
                "Your weekly Puente digest: %(count)s notifications",
                len(items),
            ) % {"count": len(items)}
        context = {
            "person": person,
            "items": items,
            "is_digest": frequency != Preference.Frequency.IMMEDIATELY,
            "kinds": [str(Kind(kind).label) for kind in kinds],
            "notifications_url": site_url(reverse("notifications:list")),
            "preferences_url": site_url(reverse("notifications:preferences")),
            "unsubscribe_url": unsubscribe_url,
            "LANGUAGE_CODE": language,
            "subject": subject,
        }
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[person.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


@transaction.atomic
def unsubscribe_apply(*, person: User, kinds: Iterable[str]) -> list[Kind]:
    """Stop mail of these kinds for the person (the in-app notifications stay)."""
    done = []
    for kind in kinds:
        if kind in Kind.values:
            preference_set(person=person, kind=Kind(kind), frequency=Preference.Frequency.NEVER)
            done.append(Kind(kind))
    return done
