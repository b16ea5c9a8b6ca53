from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "puente.accounts"

    def ready(self) -> None:
        """Connect allauth's account events to the account services."""
        from . import signals

        signals.connect()
