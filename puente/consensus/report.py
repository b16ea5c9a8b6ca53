"""Render an analysis result as one self-contained, accessible, offline HTML page.

The page holds the opinion map, the support of each group for the top statements, the
consensus and most divisive statements, what sets each group apart and the ranking. Every
chart is hand-written SVG with a table as its text alternative; nothing is loaded from
elsewhere (no script, font, stylesheet or image URL). Colours: Okabe and Ito's
colour-blind-safe palette, every mark outlined in a colour with at least 3:1 contrast, and
text with at least 4.5:1 contrast (WCAG AA).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Any
from unicodedata import east_asian_width

__all__ = ["GROUP_COLOURS", "render_report"]

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

_TEXT = "#1a1a1a"
_MUTED_TEXT = "#4d4d4d"
_BACKGROUND = "#ffffff"
_OUTLINE = "#1a1a1a"
_UNGROUPED = "#595959"
_GRID = "#cccccc"

_Entry = dict[str, Any]
"""One element of ``statement_results``."""
_CountsOf = Callable[[_Entry, str], "dict[str, Any] | None"]
"""Return the counts entry of a group or category (by key) of a statement."""
_Column = tuple[str, Callable[[_Entry], str], bool]
"""Heading, cell text and whether the column is numeric, of a statement table column."""

_NUMBER_CLASS = ' class="number"'
_MAP_POINTS_MAX = 4000
_TOP_STATEMENTS = 10
_SNIPPET_WIDTH = 90
"""Width of a statement label in a chart, in narrow characters (wide ones count 2)."""

_STYLE = f"""
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: {_TEXT}; background: {_BACKGROUND}; margin: 0 auto; max-width: 60rem;
  padding: 1rem 1.5rem 3rem; line-height: 1.5; }}
h1, h2, h3 {{ line-height: 1.25; }}
figure {{ margin: 1rem 0; }}
figcaption, .note {{ color: {_MUTED_TEXT}; }}
svg {{ max-width: 100%; height: auto; }}
svg text {{ fill: {_TEXT}; font-size: 12px; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1.5rem; width: 100%; }}
caption {{ text-align: left; font-weight: 600; padding: 0.25rem 0; }}
th, td {{ border: 1px solid #767676; padding: 0.25rem 0.5rem; text-align: left;
  vertical-align: top; }}
td.number, th.number {{ text-align: right; font-variant-numeric: tabular-nums; }}
thead th {{ background: #f2f2f2; }}
dl.summary {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }}
dl.summary dt {{ font-weight: 600; }}
dl.summary dd {{ margin: 0; }}
.swatch {{ display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.35em;
  border: 1px solid {_OUTLINE}; vertical-align: -0.1em; }}
"""


def render_report(result: dict[str, Any]) -> str:
    """Return the HTML report of an analysis result (the JSON shape of ``to_dict()``)."""
    statements = {str(entry["id"]): entry for entry in result.get("statement_results", [])}
    texts = {str(key): str(value) for key, value in (result.get("statements_text") or {}).items()}
    groups = [int(group["id"]) for group in result.get("groups", [])]
    title = (
        f"Consensus report: {result.get('participants', 0)} participants, "
        f"{result.get('statements', 0)} statements"
    )
    sections = [
        _summary_section(result, groups),
        _map_section(result, groups),
        _support_sections(result, statements, texts, groups),
        _consensus_section(result, statements, texts),
        _divisive_section(statements, texts, groups),
        _repness_section(result, statements, texts, groups),
        _ranking_section(result, statements, texts),
    ]
    timings = result.get("timings_ms") or {}
    footer = ""
    if timings:
        parts = ", ".join(
            f"{escape(str(name))} {_number(value, 1)} ms" for name, value in timings.items()
        )
        footer = f'<footer><p class="note">Timings: {parts}.</p></footer>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(title)}</h1></header>\n<main>\n"
        + "\n".join(section for section in sections if section)
        + f"\n</main>\n{footer}\n</body>\n</html>\n"
    )


# --- Sections -------------------------------------------------------------------------------


def _summary_section(result: dict[str, Any], groups: list[int]) -> str:
    """Return the summary: sizes, settings and the opinion groups found."""
    ranking = result.get("ranking") or {}
    if groups:
        sizes = ", ".join(
            f"{_group_name(group['id'])} {len(group.get('members', []))}"
            for group in result.get("groups", [])
        )
        found = f"{len(groups)} ({sizes} participants)"
    else:
        reason = result.get("groups_reason") or "no groups were formed"
        found = f"none: {reason}"
    rows = [
        ("Participants", str(result.get("participants", 0))),
        ("Statements", str(result.get("statements", 0))),
        ("Votes", str(result.get("votes", 0))),
        ("Opinion groups", found),
        ("Clustering", str(result.get("clustering", ""))),
        ("Ranking method", str(ranking.get("method", ""))),
        ("Seed", str(result.get("seed", ""))),
    ]
    items = "\n".join(f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>" for name, value in rows)
    return (
        '<section aria-labelledby="summary-heading">\n'
        '<h2 id="summary-heading">Summary</h2>\n'
        f'<dl class="summary">\n{items}\n</dl>\n</section>'
    )


def _map_section(result: dict[str, Any], groups: list[int]) -> str:
    """Return the opinion map (an SVG scatter plot) and its table of groups."""
    points = [
        point
        for point in result.get("participants_map") or []
        if _is_number(point.get("x")) and _is_number(point.get("y"))
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
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{_BACKGROUND}" '
                f'stroke="{_UNGROUPED}" stroke-width="1"/>'
            )
        else:
            marks.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{_colour(int(group))}" '
                f'stroke="{_OUTLINE}" stroke-width="0.6"/>'
            )
    summary = _map_groups(points, groups)
    labels = []
    for group, (count, mean_x, mean_y) in summary.items():
        if group is None or count == 0:
            continue
        labels.append(
            f'<text x="{scale_x(mean_x):.1f}" y="{scale_y(mean_y):.1f}" text-anchor="middle" '
            f'font-weight="700" font-size="14" stroke="{_BACKGROUND}" stroke-width="4" '
            f'paint-order="stroke">{escape(_group_name(group))}</text>'
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
        f'fill="{_BACKGROUND}" stroke="{_GRID}"/>\n'
        + "\n".join(marks)
        + "\n"
        + "\n".join(labels)
        + "\n</svg>"
    )
    legend = _legend([(_group_name(group), _colour(group)) for group in groups])
    if None in summary:
        legend += (
            f' <span><span class="swatch" style="background:{_BACKGROUND};'
            f'border-color:{_UNGROUPED}"></span>not in a group</span>'
        )
    rows = []
    for group, (count, mean_x, mean_y) in summary.items():
        name = "Not in a group" if group is None else _group_name(group)
        rows.append(
            f'<tr><th scope="row">{escape(name)}</th><td class="number">{count}</td>'
            f'<td class="number">{_number(mean_x, 3)}</td>'
            f'<td class="number">{_number(mean_y, 3)}</td></tr>'
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


def _support_sections(
    result: dict[str, Any],
    statements: dict[str, dict[str, Any]],
    texts: dict[str, str],
    groups: list[int],
) -> str:
    """Return the agree share of each group, and of each declared category, per top statement."""
    top = _top_statements(result, statements)
    parts = []
    if groups and top:
        series = [(_group_name(group), str(group)) for group in groups]
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

        def counts(entry: _Entry, key: str, name: str = name) -> dict[str, Any] | None:
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
        label = _statement_label(statement_id, texts, _SNIPPET_WIDTH)
        elements.append(
            f'<text x="{left:.1f}" y="{block_top + label_height - 5:.1f}">'
            f"<title>{escape(_statement_label(statement_id, texts, 0))}</title>"
            f"{escape(label)}</text>"
        )
        block_top += label_height
        cells = []
        for index, (name, key) in enumerate(series):
            share, agree, total = _agree_share(counts_of(entry, key))
            y = block_top + index * (bar_height + bar_gap)
            if share is None:
                text = "no votes"
            else:
                length = max(bar_width * share, 0.0)
                elements.append(
                    f'<rect x="{left:.1f}" y="{y:.1f}" width="{length:.1f}" '
                    f'height="{bar_height:.1f}" fill="{_colour(index)}" stroke="{_OUTLINE}" '
                    f'stroke-width="0.6"><title>{escape(name)}: {_percent(share)} agree '
                    f"({agree} of {total})</title></rect>"
                )
                text = f"{_percent(share)} ({agree}/{total})"
            elements.append(
                f'<text x="{left + bar_width + 8:.1f}" y="{y + bar_height - 2:.1f}">'
                f"{escape(name)}: {escape(text)}</text>"
            )
            cells.append(
                '<td class="number">no votes</td>'
                if share is None
                else f'<td class="number">{_percent(share)} ({agree} of {total})</td>'
            )
        rows.append(
            f'<tr><th scope="row" dir="auto">{escape(_statement_label(statement_id, texts, 0))}'
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


def _consensus_section(
    result: dict[str, Any], statements: dict[str, dict[str, Any]], texts: dict[str, str]
) -> str:
    """Return the statements most participants agree (or disagree) on, across groups."""
    consensus = result.get("consensus") or {}
    parts = [
        '<section aria-labelledby="consensus-heading">',
        '<h2 id="consensus-heading">Consensus statements</h2>',
        '<p class="note">Statements on which participants agree (or disagree) across '
        "opinion groups.</p>",
    ]
    for direction, caption in (
        ("agree", "Consensus: agreed across groups"),
        ("disagree", "Consensus: disagreed across groups"),
    ):
        ids = [str(item) for item in consensus.get(direction, [])]
        if not ids:
            parts.append(f'<p class="note">{escape(caption)}: none.</p>')
            continue
        parts.append(
            _statement_table(
                caption,
                ids,
                statements,
                texts,
                [
                    ("Agree", lambda entry: _share_text(entry, "agree"), True),
                    ("Disagree", lambda entry: _share_text(entry, "disagree"), True),
                    (
                        "Group consensus",
                        lambda entry: _number(entry.get("group_consensus"), 3),
                        True,
                    ),
                ],
            )
        )
    parts.append("</section>")
    return "\n".join(parts)


def _divisive_section(
    statements: dict[str, dict[str, Any]], texts: dict[str, str], groups: list[int]
) -> str:
    """Return the statements the opinion groups disagree about most."""
    scored = [
        (float(entry["divisiveness"]), statement_id)
        for statement_id, entry in statements.items()
        if _is_number(entry.get("divisiveness")) and not entry.get("moderated_out")
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    ids = [statement_id for _, statement_id in scored[:_TOP_STATEMENTS]]
    heading = '<h2 id="divisive-heading">Most divisive statements</h2>'
    if not ids:
        return (
            f'<section aria-labelledby="divisive-heading">\n{heading}\n'
            '<p class="note">No divisiveness could be computed (no opinion groups).</p>\n'
            "</section>"
        )

    def by_group(entry: dict[str, Any]) -> str:
        shares = []
        for group in groups:
            share, _, _ = _agree_share((entry.get("by_group") or {}).get(str(group)))
            shares.append(f"{_group_name(group)} {'n/a' if share is None else _percent(share)}")
        return "; ".join(shares)

    table = _statement_table(
        f"The {len(ids)} most divisive statements",
        ids,
        statements,
        texts,
        [
            ("Divisiveness", lambda entry: _number(entry.get("divisiveness"), 3), True),
            ("Agree share by group", by_group, False),
        ],
    )
    return f'<section aria-labelledby="divisive-heading">\n{heading}\n{table}\n</section>'


def _repness_section(
    result: dict[str, Any],
    statements: dict[str, dict[str, Any]],
    texts: dict[str, str],
    groups: list[int],
) -> str:
    """Return the representative statements of each opinion group."""
    repness = result.get("repness") or {}
    if not groups or not repness:
        return ""
    parts = [
        '<section aria-labelledby="repness-heading">',
        '<h2 id="repness-heading">What sets each group apart</h2>',
    ]
    for group in groups:
        entries = repness.get(str(group)) or []
        if not entries:
            continue
        rows = []
        for entry in entries:
            statement_id = str(entry.get("id"))
            rows.append(
                f'<tr><th scope="row" dir="auto">'
                f"{escape(_statement_label(statement_id, texts, 0))}</th>"
                f"<td>{escape(str(entry.get('direction', '')))}</td>"
                f'<td class="number">{_number(entry.get("probability"), 3)}</td>'
                f'<td class="number">{_number(entry.get("repness"), 3)}</td></tr>'
            )
        parts.append(
            f"<table>\n<caption>{escape(_group_name(group))}: representative statements"
            '</caption>\n<thead><tr><th scope="col">Statement</th><th scope="col">Group '
            'mostly</th><th scope="col" class="number">Probability</th>'
            '<th scope="col" class="number">Representativeness</th></tr></thead>\n<tbody>\n'
            + "\n".join(rows)
            + "\n</tbody>\n</table>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _ranking_section(
    result: dict[str, Any], statements: dict[str, dict[str, Any]], texts: dict[str, str]
) -> str:
    """Return the top of the ranking with the scores behind it."""
    ranking = result.get("ranking") or {}
    order = [
        statement_id
        for statement_id in map(str, ranking.get("order", []))
        if statement_id in statements and not statements[statement_id].get("moderated_out")
    ]
    if not order:
        return ""
    shown = order[: 2 * _TOP_STATEMENTS]
    names: list[str] = []
    for statement_id in shown:
        for name in statements[statement_id].get("joint_support") or {}:
            if name not in names:
                names.append(name)
    columns: list[_Column] = [
        ("Group consensus", lambda entry: _number(entry.get("group_consensus"), 3), True),
        ("Bridging", lambda entry: _number(entry.get("bridging"), 3), True),
        ("Approval", lambda entry: _number(entry.get("approval"), 3), True),
    ]
    for name in names:
        columns.append((f"Joint support ({name})", _joint_support_cell(name), True))
    method = str(ranking.get("method", ""))
    table = _statement_table(
        f"Top {len(shown)} of {len(order)} statements by {method}",
        shown,
        statements,
        texts,
        columns,
        numbered=True,
    )
    return (
        '<section aria-labelledby="ranking-heading">\n'
        f'<h2 id="ranking-heading">Ranking ({escape(method)})</h2>\n{table}\n</section>'
    )


# --- Pieces ---------------------------------------------------------------------------------


def _joint_support_cell(name: str) -> Callable[[_Entry], str]:
    """Return the cell function showing the joint support of one grouping."""

    def cell(entry: _Entry) -> str:
        return _number((entry.get("joint_support") or {}).get(name), 3)

    return cell


def _statement_table(
    caption: str,
    ids: Sequence[str],
    statements: dict[str, dict[str, Any]],
    texts: dict[str, str],
    columns: Sequence[_Column],
    *,
    numbered: bool = False,
) -> str:
    """Return a table with one row per statement: id and text, then the given columns."""
    header = '<th scope="col" class="number">Rank</th>' if numbered else ""
    header += '<th scope="col">Statement</th>'
    header += "".join(
        f'<th scope="col"{_NUMBER_CLASS if numeric else ""}>{escape(name)}</th>'
        for name, _, numeric in columns
    )
    rows = []
    for rank, statement_id in enumerate(ids, start=1):
        entry = statements.get(statement_id, {})
        cells = "".join(
            f"<td{_NUMBER_CLASS if numeric else ''}>{escape(value(entry))}</td>"
            for _, value, numeric in columns
        )
        number = f'<td class="number">{rank}</td>' if numbered else ""
        rows.append(
            f'<tr>{number}<th scope="row" dir="auto">'
            f"{escape(_statement_label(statement_id, texts, 0))}</th>{cells}</tr>"
        )
    return (
        f"<table>\n<caption>{escape(caption)}</caption>\n<thead><tr>{header}</tr></thead>\n"
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


def _top_statements(result: dict[str, Any], statements: dict[str, dict[str, Any]]) -> list[str]:
    """Return the first statements of the ranking that are not moderated out."""
    order = [str(item) for item in (result.get("ranking") or {}).get("order", [])]
    eligible = [
        statement_id
        for statement_id in order
        if statement_id in statements and not statements[statement_id].get("moderated_out")
    ]
    return eligible[:_TOP_STATEMENTS]


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


def _agree_share(counts: dict[str, Any] | None) -> tuple[float | None, int, int]:
    """Return (agree share, agree votes, all votes) of a counts entry."""
    if not counts:
        return None, 0, 0
    agree = int(counts.get("agree") or 0)
    total = agree + int(counts.get("disagree") or 0) + int(counts.get("pass") or 0)
    if total == 0:
        return None, 0, 0
    return agree / total, agree, total


def _share_text(entry: dict[str, Any], direction: str) -> str:
    """Return "62% (31 of 50)" for the overall share of a vote direction."""
    total = sum(int(entry.get(key) or 0) for key in ("agree", "disagree", "pass"))
    if total == 0:
        return "no votes"
    count = int(entry.get(direction) or 0)
    return f"{_percent(count / total)} ({count} of {total})"


def _statement_label(statement_id: str, texts: dict[str, str], limit: int) -> str:
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


def _legend(entries: list[tuple[str, str]]) -> str:
    """Return an inline legend of colour swatches."""
    return " ".join(
        f'<span><span class="swatch" style="background:{colour}"></span>{escape(name)}</span>'
        for name, colour in entries
    )


def _group_name(group: int) -> str:
    """Return "Group A" for group 0, "Group B" for 1, ... ("Group 27" past Z)."""
    letter = chr(ord("A") + group) if 0 <= group < 26 else str(group + 1)
    return f"Group {letter}"


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


def _is_number(value: Any) -> bool:
    """Return whether a value is a finite number."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _number(value: Any, digits: int) -> str:
    """Return a number with ``digits`` decimals, or "n/a"."""
    if not _is_number(value):
        return "n/a"
    return f"{float(value):.{digits}f}"


def _percent(share: float) -> str:
    """Return a share as a whole percentage."""
    return f"{round(100 * share)}%"


def _ordinal(number: int) -> str:
    """Return "2nd", "3rd", "11th", ..."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"
