"""The markdown filter: user Markdown as sanitised HTML."""

from django import template
from django.utils.safestring import SafeString

from puente.core.markdown import markdown_render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """Render the text as sanitised Markdown."""
    return markdown_render(text or "")
