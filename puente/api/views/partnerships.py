"""Partnerships: the spaces, their member organisations and facilitators."""

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
from puente.core.choices import Region
from puente.core.permissions import Viewer
from puente.partnerships.models import FacilitatorInvitation, Partnership, PartnershipJoinRequest
from puente.partnerships.permissions import (
    can_create_partnership,
    can_edit_partnership,
    can_manage_partnership_members,
)
from puente.partnerships.selectors import (
    facilitator_invitation_list,
    join_request_get,
    join_request_list,
    partnership_discoverable_get,
    partnership_get,
    partnership_list,
)
from puente.partnerships.services import (
    facilitator_invitation_accept,
    facilitator_invitation_create,
    facilitator_invitation_decline,
    facilitator_invitation_revoke,
    join_request_approve,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
    partnership_create,
    partnership_facilitator_remove,
    partnership_member_add,
    partnership_member_remove,
    partnership_update,
)
from puente.stakeholders.models import Organisation

from ..filters import PartnershipFilter
from ..permissions import person_of
from ..serializers import (
    BoundedCharField,
    BoundedEmailField,
    FacilitatorInvitationSerializer,
    LanguageCodeField,
    PartnershipDetailSerializer,
    PartnershipJoinRequestSerializer,
    PartnershipMemberSerializer,
    PartnershipSummarySerializer,
    RegionField,
    organisation_slug_field,
    person_id_field,
)
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, SIGNED_IN, error_responses


def partnership_or_404(slug: str, viewer: Viewer) -> Partnership:
    """Return the partnership if the viewer may read it; otherwise answer 404, never 403."""
    try:
        return partnership_get(slug=slug, viewer=viewer)
    except Partnership.DoesNotExist as error:
        raise NotFound from error


class PartnershipInputSerializer(serializers.Serializer[Any]):
    """The editable settings of a partnership; PATCH may leave any field out."""

    title = BoundedCharField(max_length=200)
    description = BoundedCharField(max_length=10000, required=False, allow_blank=True)
    description_language = LanguageCodeField(
        required=False,
        help_text=_("The language of the description. Default: that of the request, or kept."),
    )
    regions = serializers.ListField(
        child=RegionField(), max_length=len(Region.values), required=False
    )
    visibility = serializers.ChoiceField(
        choices=Partnership.Visibility.choices, required=False, help_text=_("Default: public.")
    )
    is_discoverable = serializers.BooleanField(
        required=False,
        help_text=_(
            "Members-only partnerships: let outsiders see its title and ask to join. "
            "Default: false."
        ),
    )


class PartnershipListApi(generics.ListAPIView[Partnership]):
    """List the partnerships you may read; search with q, order by title or created_at."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = PartnershipSummarySerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = PartnershipFilter
    ordering_fields = ["title", "created_at"]
    ordering = ["title"]

    def get_queryset(self) -> QuerySet[Partnership]:
        """Return the partnerships the viewer may read."""
        return partnership_list(viewer=self.request.user, with_translations=True)


class PartnershipCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(PartnershipInputSerializer):
        organisations = organisation_slug_field(
            many=True, required=False, help_text=_("Slugs of the first member organisations.")
        )
        facilitators = person_id_field(
            many=True, required=False, help_text=_("Ids of the first facilitators.")
        )

        class Meta:
            ref_name = "PartnershipCreate"

    OutputSerializer = PartnershipDetailSerializer

    @extend_schema(
        summary="Open a partnership (platform admins).",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        """Open a partnership with its first members and facilitators."""
        actor = person_of(request)
        if not can_create_partnership(actor):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        partnership = partnership_create(actor=actor, **given.validated_data)
        return Response(
            self.OutputSerializer(
                partnership_or_404(partnership.slug, actor), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class PartnershipDetailApi(generics.RetrieveAPIView[Partnership]):
    """Show a partnership with its organisations and facilitators; 404 if you may not read it."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = PartnershipDetailSerializer

    def get_object(self) -> Partnership:
        """Return the partnership named in the URL, if the viewer may read it."""
        return partnership_or_404(self.kwargs["slug"], self.request.user)


class PartnershipUpdateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(PartnershipInputSerializer):
        class Meta:
            ref_name = "PartnershipUpdate"

    OutputSerializer = PartnershipDetailSerializer

    @extend_schema(
        summary="Replace a partnership's settings (facilitators and platform admins).",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, slug: str) -> Response:
        """Replace the settings; fields left out take their defaults."""
        return self._update(request, slug, partial=False)

    @extend_schema(
        summary="Change some settings of a partnership.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str) -> Response:
        """Change only the settings given."""
        return self._update(request, slug, partial=True)

    def _update(self, request: Request, slug: str, *, partial: bool) -> Response:
        actor = person_of(request)
        partnership = partnership_or_404(slug, actor)
        if not can_edit_partnership(actor, partnership):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        if not partial:
            fields.setdefault("description", "")
            fields.setdefault("regions", [])
            fields.setdefault("visibility", Partnership.Visibility.PUBLIC)
            fields.setdefault("is_discoverable", False)
        partnership_update(actor=actor, partnership=partnership, **fields)
        return Response(
            self.OutputSerializer(
                partnership_or_404(slug, actor), context={"request": request}
            ).data
        )


class PartnershipMemberAddApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        organisation = organisation_slug_field()

        class Meta:
            ref_name = "PartnershipMemberAdd"

    OutputSerializer = PartnershipMemberSerializer

    @extend_schema(
        summary="Add an organisation to a partnership (facilitators and platform admins).",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Add an organisation to the partnership."""
        actor = person_of(request)
        partnership = partnership_or_404(slug, actor)
        if not can_manage_partnership_members(actor, partnership):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        member = partnership_member_add(
            actor=actor, partnership=partnership, **given.validated_data
        )
        return Response(
            self.OutputSerializer(member, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PartnershipMemberRemoveApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    @extend_schema(
        summary="Remove an organisation from a partnership (facilitators and platform admins).",
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, organisation_slug: str) -> Response:
        """Remove the organisation from the partnership."""
        actor = person_of(request)
        partnership = partnership_or_404(slug, actor)
        if not can_manage_partnership_members(actor, partnership):
            raise PermissionDenied
        organisation = get_object_or_404(Organisation, slug=organisation_slug)
        partnership_member_remove(actor=actor, partnership=partnership, organisation=organisation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FacilitatorInvitationCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        email = BoundedEmailField(max_length=254, help_text=_("Where the invitation is sent."))

        class Meta:
            ref_name = "FacilitatorInvitationCreate"

    OutputSerializer = FacilitatorInvitationSerializer

    @extend_schema(
        summary="Invite a person by e-mail to facilitate (facilitators and platform admins).",
        description=(
            "The person becomes a facilitator once they accept, signed in with this address. "
            "The answer is the same whether or not an account has the address."
        ),
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Invite the person; the e-mail with the acceptance link leaves once stored."""
        actor = person_of(request)
        partnership = partnership_or_404(slug, actor)
        if not can_manage_partnership_members(actor, partnership):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        invitation = facilitator_invitation_create(
            actor=actor,
            partnership=partnership,
            email=given.validated_data["email"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        return Response(self.OutputSerializer(invitation).data, status=status.HTTP_201_CREATED)


def _managed_or_403(request: Request, slug: str) -> tuple[User, Partnership]:
    actor = person_of(request)
    partnership = partnership_or_404(slug, actor)
    if not can_manage_partnership_members(actor, partnership):
        raise PermissionDenied
    return actor, partnership


class FacilitatorInvitationListApi(generics.ListAPIView[FacilitatorInvitation]):
    """List a partnership's invitations to facilitate that wait for an answer (its managers)."""

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    serializer_class = FacilitatorInvitationSerializer

    def get_queryset(self) -> QuerySet[FacilitatorInvitation]:
        """Return the open invitations, if the viewer manages the partnership."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return FacilitatorInvitation.objects.none()
        _actor, partnership = _managed_or_403(self.request, self.kwargs["slug"])
        return facilitator_invitation_list(partnership=partnership).select_related("partnership")

    @extend_schema(
        summary="List the invitations to facilitate that wait for an answer.",
        responses={200: FacilitatorInvitationSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the open invitations."""
        return super().get(request, *args, **kwargs)


class FacilitatorInvitationRevokeApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    @extend_schema(
        summary="Withdraw an invitation to facilitate (facilitators and platform admins).",
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, invitation_id: int) -> Response:
        """Withdraw the invitation."""
        actor, partnership = _managed_or_403(request, slug)
        try:
            invitation = facilitator_invitation_list(partnership=partnership).get(pk=invitation_id)
        except FacilitatorInvitation.DoesNotExist as error:
            raise NotFound from error
        facilitator_invitation_revoke(actor=actor, invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _TokenSerializer(serializers.Serializer[Any]):
    token = serializers.SlugRelatedField(
        slug_field="token",
        queryset=FacilitatorInvitation.objects.select_related("partnership"),
        error_messages={"does_not_exist": _("No invitation has this token.")},
        help_text=_("The token from the invitation e-mail."),
    )

    class Meta:
        ref_name = "FacilitatorInvitationToken"


class FacilitatorInvitationAcceptApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    InputSerializer = _TokenSerializer
    OutputSerializer = PartnershipDetailSerializer

    @extend_schema(
        summary="Accept an invitation to facilitate sent to your e-mail address.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        """Become a facilitator of the partnership."""
        person = person_of(request)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        partnership = facilitator_invitation_accept(
            person=person, invitation=given.validated_data["token"]
        )
        return Response(
            self.OutputSerializer(
                partnership_or_404(partnership.slug, person), context={"request": request}
            ).data
        )


class FacilitatorInvitationDeclineApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    InputSerializer = _TokenSerializer

    @extend_schema(
        summary="Decline an invitation to facilitate sent to your e-mail address.",
        request=InputSerializer,
        responses={204: None, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        """Turn the invitation down."""
        person = person_of(request)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        facilitator_invitation_decline(person=person, invitation=given.validated_data["token"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartnershipFacilitatorRemoveApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    @extend_schema(
        summary="Stop a person facilitating (facilitators and platform admins).",
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, person_id: int) -> Response:
        """Stop the person facilitating the partnership."""
        actor = person_of(request)
        partnership = partnership_or_404(slug, actor)
        if not can_manage_partnership_members(actor, partnership):
            raise PermissionDenied
        person = get_object_or_404(User, pk=person_id)
        partnership_facilitator_remove(actor=actor, partnership=partnership, person=person)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _joinable_or_404(slug: str, viewer: Viewer) -> Partnership:
    """Return a partnership the viewer reads or may ask to join (discoverable); else 404."""
    try:
        return partnership_get(slug=slug, viewer=viewer, with_organisations=False)
    except Partnership.DoesNotExist:
        try:
            return partnership_discoverable_get(slug=slug)
        except Partnership.DoesNotExist as error:
            raise NotFound from error


def _join_request_or_404(
    partnership: Partnership, viewer: Viewer, pk: int
) -> PartnershipJoinRequest:
    try:
        return join_request_get(partnership=partnership, viewer=viewer, pk=pk)
    except PartnershipJoinRequest.DoesNotExist as error:
        raise NotFound from error


class JoinRequestListApi(generics.ListAPIView[PartnershipJoinRequest]):
    """List requests to join: all of them for facilitators, your organisations' for their admins."""

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    serializer_class = PartnershipJoinRequestSerializer

    def get_queryset(self) -> QuerySet[PartnershipJoinRequest]:
        """Return the partnership's requests the viewer may see, newest first."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return PartnershipJoinRequest.objects.none()
        partnership = _joinable_or_404(self.kwargs["slug"], self.request.user)
        return join_request_list(partnership=partnership, viewer=self.request.user)

    @extend_schema(
        summary="List requests to join a partnership.",
        responses={200: PartnershipJoinRequestSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the requests the viewer may see."""
        return super().get(request, *args, **kwargs)


class JoinRequestCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        organisation = organisation_slug_field(
            help_text=_("Slug of an organisation you administer that is not a member.")
        )
        message = BoundedCharField(
            max_length=1000,
            required=False,
            allow_blank=True,
            help_text=_("Optional message to the facilitators."),
        )

        class Meta:
            ref_name = "PartnershipJoinRequestCreate"

    OutputSerializer = PartnershipJoinRequestSerializer

    @extend_schema(
        summary="Ask for an organisation you administer to join a partnership.",
        description=(
            "The partnership's facilitators are told and decide. A members-only partnership "
            "takes requests from outsiders only if its facilitators made it discoverable."
        ),
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Ask to join; one request per organisation waits at a time."""
        actor = person_of(request)
        partnership = _joinable_or_404(slug, actor)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        join_request = join_request_create(
            actor=actor, partnership=partnership, **given.validated_data
        )
        return Response(self.OutputSerializer(join_request).data, status=status.HTTP_201_CREATED)


class JoinRequestCollectionApi(JoinRequestListApi, JoinRequestCreateApi):
    """GET lists requests to join; POST asks to join."""


class JoinRequestApproveApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    OutputSerializer = PartnershipJoinRequestSerializer

    @extend_schema(
        summary="Approve a request to join (facilitators and platform admins).",
        description="The organisation becomes a member; its administrators are told.",
        request=None,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, join_request_id: int) -> Response:
        """Accept the organisation into the partnership."""
        actor = person_of(request)
        partnership = partnership_or_404(slug, actor)
        join_request = join_request_approve(
            actor=actor, join_request=_join_request_or_404(partnership, actor, join_request_id)
        )
        return Response(self.OutputSerializer(join_request).data)


class JoinRequestDeclineApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        reason = BoundedCharField(
            max_length=1000, help_text=_("Why: the organisation's administrators are told.")
        )

        class Meta:
            ref_name = "PartnershipJoinRequestDecline"

    OutputSerializer = PartnershipJoinRequestSerializer

    @extend_schema(
        summary="Decline a request to join, with a reason (facilitators and platform admins).",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, join_request_id: int) -> Response:
        """Refuse the request; the organisation's administrators get the reason."""
        actor = person_of(request)
        partnership = partnership_or_404(slug, actor)
        join_request = _join_request_or_404(partnership, actor, join_request_id)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        join_request = join_request_decline(
            actor=actor, join_request=join_request, reason=given.validated_data["reason"]
        )
        return Response(self.OutputSerializer(join_request).data)


class JoinRequestWithdrawApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    OutputSerializer = PartnershipJoinRequestSerializer

    @extend_schema(
        summary="Withdraw your organisation's request to join (its administrators).",
        request=None,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, join_request_id: int) -> Response:
        """Take the request back before the facilitators decide."""
        actor = person_of(request)
        partnership = _joinable_or_404(slug, actor)
        join_request = join_request_withdraw(
            actor=actor, join_request=_join_request_or_404(partnership, actor, join_request_id)
        )
        return Response(self.OutputSerializer(join_request).data)


class PartnershipCollectionApi(PartnershipListApi, PartnershipCreateApi):
    """GET lists partnerships; POST opens one."""


class PartnershipItemApi(PartnershipDetailApi, PartnershipUpdateApi):
    """GET shows a partnership; PUT and PATCH change it."""
