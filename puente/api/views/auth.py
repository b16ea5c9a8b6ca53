"""API tokens: create one with a password or from a signed-in session, and revoke it."""

from typing import Any

from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.accounts.models import User
from puente.accounts.services import NewToken, token_create, token_revoke

from ..permissions import can_create_token_with_password, has_verified_email, person_of
from ..serializers import BoundedCharField, BoundedEmailField
from ..throttles import AnonThrottle, TokenCreateEmailThrottle, TokenCreateIpThrottle, UserThrottle
from .base import AUTHENTICATION, SIGNED_IN, error_responses


class TokenSerializer(serializers.Serializer[NewToken]):
    token = serializers.CharField(
        source="key",
        read_only=True,
        help_text=_(
            "Send it as the header Authorization: Token <token>. It is shown only now: "
            "Puente stores it hashed."
        ),
    )
    expires_at = serializers.DateTimeField(
        source="token.expiry",
        read_only=True,
        help_text=_("When the token stops working; create a new one before then."),
    )


class AuthTokenCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [AllowAny]
    # The general limits too, since naming throttles here replaces the default ones.
    throttle_classes = [AnonThrottle, UserThrottle, TokenCreateIpThrottle, TokenCreateEmailThrottle]

    class InputSerializer(serializers.Serializer[Any]):
        email = BoundedEmailField(max_length=254)
        password = BoundedCharField(max_length=4096, trim_whitespace=False)

        class Meta:
            ref_name = "AuthTokenCreate"

    OutputSerializer = TokenSerializer

    @extend_schema(
        summary="Create an API token with your e-mail address and password.",
        description=str(
            _(
                "Each call creates a new token, which expires after a time set by the "
                "platform. Refused (403) for staff, for accounts protected by two-factor "
                "authentication (sign in on the website, then use POST "
                "/api/v1/auth/token/session/) and for people who hold the most tokens "
                "allowed (revoke one first)."
            )
        ),
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        """Create a token for the person when the e-mail address and password match."""
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
        return Response(self.OutputSerializer(token_create(person=user)).data)


class AuthTokenRevokeApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Revoke the API token sent with this request; other tokens and sign-ins stay.",
        description=str(
            _(
                "Send the token to revoke in the Authorization header. List and revoke your "
                "other tokens on the website, under your profile."
            )
        ),
        request=None,
        responses={204: None, **error_responses(400, 401)},
    )
    def delete(self, request: Request) -> Response:
        """Delete the token that authenticated the request."""
        person = person_of(request)
        if not isinstance(request.auth, AuthToken):
            raise ValidationError(
                _("Send the token to revoke as the header Authorization: Token <token>."),
                code="no_token",
            )
        token_revoke(person=person, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuthSessionTokenCreateApi(APIView):
    # Only a website session, which went through two-factor authentication where it is on.
    authentication_classes = [SessionAuthentication]
    permission_classes = SIGNED_IN
    OutputSerializer = TokenSerializer

    @extend_schema(
        summary="Create an API token from your signed-in website session (with CSRF token).",
        description=str(
            _(
                "The way for accounts with two-factor authentication. Each call creates a "
                "new, expiring token. Refused (403) for staff accounts until they turn "
                "two-factor authentication on, and for people who already hold the most "
                "tokens allowed (revoke one first)."
            )
        ),
        request=None,
        responses={200: OutputSerializer, **error_responses(403)},
    )
    def post(self, request: Request) -> Response:
        """Create a token for the signed-in person."""
        return Response(self.OutputSerializer(token_create(person=person_of(request))).data)


class AuthTokenApi(AuthTokenCreateApi, AuthTokenRevokeApi):
    """POST creates a token with a password; DELETE revokes the token sent."""
