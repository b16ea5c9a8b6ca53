from typing import Any

from django.apps import AppConfig


def _notifications_of(person: Any) -> dict[str, Any]:
    from .models import Notification, Preference
    from .selectors import notification_text

    return {
        "notifications": [
            {
                "kind": notification.kind,
                "text": notification_text(notification),
                "url": notification.url,
                "created_at": notification.created_at.isoformat(),
                "read_at": notification.read_at.isoformat() if notification.read_at else None,
                "emailed_at": (
                    notification.emailed_at.isoformat() if notification.emailed_at else None
                ),
            }
            for notification in Notification.objects.filter(recipient=person)
        ],
        "mail_frequencies": dict(
            Preference.objects.filter(person=person).values_list("kind", "frequency")
        ),
    }


class NotificationsConfig(AppConfig):
    name = "puente.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from puente.core.registry import personal_data_section_register

        personal_data_section_register("notifications", _notifications_of)
