"""What every endpoint shares: authentication order, error documentation, language choice."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import (
    BasePermission,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.request import Request

from ..authentication import TokenAuthentication
from ..serializers import ErrorSerializer, LanguageQuerySerializer

# Token first, so that a request without credentials gets 401 with WWW-Authenticate: Token
# rather than the 403 that session authentication alone would give.
AUTHENTICATION: list[type[BaseAuthentication]] = [TokenAuthentication, SessionAuthentication]
# Anyone reads; writes need a signed-in person, and the services decide the rest (403).
READ_OR_SIGNED_IN: list[type[BasePermission]] = [IsAuthenticatedOrReadOnly]
SIGNED_IN: list[type[BasePermission]] = [IsAuthenticated]

_ERROR_DESCRIPTIONS = {
    400: _("Invalid input: each error names the faulty field."),
    401: _("Sign in (session) or send a token: Authorization: Token <key>."),
    403: _("You may not do this."),
    404: _("Not found, or not visible to you."),
    429: _("Too many requests: try again later."),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the OpenAPI documentation of the given error statuses."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=str(_ERROR_DESCRIPTIONS[code]))
        for code in codes
    }


@contextmanager
def language_of(request: Request) -> Iterator[str]:
    """Activate the language asked for by ?lang (else the request's), and yield it."""
    given = LanguageQuerySerializer(data=request.query_params)
    given.is_valid(raise_exception=True)
    language = given.validated_data.get("lang") or translation.get_language()
    with translation.override(language):
        yield language
