"""API tokens: obtain one with a password or from a signed-in session, and revoke it."""

from typing import Any

from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.accounts.models import User

from ..permissions import (
    can_create_token_from_session,
    can_create_token_with_password,
    has_verified_email,
    person_of,
)
from ..serializers import BoundedCharField, BoundedEmailField
from ..throttles import TokenCreateEmailThrottle, TokenCreateIpThrottle
from .base import AUTHENTICATION, SIGNED_IN, error_responses


class TokenSerializer(serializers.Serializer[Token]):
    token = serializers.CharField(
        source="key",
        read_only=True,
        help_text=_("Send it as the header Authorization: Token <token>."),
    )


class AuthTokenCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [AllowAny]
    throttle_classes = [TokenCreateIpThrottle, TokenCreateEmailThrottle]

    class InputSerializer(serializers.Serializer[Any]):
        email = BoundedEmailField(max_length=254)
        password = BoundedCharField(max_length=4096, trim_whitespace=False)

        class Meta:
            ref_name = "AuthTokenCreate"

    OutputSerializer = TokenSerializer

    @extend_schema(
        summary="Obtain your API token with your e-mail address and password.",
        description=str(
            _(
                "Refused (403) for staff and for accounts protected by two-factor "
                "authentication: sign in on the website, then use POST "
                "/api/v1/auth/token/session/."
            )
        ),
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        """Return the person's token when the e-mail address and password match."""
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            email=given.validated_data["email"].strip().lower(),
            password=given.validated_data["password"],
        )
        if not isinstance(user, User):
            raise ValidationError(
                _("No active account has this e-mail address and password."),
                code="invalid_credentials",
            )
        if not has_verified_email(user):
            raise PermissionDenied(_("Confirm your e-mail address before you ask for a token."))
        if not can_create_token_with_password(user):
            raise PermissionDenied(
                _(
                    "A password alone cannot give a token for this account, because it is a "
                    "staff account or two-factor authentication protects it. Sign in on the "
                    "website, then create the token with POST %(url)s."
                )
                % {"url": reverse("api:auth-token-session")}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response(self.OutputSerializer(token).data)


class AuthTokenRevokeApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Revoke your API token; sign-ins on the website stay.",
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def delete(self, request: Request) -> Response:
        """Delete the signed-in person's token."""
        Token.objects.filter(user=person_of(request)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuthSessionTokenCreateApi(APIView):
    # Only a website session, which went through two-factor authentication where it is on.
    authentication_classes = [SessionAuthentication]
    permission_classes = SIGNED_IN
    OutputSerializer = TokenSerializer

    @extend_schema(
        summary="Obtain your API token from your signed-in website session (with CSRF token).",
        description=str(
            _(
                "The way for accounts with two-factor authentication. Staff accounts must "
                "turn two-factor authentication on first."
            )
        ),
        request=None,
        responses={200: OutputSerializer, **error_responses(403)},
    )
    def post(self, request: Request) -> Response:
        """Return the signed-in person's token."""
        person = person_of(request)
        if not can_create_token_from_session(person):
            raise PermissionDenied(
                _("Turn on two-factor authentication before you create an API token.")
            )
        token, _created = Token.objects.get_or_create(user=person)
        return Response(self.OutputSerializer(token).data)


class AuthTokenApi(AuthTokenCreateApi, AuthTokenRevokeApi):
    """POST obtains a token with a password; DELETE revokes the token."""
