"""Results on the dialogue page, and number formats of the results pages."""

from typing import Any

from django import template
from django.utils.formats import number_format

from ..views.results import results_summary

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """Format a share from 0 to 1 as a whole percentage; a dash when there is none."""
    if value is None:
        return "\u2013"
    return f"{round(value * 100)} %"


@register.filter
def score(value: float | None) -> str:
    """Format a score with two decimals in the active language; a dash when there is none."""
    if value is None:
        return "\u2013"
    return number_format(value, 2)


@register.inclusion_tag("dialogues/_results_summary.html", takes_context=True)
def dialogue_results_summary(context: template.Context) -> dict[str, Any]:
    """Show the results' summary on the dialogue page, if the viewer may see them."""
    request = context["request"]
    dialogue = context["dialogue"]
    return {**results_summary(request, dialogue), "dialogue": dialogue, "request": request}
