import json

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import AccountDeleteForm, LanguageForm, ProfileForm
from .http import signed_in_person
from .middleware import language_cookie_set
from .models import User
from .permissions import can_create_token
from .selectors import token_list
from .services import (
    account_delete,
    account_deletion_blocks,
    language_set,
    personal_data_export,
    profile_update,
    token_create,
    token_revoke,
    token_revoke_all,
)


def _safe_target(request: HttpRequest, target: str) -> str:
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Show and edit the signed-in person's profile."""
    person = signed_in_person(request)
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if person.preferred_language:
                translation.activate(person.preferred_language)
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "has_mfa": is_mfa_enabled(person),
            "time_zone_name": timezone.get_current_timezone_name(),
            "local_now": timezone.localtime(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and on the profile."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/language_invalid.html",
            {"form": form, "back": _safe_target(request, request.POST.get("next", "/"))},
            status=400,
        )
    code = form.cleaned_data["language"]
    if request.user.is_authenticated:
        language_set(person=signed_in_person(request), language=code)
    translation.activate(code)
    response = HttpResponseRedirect(_safe_target(request, form.cleaned_data["next"] or "/"))
    language_cookie_set(response, code)
    return response


@never_cache
@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    """Download everything Puente holds about the signed-in person as JSON."""
    data = personal_data_export(person=signed_in_person(request))
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="puente-my-data-{stamp}.json"'
    return response


@login_required
def account_delete_view(request: HttpRequest) -> HttpResponse:
    """Ask for the password, then delete the signed-in person's account."""
    person = signed_in_person(request)
    form = AccountDeleteForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(person=person)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("home")
    return render(
        request,
        "accounts/account_delete.html",
        {
            "form": form,
            # Said before the password is typed; after a refused POST the form's errors say it.
            "blocks": [] if request.method == "POST" else account_deletion_blocks(person=person),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List the signed-in person's API tokens; POST creates one, shown only this once."""
    person = signed_in_person(request)
    new_token = None
    if request.method == "POST":
        try:
            new_token = token_create(person=person)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("accounts:tokens")
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": token_list(person=person),
            "new_token": new_token,
            "can_create_token": can_create_token(person),
        },
    )


@never_cache
@login_required
def token_revoke_view(request: HttpRequest, digest: str) -> HttpResponse:
    """Ask to confirm, then revoke one of the signed-in person's API tokens."""
    person = signed_in_person(request)
    token = get_object_or_404(token_list(person=person), digest=digest)
    if request.method == "POST":
        token_revoke(person=person, token=token)
        messages.success(request, _("The API token has been revoked."))
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})


@never_cache
@login_required
def token_revoke_all_view(request: HttpRequest) -> HttpResponse:
    """Ask to confirm, then revoke every API token of the signed-in person."""
    person = signed_in_person(request)
    if request.method == "POST":
        token_revoke_all(person=person)
        messages.success(request, _("All your API tokens have been revoked."))
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"token": None})
