"""The agenda API: the same role table as the pages, field errors, query budgets."""

import pytest

from puente.agenda.models import AgendaItem, AgendaVersion, Endorsement
from puente.agenda.services import agenda_draft_create, agenda_publish, endorsement_create
from tests.agenda.conftest import ROLES
from tests.api.conftest import assert_error, token_client

pytestmark = pytest.mark.django_db

API = "/api/v1/partnerships/eu-lac-digital-alliance/dialogues/shared-priorities/agenda/"
MANAGERS = {"facilitator", "admin"}


def _client(aw, role):
    return token_client(aw.person(role))


def _published(aw):
    facilitator = aw.person("facilitator")
    return agenda_publish(
        actor=facilitator,
        version=agenda_draft_create(actor=facilitator, dialogue=aw.dialogue, n_items=3),
    )


@pytest.mark.parametrize("role", ROLES)
def test_reads_and_writes_follow_the_table(agenda_world, role):
    version = _published(agenda_world)
    client = _client(agenda_world, role)
    assert client.get(f"{API}versions/").status_code == 200
    assert client.get(f"{API}versions/1/").status_code == 200

    response = client.post(f"{API}draft/", {"n_items": 2}, format="json")
    expected = 201 if role in MANAGERS else 401 if role == "visitor" else 403
    assert response.status_code == expected
    draft_status = client.get(f"{API}draft/").status_code
    has_draft = AgendaVersion.objects.filter(status="draft").exists()
    assert draft_status == (200 if role in MANAGERS and has_draft else 404)

    response = client.post(
        f"{API}versions/1/endorsements/",
        {"organisation": agenda_world.world.organisation.slug},
        format="json",
    )
    expected = 201 if role == "org_admin" else 401 if role == "visitor" else 403
    assert response.status_code == expected
    assert Endorsement.objects.filter(version=version).count() == (role == "org_admin")


def test_a_facilitator_drafts_edits_and_publishes_through_the_api(agenda_world):
    client = _client(agenda_world, "facilitator")
    draft = client.post(
        f"{API}draft/", {"ranking_method": "group-consensus", "n_items": 3}, format="json"
    ).json()
    assert [item["position"] for item in draft["items"]] == [1, 2, 3]
    assert "by_grouping" in draft["items"][0]["evidence"]

    added = client.post(
        f"{API}draft/items/",
        {
            "text": {"en": "Shared cyber drills", "es": "Simulacros cibernéticos"},
            "original_language": "en",
            "theme": {"en": "Cybersecurity"},
            "statements": [agenda_world.statements[3].pk],
        },
        format="json",
    )
    assert added.status_code == 201
    item_id = added.json()["id"]

    moved = client.patch(f"{API}draft/items/{item_id}/", {"position": 1}, format="json")
    assert moved.status_code == 200
    assert moved.json()["position"] == 1
    changed = client.patch(
        f"{API}draft/items/{item_id}/", {"text": {"en": "Joint cyber drills"}}, format="json"
    )
    assert changed.json()["text"] == {"en": "Joint cyber drills"}
    assert changed.json()["statements"][0]["id"] == agenda_world.statements[3].pk

    last = AgendaItem.objects.get(version__status="draft", position=4)
    assert client.delete(f"{API}draft/items/{last.pk}/").status_code == 204

    published = client.post(f"{API}draft/publish/", {"note": "Cartagena"}, format="json")
    assert published.status_code == 201
    body = published.json()
    assert (body["number"], body["status"], body["note"]) == (1, "published", "Cartagena")
    assert body["items"][0]["text"] == {"en": "Joint cyber drills"}
    # Published: the draft is gone and nothing can change it.
    assert client.get(f"{API}draft/").status_code == 404
    assert client.post(f"{API}draft/publish/", {}, format="json").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": {"en": "x"}}, "original_language"),
        ({"text": {"xx": "x"}, "original_language": "en"}, "text"),
        ({"text": {"es": "solo"}, "original_language": "en"}, "text"),
        ({"text": {"en": "x" * 1001}, "original_language": "en"}, "text.en"),
        ({"text": {"en": "x"}, "original_language": "en", "statements": [999999]}, "statements"),
        ({"text": "plain", "original_language": "en"}, "text"),
    ],
)
def test_bad_items_name_the_field_and_write_nothing(agenda_world, body, field):
    facilitator = agenda_world.person("facilitator")
    agenda_draft_create(actor=facilitator, dialogue=agenda_world.dialogue, n_items=1)
    response = _client(agenda_world, "facilitator").post(f"{API}draft/items/", body, format="json")
    assert_error(response, 400, field=field)
    assert AgendaItem.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [({"ranking_method": "loudest"}, "ranking_method"), ({"n_items": 0}, "n_items")],
)
def test_bad_draft_input_names_the_field(agenda_world, body, field):
    response = _client(agenda_world, "facilitator").post(f"{API}draft/", body, format="json")
    assert_error(response, 400, field=field)


def test_a_second_endorsement_is_a_field_error_and_withdrawing_works(agenda_world):
    _published(agenda_world)
    client = _client(agenda_world, "org_admin")
    slug = agenda_world.world.organisation.slug
    first = client.post(f"{API}versions/1/endorsements/", {"organisation": slug}, format="json")
    assert first.status_code == 201
    again = client.post(f"{API}versions/1/endorsements/", {"organisation": slug}, format="json")
    assert_error(again, 400, field="organisation")
    endorsement_id = first.json()["id"]
    assert (
        _client(agenda_world, "member")
        .post(f"{API}versions/1/endorsements/{endorsement_id}/withdraw/")
        .status_code
        == 403
    )
    withdrawn = client.post(f"{API}versions/1/endorsements/{endorsement_id}/withdraw/")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn_at"]
    assert client.get(f"{API}versions/1/endorsements/").json()["count"] == 0


def test_members_only_agendas_are_404_to_outsiders(agenda_world):
    hidden = "/api/v1/partnerships/copernicus-lac/dialogues/hidden-satellites/agenda/versions/"
    assert token_client(None).get(hidden).status_code == 404
    assert _client(agenda_world, "outsider").get(hidden).status_code == 404


def test_lists_stay_within_a_query_budget(agenda_world, django_assert_max_num_queries):
    version = _published(agenda_world)
    for organisation_role in ["org_admin"]:
        endorsement_create(
            actor=agenda_world.person(organisation_role),
            version=version,
            organisation=agenda_world.world.organisation,
        )
    client = token_client(None)
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}versions/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}versions/1/endorsements/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"{API}versions/1/").status_code == 200


def test_ids_beyond_the_database_range_are_field_errors_or_404(agenda_world):
    facilitator = agenda_world.person("facilitator")
    agenda_draft_create(actor=facilitator, dialogue=agenda_world.dialogue, n_items=1)
    client = _client(agenda_world, "facilitator")
    big = 2**70
    response = client.post(
        f"{API}draft/items/",
        {"text": {"en": "x"}, "original_language": "en", "statements": [big]},
        format="json",
    )
    assert_error(response, 400, field="statements[0]")
    assert client.get(f"{API}versions/{big}/").status_code == 404
    assert client.patch(f"{API}draft/items/{big}/", {}, format="json").status_code == 404
