"""SVG charts of the HTML report, each with a table as its text alternative.

The opinion map (participants placed by how they voted, coloured by opinion group) and the
support charts (the agree share of each group, and of each declared category, for the top
statements), with the palette and the formatting helpers that ``report`` uses too. Colours:
Okabe and Ito's colour-blind-safe palette, every mark outlined in a colour with at least 3:1
contrast.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape
from typing import Any
from unicodedata import east_asian_width

__all__ = [
    "BACKGROUND",
    "GROUP_COLOURS",
    "OUTLINE",
    "TOP_STATEMENTS",
    "Entry",
    "agree_share",
    "format_number",
    "format_percent",
    "group_name",
    "is_number",
    "map_section",
    "statement_label",
    "support_sections",
]

GROUP_COLOURS = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Okabe-Ito palette, the colours with most contrast on white first."""

BACKGROUND = "#ffffff"
OUTLINE = "#1a1a1a"
_UNGROUPED = "#595959"
_GRID = "#cccccc"

Entry = dict[str, Any]
"""One element of ``statement_results``."""
_CountsOf = Callable[[Entry, str], "dict[str, Any] | None"]
"""Return the counts entry of a group or category (by key) of a statement."""

TOP_STATEMENTS = 10
"""Statements in a support chart or the divisive table; the ranking table shows twice as many."""
_MAP_POINTS_MAX = 4000
_SNIPPET_WIDTH = 90
"""Width of a statement label in a chart, in narrow characters (wide ones count 2)."""


def map_section(result: dict[str, Any], groups: list[int]) -> str:
    """Return the opinion map (an SVG scatter plot) and its table of groups."""
    points = [
        point
        for point in result.get("participants_map") or []
        if is_number(point.get("x")) and is_number(point.get("y"))
    ]
    heading = '<h2 id="map-heading">Opinion map</h2>'
    if not points:
        return (
            f'<section aria-labelledby="map-heading">\n{heading}\n'
            '<p class="note">No participant could be placed on the map.</p>\n</section>'
        )
    stride = math.ceil(len(points) / _MAP_POINTS_MAX)
    shown = points[::stride]
    width, height, margin = 640.0, 440.0, 24.0
    xs = [float(point["x"]) for point in points]
    ys = [float(point["y"]) for point in points]
    scale_x = _scale(min(xs), max(xs), margin, width - margin)
    scale_y = _scale(min(ys), max(ys), height - margin, margin)
    marks = []
    # Participants outside the groups first, so that they do not hide the groups.
    for point in sorted(shown, key=lambda point: point.get("group") is not None):
        group = point.get("group")
        cx = scale_x(float(point["x"]))
        cy = scale_y(float(point["y"]))
        if group is None:
            marks.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{BACKGROUND}" '
                f'stroke="{_UNGROUPED}" stroke-width="1"/>'
            )
        else:
            marks.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{_colour(int(group))}" '
                f'stroke="{OUTLINE}" stroke-width="0.6"/>'
            )
    summary = _map_groups(points, groups)
    labels = []
    for group, (count, mean_x, mean_y) in summary.items():
        if group is None or count == 0:
            continue
        labels.append(
            f'<text x="{scale_x(mean_x):.1f}" y="{scale_y(mean_y):.1f}" text-anchor="middle" '
            f'font-weight="700" font-size="14" stroke="{BACKGROUND}" stroke-width="4" '
            f'paint-order="stroke">{escape(group_name(group))}</text>'
        )
    described = f"{len(points)} participants"
    if stride > 1:
        described += f"; every {_ordinal(stride)} participant drawn ({len(shown)} points)"
    svg = (
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" role="img" aria-labelledby="map-title map-desc">\n'
        f'<title id="map-title">Opinion map</title>\n'
        f'<desc id="map-desc">Each circle is a participant, placed by how they voted and '
        f"coloured by opinion group; {escape(described)}. The table below gives the same "
        "information by group.</desc>\n"
        f'<rect x="0.5" y="0.5" width="{width - 1:.0f}" height="{height - 1:.0f}" '
        f'fill="{BACKGROUND}" stroke="{_GRID}"/>\n'
        + "\n".join(marks)
        + "\n"
        + "\n".join(labels)
        + "\n</svg>"
    )
    legend = _legend([(group_name(group), _colour(group)) for group in groups])
    if None in summary:
        legend += (
            f' <span><span class="swatch" style="background:{BACKGROUND};'
            f'border-color:{_UNGROUPED}"></span>not in a group</span>'
        )
    rows = []
    for group, (count, mean_x, mean_y) in summary.items():
        name = "Not in a group" if group is None else group_name(group)
        rows.append(
            f'<tr><th scope="row">{escape(name)}</th><td class="number">{count}</td>'
            f'<td class="number">{format_number(mean_x, 3)}</td>'
            f'<td class="number">{format_number(mean_y, 3)}</td></tr>'
        )
    table = (
        "<table>\n<caption>Participants per opinion group and the centre of each group on "
        "the map</caption>\n<thead><tr>"
        '<th scope="col">Group</th><th scope="col" class="number">Participants</th>'
        '<th scope="col" class="number">Centre x</th><th scope="col" class="number">Centre y'
        "</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )
    caption = (
        "Participants who vote alike are close together. Axes: the two main directions "
        f"of disagreement. {escape(described)}."
    )
    return (
        f'<section aria-labelledby="map-heading">\n{heading}\n<figure>\n{svg}\n'
        f"<figcaption>{caption}<br>{legend}</figcaption>\n</figure>\n{table}\n</section>"
    )


def _map_groups(
    points: list[dict[str, Any]], groups: list[int]
) -> dict[int | None, tuple[int, float, float]]:
    """Return (participants, mean x, mean y) per group, ungrouped participants last."""
    sums: dict[int | None, list[float]] = {group: [0, 0.0, 0.0] for group in groups}
    for point in points:
        group = point.get("group")
        key = None if group is None else int(group)
        total = sums.setdefault(key, [0, 0.0, 0.0])
        total[0] += 1
        total[1] += float(point["x"])
        total[2] += float(point["y"])
    ordered = sorted(sums, key=lambda key: (key is None, key if key is not None else 0))
    return {
        key: (
            int(sums[key][0]),
            sums[key][1] / sums[key][0] if sums[key][0] else math.nan,
            sums[key][2] / sums[key][0] if sums[key][0] else math.nan,
        )
        for key in ordered
    }


def support_sections(
    result: dict[str, Any],
    statements: dict[str, dict[str, Any]],
    texts: dict[str, str],
    groups: list[int],
) -> str:
    """Return the agree share of each group, and of each declared category, per top statement."""
    top = _top_statements(result, statements)
    parts = []
    if groups and top:
        series = [(group_name(group), str(group)) for group in groups]
        parts.append(
            _support_chart(
                "support-groups",
                "Support by opinion group for the top statements",
                top,
                statements,
                texts,
                series,
                lambda entry, key: (entry.get("by_group") or {}).get(key),
            )
        )
    names: list[str] = []
    for statement_id in top:
        for name in statements[statement_id].get("by_grouping") or {}:
            if name not in names:
                names.append(name)
    for index, name in enumerate(names):
        categories: list[str] = []
        for statement_id in top:
            for category in (statements[statement_id].get("by_grouping") or {}).get(name, {}):
                if category not in categories:
                    categories.append(category)

        def counts(entry: Entry, key: str, name: str = name) -> dict[str, Any] | None:
            return ((entry.get("by_grouping") or {}).get(name) or {}).get(key)

        parts.append(
            _support_chart(
                f"support-grouping-{index}",
                f"Support by {name} for the top statements",
                top,
                statements,
                texts,
                [(category, category) for category in categories],
                counts,
            )
        )
    if not parts:
        return ""
    return "\n".join(parts)


def _support_chart(
    anchor: str,
    heading: str,
    top: list[str],
    statements: dict[str, dict[str, Any]],
    texts: dict[str, str],
    series: list[tuple[str, str]],
    counts_of: _CountsOf,
) -> str:
    """Return a grouped horizontal bar chart of agree shares and its table."""
    left, bar_width, value_width = 16.0, 400.0, 224.0
    label_height, bar_height, bar_gap, block_gap, top_margin = 18.0, 12.0, 2.0, 12.0, 24.0
    block_height = label_height + len(series) * (bar_height + bar_gap) + block_gap
    height = top_margin + len(top) * block_height
    width = left + bar_width + value_width
    elements = []
    for tick in range(0, 101, 25):
        x = left + bar_width * tick / 100
        elements.append(
            f'<line x1="{x:.1f}" y1="{top_margin - 6:.1f}" x2="{x:.1f}" '
            f'y2="{height - block_gap:.1f}" stroke="{_GRID}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{top_margin - 10:.1f}" text-anchor="middle">{tick}%</text>'
        )
    rows = []
    for position, statement_id in enumerate(top):
        entry = statements[statement_id]
        block_top = top_margin + position * block_height
        label = statement_label(statement_id, texts, _SNIPPET_WIDTH)
        elements.append(
            f'<text x="{left:.1f}" y="{block_top + label_height - 5:.1f}">'
            f"<title>{escape(statement_label(statement_id, texts, 0))}</title>"
            f"{escape(label)}</text>"
        )
        block_top += label_height
        cells = []
        for index, (name, key) in enumerate(series):
            share, agree, total = agree_share(counts_of(entry, key))
            y = block_top + index * (bar_height + bar_gap)
            if share is None:
                text = "no votes"
            else:
                length = max(bar_width * share, 0.0)
                elements.append(
                    f'<rect x="{left:.1f}" y="{y:.1f}" width="{length:.1f}" '
                    f'height="{bar_height:.1f}" fill="{_colour(index)}" stroke="{OUTLINE}" '
                    f'stroke-width="0.6"><title>{escape(name)}: {format_percent(share)} agree '
                    f"({agree} of {total})</title></rect>"
                )
                text = f"{format_percent(share)} ({agree}/{total})"
            elements.append(
                f'<text x="{left + bar_width + 8:.1f}" y="{y + bar_height - 2:.1f}">'
                f"{escape(name)}: {escape(text)}</text>"
            )
            cells.append(
                '<td class="number">no votes</td>'
                if share is None
                else f'<td class="number">{format_percent(share)} ({agree} of {total})</td>'
            )
        rows.append(
            f'<tr><th scope="row" dir="auto">{escape(statement_label(statement_id, texts, 0))}'
            f"</th>{''.join(cells)}</tr>"
        )
    description = (
        f"Share of each {'group' if anchor == 'support-groups' else 'category'} that agreed "
        f"with each of the top {len(top)} statements of the ranking; the table below gives "
        "the same numbers."
    )
    svg = (
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-labelledby="{anchor}-title {anchor}-desc">\n'
        f'<title id="{anchor}-title">{escape(heading)}</title>\n'
        f'<desc id="{anchor}-desc">{escape(description)}</desc>\n'
        + "\n".join(elements)
        + "\n</svg>"
    )
    legend = _legend([(name, _colour(index)) for index, (name, _) in enumerate(series)])
    header = "".join(f'<th scope="col" class="number">{escape(name)}</th>' for name, _ in series)
    table = (
        f"<table>\n<caption>{escape(heading)}: agree share (agree votes of all votes)"
        f'</caption>\n<thead><tr><th scope="col">Statement</th>{header}</tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )
    return (
        f'<section aria-labelledby="{anchor}-heading">\n'
        f'<h2 id="{anchor}-heading">{escape(heading)}</h2>\n<figure>\n{svg}\n'
        f"<figcaption>{escape(description)}<br>{legend}</figcaption>\n</figure>\n"
        f"{table}\n</section>"
    )


def _top_statements(result: dict[str, Any], statements: dict[str, dict[str, Any]]) -> list[str]:
    """Return the first statements of the ranking that are not moderated out."""
    order = [str(item) for item in (result.get("ranking") or {}).get("order", [])]
    eligible = [
        statement_id
        for statement_id in order
        if statement_id in statements and not statements[statement_id].get("moderated_out")
    ]
    return eligible[:TOP_STATEMENTS]


# --- Pieces ---------------------------------------------------------------------------------


def agree_share(counts: dict[str, Any] | None) -> tuple[float | None, int, int]:
    """Return (agree share, agree votes, all votes) of a counts entry."""
    if not counts:
        return None, 0, 0
    agree = int(counts.get("agree") or 0)
    total = agree + int(counts.get("disagree") or 0) + int(counts.get("pass") or 0)
    if total == 0:
        return None, 0, 0
    return agree / total, agree, total


def statement_label(statement_id: str, texts: dict[str, str], limit: int) -> str:
    """Return "#id: text", cut to ``limit`` narrow characters (0: whole text)."""
    text = " ".join(texts.get(statement_id, "").split())
    label = f"#{statement_id}: {text}" if text else f"#{statement_id}"
    if not limit:
        return label
    used = 0
    for position, character in enumerate(label):
        used += 2 if east_asian_width(character) in {"W", "F"} else 1
        if used > limit - 1:
            return label[:position].rstrip() + "\u2026"
    return label


def group_name(group: int) -> str:
    """Return "Group A" for group 0, "Group B" for 1, ... ("Group 27" past Z)."""
    letter = chr(ord("A") + group) if 0 <= group < 26 else str(group + 1)
    return f"Group {letter}"


def is_number(value: Any) -> bool:
    """Return whether a value is a finite number."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def format_number(value: Any, digits: int) -> str:
    """Return a number with ``digits`` decimals, or "n/a"."""
    if not is_number(value):
        return "n/a"
    return f"{float(value):.{digits}f}"


def format_percent(share: float) -> str:
    """Return a share as a whole percentage."""
    return f"{round(100 * share)}%"


def _legend(entries: list[tuple[str, str]]) -> str:
    """Return an inline legend of colour swatches."""
    return " ".join(
        f'<span><span class="swatch" style="background:{colour}"></span>{escape(name)}</span>'
        for name, colour in entries
    )


def _colour(index: int) -> str:
    """Return the palette colour of a group or category index."""
    return GROUP_COLOURS[index % len(GROUP_COLOURS)]


def _scale(low: float, high: float, start: float, end: float) -> Callable[[float], float]:
    """Return a function mapping [low, high] linearly onto [start, end] (centre if flat)."""
    if high - low <= 0:
        middle = (start + end) / 2
        return lambda value: middle
    factor = (end - start) / (high - low)
    return lambda value: start + (value - low) * factor


def _ordinal(number: int) -> str:
    """Return "2nd", "3rd", "11th", ..."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"
