"""Moderation of a dialogue: its flags; hiding, restoring, approving, merging what was said."""

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.accounts.models import User
from puente.core.permissions import Viewer
from puente.dialogues.models import Comment, Dialogue, Flag, Statement
from puente.dialogues.permissions import can_moderate
from puente.dialogues.selectors import flag_list
from puente.dialogues.services import (
    comment_hide,
    comment_restore,
    flag_resolve,
    statement_approve,
    statement_hide,
    statement_merge,
    statement_restore,
)
from puente.dialogues.services.statements import REASON_MAX_LENGTH

from ..permissions import person_of
from ..serializers import BoundedCharField, PersonSerializer, QueryParametersSerializer
from .base import AUTHENTICATION, SIGNED_IN, error_responses
from .dialogues import dialogue_or_404
from .statements import (
    CommentSerializer,
    FlagSerializer,
    StatementSerializer,
    statement_or_404,
    statement_output,
)

Target = TypeVar("Target", Statement, Comment, Flag)


def moderated_dialogue(
    request: Request,
    slug: str,
    dialogue_slug: str,
    may: Callable[[Viewer, Dialogue], bool] = can_moderate,
) -> tuple[User, Dialogue]:
    """Return the person and the dialogue; 404 if they may not see it, 403 if may says no."""
    person = person_of(request)
    dialogue = dialogue_or_404(slug, dialogue_slug, person)
    if not may(person, dialogue):
        raise PermissionDenied
    return person, dialogue


class ModerationActionApi(APIView, Generic[Target]):
    """A moderator's action on one thing of a dialogue: find it, read the body, act, answer.

    Subclasses say how to find the thing, what the action is and how to show the result;
    their post() documents the operation and hands its path parameters to moderate().
    """

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    # The body the action reads; None when it reads none.
    InputSerializer: type[serializers.Serializer[Any]] | None = None

    def find(self, dialogue: Dialogue, viewer: User, ids: Mapping[str, int]) -> Target:
        """Return the thing the path names, or answer 404."""
        raise NotImplementedError

    def act(self, request: Request, actor: User, target: Target, values: dict[str, Any]) -> Target:
        """Call the service and return what the answer shows."""
        raise NotImplementedError

    def output(self, result: Target, request: Request) -> dict[str, Any]:
        """Return the answer's body."""
        raise NotImplementedError

    def moderate(self, request: Request, slug: str, dialogue_slug: str, **ids: int) -> Response:
        """Check the dialogue and the role, find the thing, validate the body, then act."""
        person, dialogue = moderated_dialogue(request, slug, dialogue_slug)
        target = self.find(dialogue, person, ids)
        values: dict[str, Any] = {}
        if self.InputSerializer is not None:
            given = self.InputSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            values = dict(given.validated_data)
        return Response(self.output(self.act(request, person, target, values), request))


class ReasonInputSerializer(serializers.Serializer[Any]):
    reason = BoundedCharField(
        max_length=REASON_MAX_LENGTH, help_text=_("Why; the author reads it.")
    )


# Flags.


class FlagQueueSerializer(FlagSerializer):
    comment_statement = serializers.IntegerField(
        source="comment.statement_id",
        read_only=True,
        allow_null=True,
        help_text=_("Id of the statement the flagged comment is on; null for a statement."),
    )
    text = serializers.SerializerMethodField(help_text=_("The flagged statement or comment."))
    flagged_by = PersonSerializer(source="person", read_only=True)
    resolved_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("When a moderator dealt with the flag.")
    )
    resolved_by = PersonSerializer(read_only=True, allow_null=True)

    def get_text(self, flag: Flag) -> str:
        """Return the text of what was flagged."""
        flagged = flag.statement or flag.comment
        return flagged.text if flagged is not None else ""


FLAG_STATUSES = {"open": False, "resolved": True}


class FlagListApi(generics.ListAPIView[Flag]):
    """List a dialogue's flags, oldest first: the moderation queue (moderators)."""

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    serializer_class = FlagQueueSerializer
    filter_backends: list[Any] = []

    class QuerySerializer(QueryParametersSerializer):
        status = serializers.ChoiceField(
            choices=list(FLAG_STATUSES),
            required=False,
            help_text=_("open (default): not dealt with yet; resolved: dealt with."),
        )

    def get_queryset(self) -> QuerySet[Flag]:
        """Return the dialogue's flags in the status asked for."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return Flag.objects.none()
        _person, dialogue = moderated_dialogue(
            self.request, self.kwargs["slug"], self.kwargs["dialogue_slug"]
        )
        given = self.QuerySerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        status = given.validated_data.get("status", "open")
        return flag_list(dialogue=dialogue, is_resolved=FLAG_STATUSES[status])

    @extend_schema(
        summary="List a dialogue's flags: the moderation queue (facilitators).",
        parameters=[QuerySerializer],
        responses={200: FlagQueueSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the flags."""
        return super().get(request, *args, **kwargs)


class FlagResolveApi(ModerationActionApi[Flag]):
    OutputSerializer = FlagQueueSerializer

    def find(self, dialogue: Dialogue, viewer: User, ids: Mapping[str, int]) -> Flag:
        """Return the dialogue's flag, open or dealt with."""
        flag = flag_list(dialogue=dialogue, is_resolved=None).filter(pk=ids["flag_id"]).first()
        if flag is None:
            raise NotFound
        return flag

    def act(self, request: Request, actor: User, target: Flag, values: dict[str, Any]) -> Flag:
        """Mark the flag as dealt with."""
        return flag_resolve(actor=actor, flag=target)

    def output(self, result: Flag, request: Request) -> dict[str, Any]:
        """Show the flag."""
        data: dict[str, Any] = self.OutputSerializer(result).data
        return data

    @extend_schema(
        summary="Dismiss a flag: nothing needs doing (facilitators).",
        description="Hiding a statement or comment deals with its flags already.",
        request=None,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str, flag_id: int) -> Response:
        """Resolve the flag."""
        return self.moderate(request, slug, dialogue_slug, flag_id=flag_id)


# Statements.


class StatementModerationApi(ModerationActionApi[Statement]):
    def find(self, dialogue: Dialogue, viewer: User, ids: Mapping[str, int]) -> Statement:
        """Return the dialogue's statement."""
        return statement_or_404(dialogue, ids["statement_id"], viewer)

    def output(self, result: Statement, request: Request) -> dict[str, Any]:
        """Show the statement with its counts."""
        return statement_output(result, request)


class StatementHideApi(StatementModerationApi):
    class InputSerializer(ReasonInputSerializer):
        class Meta:
            ref_name = "StatementHide"

    def act(
        self, request: Request, actor: User, target: Statement, values: dict[str, Any]
    ) -> Statement:
        """Hide the statement."""
        return statement_hide(actor=actor, statement=target, reason=values["reason"])

    @extend_schema(
        summary="Hide a statement, saying why (facilitators).",
        request=InputSerializer,
        responses={200: StatementSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str, statement_id: int) -> Response:
        """Hide the statement."""
        return self.moderate(request, slug, dialogue_slug, statement_id=statement_id)


class StatementRestoreApi(StatementModerationApi):
    def act(
        self, request: Request, actor: User, target: Statement, values: dict[str, Any]
    ) -> Statement:
        """Show the statement again."""
        return statement_restore(actor=actor, statement=target)

    @extend_schema(
        summary="Show a hidden statement again (facilitators).",
        request=None,
        responses={200: StatementSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str, statement_id: int) -> Response:
        """Restore the statement."""
        return self.moderate(request, slug, dialogue_slug, statement_id=statement_id)


class StatementApproveApi(StatementModerationApi):
    def act(
        self, request: Request, actor: User, target: Statement, values: dict[str, Any]
    ) -> Statement:
        """Publish the statement."""
        return statement_approve(actor=actor, statement=target)

    @extend_schema(
        summary="Publish a statement waiting for moderation (facilitators).",
        request=None,
        responses={200: StatementSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str, statement_id: int) -> Response:
        """Approve the statement."""
        return self.moderate(request, slug, dialogue_slug, statement_id=statement_id)


class StatementMergeApi(StatementModerationApi):
    class InputSerializer(serializers.Serializer[Any]):
        survivor = serializers.IntegerField(
            min_value=1, help_text=_("Id of the published statement that stays.")
        )

        class Meta:
            ref_name = "StatementMerge"

    def act(
        self, request: Request, actor: User, target: Statement, values: dict[str, Any]
    ) -> Statement:
        """Merge the duplicate into the survivor; return the survivor."""
        survivor = Statement.objects.filter(
            pk=values["survivor"], dialogue=target.dialogue_id
        ).first()
        if survivor is None:
            raise serializers.ValidationError(
                {"survivor": [_("No statement of this dialogue has this id.")]}
            )
        survivor.dialogue = target.dialogue
        return statement_merge(
            actor=actor,
            duplicate=target,
            survivor=survivor,
        )

    @extend_schema(
        summary="Merge a duplicate into another statement of the dialogue (facilitators).",
        description="The duplicate's votes and comments move to the survivor; whoever voted on "
        "both keeps their later vote. The duplicate's author is told by e-mail. Answers with "
        "the survivor.",
        request=InputSerializer,
        responses={200: StatementSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str, statement_id: int) -> Response:
        """Merge the statement into the survivor."""
        return self.moderate(request, slug, dialogue_slug, statement_id=statement_id)


# Comments.


class ModeratedCommentSerializer(CommentSerializer):
    moderation_reason = serializers.CharField(
        read_only=True, help_text=_("Why the comment was hidden; empty otherwise.")
    )


class CommentModerationApi(ModerationActionApi[Comment]):
    OutputSerializer = ModeratedCommentSerializer

    def find(self, dialogue: Dialogue, viewer: User, ids: Mapping[str, int]) -> Comment:
        """Return the comment of the dialogue's statement, hidden or not."""
        statement = statement_or_404(dialogue, ids["statement_id"], viewer)
        comment = (
            Comment.objects.select_related("author")
            .filter(pk=ids["comment_id"], statement=statement)
            .first()
        )
        if comment is None:
            raise NotFound
        comment.statement = statement
        return comment

    def output(self, result: Comment, request: Request) -> dict[str, Any]:
        """Show the comment with the reason it was hidden."""
        data: dict[str, Any] = self.OutputSerializer(result).data
        return data


class CommentHideApi(CommentModerationApi):
    class InputSerializer(ReasonInputSerializer):
        class Meta:
            ref_name = "CommentHide"

    def act(
        self, request: Request, actor: User, target: Comment, values: dict[str, Any]
    ) -> Comment:
        """Hide the comment; its open flags are dealt with."""
        return comment_hide(actor=actor, comment=target, reason=values["reason"])

    @extend_schema(
        summary="Hide a comment, saying why (facilitators).",
        description="Its open flags count as dealt with.",
        request=InputSerializer,
        responses={200: ModeratedCommentSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(
        self,
        request: Request,
        slug: str,
        dialogue_slug: str,
        statement_id: int,
        comment_id: int,
    ) -> Response:
        """Hide the comment."""
        return self.moderate(
            request, slug, dialogue_slug, statement_id=statement_id, comment_id=comment_id
        )


class CommentRestoreApi(CommentModerationApi):
    def act(
        self, request: Request, actor: User, target: Comment, values: dict[str, Any]
    ) -> Comment:
        """Show the comment again."""
        return comment_restore(actor=actor, comment=target)

    @extend_schema(
        summary="Show a hidden comment again (facilitators).",
        request=None,
        responses={200: ModeratedCommentSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(
        self,
        request: Request,
        slug: str,
        dialogue_slug: str,
        statement_id: int,
        comment_id: int,
    ) -> Response:
        """Restore the comment."""
        return self.moderate(
            request, slug, dialogue_slug, statement_id=statement_id, comment_id=comment_id
        )
