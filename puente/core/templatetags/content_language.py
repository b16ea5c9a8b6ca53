"""The shown_in_reader_language tag: content in the reader's language, or its original."""

from typing import Protocol

from django import template

from puente.core.content_language import Shown, active_language

register = template.Library()


class Translatable(Protocol):
    def shown_in(self, reader_language: str) -> Shown: ...


@register.simple_tag
def shown_in_reader_language(content: Translatable, given: Shown | None = None) -> Shown:
    """Return what the reader of the active language sees of the content.

    ``given``: the same content as already chosen by the page, if it has it (a fragment
    included once per row need not choose again).
    """
    if isinstance(given, Shown):
        return given
    return content.shown_in(active_language())
