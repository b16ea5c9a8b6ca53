"""Template tags of the initiatives' downloads."""

from typing import Any

from django import template

from ..downloads import DOWNLOAD_FORMATS

register = template.Library()


@register.inclusion_tag("initiatives/_download_links.html")
def download_links(path: str = "") -> dict[str, Any]:
    """Link to each download of the list: the path given (else this page), same query."""
    return {"download_path": path, "download_formats": DOWNLOAD_FORMATS}
