"""Notifications: your own, read in the request's language; how often each kind is mailed."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.notifications.models import Kind, Notification, Preference
from puente.notifications.selectors import notification_list, notification_text, preference_map
from puente.notifications.services import (
    notification_read,
    notification_read_all,
    preferences_set,
)

from ..pagination import PagePagination
from ..parsers import StrictJSONParser
from ..permissions import person_of
from .base import AUTHENTICATION, SIGNED_IN, error_responses


class NotificationSerializer(serializers.Serializer[Notification]):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    text = serializers.SerializerMethodField(
        help_text=_("The notification in the request's language.")
    )
    url = serializers.CharField(
        read_only=True, help_text=_("The path on this site the notification is about.")
    )
    created_at = serializers.DateTimeField(read_only=True)
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        ref_name = "Notification"

    def get_text(self, notification: Notification) -> str:
        return notification_text(notification)


class PreferenceSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Kind.choices)
    frequency = serializers.ChoiceField(
        choices=Preference.Frequency.choices,
        help_text=_("How often this kind is mailed: at once, in a daily or weekly digest, never."),
    )

    class Meta:
        ref_name = "NotificationPreference"


class NotificationListApi(APIView):
    """List your own notifications, newest first, in the request's language."""

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    pagination_class = PagePagination
    OutputSerializer = NotificationSerializer

    @extend_schema(
        responses={200: OutputSerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        """List your notifications."""
        paginator = self.pagination_class()
        page: list[Notification] | None = paginator.paginate_queryset(
            notification_list(person=person_of(request)), request, view=self
        )
        return paginator.get_paginated_response(
            self.OutputSerializer(page, many=True).data  # type: ignore[arg-type]  # many=True takes a list
        )


class NotificationReadApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    OutputSerializer = NotificationSerializer

    @extend_schema(
        summary="Mark one of your notifications as read.",
        request=None,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, notification_id: int) -> Response:
        """Mark the notification as read."""
        person = person_of(request)
        notification = get_object_or_404(Notification, pk=notification_id, recipient=person)
        notification = notification_read(person=person, notification=notification)
        return Response(self.OutputSerializer(notification).data)


class NotificationReadAllApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    @extend_schema(
        summary="Mark all your notifications as read.",
        request=None,
        responses={204: None, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        """Mark all as read."""
        notification_read_all(person=person_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationPreferencesApi(APIView):
    """How often each kind of notification reaches you by mail."""

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN
    # A list of objects: JSON only (a form cannot carry it).
    parser_classes = [StrictJSONParser]

    class InputSerializer(serializers.Serializer[Any]):
        preferences = PreferenceSerializer(
            many=True,
            help_text=_("The kinds to change; kinds not named keep their frequency."),
        )

        class Meta:
            ref_name = "NotificationPreferencesInput"

    class OutputSerializer(serializers.Serializer[Any]):
        preferences = PreferenceSerializer(many=True)

        class Meta:
            ref_name = "NotificationPreferences"

    def _current(self, request: Request) -> Response:
        frequencies = preference_map(person=person_of(request))
        rows = [{"kind": kind, "frequency": frequency} for kind, frequency in frequencies.items()]
        return Response(self.OutputSerializer({"preferences": rows}).data)

    @extend_schema(responses={200: OutputSerializer, **error_responses(401)})
    def get(self, request: Request) -> Response:
        """Return the mail frequency of every kind."""
        return self._current(request)

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403)},
    )
    def put(self, request: Request) -> Response:
        """Set the mail frequency of the kinds named; return every kind's."""
        person = person_of(request)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        preferences_set(
            person=person,
            frequencies={
                row["kind"]: row["frequency"] for row in given.validated_data["preferences"]
            },
        )
        return self._current(request)
