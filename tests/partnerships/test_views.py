import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from puente.dialogues.models import Phase
from puente.initiatives.models import Visibility
from puente.partnerships.models import (
    FacilitatorInvitation,
    Partnership,
    PartnershipJoinRequest,
    PartnershipMember,
)
from puente.stakeholders.models import Membership
from tests.accounts.factories import AdminFactory, UserFactory
from tests.core.name_cases import COPIES, INVISIBLE, ORIGINAL
from tests.dialogues.factories import DialogueFactory
from tests.initiatives.factories import InitiativeFactory
from tests.partnerships.conftest import ROLES
from tests.partnerships.factories import (
    FacilitatorInvitationFactory,
    PartnershipFactory,
    PartnershipJoinRequestFactory,
)
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _url(name, partnership=None, **kwargs):
    if partnership is not None:
        kwargs["slug"] = partnership.slug
    return reverse(f"partnerships:{name}", kwargs=kwargs or None)


def _templates(response):
    return [template.name for template in response.templates]


def _table_counts(html, caption):
    """Return {row header: count} of the table with this caption."""
    table = re.search(
        r"<caption>" + re.escape(caption) + r"</caption>(.*?)</table>", html, re.DOTALL
    )
    assert table, f"no table captioned {caption!r}"
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table.group(1))
    return {label: int(n) for label, n in rows}


class TestHome:
    def test_home_shows_public_partnerships_with_member_counts(self, client, world):
        response = client.get(reverse("home"))

        assert response.status_code == 200
        assert "partnerships/home.html" in _templates(response)
        assert "EU-LAC Digital Alliance" in response.text
        assert "1 member organisation" in response.text
        assert "Copernicus LAC" not in response.text

    def test_home_gives_the_directory_as_charts_with_tables(self, client, world):
        OrganisationFactory(region="EU", stakeholder_type="academia")

        response = client.get(reverse("home"))

        assert '<figure class="chart">' in response.text
        assert "<svg" in response.text
        by_region = _table_counts(response.text, "Organisations by region")
        assert sum(by_region.values()) == 2
        assert by_region["European Union"] == 1
        by_type = _table_counts(response.text, "Organisations by stakeholder type")
        assert sum(by_type.values()) == 2

    def test_home_tells_what_happens_now_only_where_the_viewer_may_look(self, client_as, world):
        DialogueFactory(partnership=world.public, title="Open public vote", phase=Phase.DELIBERATE)
        DialogueFactory(
            partnership=world.members_only, title="Members' vote", phase=Phase.PRIORITISE
        )
        DialogueFactory(partnership=world.public, title="Finished talk", phase=Phase.CLOSED)
        InitiativeFactory(partnership=world.public, title="Public fibre")
        InitiativeFactory(
            partnership=world.public, title="Quiet fibre", visibility=Visibility.MEMBERS
        )

        visitor = client_as(None).get(reverse("home")).text
        assert "Open public vote" in visitor
        assert "Public fibre" in visitor
        assert "Members' vote" not in visitor
        assert "Quiet fibre" not in visitor
        assert "Finished talk" not in visitor

        member = client_as(world.person("member")).get(reverse("home")).text
        assert "Members&#x27; vote" in member
        assert "Quiet fibre" in member

    def test_home_queries_do_not_grow_with_the_platform(self, client, world):
        def queries():
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("home")).status_code == 200
            return len(captured)

        DialogueFactory(partnership=world.public, phase=Phase.DELIBERATE)
        InitiativeFactory(partnership=world.public)
        few = queries()
        for _ in range(5):
            partnership = PartnershipFactory(organisations=[OrganisationFactory()])
            DialogueFactory(partnership=partnership, phase=Phase.DELIBERATE)
            InitiativeFactory(partnership=partnership)
        assert queries() == few
        assert few <= 12


class TestPartnershipList:
    def test_visitors_see_only_public_partnerships(self, client, world):
        response = client.get(_url("partnership-list"))

        assert response.status_code == 200
        assert "partnerships/partnership_list.html" in _templates(response)
        assert "EU-LAC Digital Alliance" in response.text
        assert "Copernicus LAC" not in response.text
        assert "Digital Accelerator" not in response.text

    def test_members_see_their_members_only_partnerships_with_a_badge(self, client_as, world):
        response = client_as(world.person("member")).get(_url("partnership-list"))

        assert "Copernicus LAC" in response.text
        assert "Members only" in response.text
        assert "Digital Accelerator" not in response.text

    def test_rows_show_regions_and_member_organisation_counts(self, client, world):
        world.public.organisations.add(OrganisationFactory(), OrganisationFactory())

        response = client.get(_url("partnership-list"))

        row = re.search(r"EU-LAC Digital Alliance</a></th>(.*?)</tr>", response.text, re.DOTALL)
        assert row
        assert "European Union, Latin America and the Caribbean" in row.group(1)
        assert re.search(r"<td[^>]*>3</td>", row.group(1))
        assert "Public" in row.group(1)

    def test_search_narrows_by_title(self, client_as, world):
        response = client_as(world.person("admin")).get(_url("partnership-list"), {"q": "LAC"})

        assert "Copernicus LAC" in response.text
        assert "EU-LAC Digital Alliance" in response.text
        assert "Digital Accelerator" not in response.text

    def test_a_search_without_results_says_so(self, client, world):
        response = client.get(_url("partnership-list"), {"q": "Atlantis"})

        assert response.status_code == 200
        assert "No partnership open to you has “Atlantis” in its title." in response.text

    def test_an_empty_platform_has_an_empty_state(self, client, db):
        response = client.get(_url("partnership-list"))

        assert "No partnerships are open to you yet." in response.text

    def test_pages_hold_twenty_partnerships(self, client, db):
        PartnershipFactory.create_batch(25)

        first = client.get(_url("partnership-list"))
        second = client.get(_url("partnership-list"), {"page": 2})

        assert len(first.context["page_obj"]) == 20
        assert len(second.context["page_obj"]) == 5
        assert "Page 2 of 2" in second.text

    @pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5"])
    def test_a_bad_page_number_still_shows_a_page(self, client, world, page):
        response = client.get(_url("partnership-list"), {"page": page})

        assert response.status_code == 200

    def test_htmx_search_gets_only_the_results_fragment(self, client, world):
        response = client.get(_url("partnership-list"), {"q": "EU"}, headers={"HX-Request": "true"})

        assert _templates(response)[0] == "partnerships/_partnership_results.html"
        assert "<html" not in response.text
        assert "EU-LAC Digital Alliance" in response.text

    def test_only_platform_admins_see_the_new_partnership_button(self, client_as, world):
        create = _url("partnership-create")

        assert (
            create not in client_as(world.person("facilitator")).get(_url("partnership-list")).text
        )
        assert create in client_as(world.person("admin")).get(_url("partnership-list")).text

    def test_the_list_costs_the_same_queries_for_five_or_twenty_partnerships(self, client_as, db):
        person = UserFactory()
        organisation = OrganisationFactory()
        MembershipFactory(person=person, organisation=organisation)
        viewer = client_as(person)

        def list_queries():
            with CaptureQueriesContext(connection) as queries:
                assert viewer.get(_url("partnership-list")).status_code == 200
            return len(queries)

        for _ in range(5):
            PartnershipFactory(
                organisations=[organisation, OrganisationFactory()],
                visibility=Partnership.Visibility.MEMBERS,
            )
        few = list_queries()
        for _ in range(15):
            PartnershipFactory(organisations=OrganisationFactory.create_batch(3))
        many = list_queries()

        assert many == few

    def test_the_list_stays_within_its_query_budget(
        self, client_as, world, django_assert_max_num_queries
    ):
        for _ in range(25):
            PartnershipFactory(organisations=OrganisationFactory.create_batch(2))
        viewer = client_as(world.person("member"))

        with django_assert_max_num_queries(5):
            viewer.get(_url("partnership-list"))


class TestPartnershipDetail:
    def test_shows_description_regions_facilitators_and_members(self, client, world):
        response = client.get(world.public.get_absolute_url())

        assert response.status_code == 200
        assert "partnerships/partnership_detail.html" in _templates(response)
        assert "A demo partnership." in response.text
        assert "European Union, Latin America and the Caribbean" in response.text
        assert "Fiona Facilitator" in response.text
        assert world.organisation.name in response.text
        assert world.organisation.get_absolute_url() in response.text
        assert "Chile" in response.text

    def test_never_shows_facilitators_email_addresses(self, client, world):
        response = client.get(world.public.get_absolute_url())

        assert world.person("facilitator").email not in response.text
        assert (
            "@"
            not in re.sub(r"<svg.*?</svg>", "", response.text, flags=re.DOTALL).split(
                '<main id="main"'
            )[1]
        )

    def test_a_members_only_partnership_is_404_for_outsiders(self, client_as, world):
        response = client_as(world.person("stranger")).get(world.members_only.get_absolute_url())

        assert response.status_code == 404
        assert "Copernicus LAC" not in response.text

    def test_an_unknown_slug_is_404(self, client, db):
        assert client.get("/partnerships/no-such-thing/").status_code == 404

    def test_chart_is_inline_svg_with_a_text_alternative(self, client, db):
        partnership = PartnershipFactory(
            organisations=[
                OrganisationFactory(region="EU", stakeholder_type="public", country="ES"),
                OrganisationFactory(region="LAC", stakeholder_type="public", country="CL"),
                OrganisationFactory(region="LAC", stakeholder_type="academia", country="PA"),
            ]
        )

        html = client.get(partnership.get_absolute_url()).text

        figure = re.search(r"<figure.*?</figure>", html, re.DOTALL)
        assert figure
        assert re.search(r'<div role="img" aria-label="[^"]+"><svg', figure.group(0))
        assert "<figcaption>" in figure.group(0)
        assert _table_counts(html, "Member organisations by region") == {
            "European Union": 1,
            "Latin America and the Caribbean": 2,
            "Other": 0,
        }
        by_type = _table_counts(html, "Member organisations by stakeholder type")
        assert by_type["Public sector"] == 2
        assert by_type["Academia and research"] == 1
        assert sum(by_type.values()) == 3
        assert html.index("</figure>") < html.index("<caption>Member organisations by region")

    def test_a_partnership_without_members_has_no_chart(self, client, db):
        partnership = PartnershipFactory()

        html = client.get(partnership.get_absolute_url()).text

        assert "<svg" not in html
        assert "No organisation has joined this partnership yet." in html

    def test_member_organisations_are_paginated(self, client, db):
        partnership = PartnershipFactory(organisations=OrganisationFactory.create_batch(25))

        second = client.get(partnership.get_absolute_url(), {"page": 2})

        assert len(second.context["members"]) == 5
        assert "25 member organisations" in second.text

    def test_htmx_member_paging_gets_only_the_member_table(self, client, db):
        partnership = PartnershipFactory(organisations=OrganisationFactory.create_batch(25))

        response = client.get(
            partnership.get_absolute_url(),
            {"page": 2},
            headers={"HX-Request": "true", "HX-Target": "member-table"},
        )

        assert _templates(response)[0] == "partnerships/_member_table.html"
        assert response.text.lstrip().startswith('<div id="member-table">')

    def test_management_links_appear_only_for_managers(self, client_as, world):
        edit = _url("partnership-edit", world.public)

        assert (
            edit not in client_as(world.person("member")).get(world.public.get_absolute_url()).text
        )
        assert (
            edit in client_as(world.person("facilitator")).get(world.public.get_absolute_url()).text
        )

    def test_the_page_costs_the_same_queries_for_three_or_thirty_members(self, client_as, db):
        facilitator = UserFactory()
        partnership = PartnershipFactory(
            facilitators=[facilitator], organisations=OrganisationFactory.create_batch(3)
        )
        viewer = client_as(facilitator)

        def detail_queries():
            with CaptureQueriesContext(connection) as queries:
                assert viewer.get(partnership.get_absolute_url()).status_code == 200
            return len(queries)

        few = detail_queries()
        for organisation in OrganisationFactory.create_batch(27):
            PartnershipMember.objects.create(partnership=partnership, organisation=organisation)
        partnership.facilitators.add(*UserFactory.create_batch(5))
        many = detail_queries()

        assert many == few

    def test_the_page_stays_within_its_query_budget(
        self, client_as, world, django_assert_max_num_queries
    ):
        world.members_only.organisations.add(*OrganisationFactory.create_batch(30))
        viewer = client_as(world.person("member"))

        # 13: the initiatives section reads one query (its list, money summed in it), one
        # asks whether the viewer administers an organisation that could ask to join, the
        # header's notification bell one (the unread count), and the translations of the
        # description one.
        with django_assert_max_num_queries(13):
            assert viewer.get(world.members_only.get_absolute_url()).status_code == 200


# Who may do what, through the web pages. "members_only" partnerships are hidden (404)
# from people who may not read them; visitors are sent to log in before anything else.
MANAGERS = {"facilitator", "admin"}
ACTIONS = [
    "edit",
    "organisation-add",
    "organisation-remove",
    "facilitator-invite",
    "facilitator-remove",
]


def _action_request(world, action, partnership):
    """Return the URL of the action and the valid POST data that performs it."""
    newcomer = OrganisationFactory(name="Newcomer")
    colleague = UserFactory(name="Colleague", email="colleague@example.org")
    partnership.facilitators.add(colleague)
    match action:
        case "edit":
            data = {"title": "Renamed", "visibility": partnership.visibility, "regions": ["EU"]}
            return _url("partnership-edit", partnership), data
        case "organisation-add":
            return _url("partnership-organisation-add", partnership), {"organisation": newcomer.pk}
        case "organisation-remove":
            url = _url(
                "partnership-organisation-remove",
                partnership,
                organisation_slug=world.organisation.slug,
            )
            return url, {}
        case "facilitator-invite":
            url = _url("facilitator-invitation-create", partnership)
            return url, {"email": "newcomer@example.org"}
        case "facilitator-remove":
            url = _url("partnership-facilitator-remove", partnership, person_id=colleague.pk)
            return url, {}
    raise AssertionError(action)


def _state(partnership):
    partnership.refresh_from_db()
    return (
        partnership.title,
        set(partnership.organisations.values_list("pk", flat=True)),
        set(partnership.facilitators.values_list("pk", flat=True)),
        set(partnership.facilitator_invitations.values_list("email", flat=True)),
    )


def _expected_denial(role, which):
    if role == "visitor":
        return 302
    if which == "members_only" and role in {"stranger", "other_facilitator"}:
        return 404
    return 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["public", "members_only"])
def test_viewing_by_role(client_as, world, role, which):
    partnership = getattr(world, which)
    can_read = which == "public" or role in {"member", "facilitator", "admin"}

    response = client_as(world.person(role)).get(partnership.get_absolute_url())

    assert response.status_code == (200 if can_read else 404)


# Who reads a members-only partnership on the page of one of its organisations, X: the
# facilitator and the member of another member organisation belong to none of X.
ORGANISATION_PAGE_READERS = {
    "visitor": False,
    "stranger": False,
    "member of X": True,
    "member of another member organisation": True,
    "facilitator": True,
    "admin": True,
}


@pytest.mark.parametrize(("role", "can_read"), list(ORGANISATION_PAGE_READERS.items()))
def test_organisation_page_and_partnership_list_agree_on_members_only_partnerships(
    client_as, db, role, can_read
):
    x, other = OrganisationFactory(), OrganisationFactory()
    facilitator = UserFactory()
    PartnershipFactory(
        title="Copernicus LAC",
        visibility=Partnership.Visibility.MEMBERS,
        organisations=[x, other],
        facilitators=[facilitator],
    )
    person = {
        "visitor": None,
        "stranger": UserFactory(),
        "member of X": MembershipFactory(organisation=x).person,
        "member of another member organisation": MembershipFactory(organisation=other).person,
        "facilitator": facilitator,
        "admin": AdminFactory(),
    }[role]
    client = client_as(person)

    organisation_page = client.get(x.get_absolute_url()).content.decode()
    partnership_list = client.get(_url("partnership-list")).content.decode()

    assert ("Copernicus LAC" in organisation_page) == can_read
    assert ("Copernicus LAC" in partnership_list) == can_read


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["public", "members_only"])
@pytest.mark.parametrize("action", ACTIONS)
def test_management_pages_by_role(client_as, world, role, which, action):
    partnership = getattr(world, which)
    url, data = _action_request(world, action, partnership)
    before = _state(partnership)
    client = client_as(world.person(role))

    shown = client.get(url)
    done = client.post(url, data)

    if role in MANAGERS:
        assert shown.status_code == 200
        assert done.status_code == 302
        assert _state(partnership) != before
    else:
        expected = _expected_denial(role, which)
        assert shown.status_code == expected
        assert done.status_code == expected
        assert _state(partnership) == before
        if role == "visitor":
            assert done["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ROLES)
def test_opening_a_partnership_by_role(client_as, world, role):
    client = client_as(world.person(role))
    count = Partnership.objects.count()

    shown = client.get(_url("partnership-create"))
    done = client.post(_url("partnership-create"), {"title": "BELLA", "visibility": "public"})

    if role == "admin":
        assert (shown.status_code, done.status_code) == (200, 302)
        assert Partnership.objects.count() == count + 1
    else:
        expected = 302 if role == "visitor" else 403
        assert (shown.status_code, done.status_code) == (expected, expected)
        assert Partnership.objects.count() == count


class TestCreateAndEdit:
    def test_the_admin_who_opens_a_partnership_facilitates_it(self, client_as, db):
        admin = AdminFactory()

        response = client_as(admin).post(
            _url("partnership-create"),
            {
                "title": "Digital Accelerator",
                "description": "Impact investment and e-services.",
                "regions": ["EU", "LAC"],
                "visibility": "members",
            },
        )

        partnership = Partnership.objects.get(title="Digital Accelerator")
        assert response["Location"] == partnership.get_absolute_url()
        assert list(partnership.facilitators.all()) == [admin]
        assert partnership.regions == ["EU", "LAC"]
        assert partnership.visibility == "members"

    def test_edit_form_starts_from_the_stored_values(self, client_as, world):
        response = client_as(world.person("facilitator")).get(
            _url("partnership-edit", world.public)
        )

        assert response.context["form"]["title"].value() == "EU-LAC Digital Alliance"
        assert response.context["form"]["regions"].value() == ["EU", "LAC"]
        assert re.search(r'<input[^>]*value="LAC"[^>]*checked', response.text)
        assert not re.search(r'<input[^>]*value="OTHER"[^>]*checked', response.text)

    def test_removing_yourself_from_a_members_only_partnership_leads_back_to_the_list(
        self, client_as, db
    ):
        facilitator, colleague = UserFactory(), UserFactory()
        partnership = PartnershipFactory(
            visibility=Partnership.Visibility.MEMBERS, facilitators=[facilitator, colleague]
        )

        response = client_as(facilitator).post(
            _url("partnership-facilitator-remove", partnership, person_id=facilitator.pk)
        )

        assert response["Location"] == _url("partnership-list")
        assert list(partnership.facilitators.all()) == [colleague]

    def test_confirmation_pages_change_nothing_on_get(self, client_as, world):
        client = client_as(world.person("facilitator"))
        before = _state(world.public)

        client.get(
            _url(
                "partnership-organisation-remove",
                world.public,
                organisation_slug=world.organisation.slug,
            )
        )
        client.get(
            _url(
                "partnership-facilitator-remove",
                world.public,
                person_id=world.person("facilitator").pk,
            )
        )

        assert _state(world.public) == before

    def test_the_add_form_offers_only_organisations_not_yet_members(self, client_as, world):
        newcomer = OrganisationFactory(name="RedCLARA", acronym="BELLA")
        client = client_as(world.person("facilitator"))

        offered = client.get(_url("partnership-organisation-add", world.public))
        searched = client.get(_url("partnership-organisation-add", world.public), {"q": "bella"})

        assert f'<option value="{newcomer.pk}">RedCLARA (BELLA)</option>' in offered.text
        assert f'value="{world.organisation.pk}"' not in offered.text
        assert "RedCLARA (BELLA)" in searched.text


# Bad input on every form: 400 and an error attached to the named field.
BAD_INPUT = [
    ("partnership-edit", {"title": "", "visibility": "public"}, "title"),
    ("partnership-edit", {"title": "x" * 201, "visibility": "public"}, "title"),
    ("partnership-edit", {"title": "Copernicus LAC", "visibility": "public"}, "title"),
    ("partnership-edit", {"title": "Fine", "visibility": "secret"}, "visibility"),
    ("partnership-edit", {"title": "Fine", "visibility": "public", "regions": "MARS"}, "regions"),
    ("partnership-edit", {}, "title"),
    ("partnership-create", {"title": "", "visibility": "public"}, "title"),
    ("partnership-create", {"title": "Copernicus LAC", "visibility": "public"}, "title"),
    ("partnership-create", {"title": "Fine", "visibility": "x", "regions": "EU"}, "visibility"),
    ("partnership-create", {"title": "Fine", "visibility": "public", "regions": "X"}, "regions"),
    ("partnership-organisation-add", {}, "organisation"),
    ("partnership-organisation-add", {"organisation": "abc"}, "organisation"),
    ("partnership-organisation-add", {"organisation": "999999"}, "organisation"),
    ("partnership-organisation-add", {"organisation": "MEMBER"}, "organisation"),
    ("facilitator-invitation-create", {}, "email"),
    ("facilitator-invitation-create", {"email": "not an address"}, "email"),
    ("facilitator-invitation-create", {"email": "x" * 250 + "@a.org"}, "email"),
    ("facilitator-invitation-create", {"email": "INVITED"}, "email"),
]


@pytest.mark.parametrize(("name", "data", "field"), BAD_INPUT)
def test_bad_input_is_a_400_with_a_field_error(client_as, world, name, data, field):
    FacilitatorInvitationFactory(partnership=world.public, email="waiting@example.org")
    data = {
        key: {"MEMBER": world.organisation.pk, "INVITED": "Waiting@Example.org "}.get(value, value)
        for key, value in data.items()
    }
    partnership = None if name == "partnership-create" else world.public
    before = _state(world.public)
    count = Partnership.objects.count()

    response = client_as(world.person("admin")).post(_url(name, partnership), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.text
    assert _state(world.public) == before
    assert Partnership.objects.count() == count


def test_an_invitation_reads_the_same_whether_or_not_the_address_has_an_account(
    client_as, world, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.org")
    client = client_as(world.person("facilitator"))
    url = _url("facilitator-invitation-create", world.public)

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "known@example.org"}, follow=True)
        unknown = client.post(url, {"email": "unknown@example.org"}, follow=True)

    def _told(response):
        return [
            str(message).replace("unknown@", "known@") for message in response.context["messages"]
        ]

    assert known.status_code == unknown.status_code == 200
    assert _told(known) == _told(unknown)
    assert [message.to for message in mailoutbox] == [
        ["known@example.org"],
        ["unknown@example.org"],
    ]
    assert world.public.facilitators.count() == 1, "nobody facilitates before accepting"


def test_removing_the_last_facilitator_is_a_400_that_explains_why(client_as, world):
    facilitator = world.person("facilitator")

    response = client_as(facilitator).post(
        _url("partnership-facilitator-remove", world.public, person_id=facilitator.pk)
    )

    assert response.status_code == 400
    assert "A partnership needs at least one facilitator." in response.text
    assert list(world.public.facilitators.all()) == [facilitator]


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/eu-lac-digital-alliance/organisations/no-such-organisation/remove/",
        "/partnerships/eu-lac-digital-alliance/facilitators/999999/remove/",
        "/partnerships/no-such-partnership/edit/",
    ],
)
def test_removing_what_is_not_there_is_404(client_as, world, url):
    client = client_as(world.person("facilitator"))

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_other_methods_are_refused(client_as, world):
    client = client_as(world.person("facilitator"))

    assert client.put(_url("partnership-edit", world.public)).status_code == 405
    assert client.post(_url("partnership-list")).status_code == 405
    assert client.delete(world.public.get_absolute_url()).status_code == 405


def test_a_search_with_a_nul_character_is_answered(client, world):
    response = client.get(_url("partnership-list"), {"q": "EU\x00LAC"})

    assert response.status_code == 200
    assert "\x00" not in response.text


def test_pages_with_htmx_fragments_vary_on_the_htmx_headers(client, world):
    assert "HX-Request" in client.get(_url("partnership-list"))["Vary"]
    assert "HX-Target" in client.get(world.public.get_absolute_url())["Vary"]


class TestFacilitatorInvitations:
    def test_managers_see_waiting_invitations_with_a_withdraw_button(self, client_as, world):
        invitation = FacilitatorInvitationFactory(
            partnership=world.public, email="waiting@example.org"
        )
        revoke = _url("facilitator-invitation-revoke", world.public, pk=invitation.pk)

        managed = client_as(world.person("facilitator")).get(world.public.get_absolute_url())
        read = client_as(world.person("member")).get(world.public.get_absolute_url())

        assert "waiting@example.org" in managed.text
        assert f'action="{revoke}"' in managed.text
        assert "waiting@example.org" not in read.text

    @pytest.mark.parametrize("role", ROLES)
    def test_withdrawing_an_invitation_by_role(self, client_as, world, role):
        invitation = FacilitatorInvitationFactory(partnership=world.members_only)
        url = _url("facilitator-invitation-revoke", world.members_only, pk=invitation.pk)

        response = client_as(world.person(role)).post(url)

        if role in MANAGERS:
            assert response.status_code == 302
            assert not FacilitatorInvitation.objects.filter(pk=invitation.pk).exists()
        else:
            assert response.status_code == _expected_denial(role, "members_only")
            assert FacilitatorInvitation.objects.filter(pk=invitation.pk).exists()

    def test_withdrawing_another_partnerships_invitation_is_404(self, client_as, world):
        invitation = FacilitatorInvitationFactory(partnership=world.other)
        url = _url("facilitator-invitation-revoke", world.public, pk=invitation.pk)

        assert client_as(world.person("facilitator")).post(url).status_code == 404
        assert FacilitatorInvitation.objects.filter(pk=invitation.pk).exists()

    def test_the_invited_person_accepts_and_then_facilitates(self, client_as, world):
        person = UserFactory(email="newcomer@example.org")
        invitation = FacilitatorInvitationFactory(
            partnership=world.members_only,
            email="newcomer@example.org",
            invited_by=world.person("facilitator"),
        )
        client = client_as(person)

        shown = client.get(invitation.get_absolute_url())
        done = client.post(invitation.get_absolute_url(), {"answer": "accept"})

        assert shown.status_code == 200
        assert "Fiona Facilitator invited you to facilitate this partnership." in shown.text
        assert done.status_code == 302
        assert done["Location"] == world.members_only.get_absolute_url()
        assert world.members_only.facilitators.filter(pk=person.pk).exists()
        assert client.get(invitation.get_absolute_url()).status_code == 410

    def test_the_invited_person_may_decline(self, client_as, world):
        person = UserFactory(email="newcomer@example.org")
        invitation = FacilitatorInvitationFactory(
            partnership=world.public, email="newcomer@example.org"
        )

        response = client_as(person).post(invitation.get_absolute_url(), {"answer": "decline"})

        assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.declined_at is not None
        assert not world.public.facilitators.filter(pk=person.pk).exists()

    def test_someone_else_is_told_the_invitation_is_not_theirs(self, client_as, world):
        invitation = FacilitatorInvitationFactory(
            partnership=world.public, email="newcomer@example.org"
        )
        client = client_as(world.person("stranger"))

        shown = client.get(invitation.get_absolute_url())
        tried = client.post(invitation.get_absolute_url(), {"answer": "accept"})

        assert shown.status_code == tried.status_code == 403
        assert "This invitation is for someone else" in shown.text
        assert not world.public.facilitators.filter(pk=world.person("stranger").pk).exists()

    def test_a_visitor_is_sent_to_sign_in_first(self, client, world):
        invitation = FacilitatorInvitationFactory(partnership=world.public)

        response = client.get(invitation.get_absolute_url())

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    @pytest.mark.parametrize("data", [{}, {"answer": "maybe"}])
    def test_an_answer_that_is_neither_accept_nor_decline_is_a_400(self, client_as, world, data):
        person = UserFactory(email="newcomer@example.org")
        invitation = FacilitatorInvitationFactory(
            partnership=world.public, email="newcomer@example.org"
        )

        response = client_as(person).post(invitation.get_absolute_url(), data)

        assert response.status_code == 400
        assert response.context["form"].errors["answer"]
        assert 'class="alert alert-danger"' in response.text
        assert response.text.count('name="answer"') == 2, "the two buttons only"
        invitation.refresh_from_db()
        assert invitation.is_open

    def test_an_unknown_token_is_404(self, client_as, world):
        url = _url("facilitator-invitation-answer", token="no-such-token")

        assert client_as(world.person("stranger")).get(url).status_code == 404


@pytest.mark.parametrize("copy", [*COPIES, *INVISIBLE])
def test_edit_page_refuses_copies_of_a_title_on_the_title_field(client_as, world, copy):
    PartnershipFactory(title=ORIGINAL)
    before = _state(world.public)

    response = client_as(world.person("facilitator")).post(
        _url("partnership-edit", world.public), {"title": copy, "visibility": "public"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["title"]
    assert _state(world.public) == before


def _hide(partnership, *, is_discoverable):
    Partnership.objects.filter(pk=partnership.pk).update(
        visibility=Partnership.Visibility.MEMBERS,
        is_discoverable=is_discoverable,
        description="Secret plans for the cable.",
    )
    partnership.refresh_from_db()


class TestJoinRequestPages:
    def test_an_outsider_admin_sees_the_ask_to_join_form(self, client_as, join_world):
        join_world.pending.delete()

        response = client_as(join_world.person("outsider_admin")).get(
            join_world.partnership.get_absolute_url()
        )

        assert response.status_code == 200
        assert "partnerships/_join.html" in _templates(response)
        assert 'id="join-organisation"' in response.text
        assert "Observatorio Digital</option>" in response.text
        assert _url("partnership-take-part", join_world.partnership) in response.text

    @pytest.mark.parametrize("role", ["person", "member_admin", "facilitator"])
    def test_people_who_cannot_ask_see_no_form(self, client_as, join_world, role):
        response = client_as(join_world.person(role)).get(join_world.partnership.get_absolute_url())

        assert 'id="join-organisation"' not in response.text

    def test_asking_redirects_and_the_request_shows_with_its_status(self, client_as, join_world):
        join_world.pending.delete()
        client = client_as(join_world.person("outsider_admin"))

        response = client.post(
            _url("join-request-create", join_world.partnership),
            {"organisation": join_world.outsider.pk, "message": "We would like to join."},
        )

        assert response.status_code == 302
        assert response["Location"] == join_world.partnership.get_absolute_url()
        page = client.get(join_world.partnership.get_absolute_url()).text
        assert "Waiting for a decision" in page
        join_request = PartnershipJoinRequest.objects.get()
        assert _url("join-request-withdraw", join_world.partnership, pk=join_request.pk) in page

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"message": "Hello"}, "organisation"),
            ({"organisation": "999999"}, "organisation"),
            ({"organisation": "ORG", "message": "x" * 1001}, "message"),
        ],
    )
    def test_bad_input_shows_field_errors(self, client_as, join_world, data, field):
        join_world.pending.delete()
        if data.get("organisation") == "ORG":
            data = {**data, "organisation": join_world.outsider.pk}

        response = client_as(join_world.person("outsider_admin")).post(
            _url("join-request-create", join_world.partnership), data
        )

        assert response.status_code == 400
        assert "partnerships/join_request_create.html" in _templates(response)
        assert response.context["form"].errors.keys() == {field}
        assert f'id="id_{field}_error"' in response.text
        assert not PartnershipJoinRequest.objects.exists()

    def test_an_organisation_the_person_does_not_administer_is_refused_by_field(
        self, client_as, join_world
    ):
        join_world.pending.delete()

        response = client_as(join_world.person("member_admin")).post(
            _url("join-request-create", join_world.partnership),
            {"organisation": join_world.outsider.pk},
        )

        assert response.status_code == 400
        assert "organisation" in response.context["form"].errors

    def test_a_person_who_administers_nothing_is_told_how_to_join(self, client_as, join_world):
        response = client_as(join_world.person("person")).get(
            _url("join-request-create", join_world.partnership)
        )

        assert response.status_code == 200
        assert "Only the administrators of an organisation can ask" in response.text

    def test_facilitators_list_pending_requests_and_recent_decisions(self, client_as, join_world):
        other = PartnershipJoinRequestFactory(
            partnership=join_world.partnership,
            organisation=OrganisationFactory(name="Cámara TIC"),
            status=PartnershipJoinRequest.Status.DECLINED,
            decision_reason="Outside our regions.",
        )

        response = client_as(join_world.person("facilitator")).get(
            _url("join-request-list", join_world.partnership)
        )

        assert response.status_code == 200
        assert "partnerships/join_request_list.html" in _templates(response)
        assert response.context["pending"] == [join_world.pending]
        assert response.context["decided"] == [other]
        assert "We work on connectivity." in response.text
        assert "Outside our regions." in response.text

    def test_the_partnership_page_counts_pending_requests_for_facilitators(
        self, client_as, join_world
    ):
        response = client_as(join_world.person("facilitator")).get(
            join_world.partnership.get_absolute_url()
        )

        assert response.context["n_pending_join_requests"] == 1
        assert _url("join-request-list", join_world.partnership) in response.text

    def test_approving_adds_the_member(self, client_as, join_world):
        response = client_as(join_world.person("facilitator")).post(
            _url("join-request-approve", join_world.partnership, pk=join_world.pending.pk)
        )

        assert response.status_code == 302
        assert join_world.partnership.organisations.filter(pk=join_world.outsider.pk).exists()

    def test_approving_needs_post(self, client_as, join_world):
        response = client_as(join_world.person("facilitator")).get(
            _url("join-request-approve", join_world.partnership, pk=join_world.pending.pk)
        )

        assert response.status_code == 405

    def test_declining_asks_for_a_reason_first(self, client_as, join_world):
        client = client_as(join_world.person("facilitator"))
        url = _url("join-request-decline", join_world.partnership, pk=join_world.pending.pk)

        page = client.get(url)
        empty = client.post(url, {"reason": "  "})

        assert page.status_code == 200
        assert "partnerships/join_request_decline.html" in _templates(page)
        assert empty.status_code == 400
        assert 'id="id_reason_error"' in empty.text
        join_world.pending.refresh_from_db()
        assert join_world.pending.is_pending

    def test_declining_with_a_reason_then_the_page_is_gone(self, client_as, join_world):
        client = client_as(join_world.person("facilitator"))
        url = _url("join-request-decline", join_world.partnership, pk=join_world.pending.pk)

        response = client.post(url, {"reason": "Not this year."})

        assert response.status_code == 302
        join_world.pending.refresh_from_db()
        assert join_world.pending.decision_reason == "Not this year."
        assert client.get(url).status_code == 410

    def test_the_organisation_admin_sees_the_reason(self, client_as, join_world):
        join_world.pending.status = PartnershipJoinRequest.Status.DECLINED
        join_world.pending.decision_reason = "Not this year."
        join_world.pending.save()

        response = client_as(join_world.person("outsider_admin")).get(
            join_world.partnership.get_absolute_url()
        )

        assert "Not this year." in response.text

    def test_withdrawing_asks_for_confirmation(self, client_as, join_world):
        client = client_as(join_world.person("outsider_admin"))
        url = _url("join-request-withdraw", join_world.partnership, pk=join_world.pending.pk)

        page = client.get(url)
        join_world.pending.refresh_from_db()
        assert page.status_code == 200
        assert "partnerships/join_request_withdraw.html" in _templates(page)
        assert join_world.pending.is_pending

        response = client.post(url)

        assert response.status_code == 302
        join_world.pending.refresh_from_db()
        assert join_world.pending.status == PartnershipJoinRequest.Status.WITHDRAWN

    def test_a_request_of_another_partnership_is_404(self, client_as, join_world):
        other = PartnershipFactory(facilitators=[join_world.person("facilitator")])

        response = client_as(join_world.person("facilitator")).post(
            _url("join-request-approve", other, pk=join_world.pending.pk)
        )

        assert response.status_code == 404
        join_world.pending.refresh_from_db()
        assert join_world.pending.is_pending


class TestDiscoverable:
    def test_a_hidden_partnership_stays_404_by_default(self, client_as, join_world):
        _hide(join_world.partnership, is_discoverable=False)

        response = client_as(join_world.person("outsider_admin")).get(
            join_world.partnership.get_absolute_url()
        )

        assert response.status_code == 404
        assert "EU-LAC Digital Alliance" not in response.text

    @pytest.mark.parametrize("role", ["visitor", "person", "outsider_admin"])
    def test_a_discoverable_one_shows_only_its_title_to_outsiders(
        self, client_as, join_world, role
    ):
        _hide(join_world.partnership, is_discoverable=True)

        response = client_as(join_world.person(role)).get(join_world.partnership.get_absolute_url())

        assert response.status_code == 200
        assert _templates(response)[0] == "partnerships/request_access.html"
        assert "EU-LAC Digital Alliance" in response.text
        for secret in ("Secret plans", "Red Andina", "Fiona Facilitator", "Marta Member"):
            assert secret not in response.text

    def test_members_still_see_the_whole_page(self, client_as, join_world):
        _hide(join_world.partnership, is_discoverable=True)

        response = client_as(join_world.person("member_admin")).get(
            join_world.partnership.get_absolute_url()
        )

        assert _templates(response)[0] == "partnerships/partnership_detail.html"

    def test_a_visitor_is_offered_to_sign_in(self, client, join_world):
        _hide(join_world.partnership, is_discoverable=True)

        response = client.get(join_world.partnership.get_absolute_url())

        assert reverse("account_login") in response.text

    def test_an_outsider_admin_asks_from_the_request_access_page(self, client_as, join_world):
        _hide(join_world.partnership, is_discoverable=True)
        join_world.pending.delete()
        client = client_as(join_world.person("outsider_admin"))

        page = client.get(join_world.partnership.get_absolute_url())
        response = client.post(
            _url("join-request-create", join_world.partnership),
            {"organisation": join_world.outsider.pk},
        )

        assert 'id="join-organisation"' in page.text
        assert response.status_code == 302
        assert PartnershipJoinRequest.objects.filter(organisation=join_world.outsider).exists()
        assert "Waiting for a decision" in client.get(response["Location"]).text

    @pytest.mark.parametrize("is_discoverable", [False, True])
    def test_nothing_else_shows_it_to_outsiders(self, client_as, join_world, is_discoverable):
        _hide(join_world.partnership, is_discoverable=is_discoverable)
        client = client_as(join_world.person("outsider_admin"))
        slug = join_world.partnership.slug

        for url in (_url("partnership-list"), _url("partnership-list") + "?q=Allia", "/"):
            assert join_world.partnership.get_absolute_url() not in client.get(url).text, url
        assert slug not in client.get("/api/v1/partnerships/").text
        assert client.get("/api/v1/search/?q=Alliance").json()["total"] == 0
        for url in (
            f"/api/v1/partnerships/{slug}/",
            _url("partnership-take-part", join_world.partnership),
            reverse("dialogues:dialogue-list", kwargs={"partnership_slug": slug}),
            _url("partnership-edit", join_world.partnership),
            _url("join-request-list", join_world.partnership),
        ):
            assert client.get(url).status_code == 404, url

    def test_an_unknown_slug_and_a_hidden_partnership_answer_alike(self, client_as, join_world):
        _hide(join_world.partnership, is_discoverable=False)
        client = client_as(join_world.person("outsider_admin"))

        hidden = client.get(_url("join-request-create", join_world.partnership))
        unknown = client.get("/partnerships/no-such-thing/join/")

        assert hidden.status_code == unknown.status_code == 404

    def test_facilitators_switch_it_on_in_the_form(self, client_as, join_world):
        response = client_as(join_world.person("facilitator")).post(
            _url("partnership-edit", join_world.partnership),
            {"title": "EU-LAC Digital Alliance", "visibility": "members", "is_discoverable": "on"},
        )

        assert response.status_code == 302
        join_world.partnership.refresh_from_db()
        assert join_world.partnership.is_discoverable


class TestTakePart:
    def test_the_page_explains_who_takes_part_from_the_partnership_data(self, client, join_world):
        facilitator = join_world.person("facilitator")

        response = client.get(_url("partnership-take-part", join_world.partnership))

        assert response.status_code == 200
        assert "partnerships/partnership_take_part.html" in _templates(response)
        assert "Red Andina" in response.text
        assert "Fiona Facilitator" in response.text
        assert facilitator.email not in response.text
        assert "How an organisation joins" in response.text

    def test_a_hidden_partnership_has_no_take_part_page_for_outsiders(self, client, join_world):
        _hide(join_world.partnership, is_discoverable=True)

        assert client.get(_url("partnership-take-part", join_world.partnership)).status_code == 404


class TestHomeForAPerson:
    def test_visitors_get_no_personal_section(self, client, join_world):
        response = client.get(reverse("home"))

        assert "partnerships/_home_person.html" not in _templates(response)
        assert response.context["person_home"] is None

    def test_a_person_sees_their_organisations_partnerships_and_what_waits(
        self, client_as, join_world
    ):
        facilitator = join_world.person("facilitator")
        MembershipFactory(person=facilitator, organisation=join_world.outsider)
        applicant = UserFactory(name="Pedro Applicant")
        MembershipFactory(
            person=applicant,
            organisation=join_world.outsider,
            status=Membership.Status.PENDING,
        )
        # Facilitator and (plain) member: sees the join request, not the membership request.
        response = client_as(facilitator).get(reverse("home"))

        assert "partnerships/_home_person.html" in _templates(response)
        home = response.context["person_home"]
        assert home.organisations == [join_world.outsider]
        assert home.partnerships == [join_world.partnership]
        assert home.join_requests == [join_world.pending]
        assert home.membership_requests == []
        assert _url("join-request-list", join_world.partnership) in response.text

    def test_an_organisation_admin_sees_membership_requests_to_decide(self, client_as, join_world):
        applicant = UserFactory(name="Pedro Applicant")
        MembershipFactory(
            person=applicant,
            organisation=join_world.member_organisation,
            status=Membership.Status.PENDING,
        )

        response = client_as(join_world.person("member_admin")).get(reverse("home"))

        home = response.context["person_home"]
        assert [membership.person for membership in home.membership_requests] == [applicant]
        assert home.partnerships == [join_world.partnership]
        assert "Pedro Applicant asks to join Red Andina" in response.text

    def test_the_home_stays_within_its_query_budget(
        self, client_as, join_world, django_assert_max_num_queries
    ):
        person = join_world.person("member_admin")
        for _ in range(5):
            organisation = OrganisationFactory()
            MembershipFactory(person=person, organisation=organisation, role=Membership.Role.ADMIN)
            MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
            partnership = PartnershipFactory(organisations=[organisation], facilitators=[person])
            PartnershipJoinRequestFactory(partnership=partnership)
        client = client_as(person)

        with CaptureQueriesContext(connection) as few:
            client.get(reverse("home"))
        for _ in range(10):
            organisation = OrganisationFactory()
            MembershipFactory(person=person, organisation=organisation, role=Membership.Role.ADMIN)
            MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
            partnership = PartnershipFactory(organisations=[organisation], facilitators=[person])
            PartnershipJoinRequestFactory(partnership=partnership)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse("home"))

        assert len(response.context["person_home"].join_requests) == 15
