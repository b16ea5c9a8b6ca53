from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


def admin_login_via_accounts(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """Send admin log-ins through the account log-in, where MFA is enforced."""
    target = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(reverse("account_login") + "?" + urlencode({"next": target}))
