"""Settings of bench/pages.py's server: Puente's, with a hello-world page beside its own."""

import os
from pathlib import Path

from puente.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
STATIC_ROOT = Path(os.environ["PUENTE_BENCH_STATIC_ROOT"])
