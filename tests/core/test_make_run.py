"""`make run` serves the demo with the site's own 404 and 500 pages, not DEBUG's."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# In a fresh process, with the environment `make run` gives runserver: a missing page and
# the error handler, as a browser would get them.
PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import get_resolver
missing = Client(HTTP_HOST="127.0.0.1").get("/no-such-page/")
error = get_resolver().resolve_error_handler(500)(RequestFactory(HTTP_HOST="127.0.0.1").get("/"))
print(settings.DEBUG, missing.status_code, error.status_code)
print(missing.content.decode())
print(error.content.decode())
"""


def _make_run_environment() -> dict[str, str]:
    makefile = (ROOT / "Makefile").read_text()
    line = re.search(r"^RUN_ENV := (.+)$", makefile, re.MULTILINE)
    assert line is not None
    assert "$(RUN_ENV) $(PY) manage.py runserver --insecure" in makefile
    return dict(pair.split("=", 1) for pair in line.group(1).split())


def test_make_run_shows_the_branded_404_and_500_pages(tmp_path: Path) -> None:
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}
    }
    environment.update(_make_run_environment())
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    environment["DJANGO_SETTINGS_MODULE"] = "puente.settings"
    done = subprocess.run(  # noqa: S603  # this interpreter, our own probe
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    first_line, page = done.stdout.split("\n", 1)
    assert first_line == "False 404 500"
    assert "<h1>Page not found</h1>" in page
    assert "<h1>Something went wrong</h1>" in page
    assert "URLconf" not in page
    assert 'href="/static/core/puente.css"' in page
