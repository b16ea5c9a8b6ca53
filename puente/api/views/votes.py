"""Votes on statements and "which comes first?" comparisons: yours to read and to write."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.core.permissions import Viewer
from puente.dialogues.models import Comparison, Statement, Vote, VoteChange
from puente.dialogues.permissions import can_do, can_view_dialogue
from puente.dialogues.phases import Action
from puente.dialogues.selectors import next_pair_for, vote_history, vote_list_of
from puente.dialogues.services import comparison_record, vote_cast

from ..permissions import person_of
from .base import AUTHENTICATION, SIGNED_IN, error_responses
from .dialogues import dialogue_or_404


def statement_or_404(statement_id: int, viewer: Viewer) -> Statement:
    """Return the shown statement if the viewer may read its dialogue; otherwise answer 404."""
    statement = (
        Statement.objects.shown()
        .select_related("dialogue__partnership")
        .filter(pk=statement_id)
        .first()
    )
    # Asked of the statement's own dialogue: a public partnership needs no further query.
    if statement is None or not can_view_dialogue(viewer, statement.dialogue):
        raise NotFound
    return statement


class StatementReferenceSerializer(serializers.Serializer[Statement]):
    id = serializers.IntegerField(read_only=True, help_text=gettext_lazy("Stable identifier."))
    text = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Statement.Kind.choices, read_only=True)


class VoteSerializer(serializers.Serializer[Vote]):
    statement = StatementReferenceSerializer(read_only=True)
    choice = serializers.ChoiceField(
        choices=Vote.Choice.choices,
        read_only=True,
        help_text=gettext_lazy("1 agree, -1 disagree, 0 pass."),
    )
    updated_at = serializers.DateTimeField(read_only=True)


class VoteChangeSerializer(serializers.Serializer[VoteChange]):
    choice = serializers.ChoiceField(choices=Vote.Choice.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class MyVoteSerializer(serializers.Serializer[Any]):
    """Your vote on one statement, null until you vote, with every vote you cast on it."""

    statement = serializers.IntegerField(read_only=True)
    choice = serializers.ChoiceField(
        choices=Vote.Choice.choices,
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("1 agree, -1 disagree, 0 pass; null when you have not voted."),
    )
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    history = VoteChangeSerializer(many=True, read_only=True)


class StatementVoteApi(APIView):
    """GET reads your vote on a statement; PUT casts or changes it."""

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        choice = serializers.ChoiceField(
            choices=Vote.Choice.choices, help_text=gettext_lazy("1 agree, -1 disagree, 0 pass.")
        )

        class Meta:
            ref_name = "VoteCast"

    OutputSerializer = VoteSerializer

    @extend_schema(
        summary="Show your vote on a statement, with every vote you cast on it.",
        responses={200: MyVoteSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, statement_id: int) -> Response:
        """Show your vote; choice is null when you have not voted."""
        person = person_of(request)
        statement = statement_or_404(statement_id, person)
        history = list(vote_history(participant=person, statement=statement))
        latest = history[-1] if history else None
        return Response(
            MyVoteSerializer(
                {
                    "statement": statement.pk,
                    "choice": latest.choice if latest else None,
                    "updated_at": latest.created_at if latest else None,
                    "history": history,
                }
            ).data
        )

    @extend_schema(
        summary="Vote on a statement: agree, disagree or pass.",
        description="Idempotent: the same vote again changes nothing; another choice replaces "
        "your vote, and every change is kept in its history. Choose first how you take part "
        "in the dialogue (PUT .../participation/).",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, statement_id: int) -> Response:
        """Cast or change your vote."""
        person = person_of(request)
        statement = statement_or_404(statement_id, person)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        vote = vote_cast(
            participant=person, statement=statement, choice=int(given.validated_data["choice"])
        )
        vote.statement = statement
        return Response(self.OutputSerializer(vote).data)


class MyVoteListApi(generics.ListAPIView[Vote]):
    """List your votes in a dialogue, last changed first."""

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    serializer_class = VoteSerializer

    def get_queryset(self) -> QuerySet[Vote]:
        """Return your votes on the dialogue's shown statements."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return Vote.objects.none()
        person = person_of(self.request)
        dialogue = dialogue_or_404(self.kwargs["slug"], self.kwargs["dialogue_slug"], person)
        return vote_list_of(participant=person, dialogue=dialogue)

    @extend_schema(
        summary="List your votes in a dialogue.",
        responses={200: VoteSerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the votes."""
        return super().get(request, *args, **kwargs)


class PairSerializer(serializers.Serializer[Any]):
    first = StatementReferenceSerializer(read_only=True, allow_null=True)
    second = StatementReferenceSerializer(read_only=True, allow_null=True)


class NextPairApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    OutputSerializer = PairSerializer

    @extend_schema(
        summary="Give the next two statements for you to compare.",
        description="Every statement gets its turn, the least compared first; the same pair "
        "comes back until you answer it. Both are null when no pair is left. Only in the "
        "prioritise phase.",
        responses={200: OutputSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Give the next pair."""
        person = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, person)
        if not can_do(person, dialogue, Action.COMPARE):
            raise PermissionDenied
        pair = next_pair_for(dialogue=dialogue, participant=person)
        first, second = pair if pair is not None else (None, None)
        return Response(self.OutputSerializer({"first": first, "second": second}).data)


class ComparisonSerializer(serializers.Serializer[Comparison]):
    first = serializers.IntegerField(source="first_id", read_only=True)
    second = serializers.IntegerField(source="second_id", read_only=True)
    choice = serializers.ChoiceField(choices=Comparison.Choice.choices, read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ComparisonRecordApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        first = serializers.IntegerField(
            min_value=1, max_value=2**63 - 1, help_text=gettext_lazy("A statement's id.")
        )
        second = serializers.IntegerField(
            min_value=1, max_value=2**63 - 1, help_text=gettext_lazy("Another statement's id.")
        )
        choice = serializers.ChoiceField(
            choices=Comparison.Choice.choices,
            help_text=gettext_lazy("Which of the two should come first, or undecided."),
        )

        class Meta:
            ref_name = "ComparisonRecord"

    OutputSerializer = ComparisonSerializer

    @extend_schema(
        summary="Answer which of two statements should come first.",
        description="The pair is stored with the lower id first and the answer turned to "
        "match; answering the same pair again, in either order, replaces the answer.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Record the answer."""
        person = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, person)
        if not can_do(person, dialogue, Action.COMPARE):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        found = (
            Statement.objects.shown()
            .filter(dialogue=dialogue)
            .in_bulk([given.validated_data["first"], given.validated_data["second"]])
        )
        missing = {
            name: [_("No published statement of this dialogue has this id.")]
            for name in ("first", "second")
            if given.validated_data[name] not in found
        }
        if missing:
            raise ValidationError(missing)
        first = found[given.validated_data["first"]]
        second = found[given.validated_data["second"]]
        first.dialogue = second.dialogue = dialogue
        comparison = comparison_record(
            participant=person, first=first, second=second, choice=given.validated_data["choice"]
        )
        return Response(self.OutputSerializer(comparison).data)
