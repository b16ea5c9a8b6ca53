"""Named content versions: cache keys that change whenever their content is written.

A page that renders from many rows (the directory, a partnership, the portfolio's figures)
caches what it computes or renders under a key that includes the version of the content it
shows. Each version is a random token in the database (``ContentVersion``), so every web and
worker process sees the same one whichever cache is configured; it is replaced by every write
to the models connected to it (signals below: housekeeping only, STYLE rule 8) and by
``content_changed`` after bulk writes that send no signals.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest

from .models import ContentVersion
from .registry import page_content_versions

__all__ = [
    "cached",
    "content_changed",
    "content_key",
    "content_version",
    "content_versions",
    "content_versions_connect",
    "current_minute",
    "visitor_page_key",
]

T = TypeVar("T")
CACHE_SECONDS = 24 * 60 * 60


def content_version(name: str) -> str:
    """Return the named content's current version token ("" before its first write)."""
    token = ContentVersion.objects.filter(name=name).values_list("token", flat=True).first()
    return token or ""


def content_versions(names: Iterable[str]) -> tuple[str, ...]:
    """Return the named contents' current version tokens in the order named, in one query."""
    wanted = list(names)
    tokens = dict(ContentVersion.objects.filter(name__in=wanted).values_list("name", "token"))
    return tuple(tokens.get(name, "") for name in wanted)


def content_changed(name: str) -> None:
    """Give the named content a new version: what was cached under the old one is not read."""
    token = uuid.uuid4().hex
    if ContentVersion.objects.filter(name=name).update(token=token):
        return
    try:
        with transaction.atomic():
            ContentVersion.objects.create(name=name, token=token)
    except IntegrityError:  # created meanwhile by another write
        ContentVersion.objects.filter(name=name).update(token=token)


def content_key(prefix: str, *parts: Any) -> str:
    """Return a cache key made of the prefix and a digest of the parts (versions, viewer
    scope, the question asked); templates add the language when they ``{% cache %}`` by it."""
    return prefix + ":" + hashlib.sha256(repr(parts).encode()).hexdigest()


def current_minute() -> int:
    """Return the number of minutes since the epoch: the clock's part of visitor page keys."""
    return int(time.time() // 60)


def visitor_page_key(request: HttpRequest, page: str, *question: Any) -> str | None:
    """Return the key under which a visitor's rendering of the page's body may be cached, or
    None for a signed-in person (whose page shows what they may do, and is rendered afresh).

    The key holds the versions of every content the page shows (registered with
    ``page_content_version_register``), the address with its query, the question, and the
    current minute: what depends on the clock (a dialogue's phase follows its dates) is at
    most a minute late. Templates add the language.
    """
    if getattr(request.user, "is_authenticated", False):
        return None
    names = page_content_versions(page)
    return content_key(
        f"page:{page}",
        names,
        content_versions(names),
        request.path,
        sorted(request.GET.lists()),
        current_minute(),
        question,
    )


def cached(key: str, compute: Callable[[], T]) -> T:
    """Return compute()'s value, from the cache under the key if there."""
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _changed(name: str, **_kwargs: Any) -> None:
    content_changed(name)


def content_versions_connect(
    name: str, models: Iterable[type[Model]], many_to_many: Iterable[type[Model]] = ()
) -> None:
    """Give the named content a new version whenever one of the models is saved or deleted
    (or a many-to-many through model changes).

    Connected per model, never to every model: a post_delete receiver for a model makes
    Django fetch each row it deletes instead of deleting in bulk.
    """
    receiver = partial(_changed, name)
    for model in models:
        uid = f"version-{name}-{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-delete")
    for through in many_to_many:
        m2m_changed.connect(
            receiver, sender=through, weak=False, dispatch_uid=f"version-{name}-m2m-{through}"
        )
