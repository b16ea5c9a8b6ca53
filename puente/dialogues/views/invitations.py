"""Invitation pages: facilitators invite e-mail addresses to a dialogue and withdraw them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from puente.accounts.http import signed_in_person
from puente.partnerships.forms import add_service_errors

from ..models import Dialogue, DialogueInvitation
from ..permissions import (
    can_manage_invitations,
)
from ..selectors import (
    invitation_list,
)
from ..services import (
    invitation_create,
    invitation_delete,
)
from ..statement_forms import (
    InvitationForm,
)
from .dialogues import visible_dialogue
from .statements import (
    form_status,
    posted_data,
    site_base_url,
    statement_context,
)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list_view(request: HttpRequest, partnership_slug: str, slug: str) -> HttpResponse:
    """List who is invited to the dialogue and invite more people by e-mail."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    person = signed_in_person(request)
    if not can_manage_invitations(person, dialogue):
        raise PermissionDenied
    form = InvitationForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                actor=person,
                dialogue=dialogue,
                email=form.cleaned_data["email"],
                base_url=site_base_url(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The invitation has been sent."))
            return redirect(request.path)
    return render(
        request,
        "dialogues/statement_invitations.html",
        statement_context(
            dialogue,
            form=form,
            invitations=list(invitation_list(dialogue=dialogue)),
            is_invited_only=dialogue.participation == Dialogue.Audience.INVITED,
        ),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_delete_view(
    request: HttpRequest, partnership_slug: str, slug: str, pk: int
) -> HttpResponse:
    """Ask, then withdraw an invitation."""
    dialogue = visible_dialogue(request, partnership_slug, slug)
    person = signed_in_person(request)
    if not can_manage_invitations(person, dialogue):
        raise PermissionDenied
    invitation = get_object_or_404(DialogueInvitation, pk=pk, dialogue=dialogue)
    if request.method == "POST":
        invitation_delete(actor=person, invitation=invitation)
        messages.success(request, _("The invitation has been withdrawn."))
        return redirect(
            "dialogues:invitation-list", partnership_slug=partnership_slug, slug=dialogue.slug
        )
    return render(
        request,
        "dialogues/statement_invitation_delete.html",
        statement_context(dialogue, invitation=invitation),
    )
