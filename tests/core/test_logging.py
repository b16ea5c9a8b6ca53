import json
import logging

import pytest

from puente.core.logging import JsonFormatter, RequestIdFilter, request_id_var


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
