"""Reads: a person's notifications, and their text in the active language."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext

from puente.accounts.models import User

from .models import Kind, Notification, Preference


def notification_text(notification: Notification) -> str:
    """Return the notification's message in the active language, its parameters filled in."""
    try:
        return str(gettext(notification.message) % notification.params)
    except (KeyError, TypeError, ValueError):
        # A message whose placeholders changed since it was stored: show it as it was.
        return notification.message


def notification_list(*, person: User) -> QuerySet[Notification]:
    """Return the person's notifications, newest first."""
    return Notification.objects.filter(recipient=person).order_by("-created_at", "-pk")


def notification_unread_count(*, person: User) -> int:
    """Return how many of the person's notifications are unread."""
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def notification_frequencies(*, person_ids: Iterable[int], kind: Kind) -> dict[int, str]:
    """Return the chosen mail frequency of one kind for each person who chose one."""
    return dict(
        Preference.objects.filter(person_id__in=list(person_ids), kind=kind).values_list(
            "person_id", "frequency"
        )
    )


def preference_map(*, person: User) -> dict[str, str]:
    """Return the person's mail frequency for every kind (immediately when never chosen)."""
    chosen = dict(Preference.objects.filter(person=person).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, Preference.Frequency.IMMEDIATELY) for kind in Kind.values}
