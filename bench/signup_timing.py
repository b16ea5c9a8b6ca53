"""Time sign-up for a registered and a new e-mail address, as a client over HTTP sees it.

    .venv/bin/python bench/signup_timing.py [--repeat 40] [--mail-delay 0.3]

Serves Puente from a threaded WSGI server on a temporary SQLite database, with the real
password hasher (PBKDF2) and a mail backend that waits ``--mail-delay`` seconds like a slow
mail server. Each sign-up first loads the form (for the CSRF token), then the POST alone is
timed, alternating known and new addresses. Prints, per kind, the median, the 10th and 90th
percentiles and the mean in milliseconds, and the difference of the medians: a difference
near zero means the answer's timing does not tell whether an address has an account.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "a-long-and-unusual-passphrase-for-timing"  # noqa: S105  # throwaway accounts
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class SlowMailBackend:
    """A mail backend that takes as long as a slow mail server and delivers nowhere."""

    delay = 0.3

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        self.fail_silently = fail_silently

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        time.sleep(self.delay)
        return len(email_messages)


def _sign_up(base_url: str, email: str) -> float:
    """Load the form, then post it; return the seconds the POST took."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
    )
    with opener.open(f"{base_url}/accounts/signup/") as page:
        found = _CSRF_FIELD.search(page.read().decode())
    assert found, "no CSRF token on the sign-up page"
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": found.group(1),
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
    ).encode()
    start = time.perf_counter()
    try:
        with opener.open(f"{base_url}/accounts/signup/", data=body) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:  # the 302 surfaces here: redirects are not followed
        error.read()
        status = error.code
    elapsed = time.perf_counter() - start
    assert status == 302, f"sign-up answered {status}"
    return elapsed


def _figures(label: str, seconds: list[float]) -> float:
    milliseconds = sorted(value * 1000 for value in seconds)
    deciles = statistics.quantiles(milliseconds, n=10)
    median = statistics.median(milliseconds)
    print(
        f"{label:<16} median {median:7.1f} ms   p10 {deciles[0]:7.1f}   "
        f"p90 {deciles[-1]:7.1f}   mean {statistics.fmean(milliseconds):7.1f}   "
        f"(n={len(milliseconds)})"
    )
    return median


def main() -> None:
    """Serve Puente, time the sign-ups and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40, help="sign-ups of each kind")
    parser.add_argument("--mail-delay", type=float, default=0.3, help="seconds per mail")
    arguments = parser.parse_args()
    SlowMailBackend.delay = arguments.mail_delay

    folder = tempfile.mkdtemp(prefix="puente-bench-")
    os.environ.update(
        {
            "DEBUG": "1",
            "HTTPS": "0",
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "EMAIL_BACKEND": "bench.signup_timing.SlowMailBackend",
            "DJANGO_SETTINGS_MODULE": "puente.settings",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    from puente.accounts.models import User

    # Many sign-ups from one address: the limits would stop the run, not the timing.
    settings.ACCOUNT_RATE_LIMITS = False
    call_command("migrate", verbosity=0)
    password = make_password(PASSWORD)
    known = [f"known{n}@example.org" for n in range(arguments.repeat + 1)]
    User.objects.bulk_create(User(email=email, password=password) for email in known)

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"

    print(
        f"hasher {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}, "
        f"mail server delay {arguments.mail_delay * 1000:.0f} ms"
    )
    _sign_up(base_url, known[-1])  # warm-up: templates, first queries
    _sign_up(base_url, "warm-up@example.org")
    timings: dict[str, list[float]] = {"registered": [], "new": []}
    for n in range(arguments.repeat):
        timings["registered"].append(_sign_up(base_url, known[n]))
        timings["new"].append(_sign_up(base_url, f"new{n}@example.org"))
    registered = _figures("registered e-mail", timings["registered"])
    new = _figures("new e-mail", timings["new"])
    print(f"new - registered: {new - registered:+.1f} ms (medians)")
    server.shutdown()


if __name__ == "__main__":
    main()
