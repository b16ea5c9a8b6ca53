"""A dialogue's results: the latest snapshot, and asking for a recomputation."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.dialogues.models import Dialogue, ResultSnapshot, Vote
from puente.dialogues.permissions import can_do, can_edit_dialogue
from puente.dialogues.phases import Action
from puente.dialogues.selectors import snapshot_latest, votes_since
from puente.dialogues.services import results_schedule

from ..permissions import person_of
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, SIGNED_IN, error_responses
from .dialogues import dialogue_or_404

STATES = [
    ("ready", _("Results are computed")),
    ("no_votes", _("Nobody has voted yet")),
    ("one_participant", _("Only one person has voted")),
    ("pending", _("Votes are in; the results are being computed")),
]


@extend_schema_field({"type": "object", "additionalProperties": {}, "nullable": True})
class EngineResultField(serializers.JSONField):
    """The engine's result, as ``puente.consensus.AnalysisResult.to_dict()`` gives it."""


class SnapshotSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=STATES, help_text=_("Whether there are results."))
    computed_at = serializers.DateTimeField(allow_null=True)
    n_votes = serializers.IntegerField(help_text=_("Votes the results count."))
    n_participants = serializers.IntegerField()
    n_comparisons = serializers.IntegerField(help_text=_("Decided pairwise comparisons."))
    votes_since = serializers.IntegerField(
        help_text=_("Votes cast or changed after the results were computed.")
    )
    ranking_method = serializers.CharField(allow_blank=True)
    result = EngineResultField(
        allow_null=True,
        help_text=_(
            "Opinion groups, per-statement support overall, per group, per region and "
            "stakeholder type, joint support, group-informed consensus, bridging, "
            "divisiveness, consensus lists, representative statements, pairwise strengths "
            "and the ranking; statement ids as text, participants numbered anonymously."
        ),
    )

    class Meta:
        ref_name = "DialogueSnapshot"


def _state(dialogue: Dialogue) -> str:
    voters = Vote.objects.filter(dialogue=dialogue).values("participant").distinct().order_by()
    return ("no_votes", "one_participant", "pending")[min(len(voters[:2]), 2)]


def _payload(dialogue: Dialogue, snapshot: ResultSnapshot | None) -> dict[str, Any]:
    if snapshot is None:
        return {
            "state": _state(dialogue),
            "computed_at": None,
            "n_votes": 0,
            "n_participants": 0,
            "n_comparisons": 0,
            "votes_since": 0,
            "ranking_method": "",
            "result": None,
        }
    return {
        "state": "ready",
        "computed_at": snapshot.computed_at,
        "n_votes": snapshot.n_votes,
        "n_participants": snapshot.n_participants,
        "n_comparisons": snapshot.n_comparisons,
        "votes_since": votes_since(snapshot=snapshot),
        "ranking_method": snapshot.ranking_method,
        "result": snapshot.result,
    }


class DialogueResultsApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    OutputSerializer = SnapshotSerializer

    @extend_schema(
        summary="Show a dialogue's latest results.",
        description="Results open from the deliberate phase on (403 before). They are "
        "recomputed in the background a few seconds after votes; votes_since says how many "
        "votes came after them.",
        responses={200: OutputSerializer, **error_responses(403, 404)},
    )
    def get(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Return the latest snapshot, or why there is none."""
        dialogue = dialogue_or_404(slug, dialogue_slug, request.user)
        if not can_do(request.user, dialogue, Action.SEE_RESULTS):
            raise PermissionDenied
        snapshot = snapshot_latest(dialogue=dialogue)
        payload = _payload(dialogue, snapshot)
        if payload["state"] == "pending":
            # Votes but no snapshot: ask for one, in the background (as the page does).
            results_schedule(dialogue_id=dialogue.pk)
        return Response(self.OutputSerializer(payload).data)


class DialogueResultsRefreshApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class OutputSerializer(serializers.Serializer[Any]):
        scheduled = serializers.BooleanField(help_text=_("Always true: the request was taken."))

        class Meta:
            ref_name = "DialogueResultsRefresh"

    @extend_schema(
        summary="Ask for a dialogue's results to be recomputed (facilitators, platform admins).",
        description="The recomputation runs in the background within a few seconds; read "
        "the results again to see it.",
        request=None,
        responses={202: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Schedule the recomputation."""
        actor = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, actor)
        if not can_edit_dialogue(actor, dialogue):
            raise PermissionDenied
        results_schedule(dialogue_id=dialogue.pk)
        return Response({"scheduled": True}, status=status.HTTP_202_ACCEPTED)
