"""The vote hot path in front of Django's request handling: the WSGI application gunicorn runs.

``FastVoteMiddleware`` answers ``PUT .../statements/<id>/vote/`` with one read and one write,
but inside Django's handler: its layers and signals, an ``HttpResponse`` and the headers the
skipped middleware would add, set one by one on it. Under gunicorn, leaving those out saves
about a tenth of the CPU of a vote. ``VoteLane`` wraps Django's WSGI application
(``puente/wsgi.py``) and, for a vote-shaped request, does what Django's handler does around
a request (the same ``request_started`` and ``request_finished`` signals, the same
``WSGIRequest``) around the middleware's own ``cast``: the same checks, the same write.

Its answer has the body and headers ``FastVoteMiddleware`` would give. Those headers are the
same for every vote answered in one language, over HTTP or over HTTPS, that sets no cookie,
but for the length and the request id: the first such answer is built by the middleware's
``_finish`` and its headers are kept for the next ones (forgotten when settings change, in
tests). An answer that sets the language cookie is built by ``_finish`` each time.

Any request ``cast`` leaves goes to Django from the start, with its body put back, and is
answered as without the lane; so does a vote whose casting raised, which Django then casts
again (a vote is idempotent: the same vote twice is one vote). ``tests/api/test_vote_lane.py``
sends the hot path's cases through the lane and compares them with the DRF view's answers.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_script_name
from django.core.signals import request_finished, request_started, setting_changed
from django.http import HttpResponse
from django.urls import set_script_prefix
from django.utils import translation

from puente.accounts.middleware import language_cookie_due
from puente.core.middleware import request_id_assign

from .fast_votes import FastVoteMiddleware, _path_pattern, _vote_data

__all__ = ["VoteLane"]

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
Headers = list[tuple[str, str]]

# The headers that change from one vote's answer to the next, filled in each time.
_LENGTH = "Content-Length"
_REQUEST_ID = "X-Request-ID"


def _never(request: Any) -> HttpResponse:
    raise AssertionError("the lane leaves any request it does not answer to Django")


class VoteLane:
    """WSGI application: votes answered by ``FastVoteMiddleware.cast``, the rest by Django."""

    def __init__(self, application: WSGIHandler) -> None:
        self.application = application
        self.votes = FastVoteMiddleware(_never)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "PUT" and not environ.get("QUERY_STRING"):
            match = _path_pattern().match(environ.get("PATH_INFO", ""))
            if match is not None:
                answer = self._vote(environ, int(match.group(1)))
                if answer is not None:
                    status, headers, body = answer
                    start_response(status, headers)
                    return _Answer(body, self.application.__class__)
        return self.application(environ, start_response)

    def _vote(
        self, environ: dict[str, Any], statement_id: int
    ) -> tuple[str, Headers, bytes] | None:
        """Cast the vote and return its status, headers and body; or None for Django."""
        # What Django's handler does before its middleware (WSGIHandler.__call__).
        set_script_prefix(get_script_name(environ))
        request_started.send(sender=self.application.__class__, environ=environ)
        request = WSGIRequest(environ)
        try:
            cast = self.votes.cast(request, statement_id)
            if cast is not None:
                return self._answer(request, *cast)
        except Exception:
            # Django casts it again (a vote is idempotent) and answers as it answers errors.
            logger.warning("The vote lane failed; Django answers the vote", exc_info=True)
        # Django reads the request again from the start: the body too, if it was read here.
        body = getattr(request, "_body", None)
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
        return None

    def _answer(self, request: WSGIRequest, *cast: Any) -> tuple[str, Headers, bytes]:
        key = (translation.get_language(), request.is_secure())
        kept = _KEPT_HEADERS.get(key)
        if kept is None or language_cookie_due(request):
            response = self.votes._finish(request, self.votes._answer(*cast))
            headers = [
                *response.items(),
                *(("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()),
            ]
            if not response.cookies:
                _KEPT_HEADERS[key] = headers
            return f"{response.status_code} {response.reason_phrase}", headers, response.content
        body = orjson.dumps(_vote_data(*cast))
        request_id = request_id_assign(request)
        headers = [
            (
                name,
                str(len(body)) if name == _LENGTH else request_id if name == _REQUEST_ID else value,
            )
            for name, value in kept
        ]
        return "200 OK", headers, body


class _Answer:
    """The body, then Django's ``request_finished`` once the server has sent it (on close)."""

    def __init__(self, body: bytes, handler_class: type) -> None:
        self._body = body
        self._handler_class = handler_class

    def __iter__(self) -> Iterator[bytes]:
        yield self._body

    def close(self) -> None:
        request_finished.send(sender=self._handler_class)


# The headers of a vote's answer, by language and HTTPS, once the middleware built them.
_KEPT_HEADERS: dict[tuple[str | None, bool], Headers] = {}


def _forget(**kwargs: Any) -> None:
    _KEPT_HEADERS.clear()


setting_changed.connect(_forget, dispatch_uid="puente_vote_lane_forget")
