from typing import Any

from django.apps import AppConfig


def _demo_initiatives(*, report: Any) -> None:
    from .demo import initiatives_demo_load

    initiatives_demo_load(report=report)


class InitiativesConfig(AppConfig):
    name = "puente.initiatives"

    def ready(self) -> None:
        from puente.core.registry import demo_loader_register

        # After the agenda ("~agenda"): the demo initiatives link to its published items.
        demo_loader_register("~~initiatives", _demo_initiatives)
