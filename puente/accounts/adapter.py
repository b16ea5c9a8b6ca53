"""How allauth treats Puente's accounts: where a sign-in lands."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from puente.core.permissions import needs_second_factor


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    """allauth's adapter, sending staff without two-factor to turn it on."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Land staff and superusers without two-factor on its activation page."""
        if needs_second_factor(request.user):
            return reverse("mfa_activate_totp")
        url: str = super().get_login_redirect_url(request)
        return url
