"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "puente.settings")

django_application = get_wsgi_application()

# Imported once Django is set up: it imports models.
from puente.api.vote_lane import VoteLane  # noqa: E402

# Votes are answered in front of Django's request handling (puente/api/vote_lane.py).
application = VoteLane(django_application)

# The URLconf imports every view (and what the views import) at the first request; at
# start instead, so that what the process loads once is all loaded here. Then the
# garbage collector leaves those objects out of its full collections: on the vote path
# those walked the quarter million objects of a loaded process, a twentieth of a vote's
# time, for objects that live as long as the process.
get_resolver().url_patterns  # noqa: B018  # read for its import
gc.freeze()
