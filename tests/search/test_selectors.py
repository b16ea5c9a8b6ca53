import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from puente.agenda.models import AgendaItem, AgendaVersion
from puente.dialogues.models import Statement
from puente.partnerships.models import Partnership
from puente.search.models import Kind, SearchEntry
from puente.search.selectors import search_entry_list, search_query_parse
from puente.search.text import text_normalise
from puente.stakeholders.models import Organisation
from tests.dialogues.factories import DialogueFactory, StatementFactory
from tests.initiatives.factories import InitiativeFactory
from tests.partnerships.factories import PartnershipFactory
from tests.search.conftest import agenda_publish
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ALL_KINDS = set(Kind.values)


def found(text, viewer=None, kind=""):
    entries = search_entry_list(
        query=search_query_parse(text), viewer=viewer or AnonymousUser(), kind=kind
    )
    return {(entry.kind, entry.title) for entry in entries}


def kinds(text, viewer=None):
    return {kind for kind, _title in found(text, viewer)}


def test_normalisation_lowercases_strips_accents_and_punctuation():
    assert text_normalise("Observação, ÉNFASE: e-Government!") == "observacao enfase e government"
    assert text_normalise("Øresund Łódź") == "oresund lodz"


def test_observacao_finds_observacao_with_accents_in_every_kind(search_world):
    assert kinds("observacao", search_world.member) == ALL_KINDS - {Kind.ORGANISATION}


def test_a_word_start_matches_and_case_does_not_matter(search_world):
    assert kinds("OBSERV", search_world.member) == kinds("observação", search_world.member)
    assert kinds("ObSeRvAçÃo", search_world.member) == ALL_KINDS - {Kind.ORGANISATION}


def test_cepal_finds_eclac_through_its_other_names(search_world):
    title = "Economic Commission for Latin America and the Caribbean (ECLAC)"
    assert found("cepal") == {(Kind.ORGANISATION, title)}
    assert found("CEPALC") == {(Kind.ORGANISATION, title)}
    assert found("eclac") == {(Kind.ORGANISATION, title)}


def test_every_word_must_match(search_world):
    assert found("cepal commission") != set()
    assert found("cepal satélites") == set()


def test_members_only_content_never_reaches_outsiders(search_world):
    assert kinds("observacao", AnonymousUser()) == set()
    assert kinds("observacao", search_world.outsider) == set()


def test_public_content_of_each_kind_is_found_by_everyone(db):
    partnership = PartnershipFactory(title="Conectividad pública")
    dialogue = DialogueFactory(partnership=partnership, title="Diálogo de conectividad")
    StatementFactory(dialogue=dialogue, text="Más conectividad rural")
    agenda_publish(dialogue, {"es": "Conectividad en escuelas", "en": "Schools online"})
    InitiativeFactory(partnership=partnership, title="BELLA conectividad")
    OrganisationFactory(name="Conectividad Andina")
    assert kinds("conectividad") == ALL_KINDS
    # An agenda item is found in each of its languages.
    assert found("schools") == {(Kind.AGENDA_ITEM, "Conectividad en escuelas")}


def test_members_only_initiative_of_a_public_partnership_is_for_members(search_world):
    partnership = search_world.closed
    partnership.visibility = Partnership.Visibility.PUBLIC
    partnership.save()
    assert kinds("observacao") == ALL_KINDS - {Kind.ORGANISATION, Kind.INITIATIVE}
    assert Kind.INITIATIVE in kinds("observacao", search_world.member)


@pytest.mark.parametrize(
    "status", [Statement.Status.PENDING, Statement.Status.HIDDEN, Statement.Status.MERGED]
)
def test_statements_not_shown_are_never_found(db, status):
    survivor = StatementFactory(text="Fibra óptica submarina")
    statement = StatementFactory(dialogue=survivor.dialogue, text="Cable submarino duplicado")
    statement.status = status
    statement.merged_into = survivor if status == Statement.Status.MERGED else None
    statement.save()
    assert found("submarin") == {(Kind.STATEMENT, "Fibra óptica submarina")}
    # Even its author, and after a rebuild.
    call_command("search_rebuild", verbosity=0)
    assert found("submarin", statement.author) == {(Kind.STATEMENT, "Fibra óptica submarina")}


def test_a_published_statement_hidden_later_disappears(db):
    statement = StatementFactory(text="Ciberseguridad regional")
    assert found("ciberseguridad") == {(Kind.STATEMENT, "Ciberseguridad regional")}
    statement.status = Statement.Status.HIDDEN
    statement.save()
    assert found("ciberseguridad") == set()


def test_draft_agenda_items_are_never_found_and_only_the_latest_version_is(db):
    dialogue = DialogueFactory()
    item = agenda_publish(dialogue, {"en": "Gigabit for universities"})
    assert found("gigabit") == {(Kind.AGENDA_ITEM, "Gigabit for universities")}
    draft = AgendaVersion.objects.create(agenda=item.version.agenda)
    AgendaItem.objects.create(
        version=draft, position=1, text={"en": "Gigabit for every school"}, original_language="en"
    )
    assert found("gigabit") == {(Kind.AGENDA_ITEM, "Gigabit for universities")}
    draft.status, draft.number, draft.published_at = "published", 2, timezone.now()
    draft.save()
    assert found("gigabit") == {(Kind.AGENDA_ITEM, "Gigabit for every school")}


def test_a_deleted_object_disappears(search_world):
    search_world.eclac.delete()
    assert found("cepal") == set()
    assert not SearchEntry.objects.filter(kind=Kind.ORGANISATION).exists()


def test_deleting_a_partnership_removes_what_lived_under_it(search_world):
    search_world.closed.delete()
    assert not SearchEntry.objects.exclude(kind=Kind.ORGANISATION).exists()


def test_an_edited_object_is_found_by_its_new_text_only(search_world):
    eclac = search_world.eclac
    eclac.also_known_as = "CEPALC"
    eclac.description = "Comisión Económica para América Latina"
    eclac.save()
    assert found("cepal ") != set()  # CEPALC starts with cepal
    assert found("comision economica") != set()
    assert found("regional commission") == set()


def test_a_new_slug_moves_the_addresses_below(search_world):
    partnership = search_world.closed
    partnership.slug = "earth-observation"
    partnership.save()
    urls = SearchEntry.objects.exclude(kind=Kind.ORGANISATION).values_list("url", flat=True)
    assert all("/earth-observation/" in url for url in urls), list(urls)


def test_rebuild_gives_the_same_results(search_world):
    before = found("observacao", search_world.member)
    SearchEntry.objects.all().delete()
    assert found("observacao", search_world.member) == set()
    call_command("search_rebuild", verbosity=0)
    assert found("observacao", search_world.member) == before


def test_the_kind_filter_keeps_one_kind(search_world):
    assert {kind for kind, _t in found("observacao", search_world.member, Kind.DIALOGUE)} == {
        Kind.DIALOGUE
    }


@pytest.mark.parametrize(
    "text", ["", " ", "a", "%", "_", "%%", "' OR 1=1 --", "a & b | !c", ":*", "x" * 5000]
)
def test_odd_queries_find_nothing_and_fail_nowhere(search_world, text):
    assert found(text, search_world.member) == set()


def test_sql_wildcards_match_only_themselves(db):
    OrganisationFactory(name="Percent Org", acronym="", description="Rates of 100% coverage")
    assert found("100%") == {(Kind.ORGANISATION, "Percent Org")}
    assert found("_") == set()


def test_the_demo_is_searchable_once_loaded(transactional_db):
    call_command("demo_load", verbosity=0)
    assert any("(ECLAC)" in title for _kind, title in found("cepal"))
    assert (Kind.ORGANISATION, "Instituto Amazônico de Observação da Terra (IAOT)") in found(
        "observacao"
    )
    # Demo statements are written in bulk, without signals: the load indexed them at the end.
    assert Kind.STATEMENT in kinds("bella caribbean islands")
    assert Kind.STATEMENT in kinds("copernicus prefeituras")


def test_a_demo_loaded_before_other_names_existed_gets_them(transactional_db):
    call_command("demo_load", verbosity=0)
    Organisation.objects.filter(slug="eclac").update(also_known_as="")
    call_command("demo_load", verbosity=0)
    assert Organisation.objects.get(slug="eclac").also_known_as == "CEPAL, CEPALC"
    assert any("(ECLAC)" in title for _kind, title in found("cepal"))
