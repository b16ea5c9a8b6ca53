"""Money charts of the dashboards: committed and disbursed EUR as SVG bars, with their rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Both bar colours reach at least 7:1 against white (as in partnerships/charts.py).
COMMITTED_COLOUR = "#0b4f6c"
DISBURSED_COLOUR = "#7a3b00"


@dataclass
class MoneyBar:
    """One bar: its amount and where the template draws it (whole pixels)."""

    amount: Decimal
    colour: str
    y: int
    width: int
    text_x: int
    text_y: int


@dataclass
class MoneyRow:
    """One category (a contributor, a country, a theme, a year) with its two amounts."""

    label: str
    committed: Decimal
    disbursed: Decimal
    y: int = 0
    bars: list[MoneyBar] = field(default_factory=list)
    code: str = ""


@dataclass
class MoneyChart:
    """A horizontal bar chart, committed above disbursed per row, with its table's rows."""

    title: str
    rows: list[MoneyRow]
    label_width: int = 260
    bar_space: int = 300
    bar_height: int = 12
    row_height: int = 44

    @property
    def width(self) -> int:
        """Return the drawing's width: labels, bars and room for the amounts."""
        return self.label_width + self.bar_space + 130

    @property
    def height(self) -> int:
        return max(len(self.rows), 1) * self.row_height

    @property
    def label_x(self) -> int:
        return self.label_width - 8

    @property
    def total_committed(self) -> Decimal:
        return sum((row.committed for row in self.rows), Decimal(0))

    @property
    def total_disbursed(self) -> Decimal:
        return sum((row.disbursed for row in self.rows), Decimal(0))


def money_chart(title: str, rows: list[MoneyRow]) -> MoneyChart:
    """Return the chart of the rows, bars scaled to the largest amount."""
    chart = MoneyChart(title=title, rows=rows)
    largest = max(
        (max(row.committed, row.disbursed) for row in rows), default=Decimal(0)
    ) or Decimal(1)
    for index, row in enumerate(rows):
        top = index * chart.row_height
        row.y = top + 14
        row.bars = []
        for offset, (amount, colour) in enumerate(
            ((row.committed, COMMITTED_COLOUR), (row.disbursed, DISBURSED_COLOUR))
        ):
            width = int(chart.bar_space * amount / largest) if amount > 0 else 0
            y = top + 4 + offset * (chart.bar_height + 4)
            row.bars.append(
                MoneyBar(
                    amount=amount,
                    colour=colour,
                    y=y,
                    width=width,
                    text_x=chart.label_width + width + 6,
                    text_y=y + chart.bar_height - 2,
                )
            )
    return chart
