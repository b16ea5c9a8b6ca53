"""The WSGI entry point gunicorn loads."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys
import puente.wsgi
print(gc.get_freeze_count(), "puente.agenda.views" in sys.modules)
"""


def test_the_entry_point_loads_every_view_at_start_and_sets_it_aside_from_the_collector():
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "puente.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603  # this interpreter, our own probe
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    frozen, views_loaded = result.stdout.split()
    # The URLconf was imported (and with it every view) before the first request...
    assert views_loaded == "True"
    # ...and what was loaded is left out of the collector's walks.
    assert int(frozen) > 100_000
