"""Dialogues of a partnership: list, read, open, change, move the phase, take part."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.core.choices import Region, StakeholderType
from puente.core.permissions import Viewer
from puente.dialogues.models import Dialogue, Participation, Phase
from puente.dialogues.permissions import (
    allowed_actions,
    can_create_dialogue,
    can_edit_dialogue,
    can_move_phase,
    can_take_part,
)
from puente.dialogues.phases import Action, dialogue_phase_now
from puente.dialogues.selectors import dialogue_get, dialogue_list
from puente.dialogues.services import (
    dialogue_create,
    dialogue_phase_move,
    dialogue_update,
    participation_set,
)

from ..permissions import person_of
from ..serializers import (
    AbsoluteUrlField,
    BoundedCharField,
    LanguageCodeField,
    OrganisationSummarySerializer,
    PartnershipReferenceSerializer,
    organisation_slug_field,
)
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, SIGNED_IN, error_responses
from .partnerships import partnership_or_404


def dialogue_or_404(partnership_slug: str, slug: str, viewer: Viewer) -> Dialogue:
    """Return the dialogue if the viewer may read it; otherwise answer 404, never 403."""
    try:
        return dialogue_get(partnership_slug=partnership_slug, slug=slug, viewer=viewer)
    except Dialogue.DoesNotExist as error:
        raise NotFound from error


class DialogueSerializer(serializers.Serializer[Dialogue]):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable identifier."))
    slug = serializers.SlugField(
        read_only=True, help_text=_("Readable identifier, unique within the partnership.")
    )
    partnership = PartnershipReferenceSerializer(read_only=True)
    title = serializers.CharField(read_only=True)
    framing_question = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, help_text=_("Plain text."))
    languages = serializers.ListField(child=LanguageCodeField(), read_only=True)
    participation = serializers.ChoiceField(choices=Dialogue.Audience.choices, read_only=True)
    pre_moderation = serializers.BooleanField(
        read_only=True,
        help_text=_("Whether participants' statements wait for a facilitator's approval."),
    )
    phase = serializers.SerializerMethodField(
        help_text=_("The phase now: the one last set, moved forward by the dates that passed.")
    )
    contribute_starts_at = serializers.DateTimeField(read_only=True, allow_null=True)
    deliberate_starts_at = serializers.DateTimeField(read_only=True, allow_null=True)
    prioritise_starts_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closes_at = serializers.DateTimeField(read_only=True, allow_null=True)
    url = AbsoluteUrlField(source="get_absolute_url", help_text=_("The dialogue's web page."))
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.ChoiceField(choices=Phase.choices))
    def get_phase(self, dialogue: Dialogue) -> str:
        """Return the phase the dialogue is in now."""
        return str(dialogue_phase_now(dialogue, self.context["now"]))


class DialogueDetailSerializer(DialogueSerializer):
    allowed_actions = serializers.SerializerMethodField(
        help_text=_("What you may do in this dialogue now, by its phase and your role.")
    )

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Action.choices)))
    def get_allowed_actions(self, dialogue: Dialogue) -> list[str]:
        """Return what the requester may do now."""
        request = self.context["request"]
        return [str(action) for action in allowed_actions(request.user, dialogue)]


class ParticipationSerializer(serializers.Serializer[Participation]):
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)
    # Blank for an individual whose profile gives no country, which RegionField cannot say.
    region = serializers.ChoiceField(choices=Region.choices, read_only=True, allow_blank=True)
    country = serializers.CharField(
        read_only=True, help_text=_("ISO 3166-1 alpha-2 code; empty when the profile gives none.")
    )
    stakeholder_type = serializers.ChoiceField(
        choices=StakeholderType.choices,
        read_only=True,
        allow_blank=True,
        help_text=_("Empty for a person taking part as an individual."),
    )
    updated_at = serializers.DateTimeField(read_only=True)


def _context(request: Request) -> dict[str, Any]:
    # One moment for the whole response, so that every dialogue's phase is read at the same time.
    return {"request": request, "now": timezone.now()}


class DialogueInputSerializer(serializers.Serializer[Any]):
    """The editable fields of a dialogue; PATCH may leave any field out."""

    title = BoundedCharField(max_length=200)
    framing_question = BoundedCharField(max_length=500)
    description = BoundedCharField(max_length=10000, required=False, allow_blank=True)
    languages = serializers.ListField(
        child=LanguageCodeField(),
        allow_empty=False,
        help_text=_("The languages the dialogue is held in; at least one."),
    )
    participation = serializers.ChoiceField(
        choices=Dialogue.Audience.choices, required=False, help_text=_("Default: members.")
    )
    pre_moderation = serializers.BooleanField(required=False, help_text=_("Default: false."))
    contribute_starts_at = serializers.DateTimeField(required=False, allow_null=True)
    deliberate_starts_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("After contribute_starts_at, if both are set.")
    )
    prioritise_starts_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("After the earlier phases' dates.")
    )
    closes_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("After every other date.")
    )


class DialogueListApi(generics.ListAPIView[Dialogue]):
    """List the dialogues of a partnership you may read, newest first."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = DialogueSerializer

    def get_queryset(self) -> QuerySet[Dialogue]:
        """Return the partnership's dialogues, if the viewer may read the partnership."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return Dialogue.objects.none()
        partnership = partnership_or_404(self.kwargs["slug"], self.request.user)
        return dialogue_list(partnership=partnership, viewer=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        """Add the moment the phases are read at."""
        return {**super().get_serializer_context(), **_context(self.request)}

    @extend_schema(
        summary="List a partnership's dialogues.",
        responses={200: DialogueSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the dialogues."""
        return super().get(request, *args, **kwargs)


class DialogueCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(DialogueInputSerializer):
        class Meta:
            ref_name = "DialogueCreate"

    OutputSerializer = DialogueDetailSerializer

    @extend_schema(
        summary="Open a dialogue in a partnership (facilitators and platform admins).",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Open a dialogue, in the contribute phase."""
        actor = person_of(request)
        partnership = partnership_or_404(slug, actor)
        if not can_create_dialogue(actor, partnership):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        dialogue = dialogue_create(actor=actor, partnership=partnership, **given.validated_data)
        return Response(
            self.OutputSerializer(dialogue, context=_context(request)).data,
            status=status.HTTP_201_CREATED,
        )


class DialogueDetailApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    OutputSerializer = DialogueDetailSerializer

    @extend_schema(
        summary="Show a dialogue with its phase and what you may do now.",
        responses={200: OutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Show the dialogue; 404 if you may not read it."""
        dialogue = dialogue_or_404(slug, dialogue_slug, request.user)
        return Response(self.OutputSerializer(dialogue, context=_context(request)).data)


class DialogueUpdateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(DialogueInputSerializer):
        class Meta:
            ref_name = "DialogueUpdate"

    OutputSerializer = DialogueDetailSerializer

    @extend_schema(
        summary="Change some fields of a dialogue (facilitators and platform admins).",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Change only the fields given; the slug stays."""
        actor = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, actor)
        if not can_edit_dialogue(actor, dialogue):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        dialogue_update(actor=actor, dialogue=dialogue, **given.validated_data)
        return Response(self.OutputSerializer(dialogue, context=_context(request)).data)


class DialoguePhaseMoveApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        phase = serializers.ChoiceField(choices=Phase.choices)

        class Meta:
            ref_name = "DialoguePhaseMove"

    OutputSerializer = DialogueDetailSerializer

    @extend_schema(
        summary="Move a dialogue to a phase (facilitators and platform admins).",
        description="The phase holds until the next phase date passes; dates never move it back.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Move the dialogue to the phase."""
        actor = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, actor)
        if not can_move_phase(actor, dialogue):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        dialogue_phase_move(actor=actor, dialogue=dialogue, **given.validated_data)
        return Response(self.OutputSerializer(dialogue, context=_context(request)).data)


class ParticipationSetApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        organisation = organisation_slug_field(
            allow_null=True,
            help_text=_(
                "Slug of the organisation you take part for; null to take part as an individual."
            ),
        )

        class Meta:
            ref_name = "ParticipationSet"

    OutputSerializer = ParticipationSerializer

    @extend_schema(
        summary="Take part in a dialogue, for one of your organisations or as an individual.",
        description="Setting it again changes it. Region, country and stakeholder type come "
        "from the organisation, or from your profile when you take part as an individual.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Record for whom you take part."""
        person = person_of(request)
        dialogue = dialogue_or_404(slug, dialogue_slug, person)
        if not can_take_part(person, dialogue):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        participation = participation_set(
            person=person, dialogue=dialogue, organisation=given.validated_data["organisation"]
        )
        return Response(self.OutputSerializer(participation).data)


class DialogueCollectionApi(DialogueListApi, DialogueCreateApi):
    """GET lists a partnership's dialogues; POST opens one."""


class DialogueItemApi(DialogueDetailApi, DialogueUpdateApi):
    """GET shows a dialogue; PATCH changes it."""
