"""Results pages: what the latest snapshot says, with charts, tables and downloads.

The pages read only the snapshot the background recomputation stored; they never run the
engine. Statement text is user content: the templates escape it (the charts are SVG drawn by
templates too), the JSON download escapes ``<``, ``>`` and ``&``, and the engine's report
escapes it itself.
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from puente.consensus import render_report
from puente.consensus.report_charts import GROUP_COLOURS
from puente.core.choices import Region, StakeholderType

from ..models import Dialogue, ResultSnapshot, Statement, Vote
from ..permissions import can_do, can_edit_dialogue
from ..phases import Action
from ..selectors import snapshot_latest, votes_since
from ..selectors.results import snapshot_summary_latest
from ..services import results_schedule
from .dialogues import visible_dialogue

# Statements in each support chart; the tables list them all.
TOP_STATEMENTS = 10
# Points drawn on the opinion map at most (an even sample beyond; the table counts everyone).
MAP_POINTS_MAX = 2000
_MAP_SIZE = 400
_MAP_MARGIN = 12
_BAR_WIDTH = 260
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
    return BarChart(_BAR_WIDTH + _BAR_LABEL_WIDTH + 60, int(y), placed, series)


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
            support.bar = round((support.share or 0.0) * _BAR_WIDTH, 1)
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
    span = _MAP_SIZE - 2 * _MAP_MARGIN

    def scale(value: float, low: float, high: float) -> float:
        return round(_MAP_MARGIN + (value - low) / (high - low) * span, 1) if high > low else 200.0

    points = [
        MapPoint(
            scale(float(p["x"]), low_x, high_x),
            # SVG's y grows downwards.
            _MAP_SIZE - scale(float(p["y"]), low_y, high_y),
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
                round(_BAR_LABEL_WIDTH + 10 + (value - low) / (high - low) * (_BAR_WIDTH - 20), 1)
                for value in row.pairwise
            )
        else:
            strength = start = end = _BAR_LABEL_WIDTH + _BAR_WIDTH / 2
        row.pairwise_x = (strength, start, end)
        row.pairwise_y = 14 + 24 * index


def _age_seconds(snapshot: ResultSnapshot) -> int:
    return max(0, int((timezone.now() - snapshot.computed_at).total_seconds()))


def _results_allowed(request: HttpRequest, dialogue: Dialogue) -> bool:
    return can_do(request.user, dialogue, Action.SEE_RESULTS)


def _empty_state(dialogue: Dialogue) -> str:
    """Return why there is no snapshot: no votes, one participant, or not computed yet."""
    voters = Vote.objects.filter(dialogue=dialogue).values("participant").distinct().order_by()[:2]
    count = len(voters)
    return ("no_votes", "one_participant", "pending")[min(count, 2)]


@require_http_methods(["GET", "HEAD"])
def results_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Show the dialogue's latest results, with how fresh they are."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    context: dict[str, Any] = {"partnership": dialogue.partnership, "dialogue": dialogue}
    if not _results_allowed(request, dialogue):
        return render(request, "dialogues/results_closed.html", context, status=403)
    snapshot = snapshot_latest(dialogue=dialogue)
    context["can_refresh"] = can_edit_dialogue(request.user, dialogue)
    if snapshot is None:
        context["empty_state"] = _empty_state(dialogue)
        if context["empty_state"] == "pending":
            # Votes are there but no snapshot (say, right after an upgrade): ask for one.
            # It runs in the background; the request only schedules it.
            results_schedule(dialogue_id=dialogue.pk)
        return render(request, "dialogues/results.html", context)
    context.update(
        {
            "results": results_view_data(snapshot),
            "snapshot": snapshot,
            "votes_since": votes_since(snapshot=snapshot),
            "age": age_text(_age_seconds(snapshot)),
            "map_size": _MAP_SIZE,
            "bar_width": _BAR_WIDTH,
        }
    )
    return render(request, "dialogues/results.html", context)


@login_required
@require_http_methods(["POST"])
def results_refresh_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """Ask for the results to be recomputed soon (facilitators)."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    if not can_edit_dialogue(request.user, dialogue):
        raise PermissionDenied
    results_schedule(dialogue_id=dialogue.pk)
    messages.success(request, _("The results will be recomputed in a moment."))
    return redirect("dialogues:results", partnership_slug=partnership_slug, slug=slug)


DOWNLOADS = ("csv", "json", "html", "polis")


@require_http_methods(["GET", "HEAD"])
def results_download(
    request: HttpRequest, partnership_slug: str, slug: str, file_format: str
) -> HttpResponse:
    """Download the results as CSV, JSON or the engine's HTML report, or the votes (Polis)."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    if file_format not in DOWNLOADS:
        raise Http404
    if not _results_allowed(request, dialogue):
        raise PermissionDenied
    stem = f"{slugify(dialogue.partnership.slug)}-{slugify(dialogue.slug)}"
    if file_format == "polis":
        return _attachment(_polis_export(dialogue), "application/zip", f"{stem}-votes-polis.zip")
    snapshot = snapshot_latest(dialogue=dialogue)
    if snapshot is None:
        raise Http404
    if file_format == "csv":
        return _attachment(
            _results_csv(snapshot).encode("utf-8-sig"), "text/csv; charset=utf-8", f"{stem}.csv"
        )
    if file_format == "json":
        return _attachment(_results_json(snapshot), "application/json", f"{stem}.json")
    return _attachment(
        render_report(snapshot.result).encode(), "text/html; charset=utf-8", f"{stem}.html"
    )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The engine's report styles itself inline; served from here it stays a download.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


def _cell(text: str) -> str:
    """Keep a spreadsheet from reading user text as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


_CSV_COLUMNS = (
    "rank",
    "statement_id",
    "statement",
    "agree",
    "disagree",
    "pass",
    "group_consensus",
    "joint_support_region",
    "joint_support_stakeholder_type",
    "bridging",
    "divisiveness",
    "approval",
    "pairwise_strength",
    "pairwise_low",
    "pairwise_high",
)


def _results_csv(snapshot: ResultSnapshot) -> str:
    result = snapshot.result
    texts = result.get("statements_text") or {}
    order = (result.get("ranking") or {}).get("order") or []
    rank = {statement_id: position + 1 for position, statement_id in enumerate(order)}
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(_CSV_COLUMNS)
    entries = [e for e in result.get("statement_results") or [] if not e.get("moderated_out")]
    entries.sort(key=lambda e: (rank.get(str(e["id"]), len(entries) + 1), str(e["id"])))
    for entry in entries:
        joint = entry.get("joint_support") or {}
        pairwise = entry.get("pairwise") or {}
        writer.writerow(
            [
                rank.get(str(entry["id"]), ""),
                entry["id"],
                _cell(str(texts.get(str(entry["id"]), ""))),
                entry.get("agree"),
                entry.get("disagree"),
                entry.get("pass"),
                *(
                    "" if value is None else value
                    for value in (
                        entry.get("group_consensus"),
                        joint.get("region"),
                        joint.get("stakeholder_type"),
                        entry.get("bridging"),
                        entry.get("divisiveness"),
                        entry.get("approval"),
                        pairwise.get("strength"),
                        pairwise.get("low"),
                        pairwise.get("high"),
                    )
                ),
            ]
        )
    return output.getvalue()


def _results_json(snapshot: ResultSnapshot) -> bytes:
    payload = {
        "computed_at": snapshot.computed_at.isoformat(),
        "n_votes": snapshot.n_votes,
        "n_participants": snapshot.n_participants,
        "n_comparisons": snapshot.n_comparisons,
        "ranking_method": snapshot.ranking_method,
        "result": snapshot.result,
    }
    text = json.dumps(payload, ensure_ascii=False)
    # Safe even where a browser were to read it as HTML.
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").encode()


def _polis_time(moment: datetime) -> tuple[int, str]:
    utc = moment.astimezone(UTC)
    return int(utc.timestamp() * 1000), utc.strftime("%a %b %d %H:%M:%S UTC %Y")


def _polis_export(dialogue: Dialogue) -> bytes:
    """Return the dialogue's anonymised votes and statements in Polis's export layout (zip).

    Participants are numbered 0, 1, ... as in the results (voters in the order of their
    accounts, then authors who did not vote), never by account; statements hidden or merged
    are ``moderated`` -1.
    """
    statements = list(
        Statement.objects.filter(dialogue=dialogue)
        .exclude(status=Statement.Status.PENDING)
        .order_by("pk")
        .values_list("pk", "created_at", "author_id", "status", "text")
    )
    votes = list(
        Vote.objects.filter(dialogue=dialogue)
        .order_by("updated_at", "pk")
        .values_list("updated_at", "statement_id", "participant_id", "choice")
    )
    # Stored null for a deleted author, whatever the stubs say.
    authors = [cast("int | None", row[2]) for row in statements]
    # Voters first, numbered as the results number them; authors who never voted after.
    voters = sorted({row[2] for row in votes})
    people = voters + sorted({a for a in authors if a is not None} - set(voters))
    anonymous = {person: index for index, person in enumerate(people)}
    counted = {row[0] for row in statements}
    tallies: dict[int, list[int]] = {pk: [0, 0] for pk in counted}
    votes_file = io.StringIO()
    writer = csv.writer(votes_file, lineterminator="\n")
    writer.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
    for updated_at, statement_id, participant_id, choice in votes:
        if statement_id not in counted:
            continue
        writer.writerow([*_polis_time(updated_at), statement_id, anonymous[participant_id], choice])
        if choice == 1:
            tallies[statement_id][0] += 1
        elif choice == -1:
            tallies[statement_id][1] += 1
    comments_file = io.StringIO()
    writer = csv.writer(comments_file, lineterminator="\n")
    writer.writerow(
        [
            "timestamp",
            "datetime",
            "comment-id",
            "author-id",
            "agrees",
            "disagrees",
            "moderated",
            "comment-body",
        ]
    )
    for (pk, created_at, _author, status, text), author_id in zip(statements, authors, strict=True):
        writer.writerow(
            [
                *_polis_time(created_at),
                pk,
                "" if author_id is None else anonymous[author_id],
                *tallies[pk],
                1 if status == Statement.Status.PUBLISHED else -1,
                # As written: this file is data for programs such as the engine, not a sheet.
                text,
            ]
        )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("votes.csv", votes_file.getvalue())
        zipped.writestr("comments.csv", comments_file.getvalue())
    return archive.getvalue()


def age_text(seconds: int) -> str:
    """Return how long ago, in words: "20 seconds", "3 minutes", "2 hours", "5 days"."""
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    if seconds < 3600:
        minutes = seconds // 60
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if seconds < 86400:
        hours = seconds // 3600
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = seconds // 86400
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def results_summary(request: HttpRequest, dialogue: Dialogue) -> dict[str, Any]:
    """Return the context of the results part of the dialogue page."""
    if not _results_allowed(request, dialogue):
        return {"results_open": False}
    snapshot = snapshot_summary_latest(dialogue=dialogue)
    summary: dict[str, Any] = {"results_open": True, "snapshot": snapshot}
    if snapshot is not None:
        texts = getattr(snapshot, "statements_text", None) or {}
        order = getattr(snapshot, "ranking_order", None) or []
        summary.update(
            {
                "top": [texts.get(str(statement_id), "") for statement_id in order[:3]],
                "age": age_text(_age_seconds(snapshot)),
            }
        )
    return summary
