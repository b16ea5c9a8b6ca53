"""Invitations to a dialogue open to invited people only: list, invite, withdraw (facilitators)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.dialogues.models import DialogueInvitation
from puente.dialogues.permissions import can_manage_invitations
from puente.dialogues.selectors import invitation_list
from puente.dialogues.services import invitation_create, invitation_delete

from ..serializers import BoundedEmailField, PersonSerializer
from .base import AUTHENTICATION, SIGNED_IN, error_responses
from .moderation import moderated_dialogue


class DialogueInvitationSerializer(serializers.Serializer[DialogueInvitation]):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    invited_by = PersonSerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class DialogueInvitationListApi(generics.ListAPIView[DialogueInvitation]):
    """List the e-mail addresses invited to a dialogue, by address (facilitators)."""

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    serializer_class = DialogueInvitationSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[DialogueInvitation]:
        """Return the dialogue's invitations, if the viewer manages them."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return DialogueInvitation.objects.none()
        _person, dialogue = moderated_dialogue(
            self.request, self.kwargs["slug"], self.kwargs["dialogue_slug"], can_manage_invitations
        )
        return invitation_list(dialogue=dialogue).select_related("invited_by")

    @extend_schema(
        summary="List the e-mail addresses invited to a dialogue (facilitators).",
        responses={200: DialogueInvitationSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the invitations."""
        return super().get(request, *args, **kwargs)


class DialogueInvitationCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        email = BoundedEmailField(max_length=254, help_text=_("Where the invitation is sent."))

        class Meta:
            ref_name = "DialogueInvitationCreate"

    OutputSerializer = DialogueInvitationSerializer

    @extend_schema(
        summary="Invite an e-mail address to a dialogue (facilitators).",
        description="Whoever signs in with this address, verified, may take part in a dialogue "
        "open to invited people only. The e-mail leaves once the invitation is stored.",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Invite the address."""
        person, dialogue = moderated_dialogue(request, slug, dialogue_slug, can_manage_invitations)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        invitation = invitation_create(
            actor=person,
            dialogue=dialogue,
            email=given.validated_data["email"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        return Response(self.OutputSerializer(invitation).data, status=status.HTTP_201_CREATED)


class DialogueInvitationCollectionApi(DialogueInvitationListApi, DialogueInvitationCreateApi):
    """GET lists a dialogue's invitations; POST invites an address."""


class DialogueInvitationDeleteApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    @extend_schema(
        summary="Withdraw an invitation to a dialogue (facilitators).",
        description="The person may no longer take part unless invited again.",
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(
        self, request: Request, slug: str, dialogue_slug: str, invitation_id: int
    ) -> Response:
        """Withdraw the invitation."""
        person, dialogue = moderated_dialogue(request, slug, dialogue_slug, can_manage_invitations)
        invitation = invitation_list(dialogue=dialogue).filter(pk=invitation_id).first()
        if invitation is None:
            raise NotFound
        invitation.dialogue = dialogue
        invitation_delete(actor=person, invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)
