"""Votes and comparisons through the API: idempotent writes, field errors, 403 and 404."""

import pytest
from rest_framework.test import APIClient

from puente.dialogues.models import Comparison, Dialogue, Phase, Statement, Vote, VoteChange
from puente.partnerships.models import Partnership
from tests.api.conftest import assert_error, token_client
from tests.dialogues.factories import (
    DialogueFactory,
    ParticipationFactory,
    StatementFactory,
    VoteFactory,
)
from tests.partnerships.factories import PartnershipFactory

DIALOGUE_URL = "/api/v1/partnerships/eu-lac-digital-alliance/dialogues/shared-priorities/"


def vote_url(statement: Statement) -> str:
    return f"/api/v1/statements/{statement.pk}/vote/"


@pytest.fixture
def dialogue(world) -> Dialogue:
    return DialogueFactory(
        partnership=world.partnership,
        slug="shared-priorities",
        participation=Dialogue.Audience.SIGNED_IN,
    )


@pytest.fixture
def voter(world, dialogue) -> APIClient:
    ParticipationFactory(dialogue=dialogue, person=world.people["member"])
    client: APIClient = world.client("member")
    return client


def _phase(dialogue: Dialogue, phase: Phase) -> None:
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=phase)


class TestStatementVote:
    def test_put_votes_and_is_idempotent(self, world, dialogue, voter):
        statement = StatementFactory(dialogue=dialogue)

        first = voter.put(vote_url(statement), {"choice": 1}, format="json")
        again = voter.put(vote_url(statement), {"choice": 1}, format="json")

        assert first.status_code == again.status_code == 200
        assert first.json()["choice"] == again.json()["choice"] == 1
        assert first.json()["statement"] == {
            "id": statement.pk,
            "text": statement.text,
            "kind": "proposal",
        }
        assert Vote.objects.count() == 1
        assert VoteChange.objects.count() == 1

    def test_get_shows_my_vote_and_its_history(self, world, dialogue, voter):
        statement = StatementFactory(dialogue=dialogue)
        assert voter.get(vote_url(statement)).json()["choice"] is None

        for choice in (1, -1, 0):
            voter.put(vote_url(statement), {"choice": choice}, format="json")
        body = voter.get(vote_url(statement)).json()

        assert body["choice"] == 0
        assert [change["choice"] for change in body["history"]] == [1, -1, 0]

    @pytest.mark.parametrize("given", [{}, {"choice": 2}, {"choice": "agree"}, {"choice": None}])
    def test_bad_choices_are_400_naming_choice(self, world, dialogue, voter, given):
        statement = StatementFactory(dialogue=dialogue)
        assert_error(voter.put(vote_url(statement), given, format="json"), 400, "choice")
        assert not Vote.objects.exists()

    def test_without_a_participation_it_is_400_naming_participation(self, world, dialogue):
        statement = StatementFactory(dialogue=dialogue)
        response = world.client("stranger").put(vote_url(statement), {"choice": 1}, format="json")
        assert_error(response, 400, "participation")

    def test_a_closed_dialogue_is_403(self, world, dialogue, voter):
        statement = StatementFactory(dialogue=dialogue)
        _phase(dialogue, Phase.CLOSED)
        assert_error(voter.put(vote_url(statement), {"choice": 1}, format="json"), 403)
        assert not Vote.objects.exists()

    def test_people_outside_a_members_dialogue_get_403(self, world):
        members = DialogueFactory(partnership=world.partnership, slug="members-only")
        statement = StatementFactory(dialogue=members)
        response = world.client("stranger").put(vote_url(statement), {"choice": 1}, format="json")
        assert_error(response, 403)

    def test_an_invisible_dialogue_or_hidden_statement_is_404(self, world):
        partnership = PartnershipFactory(
            slug="copernicus-lac", visibility=Partnership.Visibility.MEMBERS
        )
        secret = StatementFactory(dialogue=DialogueFactory(partnership=partnership))
        hidden = StatementFactory(status=Statement.Status.HIDDEN)
        client = world.client("stranger")
        for statement in (secret, hidden):
            assert_error(client.get(vote_url(statement)), 404)
            assert_error(client.put(vote_url(statement), {"choice": 1}, format="json"), 404)
        assert_error(client.get("/api/v1/statements/999999/vote/"), 404)

    def test_visitors_get_401(self, dialogue):
        statement = StatementFactory(dialogue=dialogue)
        assert_error(APIClient().put(vote_url(statement), {"choice": 1}, format="json"), 401)

    def test_a_session_needs_the_csrf_token(self, world, dialogue):
        ParticipationFactory(dialogue=dialogue, person=world.people["member"])
        statement = StatementFactory(dialogue=dialogue)
        client = world.client("member", auth="session")
        assert client.put(vote_url(statement), {"choice": -1}, format="json").status_code == 200


class TestMyVotes:
    def test_lists_only_my_votes_paginated_within_a_query_budget(
        self, world, dialogue, voter, django_assert_max_num_queries
    ):
        statements = StatementFactory.create_batch(5, dialogue=dialogue)
        for statement in statements:
            voter.put(vote_url(statement), {"choice": 1}, format="json")
        VoteFactory(statement=statements[0])

        with django_assert_max_num_queries(6):
            response = voter.get(f"{DIALOGUE_URL}votes/mine/")

        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 5
        assert {row["statement"]["id"] for row in body["results"]} == {s.pk for s in statements}

    def test_an_invisible_dialogue_is_404(self, world):
        partnership = PartnershipFactory(
            slug="copernicus-lac", visibility=Partnership.Visibility.MEMBERS
        )
        DialogueFactory(partnership=partnership, slug="satellites")
        response = world.client("stranger").get(
            "/api/v1/partnerships/copernicus-lac/dialogues/satellites/votes/mine/"
        )
        assert_error(response, 404)


class TestPairs:
    def test_next_pair_then_record_the_answer_in_either_order(self, world, dialogue, voter):
        _phase(dialogue, Phase.PRIORITISE)
        StatementFactory.create_batch(3, dialogue=dialogue)

        pair = voter.get(f"{DIALOGUE_URL}pairs/next/").json()
        first, second = pair["first"]["id"], pair["second"]["id"]
        response = voter.post(
            f"{DIALOGUE_URL}comparisons/",
            {"first": first, "second": second, "choice": "first"},
            format="json",
        )

        assert response.status_code == 200
        stored = Comparison.objects.get()
        assert (stored.first_id, stored.second_id) == (min(first, second), max(first, second))
        assert response.json()["choice"] == stored.choice
        winner = stored.first_id if stored.choice == "first" else stored.second_id
        assert winner == first

    def test_no_pair_left_gives_nulls(self, world, dialogue, voter):
        _phase(dialogue, Phase.PRIORITISE)
        StatementFactory(dialogue=dialogue)
        assert voter.get(f"{DIALOGUE_URL}pairs/next/").json() == {"first": None, "second": None}

    @pytest.mark.parametrize(
        ("given", "field"),
        [
            ({"first": 0, "choice": "first"}, "first"),
            ({"choice": "both"}, "choice"),
            ({"second": 999999}, "second"),
            ({"second": "same"}, "second"),
        ],
    )
    def test_bad_answers_are_400_naming_the_field(self, world, dialogue, voter, given, field):
        _phase(dialogue, Phase.PRIORITISE)
        one, two = StatementFactory.create_batch(2, dialogue=dialogue)
        body = {"first": one.pk, "second": two.pk, "choice": "first", **given}
        if body["second"] == "same":
            body["second"] = one.pk
        response = voter.post(f"{DIALOGUE_URL}comparisons/", body, format="json")
        assert_error(response, 400, field)
        assert not Comparison.objects.exists()

    def test_outside_the_prioritise_phase_it_is_403(self, world, dialogue, voter):
        one, two = StatementFactory.create_batch(2, dialogue=dialogue)
        assert_error(voter.get(f"{DIALOGUE_URL}pairs/next/"), 403)
        response = voter.post(
            f"{DIALOGUE_URL}comparisons/",
            {"first": one.pk, "second": two.pk, "choice": "first"},
            format="json",
        )
        assert_error(response, 403)


def test_a_token_client_votes_end_to_end(world, dialogue):
    person = world.people["stranger"]
    client = token_client(person)
    statement = StatementFactory(dialogue=dialogue)
    assert (
        client.put(
            f"{DIALOGUE_URL}participation/", {"organisation": None}, format="json"
        ).status_code
        == 200
    )
    assert client.put(vote_url(statement), {"choice": "-1"}, format="json").json()["choice"] == -1
