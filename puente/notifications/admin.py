"""Notifications in the admin, for support: what was sent to whom, and when it was mailed."""

from django.contrib import admin

from puente.core.admin import ReadOnlyAdmin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin[Notification]):
    list_display = ["recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = [
        "kind",
        "created_at",
        ("read_at", admin.EmptyFieldListFilter),
        ("emailed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["recipient__email", "recipient__name"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "actor"]


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin[Preference]):
    list_display = ["person", "kind", "frequency"]
    list_filter = ["kind", "frequency"]
    search_fields = ["person__email", "person__name"]
    list_select_related = ["person"]
