"""Reads: a person's notifications, and their text in the active language."""

from django.db.models import QuerySet
from django.utils.translation import gettext

from puente.accounts.models import User

from .models import Notification


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
