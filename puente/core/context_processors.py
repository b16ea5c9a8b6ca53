from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .permissions import needs_second_factor


def site(request: HttpRequest) -> dict[str, Any]:
    """Expose what every page needs: languages, the debug flag, a missing second factor."""
    user = getattr(request, "user", None)
    return {
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "DEBUG": settings.DEBUG,
        "NEEDS_SECOND_FACTOR": user is not None and needs_second_factor(user),
    }
