"""Sections of a person's data export, registered by each app in AppConfig.ready()."""

from collections.abc import Callable, Iterator
from typing import Any

PersonalDataSection = Callable[[Any], Any]

_sections: dict[str, PersonalDataSection] = {}


def personal_data_section_register(name: str, section: PersonalDataSection) -> None:
    """Add (or replace) the named section of every personal data export."""
    _sections[name] = section


def personal_data_sections() -> Iterator[tuple[str, PersonalDataSection]]:
    """Yield the registered sections in name order."""
    yield from sorted(_sections.items())
