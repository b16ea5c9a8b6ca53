"""API tokens as credentials: django-rest-knox's hashed, expiring tokens."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):  # type: ignore[misc]  # knox is untyped
    """Authenticate "Authorization: Token <key>" against the hashed tokens."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        """Refuse, as an invalid token, a key that is not text (knox would raise a 500)."""
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
        result: tuple[Any, Any] = super().authenticate_credentials(token)
        return result

    def _cleanup_token(self, auth_token: Any) -> bool:
        """Delete the token if it has expired, and say so; leave the person's other tokens."""
        # knox also sweeps every other token of the person on each request, one more query
        # per call; token_create sweeps them instead, and listings skip expired ones.
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # untyped registry hook
    """Document the token header in the OpenAPI schema."""

    target_class = "puente.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        """Return the Authorization: Token <key> scheme."""
        definition: dict[str, Any] = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
        return definition
