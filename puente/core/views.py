import logging
import re
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def privacy(request: HttpRequest) -> HttpResponse:
    """Show the privacy notice."""
    return render(request, "core/privacy.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 while the process is alive."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("readiness check failed: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# Logos are stored as logos/<random hex>.png by puente.core.images: nothing else is served.
_LOGO_NAME = re.compile(r"^[0-9a-f]{32}\.png$")
LOGO_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    # A logo never changes under its name: a new upload gets a new random name.
    "Cache-Control": "public, max-age=31536000, immutable",
}


def logo_file(request: HttpRequest, name: str) -> FileResponse:
    """Serve one stored logo as image/png with headers that forbid sniffing and scripting."""
    if not _LOGO_NAME.match(name):
        raise Http404
    path = Path(settings.MEDIA_ROOT) / "logos" / name
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/png")
    for header, value in LOGO_HEADERS.items():
        response[header] = value
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Render the friendly 404 page in the visitor's language."""
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the friendly 500 page in the visitor's language."""
    return render(request, "500.html", status=500)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Render the friendly 403 page in the visitor's language."""
    return render(request, "403.html", status=403)
