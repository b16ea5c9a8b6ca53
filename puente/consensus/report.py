"""Render an analysis result as one self-contained, accessible, offline HTML page.

The page holds the opinion map, the support of each group for the top statements, the
consensus and most divisive statements, what sets each group apart and the ranking. Every
chart is hand-written SVG with a table as its text alternative; nothing is loaded from
elsewhere (no script, font, stylesheet or image URL). Colours: Okabe and Ito's
colour-blind-safe palette, every mark outlined in a colour with at least 3:1 contrast, and
text with at least 4.5:1 contrast (WCAG AA). The charts are drawn in ``report_charts``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from .report_charts import (
    BACKGROUND,
    GROUP_COLOURS,
    OUTLINE,
    TOP_STATEMENTS,
    Entry,
    agree_share,
    format_number,
    format_percent,
    group_name,
    is_number,
    map_section,
    statement_label,
    support_sections,
)

__all__ = ["GROUP_COLOURS", "render_report"]

_TEXT = "#1a1a1a"
_MUTED_TEXT = "#4d4d4d"

_Column = tuple[str, Callable[[Entry], str], bool]
"""Heading, cell text and whether the column is numeric, of a statement table column."""

_NUMBER_CLASS = ' class="number"'

_STYLE = f"""
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: {_TEXT}; background: {BACKGROUND}; margin: 0 auto; max-width: 60rem;
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
  border: 1px solid {OUTLINE}; vertical-align: -0.1em; }}
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
        map_section(result, groups),
        support_sections(result, statements, texts, groups),
        _consensus_section(result, statements, texts),
        _divisive_section(statements, texts, groups),
        _repness_section(result, statements, texts, groups),
        _ranking_section(result, statements, texts),
    ]
    timings = result.get("timings_ms") or {}
    footer = ""
    if timings:
        parts = ", ".join(
            f"{escape(str(name))} {format_number(value, 1)} ms" for name, value in timings.items()
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


def _group_size(group: dict[str, Any]) -> int:
    """Return a group's size: stored results give it, the engine's own list its members."""
    return int(group.get("size", len(group.get("members", []))))


def _summary_section(result: dict[str, Any], groups: list[int]) -> str:
    """Return the summary: sizes, settings and the opinion groups found."""
    ranking = result.get("ranking") or {}
    if groups:
        sizes = ", ".join(
            f"{group_name(group['id'])} {_group_size(group)}" for group in result.get("groups", [])
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
                        lambda entry: format_number(entry.get("group_consensus"), 3),
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
        if is_number(entry.get("divisiveness")) and not entry.get("moderated_out")
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    ids = [statement_id for _, statement_id in scored[:TOP_STATEMENTS]]
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
            share, _, _ = agree_share((entry.get("by_group") or {}).get(str(group)))
            shares.append(
                f"{group_name(group)} {'n/a' if share is None else format_percent(share)}"
            )
        return "; ".join(shares)

    table = _statement_table(
        f"The {len(ids)} most divisive statements",
        ids,
        statements,
        texts,
        [
            ("Divisiveness", lambda entry: format_number(entry.get("divisiveness"), 3), True),
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
                f"{escape(statement_label(statement_id, texts, 0))}</th>"
                f"<td>{escape(str(entry.get('direction', '')))}</td>"
                f'<td class="number">{format_number(entry.get("probability"), 3)}</td>'
                f'<td class="number">{format_number(entry.get("repness"), 3)}</td></tr>'
            )
        parts.append(
            f"<table>\n<caption>{escape(group_name(group))}: representative statements"
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
    shown = order[: 2 * TOP_STATEMENTS]
    names: list[str] = []
    for statement_id in shown:
        for name in statements[statement_id].get("joint_support") or {}:
            if name not in names:
                names.append(name)
    columns: list[_Column] = [
        ("Group consensus", lambda entry: format_number(entry.get("group_consensus"), 3), True),
        ("Bridging", lambda entry: format_number(entry.get("bridging"), 3), True),
        ("Approval", lambda entry: format_number(entry.get("approval"), 3), True),
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


def _joint_support_cell(name: str) -> Callable[[Entry], str]:
    """Return the cell function showing the joint support of one grouping."""

    def cell(entry: Entry) -> str:
        return format_number((entry.get("joint_support") or {}).get(name), 3)

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
            f"{escape(statement_label(statement_id, texts, 0))}</th>{cells}</tr>"
        )
    return (
        f"<table>\n<caption>{escape(caption)}</caption>\n<thead><tr>{header}</tr></thead>\n"
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


def _share_text(entry: dict[str, Any], direction: str) -> str:
    """Return "62% (31 of 50)" for the overall share of a vote direction."""
    total = sum(int(entry.get(key) or 0) for key in ("agree", "disagree", "pass"))
    if total == 0:
        return "no votes"
    count = int(entry.get(direction) or 0)
    return f"{format_percent(count / total)} ({count} of {total})"
