from typing import Any

from django.apps import AppConfig


def _partnerships_facilitated_by(person: Any) -> list[str]:
    return list(person.facilitated_partnerships.values_list("title", flat=True))


class PartnershipsConfig(AppConfig):
    name = "puente.partnerships"

    def ready(self) -> None:
        from puente.core.registry import personal_data_section_register

        personal_data_section_register("partnerships_facilitated", _partnerships_facilitated_by)
