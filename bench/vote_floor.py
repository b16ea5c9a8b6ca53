"""A floor for bench/vote_writes.py: the database and Redis work of a vote, and nothing else.

    .venv/bin/python bench/vote_writes.py --floor

Not Puente and never served by it. This WSGI application runs, for each vote, what the
API's vote path sends to PostgreSQL and Redis: the same read (``FastVoteMiddleware``'s, by
token key and statement), the same rate-limit script, the same upsert with its history row,
each with psycopg and redis-py directly. None of the checks between them runs (token
digest aside): no phase, audience or participation, no Django request or response, no
model instances. Served by the same gunicorn on the same data, its throughput is what this
machine reaches when the Python work of a vote is almost nothing, and the difference from
Puente's figure is what Django and Puente's own checks cost per vote.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import django
import orjson
import psycopg
import redis

django.setup()

from django.conf import settings  # noqa: E402  # after setup, as any Django import
from django.db.models import Model  # noqa: E402
from knox.crypto import hash_token  # noqa: E402
from knox.models import AuthToken  # noqa: E402
from knox.settings import CONSTANTS  # noqa: E402

from puente.accounts.models import User  # noqa: E402
from puente.api.fast_votes import _path_pattern, _read_for  # noqa: E402
from puente.api.throttles import _WINDOW_SCRIPT  # noqa: E402
from puente.dialogues.models import Dialogue, Statement, Vote, VoteChange  # noqa: E402
from puente.dialogues.services.votes import _upsert_sql  # noqa: E402

# Built once, from Puente's own code, so that the floor sends what Puente sends.
_READ = _read_for("postgresql")
WRITE = _upsert_sql(Vote, ("participant", "statement"), ("choice", "dialogue"), VoteChange)
PATH = _path_pattern()


def _position(model: type[Model], attname: str) -> int:
    """Return where the read puts the model's field in its row."""
    start = 0
    for part, names, _converters in _READ.parts:
        if part is model:
            return start + names.index(attname)
        start += len(names)
    raise LookupError(model)


DIGEST = _position(AuthToken, "digest")
PERSON = _position(User, "id")
STATEMENT = _position(Statement, "id")
TEXT = _position(Statement, "text")
KIND = _position(Statement, "kind")
DIALOGUE = _position(Dialogue, "id")
RATE = 10_000_000  # the bench lifts the limits; the script still counts every vote

_database_url = os.environ["DATABASE_URL"]
_redis = redis.Redis.from_url(os.environ["REDIS_URL"])
_window = _redis.register_script(_WINDOW_SCRIPT)
_local = threading.local()

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _connection() -> psycopg.Connection[Any]:
    connection: psycopg.Connection[Any] | None = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        connection = psycopg.connect(_database_url, autocommit=True, prepare_threshold=2)
        _local.connection = connection
    return connection


def _answer(start_response: StartResponse, status: str, body: bytes) -> Iterable[bytes]:
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """Cast the vote of a ``PUT .../statements/<id>/vote/``; answer 200 to anything else."""
    match = PATH.match(environ.get("PATH_INFO", ""))
    if environ["REQUEST_METHOD"] != "PUT" or match is None:
        return _answer(start_response, "200 OK", b"{}")
    token = environ.get("HTTP_AUTHORIZATION", "").split()[-1]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    choice = orjson.loads(environ["wsgi.input"].read(length))["choice"]
    connection = _connection()
    with connection.cursor() as cursor:
        cursor.execute(_READ.sql, [token[: CONSTANTS.TOKEN_KEY_LENGTH], int(match.group(1))])
        rows = cursor.fetchall()
    if len(rows) != 1 or rows[0][DIGEST] != hash_token(token):
        return _answer(start_response, "401 Unauthorized", b"{}")
    row = rows[0]
    key = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:floor:{row[PERSON]}:window"
    allowed, _count, _oldest = _window(
        keys=[key], args=[repr(time.time()), 60, RATE, secrets.token_hex(8)]
    )
    if not allowed:
        return _answer(start_response, "429 Too Many Requests", b"{}")
    now = datetime.now(UTC)
    with connection.cursor() as cursor:
        cursor.execute(WRITE, [row[PERSON], row[STATEMENT], choice, row[DIALOGUE], now, now])
        cursor.fetchall()
    body = {
        "statement": {"id": row[STATEMENT], "text": row[TEXT], "kind": row[KIND]},
        "choice": choice,
        "updated_at": now.isoformat().replace("+00:00", "Z"),
    }
    return _answer(start_response, "200 OK", orjson.dumps(body))
