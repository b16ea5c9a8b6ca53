"""System checks of the configuration that settings.py cannot refuse on its own."""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error


def site_url_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """Refuse a SITE_URL that is not an absolute http(s) address (links in mail start with it)."""
    given: object = settings.SITE_URL
    parts = urlsplit(given) if isinstance(given, str) else urlsplit("")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return [
            Error(
                f"SITE_URL must be an absolute http(s) address, not {given!r}.",
                hint="Set SITE_URL to the site's public address, e.g. https://puente.example.org.",
                id="puente.E001",
            )
        ]
    if parts.query or parts.fragment:
        return [
            Error(
                f"SITE_URL must have no query or fragment: {given!r}.",
                hint="Set SITE_URL to the site's public address, e.g. https://puente.example.org.",
                id="puente.E001",
            )
        ]
    return []
