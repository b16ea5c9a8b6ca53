"""The vote lane (puente/api/vote_lane.py) answers through WSGI exactly as the DRF view would.

Each case of the hot path's tests (tests/api/test_fast_votes.py) is sent twice on the same
data: once to the DRF view (the hot path removed from MIDDLEWARE, inside a savepoint that is
rolled back), once through the lane in front of Django's handler, as gunicorn sends it.
Status, body, headers, cookies and rows must match, and each case says whether the lane or
Django must have answered it.
"""

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.http import HttpResponse

from puente.api import vote_lane
from puente.api.fast_votes import FastVoteMiddleware
from puente.api.vote_lane import VoteLane
from puente.dialogues.models import Vote, VoteChange
from tests.api.conftest import World
from tests.api.test_fast_votes import (
    ANSWERED_HERE,
    LEFT_TO_THE_VIEW,
    Case,
    _json,
    _outcome,
    _rows,
    _send,
    _view_outcome,
    new_vote,
)


class LaneHandler:
    """Stands in for the test client's handler: the request goes through the lane first.

    What the lane leaves goes on to the client's own handler, with the environ as the lane
    left it (the body put back), as gunicorn would pass it on to Django's application.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.answered_by: list[str] = []
        self.lane = VoteLane(self._django)  # type: ignore[arg-type]  # a stand-in
        self._left: list[dict[str, Any]] = []

    def _django(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self._left.append(environ)
        return []

    def __call__(self, environ: dict[str, Any]) -> HttpResponse:
        answer: list[tuple[str, list[tuple[str, str]]]] = []
        # As the client's own handler does: the test's transaction keeps its connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body_iterable = self.lane(
                environ, lambda status, headers: answer.append((status, headers))
            )
            if self._left:
                self.answered_by.append("django")
                answered: HttpResponse = self.inner(self._left.pop())
                return answered
            self.answered_by.append("lane")
            body = b"".join(body_iterable)
            body_iterable.close()  # type: ignore[attr-defined]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        ((status, headers),) = answer
        response = HttpResponse(body, status=int(status.split()[0]))
        del response["Content-Type"]
        for name, value in headers:
            if name == "Set-Cookie":
                response.cookies.load(value)
            else:
                response[name] = value
        assert int(response["Content-Length"]) == len(body)
        response.wsgi_request = WSGIRequest(environ)  # type: ignore[attr-defined]  # as the client's
        return response


def _compare(make: Callable[[World], Case], world: World, settings: Any) -> list[str]:
    """Send the case to the view, then through the lane; return who answered, in order."""
    case = make(world)
    expected, expected_rows, cookies = _view_outcome(case, settings)
    handler = LaneHandler(case.client.handler)
    case.client.handler = handler  # type: ignore[assignment]
    # Twice: the first answer in a language builds its headers, the next reuses them.
    for attempt in range(2):
        case.client.cookies = copy.deepcopy(cookies)
        with transaction.atomic():
            actual = _outcome(_send(case))
            assert actual == expected, f"attempt {attempt + 1}"
            assert _rows() == expected_rows
            transaction.set_rollback(True)
    return handler.answered_by


@pytest.mark.parametrize("make", ANSWERED_HERE, ids=lambda make: make.__name__)
def test_the_lane_answers_as_the_view_would(world, make, settings):
    assert _compare(make, world, settings) == ["lane", "lane"]


@pytest.mark.parametrize("make", LEFT_TO_THE_VIEW, ids=lambda make: make.__name__)
def test_what_the_lane_leaves_django_answers_as_before(world, make, settings):
    assert _compare(make, world, settings) == ["django", "django"]


def test_over_https_the_lane_answers_as_the_view_would(world, settings):
    settings.SECURE_HSTS_SECONDS = 3600

    def secure_vote(world: World) -> Case:
        case = new_vote(world)
        case.extra = {"secure": True}  # type: ignore[dict-item]
        return case

    assert _compare(secure_vote, world, settings) == ["lane", "lane"]


def test_a_vote_whose_casting_failed_is_cast_once_by_django(world, monkeypatch):
    case = new_vote(world)
    cast = FastVoteMiddleware.cast
    calls: list[int] = []

    def cast_then_fail(self: FastVoteMiddleware, *given: Any) -> Any:
        # The lane's call fails once the vote is written; Django's own call then succeeds.
        calls.append(1)
        answer = cast(self, *given)
        if len(calls) == 1:
            raise RuntimeError("after the write")
        return answer

    monkeypatch.setattr(FastVoteMiddleware, "cast", cast_then_fail)
    handler = LaneHandler(case.client.handler)
    case.client.handler = handler  # type: ignore[assignment]
    answer = _send(case)
    assert handler.answered_by == ["django"]
    assert len(calls) == 2
    assert answer.status_code == 200
    assert answer.json()["choice"] == -1
    assert Vote.objects.count() == 1
    assert VoteChange.objects.count() == 1


def test_each_answer_of_the_lane_sends_request_finished_once_the_body_is_sent(world):
    case = new_vote(world)
    finished: list[object] = []

    def on_finished(sender: object, **kwargs: Any) -> None:
        finished.append(sender)

    request_finished.connect(on_finished)
    try:
        handler = LaneHandler(case.client.handler)
        case.client.handler = handler  # type: ignore[assignment]
        for choice in (1, -1):
            assert _send(Case(case.client, case.statement_id, _json(choice))).status_code == 200
    finally:
        request_finished.disconnect(on_finished)
    assert handler.answered_by == ["lane", "lane"]
    assert len(finished) == 2


def test_the_headers_kept_for_votes_are_forgotten_when_settings_change(world, settings):
    case = new_vote(world)
    case.client.handler = LaneHandler(case.client.handler)  # type: ignore[assignment]
    assert _send(case).status_code == 200
    assert vote_lane._KEPT_HEADERS
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"
    assert not vote_lane._KEPT_HEADERS
    answer = _send(Case(case.client, case.statement_id, _json(1)))
    assert answer["X-Frame-Options"] == "SAMEORIGIN"


def test_the_headers_kept_for_one_language_are_not_given_to_another(world):
    case = new_vote(world)
    case.client.handler = LaneHandler(case.client.handler)  # type: ignore[assignment]
    languages = []
    for number, language in enumerate(["es", "en", "es", "pt", "en"]):
        answer = _send(
            Case(
                case.client,
                case.statement_id,
                _json([1, -1, 0][number % 3]),
                extra={"HTTP_ACCEPT_LANGUAGE": language},
            )
        )
        assert answer.status_code == 200
        languages.append(answer["Content-Language"])
    assert languages == ["es", "en", "es", "pt", "en"]


def test_the_headers_kept_for_http_are_not_given_over_https(world, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    case = new_vote(world)
    case.client.handler = LaneHandler(case.client.handler)  # type: ignore[assignment]
    strict = []
    for number, secure in enumerate([False, True, False, True]):
        answer = case.client.put(
            f"/api/v1/statements/{case.statement_id}/vote/",
            {"choice": [1, -1][number % 2]},
            format="json",
            secure=secure,
        )
        assert answer.status_code == 200
        strict.append(answer.get("Strict-Transport-Security"))
    assert strict == [None, "max-age=3600", None, "max-age=3600"]
