"""The results API: the latest snapshot for whoever may see results, a refresh for facilitators."""

from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs installed
import pytest
from rest_framework.test import APIClient

from puente.dialogues.models import Dialogue, Phase, ResultSnapshot, VoteChange
from puente.dialogues.services import results_refresh
from puente.partnerships.models import Partnership
from tests.accounts.factories import UserFactory
from tests.api.conftest import assert_error
from tests.dialogues.factories import (
    DialogueFactory,
    ParticipationFactory,
    StatementFactory,
    VoteFactory,
)
from tests.partnerships.factories import PartnershipFactory

ROLES = ["visitor", "stranger", "member", "org_admin", "facilitator", "platform_admin"]


def results_url(dialogue: Dialogue, suffix: str = "") -> str:
    return (
        f"/api/v1/partnerships/{dialogue.partnership.slug}/dialogues/{dialogue.slug}/"
        f"results/{suffix}"
    )


def _fill(dialogue: Dialogue, n_people: int = 5) -> None:
    statements = [StatementFactory(dialogue=dialogue) for _ in range(3)]
    for index in range(n_people):
        person = UserFactory()
        ParticipationFactory(dialogue=dialogue, person=person, region=["EU", "LAC"][index % 2])
        for position, statement in enumerate(statements):
            choice = [1, -1, 0][(index + position) % 3]
            VoteFactory(statement=statement, participant=person, choice=choice)
            VoteChange.objects.create(
                dialogue=dialogue, statement=statement, participant=person, choice=choice
            )


@pytest.fixture
def dialogue(world) -> Dialogue:
    return DialogueFactory(partnership=world.partnership, slug="priorities", phase=Phase.DELIBERATE)


@pytest.fixture
def schema(db) -> dict[str, Any]:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    body: dict[str, Any] = response.json()
    return body


def _nullable_as_json_schema(node: Any) -> Any:
    """Turn OpenAPI 3.0's nullable into JSON Schema's null type, which jsonschema checks."""
    if isinstance(node, list):
        return [_nullable_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _nullable_as_json_schema(value) for key, value in node.items()}
    if converted.pop("nullable", False):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def _validate(schema: dict[str, Any], body: dict[str, Any]) -> None:
    components = _nullable_as_json_schema(schema["components"])
    declared = components["schemas"]["DialogueSnapshot"]
    jsonschema.validate(body, {**declared, "components": components})


@pytest.mark.parametrize("role", ROLES)
def test_everyone_who_reads_the_dialogue_reads_its_results(world, dialogue, role, schema):
    _fill(dialogue)
    results_refresh(dialogue=dialogue)
    response = world.client(role).get(results_url(dialogue))
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "ready"
    assert body["n_votes"] == 15
    assert body["n_participants"] == 5
    assert body["votes_since"] == 0
    assert body["result"]["participants"] == 5
    assert body["result"] == ResultSnapshot.objects.get(dialogue=dialogue).result
    _validate(schema, body)


@pytest.mark.parametrize(
    ("n_people", "state"), [(0, "no_votes"), (1, "one_participant"), (3, "pending")]
)
def test_without_a_snapshot_the_state_says_why(world, dialogue, n_people, state, schema):
    if n_people:
        _fill(dialogue, n_people)
    body = APIClient().get(results_url(dialogue)).json()
    assert body["state"] == state
    assert body["result"] is None
    _validate(schema, body)
    # Only missing results are asked for (at once in tests); too few voters give none.
    expected = 1 if state == "pending" else 0
    assert ResultSnapshot.objects.filter(dialogue=dialogue).count() == expected


@pytest.mark.parametrize("phase", [Phase.CONTRIBUTE])
def test_results_are_403_before_deliberation(world, dialogue, phase):
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=phase)
    assert_error(APIClient().get(results_url(dialogue)), 403)


@pytest.mark.parametrize("role", ["visitor", "stranger"])
def test_members_only_results_are_404_to_outsiders(world, role):
    partnership = PartnershipFactory(
        slug="copernicus-lac",
        visibility=Partnership.Visibility.MEMBERS,
        organisations=[world.organisation],
    )
    hidden = DialogueFactory(partnership=partnership, slug="satellites", phase=Phase.CLOSED)
    assert_error(world.client(role).get(results_url(hidden)), 404)
    assert world.client("member").get(results_url(hidden)).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("visitor", 401),
        ("stranger", 403),
        ("member", 403),
        ("org_admin", 403),
        ("facilitator", 202),
        ("platform_admin", 202),
    ],
)
def test_only_facilitators_ask_for_a_refresh(world, dialogue, role, status):
    _fill(dialogue)
    response = world.client(role).post(results_url(dialogue, "refresh/"))
    if status == 202:
        assert response.status_code == 202
        assert response.json() == {"scheduled": True}
        assert ResultSnapshot.objects.filter(dialogue=dialogue).count() == 1
    else:
        assert_error(response, status)
        assert not ResultSnapshot.objects.filter(dialogue=dialogue).exists()


def test_refresh_of_an_unknown_dialogue_is_404(world):
    response = world.client("facilitator").post(
        "/api/v1/partnerships/eu-lac-digital-alliance/dialogues/nothing/results/refresh/"
    )
    assert_error(response, 404)
