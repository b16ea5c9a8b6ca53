"""The markdown filters: user Markdown as sanitised HTML, or as a plain-text excerpt."""

from django import template
from django.utils.safestring import SafeString

from puente.core.markdown import markdown_excerpt, markdown_render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """Render the text as sanitised Markdown."""
    return markdown_render(text or "")


@register.filter(name="markdown_excerpt")
def markdown_excerpt_filter(text: str | None, n_words: int) -> str:
    """Return the first n_words of the rendered Markdown as plain text (escaped on output)."""
    return markdown_excerpt(text or "", int(n_words))
