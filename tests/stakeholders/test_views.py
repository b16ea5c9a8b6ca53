import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from puente.core.choices import Region, StakeholderType
from puente.core.models import Theme
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Invitation, Membership, Organisation
from tests.accounts.factories import AdminFactory, UserFactory
from tests.core.image_files import corrupt_png, gif_named_pdf, huge_png
from tests.core.name_cases import COPIES, INVISIBLE, ORIGINAL
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.conftest import png_upload
from tests.stakeholders.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("stakeholders:organisation-list")
CREATE_URL = reverse("stakeholders:organisation-create")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _names(response) -> set[str]:
    return {organisation.name for organisation in response.context["page"].object_list}


def _templates(response) -> list[str]:
    return [template.name for template in response.templates]


def _admin_client(client, organisation: Organisation):
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).person
    client.force_login(admin)
    return admin


# Directory


def test_directory_renders_the_full_page_without_htmx(client):
    OrganisationFactory(name="Agencia")
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "stakeholders/organisation_list.html" in _templates(response)
    html = response.content.decode()
    assert "<html" in html
    assert 'aria-live="polite"' in html
    assert 'hx-get="/organisations/"' in html
    assert 'hx-push-url="true"' in html
    assert "Agencia" in html


def test_directory_answers_htmx_with_the_results_fragment_only(client):
    OrganisationFactory(name="Agencia")
    response = client.get(LIST_URL, **HTMX)
    assert response.status_code == 200
    assert _templates(response)[0] == "stakeholders/_organisation_results.html"
    assert "stakeholders/organisation_list.html" not in _templates(response)
    html = response.content.decode()
    assert "<html" not in html
    assert "Agencia" in html
    assert "HX-Request" in response["Vary"]


def test_directory_answers_an_htmx_history_restore_with_the_full_page(client):
    response = client.get(LIST_URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "stakeholders/organisation_list.html" in _templates(response)


def test_directory_filters_by_region_and_type_together(client):
    OrganisationFactory(
        name="LAC uni", region=Region.LAC, stakeholder_type=StakeholderType.ACADEMIA
    )
    OrganisationFactory(
        name="LAC ministry", region=Region.LAC, stakeholder_type=StakeholderType.PUBLIC_SECTOR
    )
    OrganisationFactory(
        name="EU uni", region=Region.EU, country="ES", stakeholder_type=StakeholderType.ACADEMIA
    )
    response = client.get(LIST_URL, {"region": "LAC", "type": "academia"})
    assert _names(response) == {"LAC uni"}
    assert response.context["page"].paginator.count == 1


def test_directory_combines_several_values_of_one_filter(client):
    OrganisationFactory(name="Public", stakeholder_type=StakeholderType.PUBLIC_SECTOR)
    OrganisationFactory(name="Civil", stakeholder_type=StakeholderType.CIVIL_SOCIETY)
    OrganisationFactory(name="Private", stakeholder_type=StakeholderType.PRIVATE_SECTOR)
    response = client.get(LIST_URL + "?type=public&type=civil")
    assert _names(response) == {"Public", "Civil"}


@pytest.mark.parametrize("query", ["cepal", "ECLAC", "commission for latin"])
def test_directory_searches_name_acronym_and_description(client, query):
    OrganisationFactory(
        name="Comisión Económica",
        acronym="CEPAL",
        description="Economic Commission for Latin America (ECLAC).",
    )
    OrganisationFactory(name="Unrelated", acronym="UN1", description="Nothing here.")
    response = client.get(LIST_URL, {"q": query})
    assert _names(response) == {"Comisión Económica"}


def test_directory_filters_by_country_and_offers_only_countries_in_use(client):
    OrganisationFactory(name="Chilean", country="CL")
    OrganisationFactory(name="Spanish", country="ES", region=Region.EU)
    response = client.get(LIST_URL, {"country": "ES"})
    assert _names(response) == {"Spanish"}
    offered = [
        code
        for _region, group in response.context["form"].fields["country"].choices
        for code, _label in group
    ]
    assert sorted(offered) == ["CL", "ES"]


def test_directory_filters_by_theme_without_repeating_organisations(client):
    ai, connectivity = Theme.objects.get(code="ai"), Theme.objects.get(code="connectivity")
    OrganisationFactory(name="Both", themes=[ai, connectivity])
    OrganisationFactory(name="Connectivity only", themes=[connectivity])
    OrganisationFactory(name="None")
    response = client.get(LIST_URL + "?theme=ai&theme=connectivity")
    assert sorted(o.name for o in response.context["page"].object_list) == [
        "Both",
        "Connectivity only",
    ]


def test_directory_ignores_unknown_filter_values(client):
    OrganisationFactory(name="Kept", stakeholder_type=StakeholderType.ACADEMIA)
    OrganisationFactory(name="Dropped", stakeholder_type=StakeholderType.PUBLIC_SECTOR)
    response = client.get(
        LIST_URL + "?type=academia&type=guild&region=MARS&country=ZZ&theme=astrology&page=x"
    )
    assert response.status_code == 200
    assert _names(response) == {"Kept"}


def test_directory_rejects_a_search_longer_than_the_limit_with_400(client):
    response = client.get(LIST_URL, {"q": "x" * 201})
    assert response.status_code == 400
    assert "q" in response.context["form"].errors


def test_directory_paginates_and_clamps_page_numbers(client, settings):
    settings.PUENTE_DIRECTORY_PAGE_SIZE = 5
    for number in range(12):
        OrganisationFactory(name=f"Org {number:02d}")
    first = client.get(LIST_URL)
    assert len(first.context["page"].object_list) == 5
    assert 'aria-label="Pages of the directory"' in first.content.decode()
    last = client.get(LIST_URL, {"page": "999"})
    assert last.context["page"].number == 3
    assert _names(last) == {"Org 10", "Org 11"}


def test_directory_pagination_links_keep_the_filters(client, settings):
    settings.PUENTE_DIRECTORY_PAGE_SIZE = 2
    for number in range(3):
        OrganisationFactory(name=f"Org {number}", region=Region.LAC)
    html = client.get(LIST_URL, {"region": "LAC"}).content.decode()
    assert "?region=LAC&amp;page=2" in html


def test_directory_shows_type_region_country_and_verified_badge(client):
    OrganisationFactory(
        name="Verified one",
        stakeholder_type=StakeholderType.FINANCING,
        region=Region.EU,
        country="DE",
        is_verified=True,
    )
    html = client.get(LIST_URL).content.decode()
    assert "Financing institution" in html
    assert "European Union" in html
    assert "Germany" in html
    assert "badge-verified" in html


def test_directory_explains_an_empty_result(client):
    OrganisationFactory(name="Agencia")
    assert "No organisation matches" in client.get(LIST_URL, {"q": "zzz"}).content.decode()
    Organisation.objects.all().delete()
    assert "No organisation has been registered yet" in client.get(LIST_URL).content.decode()


def _organisations_with_themes(count: int) -> None:
    themes = list(Theme.objects.all()[:3])
    for number in range(count):
        OrganisationFactory(themes=themes, country=["CL", "BR", "ES"][number % 3])


@pytest.mark.parametrize("htmx", [False, True])
def test_directory_costs_the_same_few_queries_for_5_or_30_organisations(
    client, django_assert_max_num_queries, htmx
):
    headers = HTMX if htmx else {}
    _organisations_with_themes(5)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL, {"theme": "ai"}, **headers)
    _organisations_with_themes(25)
    # The directory's version, its countries, the count, the page, the page's themes and the
    # translations of their descriptions.
    with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as many:
        response = client.get(LIST_URL, {"theme": "ai"}, **headers)
    assert len(response.context["page"].object_list) == 20
    assert len(many) == len(few)


@pytest.mark.parametrize("htmx", [False, True])
def test_directory_seen_again_reads_only_its_version(client, django_assert_num_queries, htmx):
    headers = HTMX if htmx else {}
    _organisations_with_themes(5)
    first = client.get(LIST_URL, {"theme": "ai", "page": "1"}, **headers)
    with django_assert_num_queries(1):
        again = client.get(LIST_URL, {"theme": "ai", "page": "1"}, **headers)

    # The page's own part (the header carries a fresh CSRF token each time).
    def results(response):
        return response.content.decode().partition('id="filters-heading"')[2] or response.content

    assert results(again) == results(first)
    assert b"organisations" in again.content


def test_directory_shows_a_new_or_renamed_organisation_at_once(client):
    organisation = OrganisationFactory(name="Old Digital Agency")
    assert organisation.name in client.get(LIST_URL).content.decode()
    organisation.name = "Renamed Digital Agency"
    organisation.save()
    OrganisationFactory(name="Brand New Observatory")
    page = client.get(LIST_URL).content.decode()
    assert "Renamed Digital Agency" in page
    assert "Brand New Observatory" in page


# Organisation page


def test_organisation_page_shows_the_profile(client):
    organisation = OrganisationFactory(
        name="Agencia Digital",
        acronym="AGD",
        website="https://agd.example",
        description="Line one.\nLine two <b>bold</b>.",
        themes=[Theme.objects.get(code="ai")],
        logo=png_upload(),
    )
    MembershipFactory(organisation=organisation)
    MembershipFactory(organisation=organisation)
    MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    assert "stakeholders/organisation_detail.html" in _templates(response)
    html = response.content.decode()
    assert "Agencia Digital" in html
    assert "https://agd.example" in html
    # Markdown: one paragraph (a single newline does not break it), raw HTML shown as text.
    assert "<p>Line one.\nLine two &lt;b&gt;bold&lt;/b&gt;.</p>" in html
    assert "2 active members" in html
    assert 'href="/organisations/?theme=ai"' in html
    assert organisation.logo.url in html


def test_organisation_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    organisation = OrganisationFactory(themes=list(Theme.objects.all()))
    for _number in range(5):
        PartnershipFactory(organisations=[organisation])
        MembershipFactory(organisation=organisation)
    client.force_login(MembershipFactory(organisation=organisation).person)
    # 10 with the header's notification bell (the unread count).
    with django_assert_max_num_queries(10):
        response = client.get(organisation.get_absolute_url())
    [section] = response.context["sections"]
    assert len(section.context["partnerships"]) == 5


def test_organisation_page_answers_404_for_an_unknown_slug(client):
    assert client.get("/organisations/no-such-thing/").status_code == 404


def test_organisation_page_lists_only_partnerships_the_viewer_may_read(client):
    membership = MembershipFactory()
    organisation = membership.organisation
    PartnershipFactory(title="Open space", organisations=[organisation])
    PartnershipFactory(
        title="Closed space",
        organisations=[organisation],
        visibility=Partnership.Visibility.MEMBERS,
    )
    assert "Closed space" not in client.get(organisation.get_absolute_url()).content.decode()
    assert "Open space" in client.get(organisation.get_absolute_url()).content.decode()
    client.force_login(membership.person)
    assert "Closed space" in client.get(organisation.get_absolute_url()).content.decode()


def test_organisation_page_tells_a_visitor_to_log_in_to_join(client):
    organisation = OrganisationFactory()
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert f"/accounts/login/?next=/organisations/{organisation.slug}/" in html


# Register and edit


def _profile(**overrides):
    data = {
        "name": "Red Universitaria",
        "acronym": "RU",
        "stakeholder_type": "academia",
        "country": "BR",
        "region": "",
        "website": "",
        "description": "Universities working together.",
        "themes": [Theme.objects.get(code="ai").pk],
    }
    data.update(overrides)
    return data


def test_register_page_needs_a_signed_in_person(client):
    response = client.get(CREATE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_register_creates_the_organisation_and_makes_the_person_its_admin(client):
    person = UserFactory()
    client.force_login(person)
    assert client.get(CREATE_URL).status_code == 200
    response = client.post(CREATE_URL, {**_profile(), "logo": png_upload()})
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.region == Region.LAC
    assert organisation.logo.name.startswith("logos/")
    assert [theme.code for theme in organisation.themes.all()] == ["ai"]
    assert Membership.objects.get(organisation=organisation, person=person).role == "admin"


def test_register_ignores_a_verified_flag_sent_by_a_non_admin(client):
    client.force_login(UserFactory())
    client.post(CREATE_URL, {**_profile(), "is_verified": "on"})
    assert not Organisation.objects.get().is_verified


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"acronym": "x" * 31}, "acronym"),
        ({"stakeholder_type": "guild"}, "stakeholder_type"),
        ({"country": "XX"}, "country"),
        ({"region": "MARS"}, "region"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"description": "x" * 5001}, "description"),
        ({"themes": ["999999"]}, "themes"),
        ({"themes": ["not-a-number"]}, "themes"),
    ],
)
def test_register_with_bad_input_answers_400_with_the_field_error(client, overrides, field):
    client.force_login(UserFactory())
    response = client.post(CREATE_URL, _profile(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_register_with_the_clear_logo_box_ticked_registers_without_a_logo(client):
    client.force_login(UserFactory())
    response = client.post(CREATE_URL, {**_profile(), "logo-clear": "on"})
    assert response.status_code == 302
    assert not Organisation.objects.get().logo


def test_edit_with_a_new_logo_and_the_clear_box_ticked_answers_400(client):
    organisation = OrganisationFactory(logo=png_upload())
    _admin_client(client, organisation)
    response = client.post(
        _edit_url(organisation), {**_profile(), "logo": png_upload(), "logo-clear": "on"}
    )
    assert response.status_code == 400
    assert "logo" in response.context["form"].errors


def test_register_rejects_a_file_that_is_not_an_image(client):
    client.force_login(UserFactory())
    fake = SimpleUploadedFile("logo.png", b"GIF89a nope", content_type="image/png")
    response = client.post(CREATE_URL, {**_profile(), "logo": fake})
    assert response.status_code == 400
    assert "logo" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_register_rejects_a_logo_over_the_size_limit(client, settings):
    settings.PUENTE_LOGO_MAX_BYTES = 50
    client.force_login(UserFactory())
    response = client.post(CREATE_URL, {**_profile(), "logo": png_upload(size=(64, 64))})
    assert response.status_code == 400
    assert "logo" in response.context["form"].errors


def test_register_rejects_a_name_already_in_the_directory(client):
    OrganisationFactory(name="Red Universitaria")
    client.force_login(UserFactory())
    response = client.post(CREATE_URL, _profile())
    assert response.status_code == 400
    assert "name" in response.context["form"].errors


def test_register_an_empty_post_answers_400(client):
    client.force_login(UserFactory())
    response = client.post(CREATE_URL, {})
    assert response.status_code == 400
    assert {"name", "stakeholder_type", "country"} <= set(response.context["form"].errors)


def _edit_url(organisation: Organisation) -> str:
    return reverse("stakeholders:organisation-edit", kwargs={"slug": organisation.slug})


def test_edit_saves_the_profile_and_keeps_the_slug(client):
    organisation = OrganisationFactory(slug="kept")
    _admin_client(client, organisation)
    assert "is_verified" not in client.get(_edit_url(organisation)).context["form"].fields
    response = client.post(_edit_url(organisation), _profile(name="Renamed", country="FR"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.slug, organisation.region) == (
        "Renamed",
        "kept",
        Region.EU,
    )


def test_edit_by_an_org_admin_cannot_verify(client):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    client.post(_edit_url(organisation), {**_profile(), "is_verified": "on"})
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_edit_by_a_platform_admin_can_verify(client):
    organisation = OrganisationFactory()
    client.force_login(AdminFactory())
    assert "is_verified" in client.get(_edit_url(organisation)).context["form"].fields
    client.post(_edit_url(organisation), {**_profile(), "is_verified": "on"})
    organisation.refresh_from_db()
    assert organisation.is_verified


def test_edit_with_bad_input_answers_400_and_keeps_the_heading(client):
    organisation = OrganisationFactory(name="Original")
    _admin_client(client, organisation)
    response = client.post(_edit_url(organisation), _profile(name="", country="XX"))
    assert response.status_code == 400
    assert {"name", "country"} <= set(response.context["form"].errors)
    assert response.context["organisation"].name == "Original"
    organisation.refresh_from_db()
    assert organisation.name == "Original"


def test_edit_can_remove_the_logo(client):
    organisation = OrganisationFactory(logo=png_upload())
    _admin_client(client, organisation)
    response = client.post(_edit_url(organisation), {**_profile(), "logo-clear": "on"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert not organisation.logo


def test_edit_of_an_unknown_organisation_answers_404(client):
    client.force_login(AdminFactory())
    assert client.get("/organisations/nope/edit/").status_code == 404


# Join, leave


def test_request_to_join_twice_answers_400_with_the_reason(client):
    membership = MembershipFactory(status=Membership.Status.PENDING)
    client.force_login(membership.person)
    url = reverse("stakeholders:membership-request", kwargs={"slug": membership.organisation.slug})
    response = client.post(url)
    assert response.status_code == 400
    assert "already belong to or asked to join" in response.content.decode()
    assert Membership.objects.count() == 1


@pytest.mark.parametrize(
    "name",
    [
        "stakeholders:membership-request",
        "stakeholders:organisation-verify",
        "stakeholders:invitation-create",
    ],
)
def test_post_only_actions_refuse_get(client, name):
    organisation = OrganisationFactory()
    client.force_login(AdminFactory())
    response = client.get(reverse(name, kwargs={"slug": organisation.slug}))
    assert response.status_code == 405
    assert not Membership.objects.exists()


def test_leave_asks_for_confirmation_before_leaving(client):
    membership = MembershipFactory()
    client.force_login(membership.person)
    url = reverse("stakeholders:membership-leave", kwargs={"slug": membership.organisation.slug})
    response = client.get(url)
    assert response.status_code == 200
    assert "stakeholders/membership_leave.html" in _templates(response)
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("stakeholders:my-organisations")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_admin_cannot_leave_and_is_told_why(client):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    client.force_login(admin.person)
    url = reverse("stakeholders:membership-leave", kwargs={"slug": admin.organisation.slug})
    response = client.post(url)
    assert response.status_code == 400
    assert "Appoint another administrator" in response.content.decode()
    assert Membership.objects.filter(pk=admin.pk).exists()


# Members page


def _members_url(organisation: Organisation) -> str:
    return reverse("stakeholders:member-list", kwargs={"slug": organisation.slug})


def _member_action_url(name: str, membership: Membership) -> str:
    return reverse(
        f"stakeholders:{name}",
        kwargs={"slug": membership.organisation.slug, "pk": membership.pk},
    )


def test_members_page_lists_members_requests_and_invitations(client):
    organisation = OrganisationFactory(created_by=None)
    _admin_client(client, organisation)
    MembershipFactory(organisation=organisation, person=UserFactory(name="Ana Member"))
    MembershipFactory(
        organisation=organisation,
        person=UserFactory(name="Pedro Pending"),
        status=Membership.Status.PENDING,
    )
    InvitationFactory(organisation=organisation, email="guest@example.org", invited_by=None)
    response = client.get(_members_url(organisation))
    assert response.status_code == 200
    assert "stakeholders/member_list.html" in _templates(response)
    html = response.content.decode()
    assert "Ana Member" in html
    assert "Pedro Pending" in html
    assert "guest@example.org" in html
    assert "former participant" in html
    assert [m.person.name for m in response.context["pending"]] == ["Pedro Pending"]


def _populate_members(organisation: Organisation, count: int) -> None:
    for _number in range(count):
        MembershipFactory(organisation=organisation)
        MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
        InvitationFactory(organisation=organisation, invited_by=UserFactory())


def test_members_page_costs_the_same_queries_for_few_or_many_members(
    client, django_assert_max_num_queries
):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    _populate_members(organisation, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(_members_url(organisation))
    _populate_members(organisation, 15)
    with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as many:
        response = client.get(_members_url(organisation))
    assert len(response.context["active"]) == 18
    assert len(many) == len(few)


def test_approve_and_decline_change_the_request(client):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    approved = MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    declined = MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    assert client.post(_member_action_url("membership-approve", approved)).status_code == 302
    assert client.post(_member_action_url("membership-decline", declined)).status_code == 302
    approved.refresh_from_db()
    assert approved.status == Membership.Status.ACTIVE
    assert not Membership.objects.filter(pk=declined.pk).exists()


def test_approving_an_active_membership_answers_400(client):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    active = MembershipFactory(organisation=organisation)
    response = client.post(_member_action_url("membership-approve", active))
    assert response.status_code == 400
    assert "already been decided" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["membership-approve", "membership-decline", "membership-role", "membership-remove"],
)
def test_member_actions_on_another_organisations_membership_answer_404(client, name):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    elsewhere = MembershipFactory(status=Membership.Status.PENDING)
    url = reverse(f"stakeholders:{name}", kwargs={"slug": organisation.slug, "pk": elsewhere.pk})
    assert client.post(url, {"role": "admin"}).status_code == 404
    elsewhere.refresh_from_db()
    assert (elsewhere.status, elsewhere.role) == (Membership.Status.PENDING, "member")


def test_member_actions_on_an_unknown_membership_answer_404(client):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    url = reverse(
        "stakeholders:membership-approve", kwargs={"slug": organisation.slug, "pk": 999999}
    )
    assert client.post(url).status_code == 404


def test_role_change_promotes_a_member(client):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    membership = MembershipFactory(organisation=organisation)
    response = client.post(_member_action_url("membership-role", membership), {"role": "admin"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required."),
        ({"role": "owner"}, "Select a valid choice."),
        ({"role": "x" * 1000}, "Select a valid choice."),
    ],
)
def test_role_change_with_a_bad_role_answers_400(client, data, message):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    membership = MembershipFactory(organisation=organisation)
    response = client.post(_member_action_url("membership-role", membership), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER


def test_role_change_refuses_to_demote_the_last_admin(client):
    organisation = OrganisationFactory()
    admin = _admin_client(client, organisation)
    membership = Membership.objects.get(person=admin)
    response = client.post(_member_action_url("membership-role", membership), {"role": "member"})
    assert response.status_code == 400
    assert "at least one administrator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_role_change_by_a_stranger_with_bad_input_is_still_403(client):
    membership = MembershipFactory()
    client.force_login(UserFactory())
    response = client.post(_member_action_url("membership-role", membership), {"role": "x"})
    assert response.status_code == 403


def test_remove_asks_for_confirmation_then_removes(client):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    membership = MembershipFactory(organisation=organisation)
    url = _member_action_url("membership-remove", membership)
    response = client.get(url)
    assert response.status_code == 200
    assert "stakeholders/membership_remove.html" in _templates(response)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_invite_sends_an_invitation(client, mailoutbox, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    url = reverse("stakeholders:invitation-create", kwargs={"slug": organisation.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Guest@Example.org", "role": "admin"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("guest@example.org", "admin")
    assert len(mailoutbox) == 1
    assert f"http://testserver/organisations/invitations/{invitation.token}/" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "", "role": "member"}, "email"),
        ({"email": "nope", "role": "member"}, "email"),
        ({"email": "x" * 250 + "@example.org", "role": "member"}, "email"),
        ({"email": "guest@example.org", "role": "owner"}, "role"),
        ({"email": "guest@example.org"}, "role"),
    ],
)
def test_invite_with_bad_input_answers_400_with_the_field_error(client, data, field):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    url = reverse("stakeholders:invitation-create", kwargs={"slug": organisation.slug})
    response = client.post(url, data)
    assert response.status_code == 400
    assert field in response.context["invitation_form"].errors
    assert not Invitation.objects.exists()


def test_invite_of_an_existing_member_answers_400_on_the_email_field(client):
    organisation = OrganisationFactory()
    admin = _admin_client(client, organisation)
    url = reverse("stakeholders:invitation-create", kwargs={"slug": organisation.slug})
    response = client.post(url, {"email": admin.email, "role": "member"})
    assert response.status_code == 400
    assert "already belongs" in response.context["invitation_form"].errors["email"][0]


def test_revoke_withdraws_an_open_invitation_of_the_same_organisation_only(client):
    organisation = OrganisationFactory()
    _admin_client(client, organisation)
    own = InvitationFactory(organisation=organisation)
    elsewhere = InvitationFactory()
    for invitation, expected in [(elsewhere, 404), (own, 302)]:
        url = reverse(
            "stakeholders:invitation-revoke",
            kwargs={"slug": organisation.slug, "pk": invitation.pk},
        )
        assert client.post(url).status_code == expected
    assert list(Invitation.objects.all()) == [elsewhere]


# Invitation acceptance


def _accept_url(invitation: Invitation) -> str:
    return reverse("stakeholders:invitation-accept", kwargs={"token": invitation.token})


def test_invitation_page_needs_a_signed_in_person(client):
    invitation = InvitationFactory()
    response = client.get(_accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_invitation_page_shows_the_offer_and_post_accepts_it(client):
    invitation = InvitationFactory(email="guest@example.org", role="admin")
    person = UserFactory(email="guest@example.org")
    client.force_login(person)
    response = client.get(_accept_url(invitation))
    assert response.status_code == 200
    assert "stakeholders/invitation_accept.html" in _templates(response)
    assert invitation.organisation.name in response.content.decode()
    assert not Membership.objects.exists()
    response = client.post(_accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"] == invitation.organisation.get_absolute_url()
    membership = Membership.objects.get(person=person)
    assert (membership.role, membership.status) == ("admin", "active")


@pytest.mark.parametrize("method", ["get", "post"])
def test_invitation_for_another_address_answers_a_clear_403(client, method):
    invitation = InvitationFactory(email="guest@example.org")
    client.force_login(UserFactory(email="intruder@example.org"))
    response = getattr(client, method)(_accept_url(invitation))
    assert response.status_code == 403
    assert "core/invitation_forbidden.html" in _templates(response)
    assert "different e-mail address" in response.content.decode()
    assert "guest@example.org" not in response.content.decode()
    assert not Membership.objects.exists()


def test_used_invitation_answers_410_and_changes_nothing(client):
    invitation = InvitationFactory(email="guest@example.org")
    client.force_login(UserFactory(email="guest@example.org"))
    client.post(_accept_url(invitation))
    response = client.post(_accept_url(invitation))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert Membership.objects.count() == 1


def test_unknown_invitation_token_answers_404(client):
    client.force_login(UserFactory())
    assert client.get("/organisations/invitations/not-a-token/").status_code == 404


# My organisations


def test_my_organisations_lists_memberships_requests_and_invitations(client):
    person = UserFactory(email="me@example.org")
    MembershipFactory(person=person, organisation=OrganisationFactory(name="Active org"))
    MembershipFactory(
        person=person,
        organisation=OrganisationFactory(name="Pending org"),
        status=Membership.Status.PENDING,
    )
    MembershipFactory(organisation=OrganisationFactory(name="Someone else's"))
    InvitationFactory(email="ME@example.org", organisation=OrganisationFactory(name="Inviting"))
    client.force_login(person)
    response = client.get(reverse("stakeholders:my-organisations"))
    assert response.status_code == 200
    assert [m.organisation.name for m in response.context["active"]] == ["Active org"]
    assert [m.organisation.name for m in response.context["pending"]] == ["Pending org"]
    html = response.content.decode()
    assert "Someone else&#x27;s" not in html
    assert "Inviting" in html


def test_my_organisations_needs_a_signed_in_person(client):
    response = client.get(reverse("stakeholders:my-organisations"))
    assert response.status_code == 302


# Hostile input anywhere: a 4xx answer, never a server error.

HOSTILE_PAYLOADS = [
    {},
    {"name": "\x00", "email": "a\x00@example.org", "role": "\x00", "q": "\x00"},
    {"name": "x" * 100_000, "email": "x" * 100_000, "role": "x" * 100_000},
    {"themes": ["-1", "abc", "1.5"], "country": ["CL", "ES"], "stakeholder_type": ""},
    {"is_verified": "maybe", "logo": "not-a-file", "logo-clear": "yes"},
]


def _hostile_targets(organisation, membership, invitation):
    slug = organisation.slug
    return [
        reverse("stakeholders:organisation-create"),
        reverse("stakeholders:organisation-edit", kwargs={"slug": slug}),
        reverse("stakeholders:organisation-verify", kwargs={"slug": slug}),
        reverse("stakeholders:membership-request", kwargs={"slug": slug}),
        reverse("stakeholders:membership-leave", kwargs={"slug": slug}),
        reverse("stakeholders:membership-role", kwargs={"slug": slug, "pk": membership.pk}),
        reverse("stakeholders:membership-approve", kwargs={"slug": slug, "pk": membership.pk}),
        reverse("stakeholders:invitation-create", kwargs={"slug": slug}),
        reverse("stakeholders:invitation-revoke", kwargs={"slug": slug, "pk": invitation.pk}),
        reverse("stakeholders:invitation-accept", kwargs={"token": invitation.token}),
    ]


@pytest.mark.parametrize("payload", HOSTILE_PAYLOADS)
@pytest.mark.parametrize("actor", ["org admin", "platform admin", "stranger"])
def test_hostile_posts_get_a_client_error_or_a_redirect_never_a_crash(client, payload, actor):
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).person
    membership = MembershipFactory(organisation=organisation)
    invitation = InvitationFactory(organisation=organisation)
    person = {"org admin": admin, "platform admin": AdminFactory(), "stranger": UserFactory()}
    client.force_login(person[actor])
    for url in _hostile_targets(organisation, membership, invitation):
        response = client.post(url, payload)
        assert response.status_code in {302, 400, 403, 404, 405}, url


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "page=-1",
        "page=99999999999999999999",
        "type=%FF%FE",
        "country=" + "A" * 5000,
        "theme=&region=&type=&country=",
    ],
)
def test_hostile_directory_queries_never_crash(client, query):
    OrganisationFactory()
    response = client.get(LIST_URL + "?" + query)
    assert response.status_code in {200, 400}


def test_register_refuses_a_144_megapixel_logo_with_a_field_error(client):
    client.force_login(UserFactory())
    response = client.post(CREATE_URL, {**_profile(), "logo": huge_png()})
    assert response.status_code == 400
    assert "megapixels" in " ".join(response.context["form"].errors["logo"])
    assert not Organisation.objects.exists()


def test_register_refuses_a_corrupt_logo_with_a_field_error(client):
    client.force_login(UserFactory())
    response = client.post(CREATE_URL, {**_profile(), "logo": corrupt_png()})
    assert response.status_code == 400
    assert "logo" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_register_with_a_gif_named_pdf_serves_it_as_a_png(client):
    client.force_login(UserFactory())
    response = client.post(CREATE_URL, {**_profile(), "logo": gif_named_pdf()})
    assert response.status_code == 302
    logo = client.get(Organisation.objects.get().logo.url)
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize("copy", [*COPIES, *INVISIBLE])
def test_register_page_refuses_copies_of_a_verified_name_on_the_name_field(client, copy):
    OrganisationFactory(name=ORIGINAL, is_verified=True)
    client.force_login(UserFactory())
    response = client.post(CREATE_URL, _profile(name=copy))
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert Organisation.objects.count() == 1
