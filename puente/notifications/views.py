"""Pages: the notifications list, reading them, mail preferences, unsubscribing from mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from puente.accounts.http import signed_in_person
from puente.accounts.models import User

from .forms import PreferencesForm
from .models import Notification
from .selectors import notification_list, notification_text, preference_map
from .services import notification_read, notification_read_all, preferences_set, unsubscribe_apply
from .tokens import unsubscribe_token_read

PAGE_SIZE = 20


@login_required
@never_cache
def notification_list_view(request: HttpRequest) -> HttpResponse:
    """List the signed-in person's notifications, newest first, in the reader's language."""
    person = signed_in_person(request)
    page = Paginator(notification_list(person=person), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(notification, notification_text(notification)) for notification in page]
    return render(
        request,
        "notifications/notification_list.html",
        {"page_obj": page, "items": items},
    )


@login_required
@require_POST
def notification_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification as read and go to what it is about."""
    person = signed_in_person(request)
    notification = get_object_or_404(Notification, pk=pk, recipient=person)
    notification_read(person=person, notification=notification)
    target = notification.url or ""
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications:list")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def notification_read_all_view(request: HttpRequest) -> HttpResponse:
    """Mark all the signed-in person's notifications as read."""
    notification_read_all(person=signed_in_person(request))
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def preferences_view(request: HttpRequest) -> HttpResponse:
    """Show and change how often each kind of notification is mailed."""
    person = signed_in_person(request)
    form = PreferencesForm(request.POST or None, initial_frequencies=preference_map(person=person))
    if request.method == "POST" and form.is_valid():
        preferences_set(person=person, frequencies=form.cleaned_data)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# The signature is the authentication: mail clients POST here without a session or a CSRF
# token (RFC 8058 one-click unsubscribe).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """Stop one kind of mail for the person the signed link names; GET asks, POST does it."""
    try:
        person_id, kinds = unsubscribe_token_read(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    labels = [kind.label for kind in kinds]
    if request.method == "POST":
        unsubscribe_apply(person=person, kinds=kinds)
        return render(request, "notifications/unsubscribe_done.html", {"labels": labels})
    return render(
        request, "notifications/unsubscribe_confirm.html", {"labels": labels, "token": token}
    )
