import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .logging import request_id_var

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (kept from X-Request-ID when sane) for logs and responses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_assign(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def request_id_assign(request: HttpRequest) -> str:
    """Return the request's id, chosen once per request, and make it the id its logs carry."""
    request_id: str | None = getattr(request, "request_id", None)
    if request_id is None:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
    # Left set after the response, so the server's access-log line carries it too.
    request_id_var.set(request_id)
    return request_id


class PrivacyHeadersMiddleware:
    """Send the Permissions-Policy; keep personal responses out of every cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        privacy_headers_apply(request, response)
        return response


def privacy_headers_apply(request: HttpRequest, response: HttpResponse) -> None:
    """Add the Permissions-Policy, and keep a personal response out of every cache."""
    response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
    # request.user is read after the view: DRF puts its token-authenticated user there too.
    user = getattr(request, "user", None)
    is_private = (user is not None and user.is_authenticated) or request.path.startswith(
        tuple(settings.PRIVATE_PATH_PREFIXES)
    )
    if is_private and "Cache-Control" not in response:
        response["Cache-Control"] = "private, no-store"
