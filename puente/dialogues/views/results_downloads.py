"""Results downloads: CSV, JSON, the engine's HTML report and the anonymised votes (Polis).

Statement text is user content: the JSON escapes ``<``, ``>`` and ``&``, the report escapes it
itself, and every download is an attachment under a sandboxing policy.
"""

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from puente.consensus import render_report
from puente.core.spreadsheets import spreadsheet_text

from ..models import Dialogue, ResultSnapshot, Statement, Vote
from ..selectors import snapshot_latest
from .dialogues import visible_dialogue
from .results import results_allowed

DOWNLOADS = ("csv", "json", "html", "polis")


@require_http_methods(["GET", "HEAD"])
def results_download(
    request: HttpRequest, partnership_slug: str, slug: str, file_format: str
) -> HttpResponse:
    """Download the results as CSV, JSON or the engine's HTML report, or the votes (Polis)."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    if file_format not in DOWNLOADS:
        raise Http404
    if not results_allowed(request, dialogue):
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
                spreadsheet_text(str(texts.get(str(entry["id"]), ""))),
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
