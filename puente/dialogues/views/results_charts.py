"""The results page's content, built from the snapshot alone: rows, groups and charts.

Charts are placed here and drawn by the templates as SVG, so every text in them is escaped.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from puente.consensus.report_charts import GROUP_COLOURS
from puente.core.choices import Region, StakeholderType

from ..models import ResultSnapshot

# Statements in each support chart; the tables list them all.
TOP_STATEMENTS = 10
# Points drawn on the opinion map at most (an even sample beyond; the table counts everyone).
MAP_POINTS_MAX = 2000
MAP_SIZE = 400
_MAP_MARGIN = 12
BAR_WIDTH = 260
_LABEL_LENGTH = 60
_BAR_LABEL_WIDTH = 220

_GROUPING_LABELS = {"region": Region, "stakeholder_type": StakeholderType}


def _group_name(group: int) -> str:
    letter = chr(ord("A") + group) if group < 26 else str(group + 1)
    return _("Group %(letter)s") % {"letter": letter}


def _share(counts: dict[str, Any] | None) -> tuple[float | None, int]:
    """Return the agree share of those who voted (None without votes) and how many voted."""
    if not counts:
        return None, 0
    seen = int(counts.get("agree", 0)) + int(counts.get("disagree", 0)) + int(counts.get("pass", 0))
    return (int(counts.get("agree", 0)) / seen if seen else None), seen


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_LENGTH else text[: _LABEL_LENGTH - 1].rstrip() + "…"


@dataclass
class Support:
    """One category's (or group's) agree share on one statement."""

    label: str
    share: float | None
    seen: int
    colour: str = ""
    bar: float = 0.0


@dataclass
class StatementRow:
    """What the results say about one statement."""

    id: str
    text: str
    short_text: str
    rank: int | None
    agree: int
    disagree: int
    passed: int
    agree_share: float | None
    by_region: list[Support]
    by_type: list[Support]
    by_group: list[Support]
    joint_support_region: float | None
    joint_support_type: float | None
    group_consensus: float | None
    bridging: float | None
    divisiveness: float | None
    pairwise: tuple[float, float, float] | None = None
    # Where the pairwise chart draws the strength, the interval's ends, the line and label.
    pairwise_x: tuple[float, float, float] = (0.0, 0.0, 0.0)
    pairwise_y: float = 0.0


@dataclass
class MapPoint:
    x: float
    y: float
    colour: str


@dataclass
class GroupSummary:
    id: int
    name: str
    colour: str
    size: int
    share: float
    representative: list[tuple[StatementRow, str, float | None]] = field(default_factory=list)


@dataclass
class Bar:
    y: float
    text_y: float
    width: float
    colour: str
    label: str
    share: float | None
    seen: int


@dataclass
class BarRow:
    y: float
    row: StatementRow
    bars: list[Bar]


@dataclass
class BarChart:
    """Agree shares of each category for the top statements, placed for the SVG."""

    width: int
    height: int
    rows: list[BarRow]
    series: list[tuple[str, str]]


def _bar_chart(rows: list[StatementRow], grouping: str, series: list[tuple[str, str]]) -> BarChart:
    placed: list[BarRow] = []
    y = 4.0
    for row in rows:
        supports = row.by_region if grouping == "region" else row.by_type
        bars = []
        for index, support in enumerate(supports):
            bars.append(
                Bar(
                    y + 20 + index * 16,
                    y + 30 + index * 16,
                    support.bar,
                    support.colour,
                    support.label,
                    support.share,
                    support.seen,
                )
            )
        placed.append(BarRow(y + 14, row, bars))
        y += 24 + 16 * len(supports) + 8
    return BarChart(BAR_WIDTH + _BAR_LABEL_WIDTH + 60, int(y), placed, series)


@dataclass
class ResultsView:
    """The snapshot, made ready for the templates."""

    snapshot: ResultSnapshot
    statements: list[StatementRow]
    ranked: list[StatementRow]
    consensus_agree: list[StatementRow]
    consensus_disagree: list[StatementRow]
    divisive: list[StatementRow]
    groups: list[GroupSummary]
    map_points: list[MapPoint]
    map_sampled: bool
    n_ungrouped: int
    region_series: list[tuple[str, str]]
    type_series: list[tuple[str, str]]
    pairwise: list[StatementRow]
    region_chart: BarChart
    type_chart: BarChart
    pairwise_height: int


def _categories(result: dict[str, Any], name: str) -> list[str]:
    statements = result.get("statement_results") or []
    if not statements:
        return []
    return list((statements[0].get("by_grouping") or {}).get(name, {}))


def _category_label(name: str, value: str) -> str:
    choices = _GROUPING_LABELS[name]
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def results_view_data(snapshot: ResultSnapshot) -> ResultsView:
    """Return everything the results page shows, from the snapshot alone."""
    result = snapshot.result
    texts: dict[str, str] = result.get("statements_text") or {}
    order = list((result.get("ranking") or {}).get("order") or [])
    rank = {statement_id: position + 1 for position, statement_id in enumerate(order)}
    group_ids = [int(group["id"]) for group in result.get("groups") or []]
    colours = {g: GROUP_COLOURS[g % len(GROUP_COLOURS)] for g in group_ids}
    regions = _categories(result, "region")
    types = _categories(result, "stakeholder_type")
    region_colours = {
        value: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, value in enumerate(regions)
    }
    type_colours = {value: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, value in enumerate(types)}
    rows: dict[str, StatementRow] = {}
    for entry in result.get("statement_results") or []:
        if entry.get("moderated_out"):
            continue
        statement_id = str(entry["id"])
        text = texts.get(statement_id, statement_id)
        by_grouping = entry.get("by_grouping") or {}
        joint = entry.get("joint_support") or {}
        overall_share, _seen = _share(entry)
        pairwise = entry.get("pairwise")
        rows[statement_id] = StatementRow(
            id=statement_id,
            text=text,
            short_text=_short(text),
            rank=rank.get(statement_id),
            agree=int(entry.get("agree", 0)),
            disagree=int(entry.get("disagree", 0)),
            passed=int(entry.get("pass", 0)),
            agree_share=overall_share,
            by_region=[
                Support(
                    _category_label("region", value),
                    *_share(by_grouping.get("region", {}).get(value)),
                    colour=region_colours[value],
                )
                for value in regions
            ],
            by_type=[
                Support(
                    _category_label("stakeholder_type", value),
                    *_share(by_grouping.get("stakeholder_type", {}).get(value)),
                    colour=type_colours[value],
                )
                for value in types
            ],
            by_group=[
                Support(
                    _group_name(g),
                    *_share((entry.get("by_group") or {}).get(str(g))),
                    colour=colours[g],
                )
                for g in group_ids
            ],
            joint_support_region=joint.get("region"),
            joint_support_type=joint.get("stakeholder_type"),
            group_consensus=entry.get("group_consensus"),
            bridging=entry.get("bridging"),
            divisiveness=entry.get("divisiveness"),
            pairwise=(pairwise["strength"], pairwise["low"], pairwise["high"])
            if pairwise and pairwise.get("strength") is not None
            else None,
        )
        for support in rows[statement_id].by_region + rows[statement_id].by_type:
            support.bar = round((support.share or 0.0) * BAR_WIDTH, 1)
    statements = sorted(rows.values(), key=lambda row: (row.rank or len(rows) + 1, row.id))
    consensus = result.get("consensus") or {}
    divisive = sorted(
        (row for row in statements if row.divisiveness is not None),
        key=lambda row: -(row.divisiveness or 0.0),
    )[:TOP_STATEMENTS]
    groups, points, sampled, ungrouped = _map(result, group_ids, colours)
    for group in groups:
        for item in (result.get("repness") or {}).get(str(group.id), []):
            row = rows.get(str(item.get("id")))
            if row is None:
                continue
            share = next((s.share for s in row.by_group if s.label == group.name), None)
            direction = _("agree") if item.get("direction") == "agree" else _("disagree")
            group.representative.append((row, direction, share))
    pairwise = sorted(
        (row for row in statements if row.pairwise is not None),
        key=lambda row: -(row.pairwise or (0.0, 0.0, 0.0))[0],
    )
    _place_intervals(pairwise)
    region_series = [(_category_label("region", v), region_colours[v]) for v in regions]
    type_series = [(_category_label("stakeholder_type", v), type_colours[v]) for v in types]
    return ResultsView(
        snapshot=snapshot,
        statements=statements,
        ranked=statements[:TOP_STATEMENTS],
        consensus_agree=[rows[i] for i in consensus.get("agree", []) if i in rows],
        consensus_disagree=[rows[i] for i in consensus.get("disagree", []) if i in rows],
        divisive=divisive,
        groups=groups,
        map_points=points,
        map_sampled=sampled,
        n_ungrouped=ungrouped,
        region_series=region_series,
        type_series=type_series,
        pairwise=pairwise,
        region_chart=_bar_chart(statements[:TOP_STATEMENTS], "region", region_series),
        type_chart=_bar_chart(statements[:TOP_STATEMENTS], "type", type_series),
        pairwise_height=24 * len(pairwise) + 8,
    )


def _map(
    result: dict[str, Any], group_ids: list[int], colours: dict[int, str]
) -> tuple[list[GroupSummary], list[MapPoint], bool, int]:
    """Return the groups with their sizes and the map's points scaled to the drawing."""
    participants = result.get("participants_map") or []
    total = max(len(participants), 1)
    sizes = dict.fromkeys(group_ids, 0)
    ungrouped = 0
    for participant in participants:
        group = participant.get("group")
        if group is None:
            ungrouped += 1
        else:
            sizes[int(group)] = sizes.get(int(group), 0) + 1
    groups = [
        GroupSummary(g, _group_name(g), colours[g], sizes.get(g, 0), sizes.get(g, 0) / total)
        for g in group_ids
    ]
    placed = [p for p in participants if p.get("x") is not None and p.get("y") is not None]
    step = max(1, -(-len(placed) // MAP_POINTS_MAX))
    drawn = placed[::step]
    if not drawn:
        return groups, [], False, ungrouped
    xs = [float(p["x"]) for p in placed]
    ys = [float(p["y"]) for p in placed]
    low_x, high_x, low_y, high_y = min(xs), max(xs), min(ys), max(ys)
    span = MAP_SIZE - 2 * _MAP_MARGIN

    def scale(value: float, low: float, high: float) -> float:
        return round(_MAP_MARGIN + (value - low) / (high - low) * span, 1) if high > low else 200.0

    points = [
        MapPoint(
            scale(float(p["x"]), low_x, high_x),
            # SVG's y grows downwards.
            MAP_SIZE - scale(float(p["y"]), low_y, high_y),
            colours.get(p["group"], "#595959") if p.get("group") is not None else "#595959",
        )
        for p in drawn
    ]
    return groups, points, step > 1, ungrouped


def _place_intervals(rows: list[StatementRow]) -> None:
    """Scale each strength and its interval to the width of the pairwise chart."""
    values = [value for row in rows if row.pairwise for value in row.pairwise]
    if not values:
        return
    low, high = min(values), max(values)
    for index, row in enumerate(rows):
        if row.pairwise is None:
            continue
        if high > low:
            strength, start, end = (
                round(_BAR_LABEL_WIDTH + 10 + (value - low) / (high - low) * (BAR_WIDTH - 20), 1)
                for value in row.pairwise
            )
        else:
            strength = start = end = _BAR_LABEL_WIDTH + BAR_WIDTH / 2
        row.pairwise_x = (strength, start, end)
        row.pairwise_y = 14 + 24 * index
