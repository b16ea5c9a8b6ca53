from functools import cached_property
from typing import Any

from django.http import HttpRequest

from puente.accounts.models import User

from .selectors import notification_unread_count


class _Unread:
    """The signed-in person's unread count, counted once and only if a template asks."""

    def __init__(self, person: User) -> None:
        self._person = person

    @cached_property
    def count(self) -> int:
        return notification_unread_count(person=self._person)


def notifications(request: HttpRequest) -> dict[str, Any]:
    """Expose the unread count of the signed-in person's notifications (lazily: one query)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"notifications_unread": _Unread(user)}
