"""The results pages and downloads: who sees them in which phase, what they say, and that
statement text never becomes markup anywhere."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from puente.consensus import read_polis_conversation
from puente.dialogues.models import Dialogue, Phase, ResultSnapshot, Statement, VoteChange
from puente.dialogues.services import results_refresh
from tests.accounts.factories import UserFactory
from tests.dialogues.conftest import ROLES
from tests.dialogues.factories import ParticipationFactory, StatementFactory, VoteFactory

XSS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>']
SEES_RESULTS = {Phase.DELIBERATE, Phase.PRIORITISE, Phase.CLOSED}
DOWNLOADS = ["csv", "json", "html", "polis"]


def _url(dialogue, name="dialogues:results", **extra):
    return reverse(
        name,
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug, **extra},
    )


def _in_phase(dialogue: Dialogue, phase: Phase) -> Dialogue:
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=phase)
    dialogue.refresh_from_db()
    return dialogue


def _fill(dialogue: Dialogue, *, n_people: int = 8, texts: list[str] | None = None):
    """Give the dialogue statements and votes from EU and LAC participants."""
    texts = texts or [f"Statement {i} about connectivity" for i in range(4)]
    statements = [StatementFactory(dialogue=dialogue, text=text) for text in texts]
    for index in range(n_people):
        person = UserFactory()
        ParticipationFactory(
            dialogue=dialogue,
            person=person,
            region="EU" if index % 2 else "LAC",
            stakeholder_type=["academia", "public", ""][index % 3],
        )
        for position, statement in enumerate(statements):
            choice = [1, -1, 1, 0][(index * position + index) % 4]
            VoteFactory(statement=statement, participant=person, choice=choice)
            VoteChange.objects.create(
                dialogue=dialogue, statement=statement, participant=person, choice=choice
            )
    return statements


@pytest.fixture
def with_results(world):
    dialogue = _in_phase(world.dialogue, Phase.DELIBERATE)
    statements = _fill(dialogue)
    results_refresh(dialogue=dialogue)
    return dialogue, statements


@pytest.mark.django_db
@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("role", ROLES)
def test_the_results_page_opens_by_the_phase_table(world, client_as, role, phase):
    dialogue = _in_phase(world.dialogue, phase)
    response = client_as(world.person(role)).get(_url(dialogue))
    assert response.status_code == (200 if phase in SEES_RESULTS else 403)
    download = client_as(world.person(role)).get(
        _url(dialogue, "dialogues:results-download", file_format="polis")
    )
    assert download.status_code == (200 if phase in SEES_RESULTS else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["visitor", "stranger", "outsider"])
def test_members_only_results_are_404_for_outsiders(world, client_as, role):
    dialogue = _in_phase(world.hidden_dialogue, Phase.CLOSED)
    _fill(dialogue, n_people=3)
    results_refresh(dialogue=dialogue)
    client = client_as(world.person(role))
    assert client.get(_url(dialogue)).status_code == 404
    for file_format in DOWNLOADS:
        url = _url(dialogue, "dialogues:results-download", file_format=file_format)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_members_of_a_members_only_partnership_see_its_results(world, client_as):
    dialogue = _in_phase(world.hidden_dialogue, Phase.CLOSED)
    assert client_as(world.person("member")).get(_url(dialogue)).status_code == 200


@pytest.mark.django_db
def test_empty_states_say_why_there_are_no_results(world, client):
    dialogue = _in_phase(world.dialogue, Phase.DELIBERATE)
    response = client.get(_url(dialogue))
    assert response.status_code == 200
    assert "Nobody has voted yet" in response.content.decode()
    statement = StatementFactory(dialogue=dialogue)
    VoteFactory(statement=statement, participant=UserFactory())
    assert results_refresh(dialogue=dialogue) is None
    assert "One person has voted so far" in client.get(_url(dialogue)).content.decode()
    VoteFactory(statement=statement, participant=UserFactory())
    assert "being computed" in client.get(_url(dialogue)).content.decode()
    # The page asked for the missing results (run at once in tests).
    assert ResultSnapshot.objects.filter(dialogue=dialogue).count() == 1
    ResultSnapshot.objects.filter(dialogue=dialogue).delete()
    for file_format in ["csv", "json", "html"]:
        url = _url(dialogue, "dialogues:results-download", file_format=file_format)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_results_page_shows_the_snapshot_with_its_freshness(with_results, client):
    dialogue, statements = with_results
    newcomer = UserFactory()
    for statement in statements[:3]:
        VoteChange.objects.create(
            dialogue=dialogue, statement=statement, participant=newcomer, choice=1
        )
    response = client.get(_url(dialogue))
    assert response.status_code == 200
    assert response.templates[0].name == "dialogues/results.html"
    page = response.content.decode()
    assert "3 votes since" in page
    assert "Updated " in page
    assert "32 votes by 8 participants" in page
    for heading in [
        "Shared priorities",
        "Consensus",
        "Divisive statements",
        "Opinion groups",
        "Support by region",
        "Support by stakeholder type",
        "All statements",
    ]:
        assert heading in page
    assert "European Union" in page
    assert "Latin America and the Caribbean" in page
    assert "Academia and research" in page
    assert page.count("<svg") >= 3
    for statement in statements:
        assert statement.text in page


@pytest.mark.django_db
def test_hidden_statements_do_not_show_in_the_results(with_results, client):
    dialogue, statements = with_results
    Statement.objects.filter(pk=statements[0].pk).update(status=Statement.Status.HIDDEN)
    results_refresh(dialogue=dialogue)
    assert statements[0].text not in client.get(_url(dialogue)).content.decode()


@pytest.mark.django_db
def test_the_results_page_reads_a_bounded_number_of_queries(
    with_results, client, django_assert_max_num_queries
):
    dialogue, _statements = with_results
    with django_assert_max_num_queries(12):
        assert client.get(_url(dialogue)).status_code == 200


@pytest.mark.django_db
def test_the_page_speaks_spanish(with_results, client):
    dialogue, _statements = with_results
    response = client.get(_url(dialogue), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("text", XSS)
def test_statement_text_is_escaped_on_every_page_and_download(world, client, text):
    dialogue = _in_phase(world.dialogue, Phase.DELIBERATE)
    _fill(dialogue, texts=[text, "A harmless statement", "Another one", "And a fourth"])
    results_refresh(dialogue=dialogue)
    pages = [_url(dialogue), dialogue.get_absolute_url()]
    for url in pages:
        body = client.get(url).content.decode()
        assert text not in body
        assert "<script>alert" not in body
        assert "<img src=x" not in body
    for file_format in ["json", "html"]:
        response = client.get(_url(dialogue, "dialogues:results-download", file_format=file_format))
        body = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert response["Content-Disposition"].startswith("attachment;")
    for file_format in ["csv", "polis"]:
        response = client.get(_url(dialogue, "dialogues:results-download", file_format=file_format))
        assert response["Content-Disposition"].startswith("attachment;")
        assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_csv_lists_every_counted_statement_in_ranking_order(with_results, client):
    dialogue, statements = with_results
    Statement.objects.filter(pk=statements[1].pk).update(text="=HYPERLINK(1)")
    results_refresh(dialogue=dialogue)
    response = client.get(_url(dialogue, "dialogues:results-download", file_format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(row["statement_id"] for row in rows) == sorted(str(s.pk) for s in statements)
    assert [row["rank"] for row in rows] == ["1", "2", "3", "4"]
    assert "'=HYPERLINK(1)" in [row["statement"] for row in rows]


@pytest.mark.django_db
def test_the_json_holds_the_snapshot(with_results, client):
    dialogue, _statements = with_results
    response = client.get(_url(dialogue, "dialogues:results-download", file_format="json"))
    payload = json.loads(response.content)
    snapshot = ResultSnapshot.objects.get(dialogue=dialogue)
    assert payload["n_votes"] == snapshot.n_votes == 32
    assert payload["result"] == snapshot.result


@pytest.mark.django_db
def test_the_polis_export_is_anonymous_and_the_engine_reads_it(with_results, client, tmp_path):
    dialogue, statements = with_results
    response = client.get(_url(dialogue, "dialogues:results-download", file_format="polis"))
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(tmp_path)
    conversation = read_polis_conversation(Path(tmp_path))
    assert conversation.votes.n_votes == 32
    assert conversation.votes.participant_ids == tuple(str(i) for i in range(8))
    assert conversation.statement_text[str(statements[0].pk)] == statements[0].text
    text = (tmp_path / "votes.csv").read_text()
    voters = {row["voter-id"] for row in csv.DictReader(io.StringIO(text))}
    assert voters == {str(i) for i in range(8)}


@pytest.mark.django_db
def test_the_dialogue_page_summarises_the_results_with_a_link(with_results, client):
    dialogue, _statements = with_results
    page = client.get(dialogue.get_absolute_url()).content.decode()
    assert "See the results" in page
    assert _url(dialogue) in page
    assert "from 32 votes by 8 participants" in page
    first = ResultSnapshot.objects.get(dialogue=dialogue).result["ranking"]["order"][0]
    summary = page[page.index("Shared priorities so far") :]
    assert f'<li dir="auto">{Statement.objects.get(pk=first).text}</li>' in summary


@pytest.mark.django_db
def test_the_dialogue_page_has_no_results_part_before_deliberation(world, client):
    page = client.get(world.dialogue.get_absolute_url()).content.decode()
    assert "See the results" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [(r, 302 if r in {"facilitator", "admin"} else 403) for r in ROLES if r != "visitor"],
)
def test_only_facilitators_ask_for_a_recomputation_from_the_page(
    with_results, client_as, world, role, status
):
    dialogue, _statements = with_results
    before = ResultSnapshot.objects.filter(dialogue=dialogue).count()
    response = client_as(world.person(role)).post(_url(dialogue, "dialogues:results-refresh"))
    assert response.status_code == status
    after = ResultSnapshot.objects.filter(dialogue=dialogue).count()
    assert after == before + (1 if status == 302 else 0)


@pytest.mark.django_db
def test_an_unknown_download_format_is_404(with_results, client):
    dialogue, _statements = with_results
    url = _url(dialogue, "dialogues:results-download", file_format="xlsx")
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_results_body_is_rendered_once_per_snapshot_and_language(with_results, client_as):
    dialogue, statements = with_results
    client = client_as(None)
    first = client.get(_url(dialogue)).content.decode()
    assert statements[0].text in first

    # The second time the snapshot's result is not even read: its body comes from the cache.
    reads: list[str] = []

    def record(execute, sql, params, many, context):
        reads.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        second = client.get(_url(dialogue)).content.decode()
    assert not any('"result"' in sql for sql in reads)
    assert statements[0].text in second

    # Another language gets its own body.
    spanish = client.get(_url(dialogue), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Todas las propuestas por orden de clasificación." in spanish
    assert "Every statement in ranking order." not in spanish

    # A new snapshot is a new body: an edited text shows at once.
    Statement.objects.filter(pk=statements[0].pk).update(text="Renamed after the refresh")
    results_refresh(dialogue=dialogue)
    third = client.get(_url(dialogue)).content.decode()
    assert "Renamed after the refresh" in third
