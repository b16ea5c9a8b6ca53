"""Pages of the directory: organisations, their members and invitations."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puente.accounts.http import signed_in_person
from puente.core.http import HtmxHttpRequest
from puente.core.registry import organisation_page_sections
from puente.core.translation_pages import (
    TranslationPages,
    description_translation_pages,
    translation_delete_page,
    translation_edit_page,
    translations_page,
)
from puente.core.versions import visitor_page_key

from .forms import (
    InvitationForm,
    MembershipRoleForm,
    OrganisationFilterForm,
    OrganisationForm,
    VerifyForm,
)
from .models import Invitation, Membership, Organisation
from .permissions import (
    can_accept_invitation,
    can_edit_organisation,
    can_manage_members,
    can_request_membership,
    can_verify_organisation,
)
from .selectors import (
    directory_key,
    directory_version,
    invitation_get,
    invitation_list,
    invitation_list_for,
    membership_list,
    membership_of,
    organisation_country_list,
    organisation_get,
    organisation_list,
)
from .services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_approve,
    membership_decline,
    membership_remove,
    membership_request,
    membership_role_set,
    organisation_create,
    organisation_translation_delete,
    organisation_translation_save,
    organisation_update,
    organisation_verify,
)


def _messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's errors to the form's fields, or to the form when it has no such field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _form_messages(form: forms.BaseForm) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def organisation_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """Search and filter the directory of organisations; answer htmx with the results only."""
    version = directory_version()
    form = OrganisationFilterForm(
        request.GET, country_codes=organisation_country_list(version=version)
    )
    form.is_valid()
    arguments = form.selector_arguments()

    def page_read() -> Page[Organisation]:
        paginator = Paginator(organisation_list(**arguments), settings.PUENTE_DIRECTORY_PAGE_SIZE)
        return paginator.get_page(request.GET.get("page"))

    # Read only when the template's cached rendering of this question is missing.
    page = cast(Page[Organisation], SimpleLazyObject(page_read))
    context = {
        "form": form,
        "page": page,
        "page_range": SimpleLazyObject(
            lambda: list(page.paginator.get_elided_page_range(page.number, on_each_side=2))
        ),
        "is_filtered": any(arguments.values()),
        # Every parameter counts: the rendering shows the filters and keeps them in page links.
        "directory_key": directory_key(version, "list", sorted(request.GET.lists())),
    }
    if request.htmx and not request.htmx.history_restore_request:
        template = "stakeholders/_organisation_results.html"
    else:
        template = "stakeholders/organisation_list.html"
    response = render(request, template, context, status=400 if form.errors else 200)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _detail_response(
    request: HttpRequest, slug: str, *, errors: Iterable[str] = (), status: int = 200
) -> HttpResponse:
    viewer = request.user
    try:
        # A visitor's page body usually comes from the cache: themes and translations are
        # read only when it is rendered.
        organisation = organisation_get(slug=slug, with_related=viewer.is_authenticated)
    except Organisation.DoesNotExist as error:
        raise Http404 from error
    errors = list(errors)
    context = {
        "organisation": organisation,
        # A visitor's page body is cached: what it shows is read only when it is rendered.
        "page_key": None if errors else visitor_page_key(request, "organisation", organisation.pk),
        "sections": SimpleLazyObject(
            lambda: organisation_page_sections(organisation=organisation, viewer=viewer)
        ),
        "membership": membership_of(person=viewer, organisation=organisation),
        "can_edit": can_edit_organisation(viewer, organisation),
        "can_manage": can_manage_members(viewer, organisation),
        "can_request": can_request_membership(viewer, organisation),
        "can_verify": can_verify_organisation(viewer),
        "errors": errors,
    }
    return render(request, "stakeholders/organisation_detail.html", context, status=status)


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show an organisation's profile and what the viewer may do with it."""
    return _detail_response(request, slug)


@login_required
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    """Register a new organisation; the person registering it becomes its admin."""
    person = signed_in_person(request)
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                organisation = organisation_create(creator=person, **form.service_arguments())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is registered and you are its administrator.")
                    % {"name": organisation.name},
                )
                return redirect(organisation)
    else:
        form = OrganisationForm()
    return render(
        request,
        "stakeholders/organisation_form.html",
        {"form": form, "organisation": None},
        status=400 if form.errors else 200,
    )


@login_required
def organisation_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit an organisation's profile (its admins and platform admins)."""
    person = signed_in_person(request)
    organisation = _organisation(slug)
    if not can_edit_organisation(person, organisation):
        raise PermissionDenied
    can_verify = can_verify_organisation(person)
    # The form works on its own copy so that a rejected edit never shows in the page heading.
    editable = Organisation.objects.get(pk=organisation.pk)
    if request.method == "POST":
        form = OrganisationForm(
            request.POST, request.FILES, instance=editable, can_verify=can_verify
        )
        if form.is_valid():
            try:
                with transaction.atomic():
                    organisation_update(
                        actor=person, organisation=editable, **form.service_arguments()
                    )
                    if can_verify and form.cleaned_data["is_verified"] != organisation.is_verified:
                        organisation_verify(
                            actor=person,
                            organisation=editable,
                            is_verified=form.cleaned_data["is_verified"],
                        )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The profile has been saved."))
                return redirect(editable)
    else:
        form = OrganisationForm(instance=editable, can_verify=can_verify)
    return render(
        request,
        "stakeholders/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


def _translation_pages(request: HttpRequest, slug: str) -> TranslationPages:
    """Describe the organisation's translation pages, for its editors only."""
    person = signed_in_person(request)
    organisation = _organisation(slug)
    if not can_edit_organisation(person, organisation):
        raise PermissionDenied

    return description_translation_pages(
        owner=organisation,
        name=organisation.name,
        url_prefix="stakeholders:organisation",
        save=lambda language, description: organisation_translation_save(
            actor=person, organisation=organisation, language=language, description=description
        ),
        delete=lambda language: organisation_translation_delete(
            actor=person, organisation=organisation, language=language
        ),
    )


@login_required
def organisation_translations_view(request: HttpRequest, slug: str) -> HttpResponse:
    """List the translations of an organisation's description and add one (its editors)."""
    return translations_page(request, _translation_pages(request, slug))


@login_required
def organisation_translation_edit_view(
    request: HttpRequest, slug: str, language: str
) -> HttpResponse:
    """Change a translation of an organisation's description (its editors)."""
    return translation_edit_page(request, _translation_pages(request, slug), language)


@login_required
def organisation_translation_delete_view(
    request: HttpRequest, slug: str, language: str
) -> HttpResponse:
    """Confirm and delete a translation of an organisation's description (its editors)."""
    return translation_delete_page(request, _translation_pages(request, slug), language)


@login_required
@require_POST
def organisation_verify_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Set or clear the platform's verification of an organisation."""
    person = signed_in_person(request)
    organisation = _organisation(slug)
    if not can_verify_organisation(person):
        raise PermissionDenied
    form = VerifyForm(request.POST)
    form.is_valid()
    organisation_verify(
        actor=person,
        organisation=organisation,
        is_verified=form.cleaned_data.get("is_verified", False),
    )
    if organisation.is_verified:
        messages.success(request, _("The organisation is now marked as verified."))
    else:
        messages.success(request, _("The organisation is no longer marked as verified."))
    return redirect(organisation)


@login_required
@require_POST
def membership_request_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask to join an organisation."""
    organisation = _organisation(slug)
    try:
        membership_request(person=signed_in_person(request), organisation=organisation)
    except ValidationError as error:
        return _detail_response(request, slug, errors=_messages_of(error), status=400)
    messages.success(
        request, _("Your request has been sent. The organisation's administrators will decide.")
    )
    return redirect(organisation)


@login_required
def membership_leave_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm, then leave an organisation or withdraw a request to join it."""
    person = signed_in_person(request)
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"), person=person, organisation__slug=slug
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            membership_remove(actor=person, membership=membership)
        except ValidationError as error:
            errors = _messages_of(error)
        else:
            if membership.is_active:
                text = _("You have left %(name)s.")
            else:
                text = _("Your request to join %(name)s has been withdrawn.")
            messages.success(request, text % {"name": membership.organisation.name})
            return redirect("stakeholders:my-organisations")
    return render(
        request,
        "stakeholders/membership_leave.html",
        {"membership": membership, "organisation": membership.organisation, "errors": errors},
        status=400 if errors else 200,
    )


def _role_form(membership: Membership) -> MembershipRoleForm:
    # One form a row: the row's id keeps every label's "for" unique on the page.
    form = MembershipRoleForm(
        initial={"role": membership.role}, auto_id="id_%s_" + str(membership.pk)
    )
    form.fields["role"].label = _("Role of %(name)s") % {"name": membership.person.display_name}
    return form


def _members_response(
    request: HttpRequest,
    organisation: Organisation,
    *,
    invitation_form: InvitationForm | None = None,
    errors: Iterable[str] = (),
    status: int = 200,
) -> HttpResponse:
    memberships = list(membership_list(organisation=organisation).order_by("role", "person__email"))
    active = [
        (membership, _role_form(membership)) for membership in memberships if membership.is_active
    ]
    pending = sorted(
        (membership for membership in memberships if not membership.is_active),
        key=lambda membership: membership.created_at,
    )
    context: dict[str, Any] = {
        "organisation": organisation,
        "active": active,
        "pending": pending,
        "invitations": invitation_list(organisation=organisation),
        "invitation_form": invitation_form or InvitationForm(),
        "errors": list(errors),
    }
    return render(request, "stakeholders/member_list.html", context, status=status)


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("created_by"), slug=slug)
    if not can_manage_members(request.user, organisation):
        raise PermissionDenied
    return organisation


def _managed_membership(request: HttpRequest, slug: str, pk: int) -> Membership:
    organisation = _managed_organisation(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("person"), pk=pk, organisation=organisation
    )
    membership.organisation = organisation
    return membership


@login_required
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Show members, requests and invitations to the organisation's admins."""
    return _members_response(request, _managed_organisation(request, slug))


@login_required
@require_POST
def membership_approve_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Approve a pending request to join."""
    membership = _managed_membership(request, slug, pk)
    try:
        membership_approve(actor=signed_in_person(request), membership=membership)
    except ValidationError as error:
        return _members_response(
            request, membership.organisation, errors=_messages_of(error), status=400
        )
    messages.success(
        request, _("%(name)s is now a member.") % {"name": membership.person.display_name}
    )
    return redirect("stakeholders:member-list", slug=slug)


@login_required
@require_POST
def membership_decline_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Decline a pending request to join."""
    membership = _managed_membership(request, slug, pk)
    try:
        membership_decline(actor=signed_in_person(request), membership=membership)
    except ValidationError as error:
        return _members_response(
            request, membership.organisation, errors=_messages_of(error), status=400
        )
    messages.success(
        request,
        _("The request from %(name)s has been declined.")
        % {"name": membership.person.display_name},
    )
    return redirect("stakeholders:member-list", slug=slug)


@login_required
@require_POST
def membership_role_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change an active member's role."""
    membership = _managed_membership(request, slug, pk)
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            membership_role_set(
                actor=signed_in_person(request),
                membership=membership,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            _add_errors(form, error)
    if form.errors:
        return _members_response(
            request, membership.organisation, errors=_form_messages(form), status=400
        )
    messages.success(
        request,
        _("The role of %(name)s has been changed.") % {"name": membership.person.display_name},
    )
    return redirect("stakeholders:member-list", slug=slug)


@login_required
def membership_remove_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Confirm, then remove a member from the organisation."""
    membership = _managed_membership(request, slug, pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            membership_remove(actor=signed_in_person(request), membership=membership)
        except ValidationError as error:
            errors = _messages_of(error)
        else:
            messages.success(
                request,
                _("%(name)s has been removed.") % {"name": membership.person.display_name},
            )
            return redirect("stakeholders:member-list", slug=slug)
    return render(
        request,
        "stakeholders/membership_remove.html",
        {"membership": membership, "organisation": membership.organisation, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
@require_POST
def invitation_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite a person by e-mail to join the organisation."""
    organisation = _managed_organisation(request, slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitation_create(
                actor=signed_in_person(request),
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("stakeholders:member-list", slug=slug)
    return _members_response(request, organisation, invitation_form=form, status=400)


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Withdraw an open invitation."""
    organisation = _managed_organisation(request, slug)
    invitation = get_object_or_404(
        Invitation, pk=pk, organisation=organisation, accepted_at__isnull=True
    )
    invitation.organisation = organisation
    try:
        invitation_revoke(actor=signed_in_person(request), invitation=invitation)
    except ValidationError as error:
        return _members_response(request, organisation, errors=_messages_of(error), status=400)
    messages.success(
        request,
        _("The invitation for %(email)s has been withdrawn.") % {"email": invitation.email},
    )
    return redirect("stakeholders:member-list", slug=slug)


@login_required
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation to its addressee and, on confirmation, accept it."""
    person = signed_in_person(request)
    try:
        invitation = invitation_get(token=token)
    except Invitation.DoesNotExist as error:
        raise Http404 from error
    if not can_accept_invitation(person, invitation):
        return render(
            request,
            "core/invitation_forbidden.html",
            {
                "invitation": invitation,
                "back_url": reverse("stakeholders:my-organisations"),
                "back_label": _("Go to my organisations"),
            },
            status=403,
        )
    errors: list[str] = []
    if invitation.accepted_at is None and request.method == "POST":
        try:
            invitation_accept(person=person, invitation=invitation)
        except ValidationError as error:
            errors = _messages_of(error)
        else:
            messages.success(
                request,
                _("Welcome to %(name)s.") % {"name": invitation.organisation.name},
            )
            return redirect(invitation.organisation)
    if invitation.accepted_at is not None:
        status = 410
    elif errors:
        status = 400
    else:
        status = 200
    return render(
        request,
        "stakeholders/invitation_accept.html",
        {"invitation": invitation, "errors": errors},
        status=status,
    )


@login_required
def my_organisations(request: HttpRequest) -> HttpResponse:
    """List the signed-in person's memberships, requests and invitations."""
    person = signed_in_person(request)
    memberships = list(membership_list(person=person).order_by("organisation__name"))
    return render(
        request,
        "stakeholders/my_organisations.html",
        {
            "active": [membership for membership in memberships if membership.is_active],
            "pending": [membership for membership in memberships if not membership.is_active],
            "invitations": invitation_list_for(person=person),
        },
    )
