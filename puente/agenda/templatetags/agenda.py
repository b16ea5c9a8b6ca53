"""Agenda pieces for other pages: the dialogue's agenda part, a statement's uses, figures."""

from typing import Any

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

from puente.dialogues.models import Dialogue, Statement

from ..compare import ADDED, MOVED, REMOVED, STATEMENTS_CHANGED, TEXT_CHANGED, THEME_CHANGED
from ..models import Agenda, AgendaItem
from ..permissions import can_draft_agenda, can_view_agenda_draft
from ..presentation import ItemView, SupportRow, item_views
from ..selectors import draft_get, item_list, version_latest
from ..selectors import statement_uses as statement_uses_list

register = template.Library()

TOP_ITEMS = 5


def _language() -> str:
    return translation.get_language() or "en"


@register.inclusion_tag("agenda/_dialogue_agenda.html", takes_context=True)
def dialogue_agenda(context: template.Context, dialogue: Dialogue) -> dict[str, Any]:
    """Show the dialogue's newest published agenda version, and the way to the draft."""
    viewer = context["request"].user
    agenda = Agenda.objects.filter(dialogue=dialogue).first()
    latest = version_latest(agenda=agenda) if agenda is not None else None
    top_items: list[ItemView] = []
    if latest is not None:
        top_items = item_views(list(item_list(version=latest)[:TOP_ITEMS]), _language())
    return {
        "dialogue": dialogue,
        "latest": latest,
        "top_items": top_items,
        "may_draft": can_draft_agenda(viewer, dialogue),
        "draft": draft_get(agenda=agenda)
        if agenda is not None and can_view_agenda_draft(viewer, agenda)
        else None,
    }


@register.inclusion_tag("agenda/_statement_uses.html", takes_context=True)
def statement_uses(context: template.Context, statement: Statement) -> dict[str, Any]:
    """List the published agenda items the statement fed."""
    viewer = context["request"].user
    language = _language()
    return {
        "uses": [
            (use["item"], use["item"].text_in(language)[0])
            for use in statement_uses_list(statement=statement, viewer=viewer)
        ]
    }


@register.filter
def percent(value: object) -> str:
    """Return a share from 0 to 1 as a whole percentage, or a dash when there is none."""
    if isinstance(value, int | float):
        return f"{round(100 * float(value))} %"
    return "\N{EN DASH}"


@register.filter
def item_text(item: AgendaItem, language: str) -> str:
    """Return the item's text in the language, or its original."""
    return item.text_in(language)[0]


@register.filter
def support_tables(view: ItemView) -> list[tuple[str, list[SupportRow]]]:
    """Return the item's support tables: by region, then by stakeholder type."""
    return [
        (_("Support by region"), view.by_region),
        (_("Support by stakeholder type"), view.by_type),
    ]


@register.filter
def change_label(change: str) -> str:
    """Return what changed, for people."""
    labels = {
        ADDED: _("Added"),
        REMOVED: _("Removed"),
        MOVED: _("Moved"),
        TEXT_CHANGED: _("Text changed"),
        THEME_CHANGED: _("Theme changed"),
        STATEMENTS_CHANGED: _("Statements changed"),
    }
    return labels.get(change, change)
