from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "puente.notifications"
    verbose_name = "Notifications"
