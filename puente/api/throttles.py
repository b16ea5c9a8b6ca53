"""Limits on password guessing through the token endpoint."""

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView


class TokenCreateIpThrottle(SimpleRateThrottle):
    """Allow each client address ten password attempts a minute."""

    scope = "auth_token_ip"
    rate = "10/min"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        """Count only attempts (POST), per client address."""
        if request.method != "POST":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenCreateEmailThrottle(SimpleRateThrottle):
    """Allow each e-mail address five password attempts a minute, from anywhere."""

    scope = "auth_token_email"
    rate = "5/min"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        """Count only attempts (POST), per e-mail address given."""
        if request.method != "POST" or not isinstance(request.data, dict):
            return None
        email = request.data.get("email")
        if not isinstance(email, str) or not email.strip():
            return None
        return self.cache_format % {"scope": self.scope, "ident": email.strip().lower()}
