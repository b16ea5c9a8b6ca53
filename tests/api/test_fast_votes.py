"""The vote hot path (puente/api/fast_votes.py) answers exactly as the DRF view would.

Every case is sent twice on the same data: once with the hot path removed from MIDDLEWARE
(inside a savepoint that is rolled back), once as configured. Status, body, headers and the
rows written must match, and each case also says which path must have answered it, so a
hot path that quietly left everything to the view would fail here.
"""

import copy
import json
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from knox.models import AuthToken
from rest_framework.test import APIClient

from puente.accounts.models import User
from puente.api.fast_votes import FastVoteMiddleware, _read_for
from puente.dialogues.models import Dialogue, Phase, Statement, Vote, VoteChange
from puente.partnerships.models import Partnership
from tests.api.conftest import World, session_client
from tests.dialogues.factories import (
    DialogueFactory,
    DialogueInvitationFactory,
    ParticipationFactory,
    StatementFactory,
    VoteFactory,
)

FAST = "puente.api.fast_votes.FastVoteMiddleware"
# Headers whose value is new on every response.
VOLATILE = {"X-Request-ID", "Date", "Content-Length"}


@dataclass
class Case:
    """A request to send: the client, the statement, the body and how it is encoded."""

    client: APIClient
    statement_id: int
    body: Any = None
    content_type: str = "application/json"
    extra: dict[str, str] | None = None
    query: str = ""
    # Run before each of the two sends: state a request may find left by the one before.
    before: Callable[[], None] | None = None


def _person(world: World, role: str) -> User:
    person = world.people[role]
    assert person is not None
    return person


def _voter(world: World, dialogue: Dialogue, role: str = "member") -> APIClient:
    ParticipationFactory(dialogue=dialogue, person=world.people[role])
    return world.client(role)


def _open(world: World, **fields: Any) -> Dialogue:
    values: dict[str, Any] = {
        "partnership": world.partnership,
        "participation": Dialogue.Audience.SIGNED_IN,
        "phase": Phase.DELIBERATE,
    }
    values.update(fields)
    return DialogueFactory(**values)


def _json(choice: Any = 1) -> dict[str, Any]:
    return {"choice": choice}


def new_vote(world: World) -> Case:
    dialogue = _open(world)
    return Case(_voter(world, dialogue), StatementFactory(dialogue=dialogue).pk, _json(-1))


def same_vote_again(world: World) -> Case:
    dialogue = _open(world)
    client = _voter(world, dialogue)
    statement = StatementFactory(dialogue=dialogue)
    VoteFactory(statement=statement, participant=world.people["member"], choice=1)
    return Case(client, statement.pk, _json(1))


def changed_vote(world: World) -> Case:
    dialogue = _open(world)
    client = _voter(world, dialogue)
    statement = StatementFactory(dialogue=dialogue)
    VoteFactory(statement=statement, participant=world.people["member"], choice=1)
    return Case(client, statement.pk, _json(0))


def members_dialogue_as_member(world: World) -> Case:
    dialogue = _open(world, participation=Dialogue.Audience.MEMBERS)
    return Case(_voter(world, dialogue), StatementFactory(dialogue=dialogue).pk, _json())


def members_only_partnership_as_member(world: World) -> Case:
    world.partnership.visibility = Partnership.Visibility.MEMBERS
    world.partnership.save()
    dialogue = _open(world, participation=Dialogue.Audience.MEMBERS)
    return Case(_voter(world, dialogue), StatementFactory(dialogue=dialogue).pk, _json())


def invited_person(world: World) -> Case:
    dialogue = _open(world, participation=Dialogue.Audience.INVITED)
    DialogueInvitationFactory(dialogue=dialogue, email=_person(world, "stranger").email)
    client = _voter(world, dialogue, "stranger")
    return Case(client, StatementFactory(dialogue=dialogue).pk, _json())


def in_the_prioritise_phase(world: World) -> Case:
    dialogue = _open(world, phase=Phase.PRIORITISE)
    return Case(_voter(world, dialogue), StatementFactory(dialogue=dialogue).pk, _json())


# Left to the view: what the hot path does not take.


def choice_as_text(world: World) -> Case:
    case = new_vote(world)
    case.body = _json("1")
    return case


def form_body(world: World) -> Case:
    case = new_vote(world)
    case.body, case.content_type = "choice=1", "application/x-www-form-urlencoded"
    return case


def with_a_query_string(world: World) -> Case:
    case = new_vote(world)
    case.query = "?format=json"
    return case


def browsable_api(world: World) -> Case:
    case = new_vote(world)
    case.extra = {"HTTP_ACCEPT": "text/html"}
    return case


def by_session(world: World) -> Case:
    dialogue = _open(world)
    ParticipationFactory(dialogue=dialogue, person=world.people["member"])
    client = session_client(world.people["member"])
    return Case(client, StatementFactory(dialogue=dialogue).pk, _json())


def by_session_without_csrf(world: World) -> Case:
    case = by_session(world)
    case.client.credentials()  # drops the X-CSRFToken header
    return case


def bad_choice(world: World) -> Case:
    case = new_vote(world)
    case.body = _json(2)
    return case


def boolean_choice(world: World) -> Case:
    case = new_vote(world)
    case.body = _json(True)
    return case


def no_choice(world: World) -> Case:
    case = new_vote(world)
    case.body = {"vote": 1}
    return case


def not_an_object(world: World) -> Case:
    case = new_vote(world)
    case.body = [1]
    return case


def malformed_json(world: World) -> Case:
    case = new_vote(world)
    case.body = '{"choice": '
    return case


def without_participation(world: World) -> Case:
    dialogue = _open(world)
    return Case(world.client("member"), StatementFactory(dialogue=dialogue).pk, _json())


def closed_dialogue(world: World) -> Case:
    dialogue = _open(world, phase=Phase.CLOSED)
    return Case(_voter(world, dialogue), StatementFactory(dialogue=dialogue).pk, _json())


def closed_by_its_date(world: World) -> Case:
    dialogue = _open(world, closes_at=timezone.now() - timedelta(minutes=1))
    Dialogue.objects.filter(pk=dialogue.pk).update(phase_set_at=timezone.now() - timedelta(days=1))
    return Case(_voter(world, dialogue), StatementFactory(dialogue=dialogue).pk, _json())


def hidden_statement(world: World) -> Case:
    dialogue = _open(world)
    statement = StatementFactory(dialogue=dialogue, status=Statement.Status.HIDDEN)
    return Case(_voter(world, dialogue), statement.pk, _json())


def missing_statement(world: World) -> Case:
    dialogue = _open(world)
    return Case(_voter(world, dialogue), 999_999, _json())


def members_dialogue_as_stranger(world: World) -> Case:
    dialogue = _open(world, participation=Dialogue.Audience.MEMBERS)
    client = _voter(world, dialogue, "stranger")
    return Case(client, StatementFactory(dialogue=dialogue).pk, _json())


def members_only_partnership_as_stranger(world: World) -> Case:
    world.partnership.visibility = Partnership.Visibility.MEMBERS
    world.partnership.save()
    dialogue = _open(world)
    client = _voter(world, dialogue, "stranger")
    return Case(client, StatementFactory(dialogue=dialogue).pk, _json())


def invitation_withdrawn(world: World) -> Case:
    dialogue = _open(world, participation=Dialogue.Audience.INVITED)
    client = _voter(world, dialogue, "stranger")
    return Case(client, StatementFactory(dialogue=dialogue).pk, _json())


def inactive_person(world: World) -> Case:
    case = new_vote(world)
    person = _person(world, "member")
    person.is_active = False
    person.save()
    return case


def expired_token(world: World) -> Case:
    case = new_vote(world)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    return case


def wrong_token(world: World) -> Case:
    case = new_vote(world)
    _token, key = AuthToken.objects.create(user=_person(world, "member"))
    forged = key[:-1] + ("a" if key[-1] != "a" else "b")
    case.client.credentials(HTTP_AUTHORIZATION=f"Token {forged}")
    return case


def no_credentials(world: World) -> Case:
    case = new_vote(world)
    case.client.credentials()
    return case


def in_spanish(world: World) -> Case:
    case = new_vote(world)
    case.extra = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}
    return case


def with_a_language_cookie(world: World) -> Case:
    case = new_vote(world)
    case.client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "fr"
    case.extra = {"HTTP_ACCEPT_LANGUAGE": "es"}
    return case


def person_with_a_language_and_a_time_zone(world: World) -> Case:
    case = new_vote(world)
    User.objects.filter(pk=_person(world, "member").pk).update(
        preferred_language="pt", time_zone="America/Sao_Paulo"
    )
    return case


def person_whose_language_cookie_is_set(world: World) -> Case:
    case = person_with_a_language_and_a_time_zone(world)
    case.client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "pt"
    return case


def after_a_request_in_another_time_zone(world: World) -> Case:
    case = new_vote(world)
    # A server thread keeps what the request before it activated.
    case.before = lambda: timezone.activate(zoneinfo.ZoneInfo("Asia/Tokyo"))
    return case


def in_a_language_left_active(world: World) -> Case:
    case = new_vote(world)
    case.before = lambda: translation.activate("fr")
    return case


ANSWERED_HERE = [
    new_vote,
    in_spanish,
    with_a_language_cookie,
    person_with_a_language_and_a_time_zone,
    person_whose_language_cookie_is_set,
    after_a_request_in_another_time_zone,
    in_a_language_left_active,
    same_vote_again,
    changed_vote,
    members_dialogue_as_member,
    members_only_partnership_as_member,
    invited_person,
    in_the_prioritise_phase,
]
LEFT_TO_THE_VIEW = [
    choice_as_text,
    form_body,
    with_a_query_string,
    browsable_api,
    by_session,
    by_session_without_csrf,
    bad_choice,
    boolean_choice,
    no_choice,
    not_an_object,
    malformed_json,
    without_participation,
    closed_dialogue,
    closed_by_its_date,
    hidden_statement,
    missing_statement,
    members_dialogue_as_stranger,
    members_only_partnership_as_stranger,
    invitation_withdrawn,
    inactive_person,
    expired_token,
    wrong_token,
    no_credentials,
]


def _send(case: Case) -> Any:
    if case.before is not None:
        case.before()
    url = f"/api/v1/statements/{case.statement_id}/vote/{case.query}"
    body = case.body
    if case.content_type == "application/json" and not isinstance(body, str):
        body = json.dumps(body)
    extra: dict[str, Any] = case.extra or {}
    return case.client.put(url, body, content_type=case.content_type, **extra)


def _rows() -> dict[str, Any]:
    return {
        "votes": sorted(Vote.objects.values_list("participant", "statement", "choice")),
        "history": sorted(VoteChange.objects.values_list("participant", "statement", "choice")),
        "tokens": AuthToken.objects.count(),
    }


def _outcome(response: Any) -> dict[str, Any]:
    body = response.json() if response["Content-Type"] == "application/json" else None
    if isinstance(body, dict) and "updated_at" in body:
        # A time, different on each run: keep its zone (Z, or an offset such as -03:00).
        updated_at = body.pop("updated_at")
        body["updated_at_zone"] = "Z" if updated_at.endswith("Z") else updated_at[-6:]
    headers = {name: value for name, value in response.headers.items() if name not in VOLATILE}
    cookies = {
        # A new CSRF token each time; the expiry date moves with the clock (Max-Age stays).
        name: (
            "(random)" if name == django_settings.CSRF_COOKIE_NAME else morsel.value,
            # As text: a cookie read back from a Set-Cookie header has only text.
            {key: str(value) for key, value in morsel.items() if key != "expires"},
        )
        for name, morsel in response.cookies.items()
    }
    return {"status": response.status_code, "body": body, "headers": headers, "cookies": cookies}


def _answered_here(queries: CaptureQueriesContext) -> bool:
    """Whether the hot path's read ran and knox's own token query did not."""
    read = _read_for(connection.vendor).sql
    sql = [query["sql"] for query in queries.captured_queries]
    # knox's ORM query names its columns by table: "knox_authtoken"."digest".
    knox_query = any("knox_authtoken" + '"."digest"' in statement for statement in sql)
    return any(statement.startswith(read.split(" WHERE ")[0]) for statement in sql) and not (
        knox_query
    )


def _view_outcome(case: Case, settings: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """Send the case to the DRF view alone, in a savepoint rolled back after it.

    Returns the view's outcome, the rows it left and the cookies the case went with, so
    that a second send goes with those and not with the ones the first was given. The hot
    path is out of MIDDLEWARE for that one request, and back afterwards.
    """
    configured = list(django_settings.MIDDLEWARE)
    assert FAST in configured
    cookies = copy.deepcopy(case.client.cookies)
    with transaction.atomic():
        settings.MIDDLEWARE = [name for name in configured if name != FAST]
        case.client.handler.load_middleware()
        expected = _outcome(_send(case))
        expected_rows = _rows()
        transaction.set_rollback(True)
    settings.MIDDLEWARE = configured
    case.client.handler.load_middleware()
    return expected, expected_rows, cookies


def _compare(world: World, make: Callable[[World], Case], settings: Any) -> bool:
    case = make(world)
    expected, expected_rows, cookies = _view_outcome(case, settings)
    case.client.cookies = cookies
    with CaptureQueriesContext(connection) as queries:
        actual = _outcome(_send(case))
    assert actual == expected
    assert _rows() == expected_rows
    return _answered_here(queries)


@pytest.mark.parametrize("make", ANSWERED_HERE, ids=lambda make: make.__name__)
def test_the_hot_path_answers_as_the_view_would(world, make, settings):
    assert _compare(world, make, settings)


@pytest.mark.parametrize("make", LEFT_TO_THE_VIEW, ids=lambda make: make.__name__)
def test_what_the_hot_path_leaves_to_the_view_is_answered_as_before(world, make, settings):
    assert not _compare(world, make, settings)


def test_a_vote_through_the_hot_path_is_counted_by_the_rate_limit(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "600/min", "user": "2/min"},
    }
    cache.clear()
    case = new_vote(world)
    dialogue = Statement.objects.get(pk=case.statement_id).dialogue
    statements = [case.statement_id, *(StatementFactory(dialogue=dialogue).pk for _ in range(2))]
    statuses = [
        _send(Case(case.client, statement, _json())).status_code for statement in statements
    ]
    assert statuses == [200, 200, 429]
    assert Vote.objects.count() == 2


def test_the_hot_path_keeps_one_vote_and_one_history_row_per_change(world):
    case = new_vote(world)
    for choice in (1, 1, -1, -1, 0):
        assert _send(Case(case.client, case.statement_id, _json(choice))).status_code == 200
    assert list(Vote.objects.values_list("choice", flat=True)) == [0]
    assert list(VoteChange.objects.values_list("choice", flat=True)) == [1, -1, 0]


def test_the_hot_path_answers_with_the_request_id_it_was_given_or_a_new_one(world):
    case = new_vote(world)
    given = _send(
        Case(case.client, case.statement_id, _json(), extra={"HTTP_X_REQUEST_ID": "abc-1"})
    )
    assert given.status_code == 200
    assert given["X-Request-ID"] == "abc-1"
    made = _send(
        Case(case.client, case.statement_id, _json(-1), extra={"HTTP_X_REQUEST_ID": "a b"})
    )
    assert made.status_code == 200
    assert re.fullmatch("[0-9a-f]{32}", made["X-Request-ID"])


def test_the_hot_path_follows_a_changed_security_policy(world, settings, monkeypatch):
    assert _compare(world, new_vote, settings)  # the policy of the first answer is kept
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    answered_here: list[bool] = []
    answer_of = FastVoteMiddleware._answer

    def counted_answer(*given: Any) -> Any:
        answered_here.append(True)
        return answer_of(*given)

    monkeypatch.setattr(FastVoteMiddleware, "_answer", staticmethod(counted_answer))
    answer = _send(new_vote(world))
    assert answered_here == [True]
    assert answer.status_code == 200
    assert answer["Content-Security-Policy"] == "default-src 'none'"


def test_the_middleware_after_the_hot_path_are_those_its_answer_accounts_for():
    # FastVoteMiddleware._finish adds what these add to an answer; the others, before it,
    # see every vote. A middleware added below it is skipped for votes: decide what it
    # would add to the answer, add that to _finish, then to this list.
    configured = list(django_settings.MIDDLEWARE)
    assert configured[0] == FAST
    assert configured[configured.index(FAST) + 1 :] == [
        "puente.core.middleware.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "csp.middleware.CSPMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "puente.core.middleware.PrivacyHeadersMiddleware",
        "puente.accounts.middleware.PreferencesMiddleware",
        "puente.accounts.middleware.StaffMfaMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "allauth.account.middleware.AccountMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
    ]


def test_the_hot_path_activates_the_language_each_vote_asks_for(world):
    case = new_vote(world)
    asked = [
        ({"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}, None, "es"),
        ({}, None, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "es"}, "fr", "fr"),
        ({"HTTP_ACCEPT_LANGUAGE": "es"}, None, "es"),
        ({"HTTP_ACCEPT_LANGUAGE": "pt-BR"}, None, "pt-br"),
        ({"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}, None, "es"),
        ({"HTTP_ACCEPT_LANGUAGE": "es"}, "fr", "fr"),
        ({"HTTP_ACCEPT_LANGUAGE": "xx"}, None, "en"),
    ]
    given = []
    for number, (extra, cookie, _) in enumerate(asked):
        case.client.cookies.pop(django_settings.LANGUAGE_COOKIE_NAME, None)
        if cookie is not None:
            case.client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = cookie
        answer = _send(
            Case(case.client, case.statement_id, _json([1, -1, 0][number % 3]), extra=extra)
        )
        assert answer.status_code == 200
        given.append(answer["Content-Language"])
        # Casting the vote leaves that language active, as LocaleMiddleware would.
        assert translation.get_language() == given[-1]
    assert given == [language for _, _, language in asked]


def test_the_languages_remembered_for_votes_stay_few_whatever_clients_send(world):
    from puente.api import fast_votes

    case = new_vote(world)
    for number in range(fast_votes._LANGUAGES_KEPT + 20):
        extra = {"HTTP_ACCEPT_LANGUAGE": f"es;q=0.{number % 9 + 1}, x-{number}"}
        answer = _send(
            Case(case.client, case.statement_id, _json([1, -1][number % 2]), extra=extra)
        )
        assert answer.status_code == 200
        assert answer["Content-Language"] == "es"
    assert len(fast_votes._LANGUAGES) <= fast_votes._LANGUAGES_KEPT
