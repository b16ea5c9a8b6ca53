from dataclasses import dataclass

import pytest
from django.urls import reverse

from puente.api import urls as api_urls
from puente.api.parsers import MAX_DEPTH
from puente.dialogues.models import Dialogue
from puente.initiatives.models import Document, Initiative
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Membership
from tests.api.conftest import World, assert_error
from tests.dialogues.factories import (
    CommentFactory,
    DialogueFactory,
    DialogueInvitationFactory,
    FlagFactory,
    StatementFactory,
)
from tests.initiatives.factories import (
    BudgetFactory,
    IndicatorPeriodFactory,
    InitiativeFactory,
    MilestoneFactory,
    PlaceFactory,
    PledgeFactory,
    TransactionFactory,
)
from tests.partnerships.factories import FacilitatorInvitationFactory
from tests.stakeholders.factories import InvitationFactory

JSON = "application/json"

MALFORMED: dict[str, tuple[bytes, str]] = {
    "nested lists": (b"[" * 1000 + b"]" * 1000, JSON),
    "nested objects": (b'{"a":' * 1000 + b"1" + b"}" * 1000, JSON),
    "nested past the limit": (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), JSON),
    "invalid utf-8": (b'{"name": "\xff\xfe\xfa"}', JSON),
    "text in another charset": (b'{"name": "x"}', JSON + "; charset=utf-16"),
    "bytes-to-bytes charset": (b'{"name": "x"}', JSON + "; charset=bz2_codec"),
    "float out of range": (b'{"title": 1e999999, "person": 1e999999}', JSON),
    "negative float out of range": (b'{"title": -1e999999}', JSON),
    "100,000-digit integer": (b'{"person": ' + b"7" * 100_000 + b"}", JSON),
    "NaN": (b'{"is_verified": NaN}', JSON),
    "Infinity": (b'{"person": Infinity}', JSON),
    "-Infinity": (b"[-Infinity]", JSON),
    "truncated": (b'{"title": ', JSON),
    "not JSON": (b"<xml/>", JSON),
}
WRONG_TYPE: dict[str, tuple[bytes, str]] = {
    "plain text": (b"hello", "text/plain"),
    "XML": (b"<title>x</title>", "application/xml"),
}


@dataclass(frozen=True)
class Endpoint:
    """An operation, the least-privileged role whose request reaches the body, if any."""

    name: str
    method: str
    reader: str | None
    is_json: bool = True


def _kwargs(world: World, name: str) -> dict[str, object]:
    member = Membership.objects.get(person=world.people["member"], organisation=world.organisation)
    facilitator = world.people["facilitator"]
    assert facilitator is not None
    dialogue = Dialogue.objects.filter(partnership=world.partnership).first() or DialogueFactory(
        partnership=world.partnership, participation=Dialogue.Audience.SIGNED_IN
    )
    by_name: dict[str, dict[str, object]] = {
        "organisation-detail": {"slug": "eclac"},
        "organisation-verify": {"slug": "eclac"},
        "organisation-translation": {"slug": "eclac", "language": "es"},
        "partnership-detail": {"slug": "eu-lac-digital-alliance"},
        "partnership-translation": {"slug": "eu-lac-digital-alliance", "language": "es"},
        "partnership-join-request-list": {"slug": "eu-lac-digital-alliance"},
        **{
            f"partnership-join-request-{action}": {
                "slug": "eu-lac-digital-alliance",
                "join_request_id": 1,
            }
            for action in ("approve", "decline", "withdraw")
        },
        "partnership-member-add": {"slug": "eu-lac-digital-alliance"},
        "partnership-member-remove": {
            "slug": "eu-lac-digital-alliance",
            "organisation_slug": "eclac",
        },
        "partnership-facilitator-invite": {"slug": "eu-lac-digital-alliance"},
        "facilitator-invitation-list": {"slug": "eu-lac-digital-alliance"},
        "facilitator-invitation-revoke": {
            "slug": "eu-lac-digital-alliance",
            "invitation_id": FacilitatorInvitationFactory(
                partnership=Partnership.objects.get(slug="eu-lac-digital-alliance")
            ).pk,
        },
        "partnership-facilitator-remove": {
            "slug": "eu-lac-digital-alliance",
            "person_id": facilitator.pk,
        },
        "dialogue-list": {"slug": "eu-lac-digital-alliance"},
        "dialogue-detail": {"slug": "eu-lac-digital-alliance", "dialogue_slug": dialogue.slug},
        "dialogue-phase-move": {
            "slug": "eu-lac-digital-alliance",
            "dialogue_slug": dialogue.slug,
        },
        "dialogue-participation": {
            "slug": "eu-lac-digital-alliance",
            "dialogue_slug": dialogue.slug,
        },
        "dialogue-my-votes": {"slug": "eu-lac-digital-alliance", "dialogue_slug": dialogue.slug},
        "dialogue-next-pair": {"slug": "eu-lac-digital-alliance", "dialogue_slug": dialogue.slug},
        "dialogue-comparisons": {
            "slug": "eu-lac-digital-alliance",
            "dialogue_slug": dialogue.slug,
        },
        "statement-vote": {"statement_id": StatementFactory(dialogue=dialogue).pk},
        "dialogue-results": {"slug": "eu-lac-digital-alliance", "dialogue_slug": dialogue.slug},
        "dialogue-results-refresh": {
            "slug": "eu-lac-digital-alliance",
            "dialogue_slug": dialogue.slug,
        },
        **{
            name: {
                "slug": "eu-lac-digital-alliance",
                "dialogue_slug": dialogue.slug,
                **extra,
            }
            for name, extra in (
                ("agenda-version-list", {}),
                ("agenda-version-detail", {"number": 1}),
                ("agenda-endorsement-list", {"number": 1}),
                ("agenda-endorsement-withdraw", {"number": 1, "endorsement_id": 1}),
                ("agenda-draft", {}),
                ("agenda-item-create", {}),
                ("agenda-item", {"item_id": 1}),
                ("agenda-publish", {}),
            )
        },
        "dialogue-flag-list": {"slug": "eu-lac-digital-alliance", "dialogue_slug": dialogue.slug},
        "dialogue-flag-resolve": {
            "slug": "eu-lac-digital-alliance",
            "dialogue_slug": dialogue.slug,
            "flag_id": FlagFactory(statement__dialogue=dialogue).pk,
        },
        "dialogue-invitation-list": {
            "slug": "eu-lac-digital-alliance",
            "dialogue_slug": dialogue.slug,
        },
        "dialogue-invitation-detail": {
            "slug": "eu-lac-digital-alliance",
            "dialogue_slug": dialogue.slug,
            "invitation_id": DialogueInvitationFactory(dialogue=dialogue).pk,
        },
        "membership-detail": {"membership_id": member.pk},
        "membership-approve": {"membership_id": member.pk},
        "membership-decline": {"membership_id": member.pk},
        "membership-role": {"membership_id": member.pk},
        "notification-read": {"notification_id": 1},
    }
    if name.startswith(("statement-", "comment-")) and name != "statement-vote":
        statement = StatementFactory(dialogue=dialogue)
        by_name[name] = {
            "slug": "eu-lac-digital-alliance",
            "dialogue_slug": dialogue.slug,
            **({} if name == "statement-list" else {"statement_id": statement.pk}),
            **(
                {"comment_id": CommentFactory(statement=statement).pk}
                if name.startswith("comment-")
                else {}
            ),
            **({"language": "es"} if name == "statement-translation" else {}),
        }
    if (
        name.startswith(("initiative-", "partnership-initiative-", "pledge-"))
        and name != "initiative-list"
    ):
        by_name.update(_initiative_kwargs(world))
    return by_name.get(name, {})


def _initiative_kwargs(world: World) -> dict[str, dict[str, object]]:
    initiative = Initiative.objects.filter(slug="redclara").first() or InitiativeFactory(
        partnership=world.partnership, slug="redclara"
    )
    period = IndicatorPeriodFactory(indicator__result__initiative=initiative)
    at = {"slug": "eu-lac-digital-alliance", "initiative_slug": "redclara"}
    parts = {
        "milestones": MilestoneFactory(initiative=initiative).pk,
        "budgets": BudgetFactory(initiative=initiative).pk,
        "transactions": TransactionFactory(initiative=initiative).pk,
        "documents": Document.objects.create(
            initiative=initiative, title="D", url="https://example.org/", language="en"
        ).pk,
        "results": period.indicator.result_id,
        "indicators": period.indicator_id,
        "periods": period.pk,
    }
    return {
        "partnership-initiative-list": {"slug": "eu-lac-digital-alliance"},
        "pledge-list": {"slug": "eu-lac-digital-alliance"},
        "pledge-detail": {
            "slug": "eu-lac-digital-alliance",
            "pledge_id": PledgeFactory(partnership=world.partnership).pk,
        },
        "initiative-detail": at,
        "initiative-places": at,
        "initiative-place": {**at, "part_id": PlaceFactory(initiative=initiative).pk},
        "initiative-indicators": {**at, "result_id": period.indicator.result_id},
        "initiative-periods": {**at, "indicator_id": period.indicator_id},
        **{f"initiative-{noun}": at for noun in parts if noun not in {"indicators", "periods"}},
        **{f"initiative-{noun}-item": {**at, "part_id": pk} for noun, pk in parts.items()},
    }


# Every operation that may carry a body, with the least-privileged role that reaches it.
ENDPOINTS = [
    Endpoint("root", "POST", None),
    Endpoint("schema", "POST", None, is_json=False),
    Endpoint("docs", "POST", None, is_json=False),
    Endpoint("redoc", "POST", None, is_json=False),
    Endpoint("auth-token", "POST", "visitor"),
    Endpoint("auth-token", "DELETE", None),
    Endpoint("auth-token-session", "POST", None),
    Endpoint("organisation-list", "POST", "stranger"),
    Endpoint("organisation-detail", "PUT", "org_admin"),
    Endpoint("organisation-detail", "PATCH", "org_admin"),
    Endpoint("organisation-verify", "POST", "platform_admin"),
    Endpoint("organisation-translation", "PUT", "org_admin"),
    Endpoint("organisation-translation", "DELETE", None),
    Endpoint("partnership-list", "POST", "platform_admin"),
    Endpoint("partnership-detail", "PUT", "facilitator"),
    Endpoint("partnership-detail", "PATCH", "facilitator"),
    Endpoint("partnership-translation", "PUT", "facilitator"),
    Endpoint("partnership-translation", "DELETE", None),
    Endpoint("partnership-join-request-list", "POST", "org_admin"),
    Endpoint("partnership-join-request-approve", "POST", None),
    Endpoint("partnership-join-request-decline", "POST", None),
    Endpoint("partnership-join-request-withdraw", "POST", None),
    Endpoint("partnership-member-add", "POST", "facilitator"),
    Endpoint("partnership-member-remove", "DELETE", None),
    Endpoint("partnership-facilitator-invite", "POST", "facilitator"),
    Endpoint("facilitator-invitation-list", "POST", None),
    Endpoint("facilitator-invitation-revoke", "DELETE", None),
    Endpoint("facilitator-invitation-accept", "POST", "stranger"),
    Endpoint("facilitator-invitation-decline", "POST", "stranger"),
    Endpoint("partnership-facilitator-remove", "DELETE", None),
    Endpoint("dialogue-list", "POST", "facilitator"),
    Endpoint("dialogue-detail", "PATCH", "facilitator"),
    Endpoint("dialogue-phase-move", "POST", "facilitator"),
    Endpoint("dialogue-participation", "PUT", "stranger"),
    Endpoint("dialogue-my-votes", "POST", None),
    Endpoint("dialogue-next-pair", "POST", None),
    # Pairs are compared in the prioritise phase only; the dialogue here is in contribute.
    Endpoint("dialogue-comparisons", "POST", None),
    Endpoint("statement-vote", "PUT", "stranger"),
    Endpoint("dialogue-results", "POST", None),
    Endpoint("dialogue-results-refresh", "POST", None),
    # The dialogue has no agenda here: these answer 404 before reading a body (the agenda's
    # own tests send them bodies).
    Endpoint("agenda-version-list", "POST", None),
    Endpoint("agenda-version-detail", "POST", None),
    Endpoint("agenda-endorsement-list", "POST", None),
    Endpoint("agenda-endorsement-withdraw", "POST", None),
    Endpoint("agenda-draft", "POST", None),
    Endpoint("agenda-item-create", "POST", None),
    Endpoint("agenda-item", "PATCH", None),
    Endpoint("agenda-publish", "POST", None),
    Endpoint("membership-list", "POST", "stranger"),
    Endpoint("membership-detail", "DELETE", None),
    Endpoint("membership-approve", "POST", None),
    Endpoint("membership-decline", "POST", None),
    Endpoint("membership-role", "POST", "org_admin"),
    Endpoint("invitation-create", "POST", "org_admin"),
    Endpoint("invitation-accept", "POST", "stranger"),
    Endpoint("theme-list", "POST", None),
    Endpoint("initiative-list", "POST", None),
    Endpoint("place-map", "POST", None),
    Endpoint("exchange-rate-list", "POST", None),
    Endpoint("partnership-initiative-list", "POST", "facilitator"),
    Endpoint("pledge-list", "POST", "facilitator"),
    Endpoint("pledge-detail", "PATCH", "facilitator"),
    Endpoint("initiative-detail", "PATCH", "facilitator"),
    Endpoint("initiative-places", "POST", "facilitator"),
    Endpoint("initiative-place", "PATCH", "facilitator"),
    Endpoint("initiative-indicators", "POST", "facilitator"),
    Endpoint("initiative-periods", "POST", "facilitator"),
    *[
        Endpoint(f"initiative-{noun}", "POST", "facilitator")
        for noun in ("milestones", "budgets", "transactions", "documents", "results")
    ],
    *[
        Endpoint(f"initiative-{noun}-item", "PATCH", "facilitator")
        for noun in (
            "milestones",
            "budgets",
            "transactions",
            "documents",
            "results",
            "indicators",
            "periods",
        )
    ],
    Endpoint("country-list", "POST", None),
    Endpoint("statement-list", "POST", "stranger"),
    Endpoint("statement-detail", "PATCH", "facilitator"),
    Endpoint("statement-comments", "POST", "stranger"),
    Endpoint("statement-flag", "POST", "stranger"),
    Endpoint("comment-flag", "POST", "stranger"),
    Endpoint("statement-hide", "POST", "facilitator"),
    Endpoint("statement-restore", "POST", None),
    Endpoint("statement-approve", "POST", None),
    Endpoint("statement-merge", "POST", "facilitator"),
    Endpoint("statement-translation", "PUT", "facilitator"),
    Endpoint("statement-translation", "DELETE", None),
    Endpoint("comment-hide", "POST", "facilitator"),
    Endpoint("comment-restore", "POST", None),
    Endpoint("dialogue-flag-list", "POST", None),
    Endpoint("dialogue-flag-resolve", "POST", None),
    Endpoint("dialogue-invitation-list", "POST", "facilitator"),
    Endpoint("dialogue-invitation-detail", "DELETE", None),
    Endpoint("notification-list", "POST", None),
    Endpoint("notification-read", "POST", None),
    Endpoint("notification-read-all", "POST", None),
    Endpoint("notification-preferences", "PUT", "stranger"),
]
BODY_READERS = [endpoint for endpoint in ENDPOINTS if endpoint.reader is not None]


def _id(endpoint: Endpoint) -> str:
    return f"{endpoint.method} {endpoint.name}"


def _send(world: World, endpoint: Endpoint, role: str, body: bytes, content_type: str):
    url = reverse(f"api:{endpoint.name}", kwargs=_kwargs(world, endpoint.name))
    client = world.client(role)
    # Django sends a bytes body as it is, which malformed text needs.
    return client.generic(endpoint.method, url, body, content_type=content_type)  # type: ignore[arg-type]


def test_every_endpoint_is_in_the_table():
    names = {pattern.name for pattern in api_urls.urlpatterns}
    assert names == {endpoint.name for endpoint in ENDPOINTS}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize("endpoint", BODY_READERS, ids=_id)
def test_a_malformed_json_body_answers_400_in_the_error_format(world, endpoint, body):
    assert endpoint.reader is not None
    assert_error(_send(world, endpoint, endpoint.reader, *body), 400, "")


@pytest.mark.parametrize("body", WRONG_TYPE.values(), ids=WRONG_TYPE.keys())
@pytest.mark.parametrize("endpoint", BODY_READERS, ids=_id)
def test_a_body_of_an_unsupported_type_answers_415(world, endpoint, body):
    assert endpoint.reader is not None
    assert_error(_send(world, endpoint, endpoint.reader, *body), 415)


# One body of each kind, sent to every operation anonymously and by the most powerful role.
SAMPLES = {
    name: body
    for name, body in {**MALFORMED, **WRONG_TYPE}.items()
    if name
    in {
        "nested lists",
        "invalid utf-8",
        "float out of range",
        "100,000-digit integer",
        "NaN",
        "plain text",
    }
}


@pytest.mark.parametrize("body", SAMPLES.values(), ids=SAMPLES.keys())
@pytest.mark.parametrize("role", ["visitor", "platform_admin"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_id)
def test_no_body_gives_a_server_error_to_anyone(world, endpoint, role, body):
    response = _send(world, endpoint, role, *body)
    assert response.status_code < 500, response.content
    if endpoint.is_json and response.status_code >= 400:
        assert_error(response, response.status_code)


def test_a_body_over_the_upload_limit_answers_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = b'{"email": "' + b"a" * 200 + b'@example.org", "password": "x"}'
    endpoint = Endpoint("auth-token", "POST", "visitor")
    assert_error(_send(world, endpoint, "visitor", body, JSON), 413)


def test_the_depth_limit_leaves_room_for_every_real_body(world):
    nested = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    response = _send(world, Endpoint("auth-token", "POST", "visitor"), "visitor", nested, JSON)
    assert_error(response, 400)
    assert "nested" not in response.json()["detail"]


def test_the_error_says_what_is_wrong_with_the_body(world):
    invitation = InvitationFactory(organisation=world.organisation)
    url = reverse("api:invitation-accept")
    client = world.client("stranger")
    cases = {
        b"[" * 1000: "nested too deeply",
        b'{"token": 1e999}': "out of range",
        b'{"token": NaN}': "NaN",
        b'{"token": "\xff"}': "utf-8",
        b'{"token": ' + invitation.token.encode(): "line 1, column",
    }
    for body, words in cases.items():
        response = client.post(url, body, content_type=JSON)
        assert_error(response, 400)
        assert words in response.json()["detail"], response.json()
