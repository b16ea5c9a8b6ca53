from django.contrib import admin

from .models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin[Theme]):
    """Themes: fixed codes whose names come translated from ThemeCode."""

    list_display = ("code", "name")
    search_fields = ("code",)
    ordering = ("code",)
