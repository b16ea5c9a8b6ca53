import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from rest_framework.test import APIClient

from puente.api.views.vocabularies import ThemeListApi
from puente.core.logging import JsonFormatter, RequestIdFilter, request_id_var
from tests.accounts.factories import UserFactory
from tests.stakeholders.factories import OrganisationFactory


def _format(message: str) -> dict[str, str]:
    record = logging.LogRecord("puente.test", logging.INFO, __file__, 1, message, None, None)
    RequestIdFilter().filter(record)
    entry: dict[str, str] = json.loads(JsonFormatter().format(record))
    return entry


def test_a_log_line_is_one_json_object_with_the_request_id():
    token = request_id_var.set("req-42")
    try:
        entry = _format("hello %s")
    finally:
        request_id_var.reset(token)
    assert entry["request_id"] == "req-42"
    assert entry["message"] == "hello %s"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "puente.test"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.mark.django_db
def test_log_lines_written_during_a_request_carry_its_id(client):
    handler = _Collect()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-7")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    assert handler.lines
    assert {line["request_id"] for line in handler.lines} == {"trace-7"}


@pytest.fixture
def console_lines() -> Iterator[Callable[[], list[dict[str, str]]]]:
    """Capture what the configured console handler writes, one JSON object a line."""
    handler = next(
        handler
        for handler in logging.getLogger("django").handlers
        if isinstance(handler.formatter, JsonFormatter)
    )
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(previous)


def _one_line_without_traceback(lines: list[dict[str, str]], status: str) -> None:
    assert len(lines) == 1, lines
    assert lines[0]["message"].startswith(status), lines
    assert "exception" not in lines[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/no-such-page/", "/organisations/no-such-organisation/", "/api/v1/nothing/"]
)
def test_a_404_is_logged_as_one_line_without_traceback(client, console_lines, path):
    assert client.get(path).status_code == 404
    _one_line_without_traceback(console_lines(), "Not Found")


@pytest.mark.django_db
def test_a_403_from_a_page_is_logged_as_one_line_without_traceback(client, console_lines):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())
    assert client.get(f"/organisations/{organisation.slug}/edit/").status_code == 403
    _one_line_without_traceback(console_lines(), "Forbidden")


@pytest.mark.django_db
def test_a_403_from_the_api_is_logged_as_one_line_without_traceback(console_lines):
    client = APIClient()
    client.force_authenticate(UserFactory())
    response = client.post("/api/v1/partnerships/", {"title": "X"}, format="json")
    assert response.status_code == 403
    _one_line_without_traceback(console_lines(), "Forbidden")


@pytest.mark.django_db
def test_a_500_keeps_its_traceback(console_lines, monkeypatch):
    def boom(self, request, *args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(ThemeListApi, "get", boom)
    assert Client(raise_request_exception=False).get("/api/v1/themes/").status_code == 500
    [line] = console_lines()
    assert "RuntimeError: unexpected" in line["exception"]
