"""Template filters for naming people."""

import pytest
from django.template import Context, Template

from puente.core.templatetags.people import person_or_former
from puente.stakeholders.models import Organisation
from tests.accounts.factories import UserFactory
from tests.stakeholders.factories import OrganisationFactory


@pytest.mark.django_db
def test_person_or_former_names_a_present_person():
    assert person_or_former(UserFactory(name="Ana Pérez")) == "Ana Pérez"
    assert person_or_former(UserFactory(name="", email="bo@example.org")) == "bo"


def test_person_or_former_names_a_missing_person_a_former_participant():
    assert person_or_former(None) == "former participant"


@pytest.mark.django_db
def test_an_organisation_outlives_its_creator_in_templates():
    creator = UserFactory(name="Ana Pérez")
    organisation = OrganisationFactory(created_by=creator)
    template = Template("{% load people %}{{ organisation.created_by|person_or_former }}")
    assert template.render(Context({"organisation": organisation})) == "Ana Pérez"

    creator.delete()
    reloaded = Organisation.objects.get(pk=organisation.pk)
    assert template.render(Context({"organisation": reloaded})) == "former participant"
