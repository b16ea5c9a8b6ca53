import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from puente.core.permissions import needs_second_factor


class PreferencesMiddleware:
    """Apply a signed-in person's language and time zone to the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        language = getattr(user, "preferred_language", "") if user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        zone_name = getattr(user, "time_zone", "") if user.is_authenticated else ""
        if zone_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        language_cookie_apply(request, response)
        return response


def language_cookie_apply(request: HttpRequest, response: HttpResponse) -> None:
    """Keep the language cookie on the signed-in person's language, as the answer leaves."""
    # The view may have just changed the language (switcher, profile): re-read it, and
    # never overwrite a language cookie the view set itself.
    language = language_cookie_due(request)
    if language and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
        language_cookie_set(response, language)


def language_cookie_due(request: HttpRequest) -> str:
    """Return the language the answer's cookie must be set to, or "" when it is right."""
    # The view may also have signed the person in or out, so look at request.user again.
    user = request.user
    language = getattr(user, "preferred_language", "") if user.is_authenticated else ""
    if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
        return str(language)
    return ""


class StaffMfaMiddleware:
    """Keep staff out of the admin site until they have turned on two-factor authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        """Redirect staff without TOTP from any admin page to its activation."""
        # process_view runs after every middleware's request phase, so messages work
        # wherever this middleware sits in MIDDLEWARE.
        if request.path.startswith(reverse("admin:index")) and needs_second_factor(request.user):
            messages.warning(
                request,
                _("Turn on two-factor authentication before you use the admin site."),
                fail_silently=True,
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return None


def language_cookie_set(response: HttpResponse, language: str) -> None:
    """Set the language cookie on the answer, with the site's cookie settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
