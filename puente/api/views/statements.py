"""Statements of a dialogue: list, add, read, change; their comments and flags."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.core.permissions import Viewer
from puente.dialogues.models import Comment, Dialogue, Flag, Statement
from puente.dialogues.permissions import (
    can_add_statement,
    can_comment,
    can_edit_statement,
    can_flag,
    can_moderate,
    can_seed,
)
from puente.dialogues.selectors import (
    comment_list,
    statement_get,
    statement_list,
    statement_with_counts,
)
from puente.dialogues.selectors.statements import DEFAULT_ORDER, ORDERS
from puente.dialogues.services import (
    comment_create,
    flag_create,
    statement_create,
    statement_seed,
    statement_update,
)
from puente.dialogues.services.statements import REASON_MAX_LENGTH

from ..permissions import person_of
from ..serializers import (
    AbsoluteUrlField,
    BoundedCharField,
    LanguageCodeField,
    OrganisationSummarySerializer,
    PersonSerializer,
    QueryParametersSerializer,
)
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, SIGNED_IN, error_responses
from .dialogues import dialogue_or_404

SEARCH_MAX_LENGTH = 200


def statement_or_404(dialogue: Dialogue, statement_id: int, viewer: Viewer) -> Statement:
    """Return the dialogue's statement if the viewer may see it; otherwise answer 404."""
    try:
        return statement_get(dialogue=dialogue, pk=statement_id, viewer=viewer)
    except Statement.DoesNotExist as error:
        raise NotFound from error


class StatementTranslationSerializer(serializers.Serializer[Any]):
    language = LanguageCodeField(read_only=True)
    text = serializers.CharField(read_only=True)
    details = serializers.CharField(read_only=True, help_text=_("Markdown."))
    updated_at = serializers.DateTimeField(read_only=True)


class StatementSerializer(serializers.Serializer[Statement]):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable identifier."))
    text = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Statement.Kind.choices, read_only=True)
    details = serializers.CharField(read_only=True, help_text=_("Markdown."))
    language = LanguageCodeField(read_only=True, help_text=_("The language it is written in."))
    translations = StatementTranslationSerializer(
        many=True, read_only=True, help_text=_("Translations of the statement, by people.")
    )
    author = PersonSerializer(read_only=True, allow_null=True)
    organisation = OrganisationSummarySerializer(
        read_only=True, allow_null=True, help_text=_("The organisation the author spoke for.")
    )
    is_seed = serializers.BooleanField(read_only=True)
    status = serializers.ChoiceField(choices=Statement.Status.choices, read_only=True)
    moderation_reason = serializers.CharField(
        read_only=True, help_text=_("Why the statement was hidden; empty otherwise.")
    )
    merged_into = serializers.IntegerField(
        source="merged_into_id",
        read_only=True,
        allow_null=True,
        help_text=_("Id of the statement this one was merged into."),
    )
    n_votes = serializers.IntegerField(read_only=True)
    n_comments = serializers.IntegerField(read_only=True)
    url = AbsoluteUrlField(source="get_absolute_url", help_text=_("The statement's web page."))
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


def statement_output(statement: Statement, request: Request) -> dict[str, Any]:
    """Return the statement as written, with its counts."""
    fresh = statement_with_counts(statement_id=statement.pk)
    data: dict[str, Any] = StatementSerializer(fresh, context={"request": request}).data
    return data


class StatementListApi(generics.ListAPIView[Statement]):
    """List a dialogue's statements you may see."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = StatementSerializer
    filter_backends: list[Any] = []

    class QuerySerializer(QueryParametersSerializer):
        kind = serializers.ChoiceField(choices=Statement.Kind.choices, required=False)
        q = serializers.CharField(
            required=False,
            max_length=SEARCH_MAX_LENGTH,
            help_text=_("Words to look for in the text and details."),
        )
        order = serializers.ChoiceField(
            choices=list(ORDERS),
            required=False,
            help_text=_("newest (default), oldest or most_votes."),
        )
        status = serializers.ChoiceField(
            choices=Statement.Status.choices,
            required=False,
            help_text=_(
                "Only statements in this status. Facilitators see every statement in it: the "
                "pending and hidden ones of the moderation queue."
            ),
        )

    def get_queryset(self) -> QuerySet[Statement]:
        """Return the statements the viewer sees, filtered and ordered as asked."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return Statement.objects.none()
        dialogue = dialogue_or_404(
            self.kwargs["slug"], self.kwargs["dialogue_slug"], self.request.user
        )
        given = self.QuerySerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        return statement_list(
            dialogue=dialogue,
            viewer=self.request.user,
            kind=given.validated_data.get("kind"),
            q=given.validated_data.get("q"),
            order=given.validated_data.get("order", DEFAULT_ORDER),
            status=given.validated_data.get("status"),
        )

    @extend_schema(
        summary="List a dialogue's statements.",
        description="Everyone sees the published statements; their author also sees their own "
        "statements that wait for moderation or were hidden. Facilitators list the waiting "
        "or hidden statements of everyone with ?status=pending or ?status=hidden.",
        parameters=[QuerySerializer],
        responses={200: StatementSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the statements."""
        return super().get(request, *args, **kwargs)


class StatementInputSerializer(serializers.Serializer[Any]):
    text = BoundedCharField(
        max_length=Statement.MAX_LENGTH,
        help_text=_("One sentence, at most 300 characters; surrounding spaces are removed."),
    )
    kind = serializers.ChoiceField(choices=Statement.Kind.choices)
    details = BoundedCharField(
        max_length=5000, required=False, allow_blank=True, help_text=_("Markdown.")
    )
    language = LanguageCodeField(help_text=_("The language the statement is written in."))


class StatementCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(StatementInputSerializer):
        language = LanguageCodeField(
            required=False, help_text=_("Default: the language of the request.")
        )

        class Meta:
            ref_name = "StatementCreate"

    OutputSerializer = StatementSerializer

    @extend_schema(
        summary="Add a statement (participants) or seed one (facilitators).",
        description="The statement counts for the organisation you take part for: set your "
        "participation first. With pre-moderation it waits for a facilitator (status "
        "pending). Facilitators who do not take part seed statements instead.",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Add a statement."""
        person = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, person)
        adds = can_add_statement(person, dialogue)
        if not adds and not can_seed(person, dialogue):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = {
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            **given.validated_data,
        }
        if adds:
            statement = statement_create(author=person, dialogue=dialogue, **values)
        else:
            statement = statement_seed(actor=person, dialogue=dialogue, **values)
        return Response(
            statement_output(statement, request),
            status=status.HTTP_201_CREATED,
        )


class StatementDetailApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    OutputSerializer = StatementSerializer

    @extend_schema(
        summary="Show a statement.",
        responses={200: OutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, slug: str, dialogue_slug: str, statement_id: int) -> Response:
        """Show the statement; 404 if you may not see it."""
        dialogue = dialogue_or_404(slug, dialogue_slug, request.user)
        statement = statement_or_404(dialogue, statement_id, request.user)
        return Response(self.OutputSerializer(statement, context={"request": request}).data)


class StatementUpdateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(StatementInputSerializer):
        class Meta:
            ref_name = "StatementUpdate"

    OutputSerializer = StatementSerializer

    @extend_schema(
        summary="Change a statement (its author before any vote, or a facilitator).",
        description="PATCH may leave any field out.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str, dialogue_slug: str, statement_id: int) -> Response:
        """Change the statement."""
        person = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, person)
        statement = statement_or_404(dialogue, statement_id, person)
        if not can_edit_statement(person, statement):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        statement_update(actor=person, statement=statement, **given.validated_data)
        return Response(statement_output(statement, request))


class StatementCollectionApi(StatementListApi, StatementCreateApi):
    """GET lists a dialogue's statements; POST adds one."""


class StatementItemApi(StatementDetailApi, StatementUpdateApi):
    """GET shows a statement; PATCH changes it."""


# Comments.


class ReplySerializer(serializers.Serializer[Comment]):
    id = serializers.IntegerField(read_only=True)
    author = PersonSerializer(read_only=True, allow_null=True)
    text = serializers.CharField(read_only=True)
    language = LanguageCodeField(read_only=True)
    is_hidden = serializers.BooleanField(
        read_only=True, help_text=_("Only facilitators see hidden comments.")
    )
    created_at = serializers.DateTimeField(read_only=True)


class CommentSerializer(ReplySerializer):
    # DRF takes declared fields off the class, so the name does not shadow Field.parent.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_id",
        read_only=True,
        allow_null=True,
        help_text=_("Id of the comment this one replies to."),
    )


class ThreadSerializer(ReplySerializer):
    replies = ReplySerializer(many=True, read_only=True)


class CommentListApi(generics.ListAPIView[Comment]):
    """List a statement's comments, oldest first, each with its replies."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = ThreadSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Comment]:
        """Return the top comments with their replies."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return Comment.objects.none()
        dialogue = dialogue_or_404(
            self.kwargs["slug"], self.kwargs["dialogue_slug"], self.request.user
        )
        statement = statement_or_404(dialogue, self.kwargs["statement_id"], self.request.user)
        return comment_list(statement=statement, viewer=self.request.user)

    @extend_schema(
        summary="List a statement's comments with their replies.",
        responses={200: ThreadSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the comments."""
        return super().get(request, *args, **kwargs)


class CommentCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        text = BoundedCharField(max_length=Comment.MAX_LENGTH)
        # DRF takes declared fields off the class, so the name does not shadow Field.parent.
        parent = serializers.IntegerField(  # type: ignore[assignment]
            required=False,
            allow_null=True,
            min_value=1,
            help_text=_(
                "Id of the comment you reply to. A reply to a reply joins the thread of the "
                "comment on top."
            ),
        )
        language = LanguageCodeField(
            required=False, help_text=_("Default: the language of the request.")
        )

        class Meta:
            ref_name = "CommentCreate"

    OutputSerializer = CommentSerializer

    @extend_schema(
        summary="Comment on a published statement, or reply to a comment.",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str, statement_id: int) -> Response:
        """Add a comment."""
        person = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, person)
        statement = statement_or_404(dialogue, statement_id, person)
        if not can_comment(person, dialogue):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        parent = None
        parent_id = given.validated_data.get("parent")
        if parent_id is not None:
            parent = Comment.objects.filter(pk=parent_id, statement=statement).first()
            if parent is None or (parent.is_hidden and not can_moderate(person, dialogue)):
                raise serializers.ValidationError(
                    {"parent": [_("No comment of this statement has this id.")]}
                )
        comment = comment_create(
            author=person,
            statement=statement,
            text=given.validated_data["text"],
            language=given.validated_data.get("language")
            or translation.get_language()
            or settings.LANGUAGE_CODE,
            parent=parent,
        )
        return Response(self.OutputSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentCollectionApi(CommentListApi, CommentCreateApi):
    """GET lists a statement's comments; POST adds one."""


# Flags.


class FlagSerializer(serializers.Serializer[Flag]):
    id = serializers.IntegerField(read_only=True)
    statement = serializers.IntegerField(source="statement_id", read_only=True, allow_null=True)
    comment = serializers.IntegerField(source="comment_id", read_only=True, allow_null=True)
    reason = serializers.ChoiceField(choices=Flag.Reason.choices, read_only=True)
    note = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class FlagInputSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=Flag.Reason.choices)
    note = BoundedCharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True)


class StatementFlagCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(FlagInputSerializer):
        class Meta:
            ref_name = "StatementFlagCreate"

    OutputSerializer = FlagSerializer

    @extend_schema(
        summary="Flag a statement for the facilitators, once.",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str, statement_id: int) -> Response:
        """Flag the statement."""
        person = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, person)
        statement = statement_or_404(dialogue, statement_id, person)
        if not can_flag(person, dialogue):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        flag = flag_create(person=person, statement=statement, **given.validated_data)
        return Response(self.OutputSerializer(flag).data, status=status.HTTP_201_CREATED)


class CommentFlagCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(FlagInputSerializer):
        class Meta:
            ref_name = "CommentFlagCreate"

    OutputSerializer = FlagSerializer

    @extend_schema(
        summary="Flag a comment for the facilitators, once.",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(
        self,
        request: Request,
        slug: str,
        dialogue_slug: str,
        statement_id: int,
        comment_id: int,
    ) -> Response:
        """Flag the comment."""
        person = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, person)
        statement = statement_or_404(dialogue, statement_id, person)
        comment = Comment.objects.filter(pk=comment_id, statement=statement).first()
        if comment is None or (comment.is_hidden and not can_moderate(person, dialogue)):
            raise NotFound
        comment.statement = statement
        if not can_flag(person, dialogue):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        flag = flag_create(person=person, comment=comment, **given.validated_data)
        return Response(self.OutputSerializer(flag).data, status=status.HTTP_201_CREATED)
