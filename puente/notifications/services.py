"""Writes: notifying people. Called by the services of the apps whose events they are."""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import override

from puente.accounts.models import User

from .models import Kind, Notification


@transaction.atomic
def notification_send(
    *,
    kind: Kind,
    recipients: Iterable[User],
    message: str | Promise,
    params: Mapping[str, str] | None = None,
    url: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """Tell each recipient (but not the actor) something, in their language when read.

    ``message`` is a ``gettext_lazy`` string with %(name)s placeholders filled from
    ``params``; it is stored in English and translated whenever it is shown or mailed.
    """
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
                params=dict(params or {}),
                url=url,
                actor=actor,
            )
        )
    return Notification.objects.bulk_create(rows)
