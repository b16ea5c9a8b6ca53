import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from puente.core.choices import Region, StakeholderType, ThemeCode
from puente.core.models import Theme
from puente.stakeholders.models import Membership, Organisation
from tests.accounts.factories import PASSWORD, UserFactory
from tests.api.conftest import ROLES, assert_error, token_client
from tests.core.image_files import gif_named_pdf, huge_png
from tests.core.name_cases import COPIES, INVISIBLE, ORIGINAL
from tests.stakeholders.factories import OrganisationFactory

LIST_URL = "/api/v1/organisations/"


def detail_url(slug: str) -> str:
    return f"/api/v1/organisations/{slug}/"


def png(size: tuple[int, int] = (16, 16), *, noise: bool = False) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    if noise:
        # Random pixels do not compress, so the PNG stays as large as the raw image.
        pixels = random.Random(0).randbytes(size[0] * size[1] * 3)  # noqa: S311  # not a secret
        image = Image.frombytes("RGB", size, pixels)
    else:
        image = Image.new("RGB", size, "navy")
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def valid_body(**changes):
    body = {
        "name": "Red CLARA",
        "acronym": "RedCLARA",
        "stakeholder_type": StakeholderType.ACADEMIA,
        "country": "UY",
        "website": "https://www.redclara.net",
        "description": "Regional research and education network.",
        "themes": [ThemeCode.CONNECTIVITY, ThemeCode.DIGITAL_SKILLS],
    }
    body.update(changes)
    return body


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# Reads


@pytest.mark.django_db
def test_visitors_list_organisations_with_stable_ids_and_slugs():
    organisation = OrganisationFactory(
        name="Agencia de Gobierno Electrónico", themes=[Theme.objects.get(code="e-government")]
    )
    response = APIClient().get(LIST_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == organisation.pk
    assert row["slug"] == organisation.slug
    assert row["country"] == "CL"
    assert row["themes"] == [{"code": "e-government", "name": "E-government and e-services"}]
    assert row["logo"] is None
    assert row["url"] == f"http://testserver/organisations/{organisation.slug}/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=academia", {"uni"}),
        ("type=academia&type=public", {"uni", "ministry"}),
        ("region=EU", {"agency"}),
        ("country=es", {"agency"}),
        ("country=CL&country=ES", {"ministry", "agency"}),
        ("theme=ai", {"uni"}),
        ("verified=true", {"ministry"}),
        ("verified=false", {"uni", "agency"}),
        ("q=satellite", {"agency"}),
        ("q=UNI", {"uni"}),
        ("region=LAC&type=public", {"ministry"}),
    ],
)
def test_filters_narrow_the_list(query, expected):
    OrganisationFactory(
        slug="ministry", name="Ministry", acronym="MIN", is_verified=True, country="CL"
    )
    OrganisationFactory(
        slug="uni",
        name="University",
        acronym="UNI",
        stakeholder_type=StakeholderType.ACADEMIA,
        country="BR",
        themes=[Theme.objects.get(code="ai")],
    )
    OrganisationFactory(
        slug="agency",
        name="Space agency",
        acronym="ESA",
        stakeholder_type=StakeholderType.INTERNATIONAL,
        region=Region.EU,
        country="ES",
        description="Satellite data for everyone.",
    )
    response = APIClient().get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert {row["slug"] for row in response.json()["results"]} == expected


@pytest.mark.django_db
def test_list_orders_by_name_by_default_and_by_created_at_on_request():
    OrganisationFactory(name="Beta", slug="beta")
    OrganisationFactory(name="Alpha", slug="alpha")
    OrganisationFactory(name="Gamma", slug="gamma")
    client = APIClient()
    names = [row["name"] for row in client.get(LIST_URL).json()["results"]]
    assert names == ["Alpha", "Beta", "Gamma"]
    newest = [
        row["name"] for row in client.get(f"{LIST_URL}?ordering=-created_at").json()["results"]
    ]
    assert newest == ["Gamma", "Alpha", "Beta"]
    reverse = [row["name"] for row in client.get(f"{LIST_URL}?ordering=-name").json()["results"]]
    assert reverse == ["Gamma", "Beta", "Alpha"]


@pytest.mark.django_db
def test_list_is_paginated():
    OrganisationFactory.create_batch(7)
    body = APIClient().get(f"{LIST_URL}?page_size=3&page=2").json()
    assert body["count"] == 7
    assert len(body["results"]) == 3
    assert body["next"]
    assert body["previous"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("type=nonsense", "type"),
        ("region=MARS", "region"),
        ("country=ZZ", "country"),
        ("theme=cooking", "theme"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_filters_answer_400_naming_the_parameter(query, field):
    assert_error(APIClient().get(f"{LIST_URL}?{query}"), 400, field)


@pytest.mark.django_db
def test_a_page_past_the_end_answers_404_json():
    assert_error(APIClient().get(f"{LIST_URL}?page=9"), 404)


@pytest.mark.django_db
@pytest.mark.parametrize("n_rows", [5, 30])
def test_list_costs_a_fixed_number_of_queries(django_assert_max_num_queries, n_rows):
    themes = list(Theme.objects.all()[:3])
    for organisation in OrganisationFactory.create_batch(n_rows):
        organisation.themes.set(themes)
    client = token_client(UserFactory())
    # One more than before translations: they are prefetched for the whole page at once.
    with django_assert_max_num_queries(5):
        response = client.get(f"{LIST_URL}?region=LAC&theme=ai&theme=connectivity")
    assert response.status_code == 200
    with django_assert_max_num_queries(5):
        assert APIClient().get(LIST_URL).status_code == 200


@pytest.mark.django_db
def test_retrieve_by_slug_gives_the_stable_id_and_member_count(world):
    response = APIClient().get(detail_url("eclac"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == world.organisation.pk
    assert body["slug"] == "eclac"
    assert body["n_members"] == 2


@pytest.mark.django_db
def test_retrieve_of_an_unknown_slug_answers_404_json():
    assert_error(APIClient().get(detail_url("nobody")), 404)


# Create


CREATE_STATUS = {
    "visitor": 401,
    "stranger": 201,
    "member": 201,
    "org_admin": 201,
    "facilitator": 201,
    "platform_admin": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_create_permissions(world, role):
    response = world.client(role).post(LIST_URL, valid_body(), format="json")
    assert response.status_code == CREATE_STATUS[role], response.content
    created = Organisation.objects.filter(name="Red CLARA")
    assert created.exists() == (CREATE_STATUS[role] == 201)


@pytest.mark.django_db
def test_creator_becomes_the_first_admin_and_region_follows_the_country():
    person = UserFactory()
    response = token_client(person).post(LIST_URL, valid_body(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "redclara"
    assert body["region"] == Region.LAC
    assert body["n_members"] == 1
    assert [theme["code"] for theme in body["themes"]] == ["connectivity", "digital-skills"]
    membership = Membership.objects.get(organisation__slug="redclara")
    assert membership.person == person
    assert membership.role == Membership.Role.ADMIN
    assert membership.status == Membership.Status.ACTIVE


@pytest.mark.django_db
def test_create_through_a_session_needs_the_csrf_token():
    person = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(email=person.email, password=PASSWORD)
    assert_error(client.post(LIST_URL, valid_body(), format="json"), 403)
    assert not Organisation.objects.exists()
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    response = client.post(LIST_URL, valid_body(), format="json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_create_with_a_logo_upload_exposes_the_logo_url(media):
    response = token_client(UserFactory()).post(
        LIST_URL, {**valid_body(themes=["ai"]), "logo": png()}, format="multipart"
    )
    assert response.status_code == 201, response.content
    logo = response.json()["logo"]
    assert logo.startswith("http://testserver/media/logos/")
    assert any(media.joinpath("logos").iterdir())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": ["a", "list"]}, "name"),
        ({"acronym": "x" * 31}, "acronym"),
        ({"stakeholder_type": "guild"}, "stakeholder_type"),
        ({"stakeholder_type": 3}, "stakeholder_type"),
        ({"country": "ZZ"}, "country"),
        ({"country": ["UY"]}, "country"),
        ({"country": {"code": "UY"}}, "country"),
        ({"region": "MARS"}, "region"),
        ({"website": "not a url"}, "website"),
        ({"website": "https://example.org/" + "x" * 300}, "website"),
        ({"description": "x" * 5001}, "description"),
        ({"themes": ["connectivity", "cooking"]}, "themes[1]"),
        ({"themes": "ai"}, "themes"),
        ({"themes": [["ai"]]}, "themes[0]"),
        ({"logo": "not-a-file"}, "logo"),
    ],
)
def test_create_refuses_bad_input_naming_the_field_and_writes_nothing(changes, field):
    person = UserFactory()
    response = token_client(person).post(LIST_URL, valid_body(**changes), format="json")
    assert_error(response, 400, field)
    assert Organisation.objects.count() == 0
    assert Membership.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["name", "stakeholder_type", "country"])
def test_create_requires_name_type_and_country(missing):
    body = valid_body()
    del body[missing]
    assert_error(token_client(UserFactory()).post(LIST_URL, body, format="json"), 400, missing)
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_create_refuses_a_taken_name():
    OrganisationFactory(name="Red CLARA")
    response = token_client(UserFactory()).post(LIST_URL, valid_body(), format="json")
    assert_error(response, 400, "name")
    assert Organisation.objects.count() == 1
    assert Membership.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_logo",
    [
        lambda: SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
        lambda: png((700, 700), noise=True),
    ],
    ids=["not-an-image", "too-large"],
)
def test_create_refuses_bad_logos_naming_the_field(media, make_logo):
    response = token_client(UserFactory()).post(
        LIST_URL, {**valid_body(themes=["ai"]), "logo": make_logo()}, format="multipart"
    )
    assert_error(response, 400, "logo")
    assert Organisation.objects.count() == 0
    assert not media.joinpath("logos").exists() or not any(media.joinpath("logos").iterdir())


@pytest.mark.django_db
def test_create_refuses_non_object_bodies():
    client = token_client(UserFactory())
    assert_error(client.post(LIST_URL, [1, 2], format="json"), 400)
    response = client.post(LIST_URL, "{not json", content_type="application/json")
    assert_error(response, 400)
    assert Organisation.objects.count() == 0


# Update


UPDATE_STATUS = {
    "visitor": 401,
    "stranger": 403,
    "member": 403,
    "org_admin": 200,
    "facilitator": 403,
    "platform_admin": 200,
}


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("role", ROLES)
def test_update_permissions(world, role, auth):
    response = world.client(role, auth).patch(
        detail_url("eclac"), {"description": "Changed."}, format="json"
    )
    assert response.status_code == UPDATE_STATUS[role], response.content
    world.organisation.refresh_from_db()
    assert (world.organisation.description == "Changed.") == (UPDATE_STATUS[role] == 200)


@pytest.mark.parametrize("role", ["stranger", "member"])
def test_update_of_other_peoples_organisation_is_403_even_with_bad_input(world, role):
    response = world.client(role).patch(detail_url("eclac"), {"name": ""}, format="json")
    assert_error(response, 403)


def test_put_replaces_the_profile(world):
    world.organisation.themes.set(Theme.objects.filter(code="ai"))
    client = world.client("org_admin")
    body = {"name": "CEPAL", "stakeholder_type": StakeholderType.INTERNATIONAL, "country": "CL"}
    response = client.put(detail_url("eclac"), body, format="json")
    assert response.status_code == 200, response.content
    world.organisation.refresh_from_db()
    assert world.organisation.name == "CEPAL"
    assert world.organisation.acronym == ""
    assert world.organisation.description == ""
    assert world.organisation.region == Region.LAC
    assert not world.organisation.themes.exists()
    assert response.json()["slug"] == "eclac"


def test_put_requires_the_required_fields(world):
    response = world.client("org_admin").put(detail_url("eclac"), {"name": "X"}, format="json")
    assert_error(response, 400, "stakeholder_type")


def test_patch_of_the_country_alone_moves_the_region(world):
    response = world.client("org_admin").patch(
        detail_url("eclac"), {"country": "pt"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["country"] == "PT"
    assert response.json()["region"] == Region.EU


def test_patch_sets_themes_and_keeps_other_fields(world):
    response = world.client("platform_admin").patch(
        detail_url("eclac"), {"themes": ["ai", "cybersecurity"]}, format="json"
    )
    assert response.status_code == 200
    assert [theme["code"] for theme in response.json()["themes"]] == ["ai", "cybersecurity"]
    world.organisation.refresh_from_db()
    assert world.organisation.name == "ECLAC"


def test_logo_upload_then_removal(world, media):
    client = world.client("org_admin")
    response = client.patch(detail_url("eclac"), {"logo": png()}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["logo"].startswith("http://testserver/media/logos/")
    response = client.patch(detail_url("eclac"), {"logo": None}, format="json")
    assert response.status_code == 200
    assert response.json()["logo"] is None
    world.organisation.refresh_from_db()
    assert not world.organisation.logo


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"country": "ZZ"}, "country"),
        ({"country": 12.5}, "country"),
        ({"stakeholder_type": None}, "stakeholder_type"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"themes": ["nope"]}, "themes[0]"),
        ({"themes": None}, "themes"),
        ({"region": ["EU"]}, "region"),
    ],
)
def test_update_refuses_bad_input_and_changes_nothing(world, changes, field):
    before = Organisation.objects.values().get(pk=world.organisation.pk)
    response = world.client("org_admin").patch(detail_url("eclac"), changes, format="json")
    assert_error(response, 400, field)
    assert Organisation.objects.values().get(pk=world.organisation.pk) == before


def test_update_refuses_another_organisations_name(world):
    OrganisationFactory(name="Taken")
    response = world.client("org_admin").patch(
        detail_url("eclac"), {"name": "Taken"}, format="json"
    )
    assert_error(response, 400, "name")
    world.organisation.refresh_from_db()
    assert world.organisation.name == "ECLAC"


def test_update_of_an_unknown_slug_answers_404(world):
    response = world.client("platform_admin").patch(
        detail_url("nobody"), {"name": "X"}, format="json"
    )
    assert_error(response, 404)


# Verify


VERIFY_STATUS = {
    "visitor": 401,
    "stranger": 403,
    "member": 403,
    "org_admin": 403,
    "facilitator": 403,
    "platform_admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_verify_permissions(world, role):
    response = world.client(role).post(
        f"{detail_url('eclac')}verify/", {"is_verified": True}, format="json"
    )
    assert response.status_code == VERIFY_STATUS[role], response.content
    world.organisation.refresh_from_db()
    assert world.organisation.is_verified == (VERIFY_STATUS[role] == 200)


def test_verification_can_be_withdrawn(world):
    world.organisation.is_verified = True
    world.organisation.save()
    response = world.client("platform_admin").post(
        f"{detail_url('eclac')}verify/", {"is_verified": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["is_verified"] is False


@pytest.mark.parametrize("body", [{}, {"is_verified": "maybe"}, {"is_verified": [True]}])
def test_verify_refuses_bad_input(world, body):
    response = world.client("platform_admin").post(
        f"{detail_url('eclac')}verify/", body, format="json"
    )
    assert_error(response, 400, "is_verified")
    world.organisation.refresh_from_db()
    assert world.organisation.is_verified is False


def test_verify_of_an_unknown_slug_answers_404(world):
    response = world.client("platform_admin").post(
        f"{detail_url('nobody')}verify/", {"is_verified": True}, format="json"
    )
    assert_error(response, 404)


@pytest.mark.django_db
def test_create_refuses_a_144_megapixel_logo_naming_the_field(media):
    response = token_client(UserFactory()).post(
        LIST_URL, {**valid_body(themes=["ai"]), "logo": huge_png()}, format="multipart"
    )
    assert_error(response, 400, "logo")
    assert "megapixels" in response.content.decode()
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_gif_named_pdf_is_stored_as_png_and_served_as_image_png(media):
    response = token_client(UserFactory()).post(
        LIST_URL, {**valid_body(themes=["ai"]), "logo": gif_named_pdf()}, format="multipart"
    )
    assert response.status_code == 201, response.content
    url = response.json()["logo"]
    assert url.endswith(".png")
    served = APIClient().get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("copy", [*COPIES, *INVISIBLE])
def test_create_refuses_copies_of_a_verified_name_naming_the_field(copy):
    OrganisationFactory(name=ORIGINAL, is_verified=True)
    response = token_client(UserFactory()).post(LIST_URL, valid_body(name=copy), format="json")
    assert_error(response, 400, "name")
    assert Organisation.objects.count() == 1
