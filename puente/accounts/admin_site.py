from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from puente.core.permissions import is_staff_member, needs_second_factor


def admin_has_permission(request: HttpRequest) -> bool:
    """Let only staff with two-factor on into the admin site."""
    return is_staff_member(request.user)


def admin_login_via_accounts(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """Send admin log-ins through the account log-in, where MFA is enforced."""
    target = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    user = request.user
    if user.is_authenticated:
        if is_staff_member(user):
            return HttpResponseRedirect(target)
        if needs_second_factor(user):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        # Signed in but not staff: the account log-in would send them straight back here.
        raise PermissionDenied
    return HttpResponseRedirect(reverse("account_login") + "?" + urlencode({"next": target}))
