from collections.abc import Iterable
from functools import cache
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from puente.accounts.http import signed_in_person
from puente.accounts.models import User
from puente.core.choices import Region
from puente.core.http import HtmxHttpRequest
from puente.core.registry import (
    home_activity,
    partnership_page_sections,
    partnership_take_part_sections,
)
from puente.core.translation_pages import (
    TranslationPages,
    description_translation_pages,
    translation_delete_page,
    translation_edit_page,
    translations_page,
)
from puente.core.versions import visitor_page_key
from puente.stakeholders.models import Organisation
from puente.stakeholders.selectors import organisation_composition, organisation_country_count

from .charts import composition_chart_svg, composition_parts
from .forms import (
    CANDIDATE_LIMIT,
    FacilitatorInvitationAnswerForm,
    FacilitatorInvitationForm,
    JoinRequestDeclineForm,
    JoinRequestForm,
    OrganisationAddForm,
    PartnershipForm,
    add_service_errors,
)
from .models import FacilitatorInvitation, Partnership, PartnershipJoinRequest
from .permissions import (
    can_answer_facilitator_invitation,
    can_create_partnership,
    can_edit_partnership,
    can_manage_partnership_members,
    can_view_partnership,
    can_withdraw_join_request,
)
from .selectors import (
    administered_organisation_list,
    facilitator_invitation_get,
    facilitator_invitation_list,
    join_request_candidate_list,
    join_request_get,
    join_request_list,
    organisation_candidate_list,
    partnership_composition,
    partnership_discoverable_get,
    partnership_facilitator_get,
    partnership_get,
    partnership_list,
    partnership_member_get,
    partnership_member_list,
    person_home_get,
)
from .services import (
    facilitator_invitation_accept,
    facilitator_invitation_create,
    facilitator_invitation_decline,
    facilitator_invitation_revoke,
    join_request_approve,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
    partnership_create,
    partnership_facilitator_remove,
    partnership_member_add,
    partnership_member_remove,
    partnership_translation_delete,
    partnership_translation_save,
    partnership_update,
)

PAGE_SIZE = 20
HOME_PARTNERSHIPS = 6
HOME_ACTIVITY = 8
# How many decided requests the facilitators' list of join requests shows under the pending ones.
RECENT_DECISIONS = 20
REGION_LABELS = dict(Region.choices)


def _page(request: HttpRequest, items: QuerySet[Any]) -> Page[Any]:
    # get_page turns a missing, malformed or out-of-range number into a real page.
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _search_text(request: HttpRequest) -> str:
    # PostgreSQL refuses NUL characters in queries; nobody searches for them.
    return request.GET.get("q", "").replace("\x00", "")[:200]


def _region_labels(codes: Iterable[str]) -> list[str]:
    return [str(REGION_LABELS.get(code, code)) for code in codes]


def _visible_partnership(request: HttpRequest, slug: str) -> Partnership:
    """Return the partnership if the viewer may read it; 404 otherwise, revealing nothing."""
    try:
        return partnership_get(slug=slug, viewer=request.user, with_organisations=False)
    except Partnership.DoesNotExist as error:
        raise Http404 from error


def _managed_partnership(request: HttpRequest, slug: str) -> Partnership:
    """Return the partnership if the viewer may manage it; 404 if unseen, 403 if not theirs."""
    partnership = _visible_partnership(request, slug)
    if not can_manage_partnership_members(request.user, partnership):
        raise PermissionDenied
    return partnership


def _posted(request: HttpRequest) -> QueryDict | None:
    # An empty POST is still a submission: bind it, so that missing fields are reported.
    return request.POST if request.method == "POST" else None


def _form_status(form: forms.Form) -> int:
    return 400 if form.errors else 200


def home(request: HttpRequest) -> HttpResponse:
    """Show the platform at a glance: its partnerships, the directory in figures and charts,
    and what is happening now in the partnerships the viewer may read.

    A visitor's page body is cached (see core.versions.visitor_page_key): what it shows is
    read only when it is rendered.
    """
    partnerships = partnership_list(viewer=request.user, with_translations=True)

    @cache
    def composition() -> dict[str, dict[str, int]]:
        return organisation_composition()

    def n_organisations() -> int:
        return sum(composition()["region"].values())

    return render(
        request,
        "partnerships/home.html",
        {
            "page_key": visitor_page_key(request, "home"),
            "person_home": (
                person_home_get(person=request.user) if isinstance(request.user, User) else None
            ),
            "partnerships": SimpleLazyObject(lambda: list(partnerships[:HOME_PARTNERSHIPS])),
            "n_partnerships": SimpleLazyObject(partnerships.count),
            "n_organisations": SimpleLazyObject(n_organisations),
            "n_countries": SimpleLazyObject(
                lambda: organisation_country_count() if n_organisations() else 0
            ),
            "composition_parts": SimpleLazyObject(
                lambda: composition_parts(composition(), members=False)
            ),
            "chart_svg": SimpleLazyObject(
                lambda: (
                    composition_chart_svg(composition(), members=False) if n_organisations() else ""
                )
            ),
            "activity": SimpleLazyObject(
                lambda: home_activity(viewer=request.user, limit=HOME_ACTIVITY)
            ),
        },
    )


@require_http_methods(["GET", "HEAD"])
@vary_on_headers("HX-Request")
def partnership_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """List the partnerships the viewer may read, searchable by title."""
    query = _search_text(request)
    page = _page(request, partnership_list(viewer=request.user, query=query))
    context = {
        "page_obj": page,
        "rows": [(partnership, _region_labels(partnership.regions)) for partnership in page],
        "query": query,
        "can_create": can_create_partnership(request.user),
    }
    if request.htmx:
        return render(request, "partnerships/_partnership_results.html", context)
    return render(request, "partnerships/partnership_list.html", context)


@require_http_methods(["GET", "HEAD"])
@vary_on_headers("HX-Request", "HX-Target")
def partnership_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Show a partnership: its facilitators, member organisations and their make-up.

    A visitor's page body is cached (see core.versions.visitor_page_key), so everything it
    shows is read lazily: on a hit nothing but the partnership and the versions is read.
    """
    # A signed-in person's permissions read the facilitators; a visitor's page reads them
    # with the rest of its body, which usually comes from the cache.
    signed_in = request.user.is_authenticated
    try:
        partnership = partnership_get(
            slug=slug, viewer=request.user, with_organisations=False, with_facilitators=signed_in
        )
    except Partnership.DoesNotExist:
        return _request_access(request, slug)
    members = cast(
        Page[Any],
        SimpleLazyObject(lambda: _page(request, partnership_member_list(partnership=partnership))),
    )
    context: dict[str, Any] = {
        "partnership": partnership,
        "members": members,
        "can_manage": can_manage_partnership_members(request.user, partnership),
    }
    if request.htmx and request.htmx.target == "member-table":
        return render(request, "partnerships/_member_table.html", context)

    @cache
    def composition() -> dict[str, dict[str, int]]:
        return partnership_composition(partnership=partnership)

    context.update(
        {
            "page_key": visitor_page_key(request, "partnership", partnership.pk),
            "invitations": (
                facilitator_invitation_list(partnership=partnership)
                if context["can_manage"]
                else []
            ),
            "region_labels": _region_labels(partnership.regions),
            "facilitators": SimpleLazyObject(
                lambda: list(
                    partnership.facilitators.all()  # prefetched in this order
                    if signed_in
                    else partnership.facilitators.order_by("name", "pk")
                )
            ),
            "composition_parts": SimpleLazyObject(lambda: composition_parts(composition())),
            "chart_svg": SimpleLazyObject(
                lambda: composition_chart_svg(composition()) if members.paginator.count else ""
            ),
            "sections": SimpleLazyObject(
                lambda: partnership_page_sections(partnership=partnership, viewer=request.user)
            ),
            **_join_context(request, partnership, can_manage=context["can_manage"]),
        }
    )
    return render(request, "partnerships/partnership_detail.html", context)


def _join_context(
    request: HttpRequest, partnership: Partnership, *, can_manage: bool
) -> dict[str, Any]:
    """Return what the partnership's page shows about requests to join, for this viewer."""
    if not request.user.is_authenticated:
        return {}
    if can_manage:
        pending = join_request_list(
            partnership=partnership,
            viewer=request.user,
            status=PartnershipJoinRequest.Status.PENDING,
        ).count()
        return {"n_pending_join_requests": pending}
    # One query for most people, who administer no organisation.
    administered = list(
        administered_organisation_list(person=request.user).values_list("pk", flat=True)
    )
    if not administered:
        return {}
    return {
        "join_candidates": list(
            join_request_candidate_list(partnership=partnership, person=request.user)
        ),
        "my_join_requests": list(
            join_request_list(partnership=partnership, viewer=request.user)[:5]
        ),
    }


def _request_access(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a discoverable members-only partnership's title to an outsider; 404 for any other."""
    try:
        partnership = partnership_discoverable_get(slug=slug)
    except Partnership.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "partnerships/request_access.html",
        {"partnership": partnership, **_join_context(request, partnership, can_manage=False)},
    )


def _joinable_partnership(request: HttpRequest, slug: str) -> Partnership:
    """Return a partnership the viewer reads or may ask to join; 404 otherwise."""
    try:
        return partnership_get(slug=slug, viewer=request.user, with_organisations=False)
    except Partnership.DoesNotExist:
        try:
            return partnership_discoverable_get(slug=slug)
        except Partnership.DoesNotExist as error:
            raise Http404 from error


@require_http_methods(["GET", "HEAD"])
def partnership_take_part_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Explain who takes part in the partnership and how an organisation or a person joins."""
    partnership = _visible_partnership(request, slug)
    return render(
        request,
        "partnerships/partnership_take_part.html",
        {
            "partnership": partnership,
            "members": list(
                partnership_member_list(partnership=partnership).only("pk", "name", "slug")[
                    : PAGE_SIZE + 1
                ]
            ),
            "n_members": partnership_member_list(partnership=partnership).count(),
            "facilitators": list(partnership.facilitators.all()),
            "sections": partnership_take_part_sections(
                partnership=partnership, viewer=request.user
            ),
            **_join_context(
                request,
                partnership,
                can_manage=can_manage_partnership_members(request.user, partnership),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_request_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for one of the person's organisations to join the partnership."""
    partnership = _joinable_partnership(request, slug)
    person = signed_in_person(request)
    candidates = list(join_request_candidate_list(partnership=partnership, person=person))
    form = JoinRequestForm(_posted(request), candidates=candidates)
    if request.method == "POST" and form.is_valid():
        organisation: Organisation = form.cleaned_data["organisation"]
        try:
            join_request_create(
                actor=person,
                partnership=partnership,
                organisation=organisation,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The request of %(organisation)s has been sent to the facilitators.")
                % {"organisation": organisation.name},
            )
            return redirect(partnership)
    return render(
        request,
        "partnerships/join_request_create.html",
        {
            "partnership": partnership,
            "form": form,
            "candidates": candidates,
            "administers_any": bool(candidates)
            or administered_organisation_list(person=person).exists(),
        },
        status=_form_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def join_request_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    """List the requests to join waiting for the facilitators, and the latest decisions."""
    partnership = _managed_partnership(request, slug)
    requests = join_request_list(partnership=partnership, viewer=request.user)
    return render(
        request,
        "partnerships/join_request_list.html",
        {
            "partnership": partnership,
            "pending": list(requests.filter(status=PartnershipJoinRequest.Status.PENDING)),
            "decided": list(
                requests.exclude(status=PartnershipJoinRequest.Status.PENDING)[:RECENT_DECISIONS]
            ),
        },
    )


def _managed_join_request(
    request: HttpRequest, slug: str, pk: int
) -> tuple[Partnership, PartnershipJoinRequest]:
    partnership = _managed_partnership(request, slug)
    try:
        return partnership, join_request_get(partnership=partnership, viewer=request.user, pk=pk)
    except PartnershipJoinRequest.DoesNotExist as error:
        raise Http404 from error


@login_required
@require_POST
def join_request_approve_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept an organisation into the partnership."""
    partnership, join_request = _managed_join_request(request, slug, pk)
    try:
        join_request_approve(actor=signed_in_person(request), join_request=join_request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(organisation)s has joined the partnership.")
            % {"organisation": join_request.organisation.name},
        )
    return redirect("partnerships:join-request-list", slug=partnership.slug)


@login_required
@require_http_methods(["GET", "POST"])
def join_request_decline_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask for a reason, then decline an organisation's request to join."""
    partnership, join_request = _managed_join_request(request, slug, pk)
    form = JoinRequestDeclineForm(_posted(request))
    if join_request.is_pending and request.method == "POST" and form.is_valid():
        try:
            join_request_decline(
                actor=signed_in_person(request),
                join_request=join_request,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The request of %(organisation)s has been declined.")
                % {"organisation": join_request.organisation.name},
            )
            return redirect("partnerships:join-request-list", slug=partnership.slug)
    return render(
        request,
        "partnerships/join_request_decline.html",
        {"partnership": partnership, "join_request": join_request, "form": form},
        status=_answer_status(join_request, form),
    )


def _answer_status(join_request: PartnershipJoinRequest, form: forms.Form | None = None) -> int:
    if not join_request.is_pending:
        return 410
    return 400 if form is not None and form.errors else 200


@login_required
@require_http_methods(["GET", "POST"])
def join_request_withdraw_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask, then withdraw an organisation's request to join that waits for a decision."""
    partnership = _joinable_partnership(request, slug)
    try:
        join_request = join_request_get(partnership=partnership, viewer=request.user, pk=pk)
    except PartnershipJoinRequest.DoesNotExist as error:
        raise Http404 from error
    person = signed_in_person(request)
    if not can_withdraw_join_request(person, join_request):
        raise PermissionDenied
    errors: list[str] = []
    if join_request.is_pending and request.method == "POST":
        try:
            join_request_withdraw(actor=person, join_request=join_request)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("The request of %(organisation)s has been withdrawn.")
                % {"organisation": join_request.organisation.name},
            )
            return redirect(partnership)
    return render(
        request,
        "partnerships/join_request_withdraw.html",
        {"partnership": partnership, "join_request": join_request, "errors": errors},
        status=400 if errors else _answer_status(join_request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create_view(request: HttpRequest) -> HttpResponse:
    """Open a new partnership; the platform admin who opens it becomes its facilitator."""
    person = signed_in_person(request)
    if not can_create_partnership(person):
        raise PermissionDenied
    form = PartnershipForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            partnership = partnership_create(
                actor=person, facilitators=[person], **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The partnership has been opened."))
            return redirect(partnership)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "partnership": None},
        status=_form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Change a partnership's title, description, regions and visibility."""
    partnership = _managed_partnership(request, slug)
    form = PartnershipForm(_posted(request), initial=PartnershipForm.initial_from(partnership))
    if request.method == "POST" and form.is_valid():
        try:
            partnership_update(
                actor=signed_in_person(request), partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The partnership has been saved."))
            return redirect(partnership)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "partnership": partnership},
        status=_form_status(form),
    )


def _translation_pages(request: HttpRequest, slug: str) -> TranslationPages:
    """Describe the partnership's translation pages, for those who may edit it."""
    partnership = _visible_partnership(request, slug)
    person = signed_in_person(request)
    if not can_edit_partnership(person, partnership):
        raise PermissionDenied

    return description_translation_pages(
        owner=partnership,
        name=partnership.title,
        url_prefix="partnerships:partnership",
        save=lambda language, description: partnership_translation_save(
            actor=person, partnership=partnership, language=language, description=description
        ),
        delete=lambda language: partnership_translation_delete(
            actor=person, partnership=partnership, language=language
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_translations_view(request: HttpRequest, slug: str) -> HttpResponse:
    """List the translations of a partnership's description and add one."""
    return translations_page(request, _translation_pages(request, slug))


@login_required
@require_http_methods(["GET", "POST"])
def partnership_translation_edit_view(
    request: HttpRequest, slug: str, language: str
) -> HttpResponse:
    """Change a translation of a partnership's description."""
    return translation_edit_page(request, _translation_pages(request, slug), language)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_translation_delete_view(
    request: HttpRequest, slug: str, language: str
) -> HttpResponse:
    """Confirm and delete a translation of a partnership's description."""
    return translation_delete_page(request, _translation_pages(request, slug), language)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_organisation_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Add an organisation from the directory to the partnership."""
    partnership = _managed_partnership(request, slug)
    query = _search_text(request)
    candidates = organisation_candidate_list(partnership=partnership, query=query)
    shown = list(candidates.only("pk", "name", "acronym")[: CANDIDATE_LIMIT + 1])
    form = OrganisationAddForm(_posted(request), candidates=shown[:CANDIDATE_LIMIT])
    if request.method == "POST" and form.is_valid():
        organisation: Organisation = form.cleaned_data["organisation"]
        try:
            partnership_member_add(
                actor=signed_in_person(request), partnership=partnership, organisation=organisation
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s has joined the partnership.")
                % {"organisation": organisation.name},
            )
            return redirect(partnership)
    return render(
        request,
        "partnerships/partnership_organisation_add.html",
        {
            "partnership": partnership,
            "form": form,
            "query": query,
            "n_candidates": len(shown[:CANDIDATE_LIMIT]),
            "has_more_candidates": len(shown) > CANDIDATE_LIMIT,
        },
        status=_form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_organisation_remove_view(
    request: HttpRequest, slug: str, organisation_slug: str
) -> HttpResponse:
    """Ask, then remove an organisation from the partnership."""
    partnership = _managed_partnership(request, slug)
    try:
        organisation = partnership_member_get(partnership=partnership, slug=organisation_slug)
    except Organisation.DoesNotExist as error:
        raise Http404 from error
    errors: list[str] = []
    if request.method == "POST":
        try:
            partnership_member_remove(
                actor=signed_in_person(request), partnership=partnership, organisation=organisation
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("%(organisation)s has left the partnership.")
                % {"organisation": organisation.name},
            )
            return redirect(partnership)
    return render(
        request,
        "partnerships/partnership_organisation_remove.html",
        {"partnership": partnership, "organisation": organisation, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def facilitator_invitation_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite a person by e-mail to facilitate the partnership."""
    partnership = _managed_partnership(request, slug)
    form = FacilitatorInvitationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = facilitator_invitation_create(
                actor=signed_in_person(request),
                partnership=partnership,
                email=form.cleaned_data["email"],
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "An invitation has been sent to %(email)s. They become a facilitator once "
                    "they accept it."
                )
                % {"email": invitation.email},
            )
            return redirect(partnership)
    return render(
        request,
        "partnerships/facilitator_invitation_create.html",
        {"partnership": partnership, "form": form},
        status=_form_status(form),
    )


@login_required
@require_POST
def facilitator_invitation_revoke_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Withdraw an invitation to facilitate that waits for an answer."""
    partnership = _managed_partnership(request, slug)
    try:
        invitation = facilitator_invitation_list(partnership=partnership).get(pk=pk)
    except FacilitatorInvitation.DoesNotExist as error:
        raise Http404 from error
    try:
        facilitator_invitation_revoke(actor=signed_in_person(request), invitation=invitation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The invitation for %(email)s has been withdrawn.") % {"email": invitation.email},
        )
    return redirect(partnership)


@login_required
@require_http_methods(["GET", "POST"])
def facilitator_invitation_answer_view(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation to facilitate to its addressee, who accepts or declines it."""
    person = signed_in_person(request)
    try:
        invitation = facilitator_invitation_get(token=token)
    except FacilitatorInvitation.DoesNotExist as error:
        raise Http404 from error
    if not can_answer_facilitator_invitation(person, invitation):
        return render(
            request,
            "core/invitation_forbidden.html",
            {"invitation": invitation},
            status=403,
        )
    form = FacilitatorInvitationAnswerForm(_posted(request))
    if invitation.is_open and request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["answer"] == "accept":
                partnership = facilitator_invitation_accept(person=person, invitation=invitation)
            else:
                facilitator_invitation_decline(person=person, invitation=invitation)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["answer"] == "decline":
                messages.success(request, _("You have declined the invitation."))
                return redirect("home")
            messages.success(
                request,
                _("You now facilitate %(partnership)s.") % {"partnership": partnership.title},
            )
            return redirect(partnership)
    if not invitation.is_open:
        status = 410
    elif form.errors:
        status = 400
    else:
        status = 200
    return render(
        request,
        "partnerships/facilitator_invitation_answer.html",
        {
            "invitation": invitation,
            "form": form,
            # The answer comes from two buttons, not a field: its errors go above them.
            "errors": [str(error) for errors in form.errors.values() for error in errors],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_facilitator_remove_view(
    request: HttpRequest, slug: str, person_id: int
) -> HttpResponse:
    """Ask, then stop a person facilitating the partnership."""
    partnership = _managed_partnership(request, slug)
    try:
        person = partnership_facilitator_get(partnership=partnership, person_id=person_id)
    except User.DoesNotExist as error:
        raise Http404 from error
    errors: list[str] = []
    if request.method == "POST":
        actor = signed_in_person(request)
        try:
            partnership_facilitator_remove(actor=actor, partnership=partnership, person=person)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("%(person)s no longer facilitates the partnership.")
                % {"person": person.display_name},
            )
            if not can_view_partnership(actor, partnership):
                return redirect("partnerships:partnership-list")
            return redirect(partnership)
    return render(
        request,
        "partnerships/partnership_facilitator_remove.html",
        {"partnership": partnership, "person": person, "errors": errors},
        status=400 if errors else 200,
    )
