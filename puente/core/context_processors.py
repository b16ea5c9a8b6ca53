from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """Expose what every page needs: the language list and the build's debug flag."""
    return {"LANGUAGE_CHOICES": settings.LANGUAGES, "DEBUG": settings.DEBUG}
