"""The API's hot path: a vote cast with a token, answered without the full request machinery.

``PUT /api/v1/statements/<id>/vote/`` is the request Puente answers most, and through DRF it
costs about 9 ms of CPU: three ORM queries are built for the token, the statement and the
participation before the vote is written, and DRF's dispatch wraps them. This middleware
answers the common case with one read that joins what those queries read, then the same
checks and the same write as the view:

- the same knox token check (key, digest, expiry, active person) and the same rate limit
  (``UserThrottle``);
- the same permission predicates: ``can_do(person, dialogue, Action.VOTE)`` and the phase
  table, on model instances built from that one read;
- the same service, ``vote_cast``, and the same answer as the view's serializer.

Whatever it does not handle goes on to the DRF view unchanged, which then gives the answer
and its error message: a request signed in by session (CSRF applies), a body that is not a
JSON object with a whole-number choice, an unknown or expired token, a missing statement, a
person who has not chosen how they take part, a refused vote, a throttled person. So this
path only ever gives the answer the view would have given; ``tests/api/test_fast_votes.py``
runs every case both ways and compares status, body, headers and rows.

It comes first in MIDDLEWARE: walking a vote through the sixteen middleware below it cost a
quarter of the request, and none of them changes whether or how a vote is cast. What they
add to an answer (headers, the language cookie, the request's id) ``_finish`` adds, with
their own code where it can; a test checks that the middleware below are still the ones it
accounts for.

Under gunicorn a vote does not even reach Django's handler: ``puente/api/vote_lane.py``, in
front of it, calls this middleware's ``cast`` and answers with the headers ``_finish`` gave.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Callable
from functools import cache
from hmac import compare_digest
from typing import Any, cast

import orjson
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from rest_framework import serializers

from puente.accounts.middleware import language_cookie_apply
from puente.accounts.models import User
from puente.core.middleware import privacy_headers_apply, request_id_assign
from puente.core.permissions import is_signed_in
from puente.core.rows import (
    Converter,
    converted,
    default_connection,
    field_converters,
    instance_from_row,
    rows_read_checking_connection,
)
from puente.dialogues.models import Dialogue, Participation, Statement, Vote
from puente.dialogues.permissions import can_do
from puente.dialogues.phases import Action
from puente.dialogues.services import vote_cast
from puente.partnerships.models import Partnership

__all__ = ["FastVoteMiddleware"]

# The largest body the path reads: {"choice": -1} with room for spaces and extra keys.
_MAX_BODY = 1024
_CHOICES = frozenset((1, -1, 0))
# The methods DRF lists for the view (Allow) and the header DRF varies its answer on.
_ALLOW = "GET, PUT, HEAD, OPTIONS"

# What the one read fetches: each model's concrete fields under its table's alias.
_MODELS: tuple[tuple[type[Model], str], ...] = (
    (AuthToken, "t"),
    (User, "u"),
    (Statement, "s"),
    (Dialogue, "d"),
    (Partnership, "p"),
)


class _Read:
    """The SQL of the one read, and how to turn its row into model instances."""

    def __init__(self) -> None:
        quote = connection.ops.quote_name
        columns: list[str] = []
        self.parts: list[tuple[type[Model], list[str], list[tuple[int, Any, list[Converter]]]]]
        self.parts = []
        for model, alias in _MODELS:
            fields = list(model._meta.concrete_fields)
            names = [field.attname for field in fields]
            # What the ORM applies to each column it reads (dates from SQLite's text, say).
            converters = [
                (index, column, steps)
                for index, (column, steps) in enumerate(
                    field_converters(field, alias) for field in fields
                )
                if steps  # most columns need none: not walked on each read
            ]
            columns.extend(f"{alias}.{quote(field.column)}" for field in fields)
            self.parts.append((model, names, converters))
        self.sql = (
            f"SELECT {', '.join(columns)}, pa.{quote('id')} "  # noqa: S608  # names from the models
            f"FROM {quote(AuthToken._meta.db_table)} t "
            f"JOIN {quote(User._meta.db_table)} u ON u.{quote('id')} = t.{quote('user_id')} "
            f"CROSS JOIN {quote(Statement._meta.db_table)} s "
            f"JOIN {quote(Dialogue._meta.db_table)} d "
            f"ON d.{quote('id')} = s.{quote('dialogue_id')} "
            f"JOIN {quote(Partnership._meta.db_table)} p "
            f"ON p.{quote('id')} = d.{quote('partnership_id')} "
            f"LEFT JOIN {quote(Participation._meta.db_table)} pa "
            f"ON pa.{quote('dialogue_id')} = d.{quote('id')} "
            f"AND pa.{quote('person_id')} = u.{quote('id')} "
            f"WHERE t.{quote('token_key')} = %s AND s.{quote('id')} = %s"
        )

    def instances(self, row: tuple[Any, ...], db: Any) -> tuple[list[Model], bool]:
        """Return the row's instances (in the order of _MODELS) and whether one takes part."""
        built: list[Model] = []
        start = 0
        for model, names, converters in self.parts:
            values = list(row[start : start + len(names)])
            for index, column, steps in converters:
                values[index] = converted(values[index], column, steps, db)
            built.append(instance_from_row(model, db.alias, values))
            start += len(names)
        return built, row[start] is not None


@cache
def _read_for(vendor: str) -> _Read:
    """Return the read for the database in use (built once per process and vendor)."""
    return _Read()


@cache
def _path_pattern() -> re.Pattern[str]:
    """Return the pattern of the vote URL, from the URLconf itself."""
    sentinel = 987654321
    path = reverse("api:statement-vote", kwargs={"statement_id": sentinel})
    before, after = path.split(str(sentinel))
    return re.compile(f"^{re.escape(before)}([0-9]{{1,18}}){re.escape(after)}$")


def _json_choice(request: HttpRequest) -> int | None:
    """Return the choice of a small JSON object body, or None for anything else."""
    if request.content_type != "application/json" or request.content_params:
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= _MAX_BODY:
        return None
    try:
        data = orjson.loads(request.body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    choice = data.get("choice")
    # bool is an int in Python; DRF refuses true and false as choices.
    if type(choice) is not int or choice not in _CHOICES:
        return None
    return choice


def _token(request: HttpRequest) -> str | None:
    """Return the key of an "Authorization: Token <key>" header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    parts = header.split()
    if len(parts) != 2 or parts[0].lower() != knox_settings.AUTH_HEADER_PREFIX.lower():
        return None
    try:
        parts[1].encode("ascii")
    except UnicodeEncodeError:
        return None
    return str(parts[1])


class _ThrottleRequest:
    """What ``UserThrottle`` reads of a request: the person, and the request for the address."""

    def __init__(self, request: HttpRequest, user: User) -> None:
        self._request = request
        self.user = user
        self.META = request.META


class FastVoteMiddleware:
    """Answer ``PUT .../statements/<id>/vote/`` with a token in one read and one write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Django's own middleware of the chain this path skips, for what they add to an answer.
        self._locale = LocaleMiddleware(get_response)
        self._common = CommonMiddleware(get_response)
        self._frame = XFrameOptionsMiddleware(get_response)
        self._security = SecurityMiddleware(get_response)
        self._csp = CSPMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "PUT" and not request.META.get("QUERY_STRING"):
            match = _path_pattern().match(request.path_info)
            if match is not None:
                response = self._vote(request, int(match.group(1)))
                if response is not None:
                    return response
        return self.get_response(request)

    def _vote(self, request: HttpRequest, statement_id: int) -> HttpResponse | None:
        """Return the answer to the vote, or None to leave the request to the view."""
        cast = self.cast(request, statement_id)
        if cast is None:
            return None
        return self._finish(request, self._answer(*cast))

    def cast(self, request: HttpRequest, statement_id: int) -> tuple[Vote, Statement] | None:
        """Cast the vote and return it with its statement, or None to leave it to the view."""
        request_id_assign(request)  # kept if the request goes on: one id in its logs
        # A redirect to HTTPS, say: the chain's.
        if self._security.process_request(request) is not None:
            return None
        # A session signs the request in before a token does (and brings CSRF): the view's.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        if "text/html" in request.META.get("HTTP_ACCEPT", ""):
            return None  # the browsable API
        token = _token(request)
        choice = _json_choice(request)
        if token is None or choice is None:
            return None
        db = default_connection()
        read = _read_for(db.vendor)
        rows = rows_read_checking_connection(
            read.sql, [token[: CONSTANTS.TOKEN_KEY_LENGTH], statement_id]
        )
        # Two tokens sharing a key (knox tries each), or none: the view's.
        if len(rows) != 1:
            return None
        (auth_token, user, statement, dialogue, partnership), takes_part = read.instances(
            rows[0], db
        )
        assert isinstance(auth_token, AuthToken)  # noqa: S101  # the order of _MODELS
        assert isinstance(user, User)  # noqa: S101
        assert isinstance(statement, Statement)  # noqa: S101
        assert isinstance(dialogue, Dialogue)  # noqa: S101
        assert isinstance(partnership, Partnership)  # noqa: S101
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            return None  # the view deletes the token and answers 401
        try:
            digest = hash_token(token)
        except (TypeError, binascii.Error):
            return None
        if not compare_digest(digest, auth_token.digest) or not is_signed_in(user):
            return None
        if not takes_part or not statement.is_shown:
            return None
        dialogue.partnership = partnership
        statement.dialogue = dialogue
        if not can_do(user, dialogue, Action.VOTE):
            return None
        # Counted last, once the vote will be answered here: the view counts the others.
        if not self._throttle_allows(request, user):
            return None
        request.user = user  # as DRF does: what runs after sees who voted
        # As the middleware this path skips would set them: the language asked for, and no
        # person's time zone (the session, not the token, decides that, and there is none).
        self._language_activate(request)
        timezone.deactivate()
        vote = vote_cast(participant=user, statement=statement, choice=choice, takes_part=True)
        return vote, statement

    def _language_activate(self, request: HttpRequest) -> None:
        """Activate the language LocaleMiddleware would, as it would.

        On a vote's URL its choice depends on the language cookie and the Accept-Language
        header alone (the path never names a language), so it is made once for each pair
        seen and remembered: working it out was a twentieth of a vote.
        """
        key = (
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
            request.META.get("HTTP_ACCEPT_LANGUAGE"),
        )
        language = _LANGUAGES.get(key)
        if language is None:
            self._locale.process_request(request)
            if len(_LANGUAGES) >= _LANGUAGES_KEPT:  # the header is the client's to choose
                _LANGUAGES.clear()
            _LANGUAGES[key] = request.LANGUAGE_CODE
            return
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def _finish(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """Add to the answer what the middleware after this one in MIDDLEWARE adds to it.

        From the innermost out, as the chain would: X-Frame-Options, the language cookie
        (PreferencesMiddleware), Permissions-Policy and Cache-Control (PrivacyHeaders),
        Content-Length (Common), Content-Language and Vary (Locale), Vary: Cookie, as the
        session is read to look for a signed-in person, the Content-Security-Policy (CSP),
        the security headers (Security) and X-Request-ID. The rest add nothing to such an
        answer. ``tests/api/test_fast_votes.py`` checks that list against MIDDLEWARE.
        """
        self._frame.process_response(request, response)
        language_cookie_apply(request, response)
        privacy_headers_apply(request, response)
        self._common.process_response(request, response)
        self._locale.process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        self._csp_apply(request, response)
        self._security.process_response(request, response)
        response["X-Request-ID"] = request_id_assign(request)
        return response

    def _csp_apply(self, request: HttpRequest, response: HttpResponse) -> None:
        """Add the policy headers CSPMiddleware adds, worked out once for all votes.

        Every vote's answer gets the same policy: no nonce, no policy of its own. Building
        it was a twentieth of the request, so the first answer's headers are kept and
        copied onto the next (forgotten when the policy settings change, in tests).
        """
        headers = _CSP_HEADERS.get("vote")
        if headers is None:
            self._csp.process_response(request, response)
            _CSP_HEADERS["vote"] = [
                (name, response[name]) for name in (HEADER, HEADER_REPORT_ONLY) if name in response
            ]
            return
        for name, value in headers:
            response[name] = value

    @staticmethod
    def _throttle_allows(request: HttpRequest, user: User) -> bool:
        from .throttles import UserThrottle

        # The throttle reads only .user and the address from what it is given (and no view).
        given: Any = _ThrottleRequest(request, user)
        return bool(UserThrottle().allow_request(given, cast(Any, None)))

    @staticmethod
    def _answer(vote: Vote, statement: Statement) -> HttpResponse:
        response = HttpResponse(
            orjson.dumps(_vote_data(vote, statement)), content_type="application/json"
        )
        response["Allow"] = _ALLOW
        response["Vary"] = "Accept"
        return response


def _vote_data(vote: Vote, statement: Statement) -> dict[str, Any]:
    """Return what ``VoteSerializer`` gives for the vote, without building a serializer.

    A serializer copies its fields each time it is made: on this path that was a tenth of
    the request. The fields are few and plain; the tests compare the two answers.
    """
    return {
        "statement": {"id": statement.pk, "text": statement.text, "kind": str(statement.kind)},
        "choice": int(vote.choice),
        "updated_at": _DATETIME.to_representation(vote.updated_at),
    }


_DATETIME = serializers.DateTimeField(read_only=True)

# The policy headers of a vote's answer, once worked out (see FastVoteMiddleware._csp_apply).
_CSP_HEADERS: dict[str, list[tuple[str, str]]] = {}

# The language chosen for each (language cookie, Accept-Language) pair seen, at most so many.
_LANGUAGES: dict[tuple[str | None, str | None], str] = {}
_LANGUAGES_KEPT = 512


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _CSP_HEADERS.clear()
    _LANGUAGES.clear()


setting_changed.connect(_forget, dispatch_uid="puente_fast_votes_forget")
