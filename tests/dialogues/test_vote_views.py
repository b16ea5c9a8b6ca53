"""Voting pages: the card without JavaScript and with htmx, pairs, my votes, the dialogue page."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from puente.dialogues.models import (
    Comparison,
    Dialogue,
    Phase,
    Statement,
    StatementTranslation,
    Vote,
    VoteChange,
)
from puente.dialogues.services import vote_cast
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import ParticipationFactory, StatementFactory, VoteFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "vote-card"}


def _url(name, dialogue, **extra):
    return reverse(
        f"dialogues:{name}",
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug, **extra},
    )


def _templates(response):
    return [template.name for template in response.templates]


def _open(world, phase=Phase.CONTRIBUTE):
    dialogue = world.open_dialogue
    Dialogue.objects.filter(pk=dialogue.pk).update(phase=phase)
    dialogue.refresh_from_db()
    return dialogue


@pytest.fixture
def voter(world):
    person = UserFactory(name="Vera Voter")
    ParticipationFactory(dialogue=world.open_dialogue, person=person)
    return person


class TestVoteCard:
    def test_shows_the_next_statement_with_three_buttons_and_progress(
        self, client_as, world, voter
    ):
        dialogue = _open(world)
        first, _second = StatementFactory.create_batch(2, dialogue=dialogue)

        response = client_as(voter).get(_url("vote-card", dialogue))

        assert response.status_code == 200
        assert "dialogues/vote_card.html" in _templates(response)
        assert first.text in response.text
        assert "0 of 2 statements voted on" in response.text
        for value, key in (("1", "a"), ("-1", "d"), ("0", "p")):
            assert f'name="choice" value="{value}"' in response.text
            assert f'data-shortcut="{key}"' in response.text
        assert "dialogues/voting.js" in response.text
        assert "Keyboard shortcuts: A agrees" in response.text

    def test_the_card_shows_the_readers_translation_and_reads_none_when_there_is_none(
        self, client_as, world, voter
    ):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue, text="Connect every school")
        client = client_as(voter)
        with CaptureQueriesContext(connection) as captured:
            assert "Connect every school" in client.get(_url("vote-card", dialogue)).text
        # Read now: the next request empties the connection's log they are read from.
        untranslated = [query["sql"] for query in captured]
        StatementTranslation.objects.create(
            statement=statement, language="es", text="Conectar cada escuela"
        )
        with CaptureQueriesContext(connection) as captured:
            spanish = client.get(_url("vote-card", dialogue), HTTP_ACCEPT_LANGUAGE="es").text
        translated = [query["sql"] for query in captured]

        assert "Conectar cada escuela" in spanish
        assert "Connect every school" in client.get(_url("vote-card", dialogue)).text
        # The translations are read only when the statement has some.
        reads = ('SELECT "dialogues_statementtranslation"',)
        assert not any(sql.startswith(reads) for sql in untranslated)
        assert any(sql.startswith(reads) for sql in translated)

    def test_a_post_without_javascript_votes_and_redirects_to_the_next_card(
        self, client_as, world, voter
    ):
        dialogue = _open(world)
        first, second = StatementFactory.create_batch(2, dialogue=dialogue)
        client = client_as(voter)

        response = client.post(_url("vote-statement", dialogue, pk=first.pk), {"choice": "1"})

        assert response.status_code == 302
        assert response.url == _url("vote-card", dialogue)
        assert Vote.objects.get(participant=voter).choice == 1
        following = client.get(response.url)
        assert second.text in following.text
        assert "1 of 2 statements voted on" in following.text

    def test_htmx_gets_only_the_next_card(self, client_as, world, voter):
        dialogue = _open(world)
        first, second = StatementFactory.create_batch(2, dialogue=dialogue)

        response = client_as(voter).post(
            _url("vote-statement", dialogue, pk=first.pk), {"choice": "-1"}, **HTMX
        )

        assert response.status_code == 200
        assert _templates(response)[0] == "dialogues/_vote_card.html"
        assert "<html" not in response.text
        assert second.text in response.text
        assert Vote.objects.get(participant=voter).choice == -1

    def test_the_last_vote_leads_to_the_empty_state(self, client_as, world, voter):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue)

        response = client_as(voter).post(
            _url("vote-statement", dialogue, pk=statement.pk), {"choice": "0"}, **HTMX
        )

        assert "You have voted on every statement." in response.text
        assert "1 of 1 statements voted on" in response.text

    @pytest.mark.parametrize("choice", ["", "2", "agree"])
    def test_a_bad_choice_is_reported_on_the_card_and_writes_nothing(
        self, client_as, world, voter, choice
    ):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue)

        response = client_as(voter).post(
            _url("vote-statement", dialogue, pk=statement.pk), {"choice": choice}
        )

        assert response.status_code == 400
        assert 'role="alert"' in response.text
        assert statement.text in response.text
        assert not Vote.objects.exists()

    def test_a_closed_dialogue_refuses_votes_with_403(self, client_as, world, voter):
        dialogue = _open(world, Phase.CLOSED)
        statement = StatementFactory(dialogue=dialogue)
        client = client_as(voter)

        page = client.get(_url("vote-card", dialogue))
        response = client.post(
            _url("vote-statement", dialogue, pk=statement.pk), {"choice": "1"}, **HTMX
        )

        assert "Voting is not open to you in this dialogue now." in page.text
        assert 'name="choice"' not in page.text
        assert response.status_code == 403
        assert "You may not vote in this dialogue now." in response.text
        assert not Vote.objects.exists()

    def test_without_a_participation_the_card_asks_how_the_person_takes_part(
        self, client_as, world
    ):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue)
        client = client_as(world.person("stranger"))

        page = client.get(_url("vote-card", dialogue))
        response = client.post(_url("vote-statement", dialogue, pk=statement.pk), {"choice": "1"})

        assert "Choose how you take part" in page.text
        assert response.status_code == 400
        assert "Choose first whether you take part" in response.text
        assert not Vote.objects.exists()

    def test_a_hidden_statement_has_no_card(self, client_as, world, voter):
        dialogue = _open(world)
        hidden = StatementFactory(dialogue=dialogue, status=Statement.Status.HIDDEN)

        client = client_as(voter)
        assert client.get(_url("vote-statement", dialogue, pk=hidden.pk)).status_code == 404
        response = client.post(_url("vote-statement", dialogue, pk=hidden.pk), {"choice": "1"})
        assert response.status_code == 404
        assert hidden.text not in response.text
        assert not Vote.objects.exists()

    def test_members_only_dialogues_are_404_to_outsiders(self, client_as, world):
        dialogue = world.hidden_dialogue
        statement = StatementFactory(dialogue=dialogue)
        client = client_as(world.person("outsider"))

        for name, extra in (
            ("vote-card", {}),
            ("vote-statement", {"pk": statement.pk}),
            ("compare", {}),
            ("my-votes", {}),
        ):
            assert client.get(_url(name, dialogue, **extra)).status_code == 404
        assert (
            client.post(
                _url("vote-statement", dialogue, pk=statement.pk), {"choice": "1"}
            ).status_code
            == 404
        )

    def test_visitors_are_sent_to_log_in(self, client, world):
        response = client.get(_url("vote-card", world.open_dialogue))
        assert response.status_code == 302
        assert "/accounts/login/" in response.url

    def test_next_leads_back_only_to_this_site(self, client_as, world, voter):
        dialogue = _open(world)
        one, two = StatementFactory.create_batch(2, dialogue=dialogue)
        client = client_as(voter)
        back = _url("my-votes", dialogue)

        response = client.post(
            _url("vote-statement", dialogue, pk=one.pk), {"choice": "1", "next": back}
        )
        elsewhere = client.post(
            _url("vote-statement", dialogue, pk=two.pk),
            {"choice": "1", "next": "https://evil.example/"},
        )

        assert response.url == back
        assert elsewhere.url == _url("vote-card", dialogue)

    def test_htmx_with_next_goes_back_there(self, client_as, world, voter):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue)
        back = _url("my-votes", dialogue)

        response = client_as(voter).post(
            _url("vote-statement", dialogue, pk=statement.pk),
            {"choice": "1", "next": back},
            **HTMX,
        )

        assert response.headers["HX-Redirect"] == back
        assert Vote.objects.get().choice == 1

    def test_the_card_runs_a_fixed_number_of_queries(
        self, client_as, world, voter, django_assert_max_num_queries
    ):
        dialogue = _open(world)
        statements = StatementFactory.create_batch(30, dialogue=dialogue)
        for statement in statements[:10]:
            VoteFactory(statement=statement)
        client = client_as(voter)

        with django_assert_max_num_queries(CARD_QUERIES):
            client.get(_url("vote-card", dialogue))
        with django_assert_max_num_queries(CARD_QUERIES + 5):
            client.post(
                _url("vote-statement", dialogue, pk=statements[-1].pk),
                {"choice": "1"},
                **HTMX,
            )


CARD_QUERIES = 12


class TestVoteButtons:
    def _render(self, world, voter, **context):
        dialogue = world.open_dialogue
        statement = StatementFactory(dialogue=dialogue)
        request = RequestFactory().get("/here/")
        request.user = voter
        return statement, render_to_string(
            "dialogues/_vote_buttons.html",
            {
                "statement": statement,
                "dialogue": dialogue,
                "partnership": dialogue.partnership,
                **context,
            },
            request=request,
        )

    def test_marks_the_current_choice_and_posts_back_to_the_list(self, world, voter):
        statement, html = self._render(world, voter, my_vote=-1, can_vote=True)

        assert f'action="{_url("vote-statement", world.open_dialogue, pk=statement.pk)}"' in html
        assert 'name="next" value="/here/"' in html
        assert 'value="-1" class="btn btn-danger" aria-pressed="true"' in html
        assert html.count('aria-pressed="true"') == 1
        assert f'id="vote-buttons-{statement.pk}"' in html

    def test_without_the_right_to_vote_it_only_says_the_vote(self, world, voter):
        _statement, html = self._render(world, voter, my_vote=1, can_vote=False)
        assert "<form" not in html
        assert "Your vote: agree" in html

    def test_htmx_from_a_list_swaps_only_the_buttons(self, client_as, world, voter):
        dialogue = _open(world)
        statement = StatementFactory(dialogue=dialogue)

        response = client_as(voter).post(
            _url("vote-statement", dialogue, pk=statement.pk),
            {"choice": "1", "next": "/somewhere/"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET=f"vote-buttons-{statement.pk}",
        )

        assert response.status_code == 200
        assert _templates(response) == ["dialogues/_vote_buttons.html"]
        assert 'value="1" class="btn btn-success" aria-pressed="true"' in response.text
        assert 'name="next" value="/somewhere/"' in response.text


class TestMyVotes:
    def test_lists_my_votes_with_history_and_buttons_to_change_them(self, client_as, world, voter):
        dialogue = _open(world)
        one, two = StatementFactory.create_batch(2, dialogue=dialogue)
        for choice in (1, -1):
            vote_cast(participant=voter, statement=one, choice=choice)
        VoteFactory(statement=two)  # someone else's
        client = client_as(voter)

        response = client.get(_url("my-votes", dialogue))

        assert response.status_code == 200
        assert one.text in response.text
        assert two.text not in response.text
        assert "History: 2 votes" in response.text
        assert "You have voted on 1 of 2 statements." in response.text
        assert f'name="next" value="{_url("my-votes", dialogue)}"' in response.text

        changed = client.post(
            _url("vote-statement", dialogue, pk=one.pk),
            {"choice": "0", "next": _url("my-votes", dialogue)},
        )
        assert changed.url == _url("my-votes", dialogue)
        assert list(VoteChange.objects.values_list("choice", flat=True)) == [1, -1, 0]

    def test_runs_a_fixed_number_of_queries(
        self, client_as, world, voter, django_assert_max_num_queries
    ):
        dialogue = _open(world)
        for statement in StatementFactory.create_batch(20, dialogue=dialogue):
            vote_cast(participant=voter, statement=statement, choice=1)
            vote_cast(participant=voter, statement=statement, choice=-1)

        client = client_as(voter)

        with django_assert_max_num_queries(MY_VOTES_QUERIES):
            response = client.get(_url("my-votes", dialogue))
        assert response.text.count("History: 2 votes") == 20


# Session, person, dialogue, count and page of votes, histories, progress (2), can_do (0-2).
MY_VOTES_QUERIES = 11


class TestCompare:
    def test_asks_which_comes_first_and_records_the_answer(self, client_as, world, voter):
        dialogue = _open(world, Phase.PRIORITISE)
        StatementFactory.create_batch(3, dialogue=dialogue)
        client = client_as(voter)

        page = client.get(_url("compare", dialogue))
        assert "Which should come first?" in page.text
        shown = page.context["pair"]
        response = client.post(
            _url("compare", dialogue),
            {"first": shown[0].pk, "second": shown[1].pk, "choice": "first"},
        )

        assert response.status_code == 302
        stored = Comparison.objects.get()
        winner = stored.first_id if stored.choice == "first" else stored.second_id
        assert winner == shown[0].pk

    def test_htmx_gets_the_next_pair_only(self, client_as, world, voter):
        dialogue = _open(world, Phase.PRIORITISE)
        one, two, _three = StatementFactory.create_batch(3, dialogue=dialogue)

        response = client_as(voter).post(
            _url("compare", dialogue),
            {"first": one.pk, "second": two.pk, "choice": "undecided"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="compare-card",
        )

        assert _templates(response)[0] == "dialogues/_compare_card.html"
        assert "Which should come first?" in response.text
        assert 'data-shortcut="1"' in response.text

    def test_outside_the_prioritise_phase_it_is_refused(self, client_as, world, voter):
        dialogue = _open(world, Phase.DELIBERATE)
        one, two = StatementFactory.create_batch(2, dialogue=dialogue)

        response = client_as(voter).post(
            _url("compare", dialogue), {"first": one.pk, "second": two.pk, "choice": "first"}
        )

        assert response.status_code == 403
        assert not Comparison.objects.exists()

    def test_bad_input_is_reported_and_writes_nothing(self, client_as, world, voter):
        dialogue = _open(world, Phase.PRIORITISE)
        one = StatementFactory(dialogue=dialogue)

        response = client_as(voter).post(
            _url("compare", dialogue), {"first": one.pk, "second": one.pk, "choice": "first"}
        )

        assert response.status_code == 400
        assert "Compare two different statements." in response.text
        assert not Comparison.objects.exists()


class TestDialoguePage:
    def test_offers_to_vote_with_progress(self, client_as, world, voter):
        dialogue = _open(world)
        statement, _other = StatementFactory.create_batch(2, dialogue=dialogue)
        vote_cast(participant=voter, statement=statement, choice=1)

        response = client_as(voter).get(dialogue.get_absolute_url())

        assert "You have voted on 1 of 2 statements." in response.text
        assert f'href="{_url("vote-card", dialogue)}"' in response.text
        assert f'href="{_url("my-votes", dialogue)}"' in response.text
        assert f'href="{_url("compare", dialogue)}"' not in response.text

    def test_offers_pairs_in_the_prioritise_phase(self, client_as, world, voter):
        dialogue = _open(world, Phase.PRIORITISE)
        response = client_as(voter).get(dialogue.get_absolute_url())
        assert f'href="{_url("compare", dialogue)}"' in response.text

    def test_visitors_are_asked_to_log_in_and_closed_dialogues_say_nothing(self, client, world):
        dialogue = _open(world)
        assert "Log in to vote." in client.get(dialogue.get_absolute_url()).text
        closed = _open(world, Phase.CLOSED)
        assert 'id="voting-heading"' not in client.get(closed.get_absolute_url()).text


class TestVotesInTheReadersLanguage:
    """The buttons' label and my votes name a statement as the reader sees it."""

    @pytest.fixture
    def translated(self, world):
        statement = StatementFactory(
            dialogue=_open(world), text="Connect every school", language="en"
        )
        StatementTranslation.objects.create(
            statement=statement, language="es", text="Conectar cada escuela"
        )
        return statement

    @staticmethod
    def _label(text, language):
        with translation.override(language):
            return gettext("Your vote on: %(text)s") % {"text": text}

    def test_the_buttons_of_the_list_are_labelled_in_the_readers_language(
        self, client_as, world, voter, translated
    ):
        client = client_as(voter)
        url = _url("statement-list", translated.dialogue)

        spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").text
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text

        assert f'aria-label="{self._label("Conectar cada escuela", "es")}"' in spanish
        assert f'aria-label="{self._label("Connect every school", "en")}"' in english

    def test_my_votes_show_the_statement_in_the_readers_language(
        self, client_as, world, voter, translated, django_assert_max_num_queries
    ):
        vote_cast(participant=voter, statement=translated, choice=1)
        for number in range(3):
            other = StatementFactory(dialogue=translated.dialogue, text=f"Statement {number}")
            StatementTranslation.objects.create(
                statement=other, language="es", text=f"Frase {number}"
            )
            vote_cast(participant=voter, statement=other, choice=-1)
        client = client_as(voter)
        url = _url("my-votes", translated.dialogue)
        client.get(url, HTTP_ACCEPT_LANGUAGE="es")  # fills the caches

        with django_assert_max_num_queries(9):  # the translations in one query, not per vote
            page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").text

        assert 'lang="es">Conectar cada escuela</p>' in page
        assert 'lang="es">Frase 2</p>' in page
        assert f'aria-label="{self._label("Conectar cada escuela", "es")}"' in page
