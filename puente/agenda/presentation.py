"""What the pages and exports show of a version: items in a language, evidence, the chart."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from puente.core.choices import Region, StakeholderType
from puente.core.registry import PageSection

from .models import AgendaItem

# The groupings the evidence shows, with their vocabularies.
GROUPINGS: tuple[tuple[str, dict[str, str]], ...] = (
    ("region", {code: str(label) for code, label in Region.choices}),
    ("stakeholder_type", {code: str(label) for code, label in StakeholderType.choices}),
)


@dataclass
class SupportRow:
    label: str
    agree: int
    disagree: int
    passed: int
    agree_probability: float | None


@dataclass
class ItemView:
    """An item as a page in one language shows it."""

    item: AgendaItem
    text: str
    is_fallback: bool
    theme: str
    evidence: dict[str, Any]
    by_region: list[SupportRow]
    by_type: list[SupportRow]
    # Parts later apps show under the item (the initiatives that answer it).
    sections: list[PageSection] = field(default_factory=list)


def _support_rows(
    evidence: dict[str, Any], grouping: str, labels: dict[str, str]
) -> list[SupportRow]:
    found = (evidence.get("by_grouping") or {}).get(grouping) or {}
    rows = []
    for code, counts in found.items():
        rows.append(
            SupportRow(
                label=labels.get(code, code),
                agree=int(counts.get("agree") or 0),
                disagree=int(counts.get("disagree") or 0),
                passed=int(counts.get("pass") or 0),
                agree_probability=counts.get("agree_probability"),
            )
        )
    return rows


def item_views(items: list[AgendaItem], language: str) -> list[ItemView]:
    """Return the items as shown in the language, falling back to each original text."""
    views = []
    for item in items:
        text, is_fallback = item.text_in(language)
        views.append(
            ItemView(
                item=item,
                text=text,
                is_fallback=is_fallback,
                theme=item.theme_in(language),
                evidence=item.evidence,
                by_region=_support_rows(item.evidence, "region", GROUPINGS[0][1]),
                by_type=_support_rows(item.evidence, "stakeholder_type", GROUPINGS[1][1]),
            )
        )
    return views


@dataclass
class Bar:
    label: str
    count: int
    y: int
    width: float
    text_y: int
    count_x: float


@dataclass
class BarChart:
    """A horizontal bar chart drawn as SVG by the template, with its table alternative."""

    title: str
    bars: list[Bar]
    height: int
    label_width: int = 190
    bar_space: int = 240
    row_height: int = 28

    @property
    def width(self) -> int:
        """Return the drawing's width: labels, bars and room for the counts."""
        return self.label_width + self.bar_space + 40

    @property
    def label_x(self) -> int:
        """Return where the category labels end."""
        return self.label_width - 8


def bar_chart(title: str, rows: list[tuple[str, str, int]]) -> BarChart:
    """Return the chart of counts per category, bars scaled to the largest count."""
    largest = max((count for _code, _label, count in rows), default=0) or 1
    chart = BarChart(title=title, bars=[], height=0)
    for index, (_code, label, count) in enumerate(rows):
        width = round(chart.bar_space * count / largest, 1)
        y = index * chart.row_height
        chart.bars.append(
            Bar(
                label=label,
                count=count,
                y=y + 5,
                width=width,
                text_y=y + 18,
                count_x=chart.label_width + width + 6,
            )
        )
    chart.height = max(len(rows), 1) * chart.row_height
    return chart


def ranking_label(method: str) -> str:
    """Return the ranking method's name for people."""
    labels = {
        "joint-support": _("joint support"),
        "group-consensus": _("group consensus"),
        "bridging": _("bridging"),
        "approval": _("approval"),
    }
    return labels.get(method, method)
