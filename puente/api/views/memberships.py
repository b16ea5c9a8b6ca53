"""Memberships and invitations: joining organisations, deciding requests, roles, leaving."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.accounts.models import User
from puente.stakeholders.models import Invitation, Membership
from puente.stakeholders.permissions import can_manage_members
from puente.stakeholders.selectors import membership_list
from puente.stakeholders.services import (
    invitation_accept,
    invitation_create,
    membership_approve,
    membership_decline,
    membership_remove,
    membership_request,
    membership_role_set,
)

from ..filters import MembershipFilter
from ..permissions import person_of
from ..serializers import (
    BoundedEmailField,
    InvitationSerializer,
    MembershipSerializer,
    QueryParametersSerializer,
    organisation_slug_field,
)
from .base import AUTHENTICATION, SIGNED_IN, error_responses


def membership_or_404(membership_id: int, viewer: User) -> Membership:
    """Return a membership that is the viewer's own or in an organisation they manage, or 404."""
    membership = get_object_or_404(
        Membership.objects.select_related("person", "organisation"), pk=membership_id
    )
    if membership.person_id != viewer.pk and not can_manage_members(
        viewer, membership.organisation
    ):
        raise NotFound
    return membership


class MembershipListApi(generics.ListAPIView[Membership]):
    """List your own memberships, or with ?organisation= those of an organisation you manage."""

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    serializer_class = MembershipSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = MembershipFilter
    ordering_fields = ["created_at", "status", "role", "organisation__name"]
    ordering = ["organisation__name", "created_at", "id"]

    class QuerySerializer(QueryParametersSerializer):
        organisation = organisation_slug_field(
            required=False,
            help_text=_("Slug of an organisation you administer: list all its memberships."),
        )

    def get_queryset(self) -> QuerySet[Membership]:
        """Return the viewer's memberships, or all of an organisation the viewer manages."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return Membership.objects.none()
        viewer = person_of(self.request)
        given = self.QuerySerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        organisation = given.validated_data.get("organisation")
        if organisation is None:
            return membership_list(person=viewer)
        if not can_manage_members(viewer, organisation):
            raise PermissionDenied(_("Only the organisation's administrators see its members."))
        return membership_list(organisation=organisation)

    @extend_schema(parameters=[QuerySerializer], responses={200: MembershipSerializer})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List memberships."""
        return super().get(request, *args, **kwargs)


class MembershipRequestApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        organisation = organisation_slug_field(help_text=_("Slug of the organisation to join."))

        class Meta:
            ref_name = "MembershipRequest"

    OutputSerializer = MembershipSerializer

    @extend_schema(
        summary="Ask to join an organisation; its administrators decide.",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        """Ask to join an organisation."""
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        membership = membership_request(person=person_of(request), **given.validated_data)
        return Response(self.OutputSerializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipApproveApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    OutputSerializer = MembershipSerializer

    @extend_schema(
        summary="Accept a request to join (organisation admins).",
        request=None,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, membership_id: int) -> Response:
        """Accept the pending request."""
        actor = person_of(request)
        membership = membership_or_404(membership_id, actor)
        membership_approve(actor=actor, membership=membership)
        return Response(self.OutputSerializer(membership_or_404(membership_id, actor)).data)


class MembershipDeclineApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    @extend_schema(
        summary="Refuse a request to join (organisation admins).",
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, membership_id: int) -> Response:
        """Refuse the pending request."""
        actor = person_of(request)
        membership_decline(actor=actor, membership=membership_or_404(membership_id, actor))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MembershipRoleSetApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        role = serializers.ChoiceField(choices=Membership.Role.choices)

        class Meta:
            ref_name = "MembershipRoleSet"

    OutputSerializer = MembershipSerializer

    @extend_schema(
        summary="Make an active member an administrator, or back (organisation admins).",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, membership_id: int) -> Response:
        """Set the member's role."""
        actor = person_of(request)
        membership = membership_or_404(membership_id, actor)
        if not can_manage_members(actor, membership.organisation):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        membership_role_set(actor=actor, membership=membership, **given.validated_data)
        return Response(self.OutputSerializer(membership_or_404(membership_id, actor)).data)


class MembershipRemoveApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    @extend_schema(
        summary="Leave an organisation, withdraw a request, or remove a member (admins).",
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request: Request, membership_id: int) -> Response:
        """Delete the membership."""
        actor = person_of(request)
        membership_remove(actor=actor, membership=membership_or_404(membership_id, actor))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        organisation = organisation_slug_field(
            help_text=_("Slug of the organisation you administer.")
        )
        email = BoundedEmailField(max_length=254)
        role = serializers.ChoiceField(
            choices=Membership.Role.choices, default=Membership.Role.MEMBER
        )

        class Meta:
            ref_name = "InvitationCreate"

    OutputSerializer = InvitationSerializer

    @extend_schema(
        summary="Invite a person by e-mail to join an organisation (organisation admins).",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        """Invite a person; the e-mail with the acceptance link leaves once stored."""
        actor = person_of(request)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if not can_manage_members(actor, given.validated_data["organisation"]):
            raise PermissionDenied
        invitation = invitation_create(
            actor=actor,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            **given.validated_data,
        )
        return Response(self.OutputSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationAcceptApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        token = serializers.SlugRelatedField(
            slug_field="token",
            queryset=Invitation.objects.all(),
            error_messages={"does_not_exist": _("No invitation has this token.")},
            help_text=_("The token from the invitation e-mail."),
        )

        class Meta:
            ref_name = "InvitationAccept"

    OutputSerializer = MembershipSerializer

    @extend_schema(
        summary="Accept an invitation sent to your e-mail address.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        """Turn the invitation into an active membership."""
        person = person_of(request)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        membership = invitation_accept(person=person, invitation=given.validated_data["token"])
        return Response(self.OutputSerializer(membership_or_404(membership.pk, person)).data)


class MembershipCollectionApi(MembershipListApi, MembershipRequestApi):
    """GET lists memberships; POST asks to join an organisation."""
