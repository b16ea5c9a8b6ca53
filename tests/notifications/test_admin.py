"""Notifications in the admin: listed for support, never written there."""

import pytest
from django.urls import reverse

from puente.notifications.models import Kind, Notification
from puente.notifications.services import notification_send
from tests.accounts.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    # AdminFactory turns two-factor on: the admin site is closed to staff without it.
    client.force_login(AdminFactory())
    return client


def test_notifications_and_preferences_are_listed_by_recipient(admin_client):
    person = UserFactory(email="ana@example.org", name="Ana Torres")
    notification_send(
        kind=Kind.ORGANISATION_VERIFIED,
        recipients=[person],
        message="Your organisation %(name)s is verified.",
        params={"name": "ECLAC"},
        already_mailed=True,
    )

    listed = admin_client.get(reverse("admin:notifications_notification_changelist"))
    preferences = admin_client.get(reverse("admin:notifications_preference_changelist"))

    assert listed.status_code == 200
    assert "Ana Torres" in listed.text
    assert "My organisation is verified" in listed.text
    assert preferences.status_code == 200


def test_the_admin_adds_changes_and_deletes_no_notification(admin_client):
    person = UserFactory()
    (notification,) = notification_send(
        kind=Kind.ORGANISATION_VERIFIED,
        recipients=[person],
        message="Your organisation %(name)s is verified.",
        params={"name": "ECLAC"},
        already_mailed=True,
    )
    delete = reverse("admin:notifications_notification_delete", args=[notification.pk])

    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Notification.objects.filter(pk=notification.pk).exists()
