"""How allauth treats Puente's accounts: client address, mail, where a sign-in lands."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse

from puente.core.http import client_address
from puente.core.mail import mail_send_after_response
from puente.core.permissions import needs_second_factor


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    """allauth's adapter with Puente's client address, mail after the response, MFA landing."""

    def get_client_ip(self, request: HttpRequest) -> str:
        """Return the client's address as every rate limit of Puente reads it."""
        return client_address(request)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the mail now, in the request's language; send it after the response."""
        # allauth's own send_mail, except for the last step: a sign-up with a new address
        # would otherwise wait for the mail server while one with a known address does not.
        request = allauth_context.request
        values = {"request": request, "email": email, "current_site": get_current_site(request)}
        values.update(context)
        mail_send_after_response(self.render_mail(template_prefix, email, values))

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Land staff and superusers without two-factor on its activation page."""
        if needs_second_factor(request.user):
            return reverse("mfa_activate_totp")
        url: str = super().get_login_redirect_url(request)
        return url
