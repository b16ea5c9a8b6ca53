"""Figures computed from the whole portfolio, cached under the portfolio's version.

Money by contributor, country, theme and year, and the choices of the portfolio's filters,
are aggregates over every visible initiative and transaction: on a large portfolio they cost
seconds. They change only when initiatives, their parts, the rates, the organisations or the
agenda items and statements behind them do, so they are kept in the cache (and the pages'
renderings of them with ``{% cache %}``) under a key made of

- the portfolio's content version (``puente.core.versions``), replaced by every such write
  (the models connected in apps.py; ``portfolio_changed`` after the bulk writes that send no
  signals);
- what the viewer may see: the partnerships visible to them and those they belong to;
- the question (which figures, for which partnership, in which language).
"""

from __future__ import annotations

from typing import Any

from puente.core.permissions import Viewer, is_platform_admin, is_signed_in
from puente.core.versions import (
    CACHE_SECONDS,
    cached,
    content_changed,
    content_key,
    content_version,
)
from puente.partnerships.models import Partnership

__all__ = ["CACHE_SECONDS", "PORTFOLIO", "cached", "figures_key", "portfolio_changed"]

# The name of the portfolio's content version.
PORTFOLIO = "portfolio"


def portfolio_changed() -> None:
    """Give the portfolio a new version: figures cached under the old one are not read again."""
    content_changed(PORTFOLIO)


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
    return content_key(
        "initiatives:figures", content_version(PORTFOLIO), _viewer_scope(viewer), question
    )
