"""A term found only in a translation finds what was translated; a deleted one no longer."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from puente.dialogues.models import Statement
from puente.dialogues.services import statement_translation_delete, statement_translation_save
from puente.partnerships.services import partnership_translation_save
from puente.search.models import Kind
from puente.search.selectors import search_entry_list, search_query_parse
from puente.stakeholders.models import Membership
from puente.stakeholders.services import (
    organisation_translation_delete,
    organisation_translation_save,
)
from tests.accounts.factories import AdminFactory, UserFactory
from tests.dialogues.factories import DialogueFactory, StatementFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def found(text):
    entries = search_entry_list(query=search_query_parse(text), viewer=AnonymousUser(), kind="")
    return {(entry.kind, entry.object_id) for entry in entries}


def test_a_spanish_description_finds_the_organisation_until_it_is_deleted():
    organisation = OrganisationFactory(description="A regulator of networks.")
    admin = UserFactory()
    MembershipFactory(
        person=admin,
        organisation=organisation,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
    )
    assert not found("telecomunicaciones")

    organisation_translation_save(
        actor=admin,
        organisation=organisation,
        language="es",
        description="Regulador de las telecomunicaciones.",
    )
    assert found("telecomunicaciones") == {(Kind.ORGANISATION, organisation.pk)}

    organisation_translation_delete(actor=admin, organisation=organisation, language="es")
    assert not found("telecomunicaciones")


def test_a_portuguese_description_finds_the_partnership_after_a_rebuild_too():
    partnership = PartnershipFactory(description="Digital cooperation.")
    partnership_translation_save(
        actor=AdminFactory(),
        partnership=partnership,
        language="pt",
        description="Cooperação digital entre continentes.",
    )
    assert (Kind.PARTNERSHIP, partnership.pk) in found("cooperacao")

    call_command("search_rebuild", verbosity=0)

    assert (Kind.PARTNERSHIP, partnership.pk) in found("cooperacao")


def test_a_french_translation_finds_the_statement():
    dialogue = DialogueFactory()
    author = UserFactory()
    statement = StatementFactory(dialogue=dialogue, author=author, text="Open data for all.")
    assert statement.status == Statement.Status.PUBLISHED

    statement_translation_save(
        actor=author, statement=statement, language="fr", text="Des données ouvertes pour tous."
    )
    assert (Kind.STATEMENT, statement.pk) in found("donnees ouvertes")

    statement_translation_delete(actor=author, statement=statement, language="fr")
    assert (Kind.STATEMENT, statement.pk) not in found("donnees ouvertes")


def test_deleting_a_translated_organisation_leaves_no_entry():
    organisation = OrganisationFactory()
    organisation.translations.create(language="es", description="Regulador.")

    organisation.delete()

    assert not found("regulador")
