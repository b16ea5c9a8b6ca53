"""Puente's URLs plus /bench/hello/, the baseline of bench/pages.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def hello(request: HttpRequest) -> HttpResponse:
    """Answer with a fixed text: the cost of the middleware and the server alone."""
    return HttpResponse("Hello, world.\n", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello),
    path("", include("puente.urls")),
]
