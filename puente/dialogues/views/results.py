"""Results pages: what the latest snapshot says (``results_charts``), and a recomputation.

The pages read only the snapshot the background recomputation stored; they never run the
engine. Statement text is user content, escaped by the templates (the charts are SVG drawn
by templates too); the downloads are in ``results_downloads``.
"""

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ..models import Dialogue, ResultSnapshot, Vote
from ..permissions import can_do, can_edit_dialogue
from ..phases import Action
from ..selectors import snapshot_latest, votes_since
from ..selectors.results import snapshot_summary_latest
from ..services import results_schedule
from .dialogues import visible_dialogue
from .results_charts import BAR_WIDTH, MAP_SIZE, results_view_data

# The page's body depends only on the snapshot and the language: each snapshot's is rendered
# once per language and kept this long (a new snapshot has a new key).
RESULTS_PAGE_CACHE_SECONDS = 24 * 3600


def _age_seconds(snapshot: ResultSnapshot) -> int:
    return max(0, int((timezone.now() - snapshot.computed_at).total_seconds()))


def results_allowed(request: HttpRequest, dialogue: Dialogue) -> bool:
    """Return whether the viewer may see the dialogue's results now (the phase table)."""
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
    if not results_allowed(request, dialogue):
        return render(request, "dialogues/results_closed.html", context, status=403)
    # The result itself (megabytes at 10,000 participants) is read only when the page's
    # cached body for this snapshot and language is missing: see results.html.
    snapshot = snapshot_latest(dialogue=dialogue, with_result=False)
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
            "results": SimpleLazyObject(partial(results_view_data, snapshot)),
            "results_cache_seconds": RESULTS_PAGE_CACHE_SECONDS,
            "snapshot": snapshot,
            "votes_since": votes_since(snapshot=snapshot),
            "age": age_text(_age_seconds(snapshot)),
            "map_size": MAP_SIZE,
            "bar_width": BAR_WIDTH,
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
    if not results_allowed(request, dialogue):
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
