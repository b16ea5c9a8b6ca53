"""The Celery application of the scale-out mode (BACKGROUND_WORKER=celery, Redis as broker).

Start workers with ``make worker``. Configuration comes from Django's settings (CELERY_*),
which read the environment; tasks live in each app's ``tasks.py``.
"""

import os

from celery import Celery  # type: ignore[import-untyped]  # celery ships no types

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "puente.settings")

app = Celery("puente")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
