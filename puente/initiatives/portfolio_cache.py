"""Figures computed from the whole portfolio, cached under the portfolio's version.

Money by contributor, country, theme and year, and the choices of the portfolio's filters,
are aggregates over every visible initiative and transaction: on a large portfolio they cost
seconds. They change only when initiatives, their parts, the rates, the organisations or the
agenda items and statements behind them do, so they are kept in the cache (and the pages'
renderings of them with ``{% cache %}``) under a key made of

- the portfolio's version: a random token in the database (``PortfolioVersion``), replaced
  by every such write (signals below, housekeeping only; and ``portfolio_changed`` after the
  bulk writes that send no signals). Being in the database, it is the same for every web
  and worker process, whichever cache is configured;
- what the viewer may see: the partnerships visible to them and those they belong to;
- the question (which figures, for which partnership, in which language).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from puente.core.permissions import Viewer, is_platform_admin, is_signed_in
from puente.partnerships.models import Partnership

from .models import PortfolioVersion

T = TypeVar("T")
CACHE_SECONDS = 24 * 60 * 60
_ROW = 1


def portfolio_version() -> str:
    """Return the portfolio's current version token ("" before the first write)."""
    token = PortfolioVersion.objects.filter(pk=_ROW).values_list("token", flat=True).first()
    return token or ""


def portfolio_changed() -> None:
    """Give the portfolio a new version: figures cached under the old one are not read again."""
    token = uuid.uuid4().hex
    if PortfolioVersion.objects.filter(pk=_ROW).update(token=token):
        return
    try:
        with transaction.atomic():
            PortfolioVersion.objects.create(pk=_ROW, token=token)
    except IntegrityError:  # created meanwhile by another write
        PortfolioVersion.objects.filter(pk=_ROW).update(token=token)


def _viewer_scope(viewer: Viewer) -> str:
    """Return what decides which initiatives the viewer may read, as text.

    Kept on the viewer object, which lives as long as its request: a page asks for
    several keys.
    """
    known: str | None = getattr(viewer, "_portfolio_scope", None)
    if known is None:
        known = _scope_read(viewer)
        # An anonymous viewer is a fresh object per request too.
        viewer._portfolio_scope = known  # type: ignore[union-attr]
    return known


def _scope_read(viewer: Viewer) -> str:
    if is_platform_admin(viewer):
        return "admin"
    visible = Partnership.objects.visible_to(viewer).order_by("pk").values_list("pk", flat=True)
    scope = "v" + ",".join(map(str, visible))
    if is_signed_in(viewer):
        member_of = (
            Partnership.objects.belonging_to(viewer).order_by("pk").values_list("pk", flat=True)
        )
        scope += "m" + ",".join(map(str, member_of.values_list("pk", flat=True)))
    return scope


def figures_key(viewer: Viewer, question: tuple[Any, ...]) -> str:
    """Return the cache key of the question's figures for the viewer, as the portfolio stands.

    Templates may use it with ``{% cache %}`` (adding the language) for what they render.
    """
    text = repr((portfolio_version(), _viewer_scope(viewer), question))
    return "initiatives:figures:" + hashlib.sha256(text.encode()).hexdigest()


def cached(key: str, compute: Callable[[], T]) -> T:
    """Return compute()'s value, from the cache under the key (see figures_key) if there."""
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _changed(**_kwargs: Any) -> None:
    portfolio_changed()


def signals_connect(models: list[type[Model]], many_to_many: list[type[Model]]) -> None:
    """Give the portfolio a new version whenever one of the models is saved or deleted.

    Connected per model, never to every model: a post_delete receiver for a model makes
    Django fetch each row it deletes instead of deleting in bulk.
    """
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"portfolio-save-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"portfolio-delete-{model}")
    for through in many_to_many:
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"portfolio-m2m-{through}")
