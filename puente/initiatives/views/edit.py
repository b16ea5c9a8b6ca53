"""Initiative pages: edit (see urls.py for the whole URL map)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
