"""Who may do what with an agenda: one role x action table (x phase for drafting), asked of
the predicates here and of the pages and API in test_views.py and test_api.py."""

import pytest
from django.contrib.auth.models import AnonymousUser

from puente.agenda.models import Agenda
from puente.agenda.permissions import (
    can_draft_agenda,
    can_edit_draft,
    can_endorse,
    can_publish_agenda,
    can_view_agenda,
    can_view_agenda_draft,
    can_view_version,
    can_withdraw_endorsement,
)
from puente.agenda.services import (
    agenda_draft_copy,
    agenda_draft_create,
    agenda_publish,
    endorsement_create,
)
from puente.dialogues.models import Dialogue, Phase
from tests.agenda.conftest import ROLES

pytestmark = pytest.mark.django_db

ALL = frozenset(ROLES)
MANAGERS = frozenset({"facilitator", "admin"})
# Written out: this is the specification.
ALLOWED: dict[str, frozenset[str]] = {
    "view_published": ALL,
    "view_draft": MANAGERS,
    "edit_draft": MANAGERS,
    "publish": MANAGERS,
    "endorse": frozenset({"org_admin"}),
    "withdraw": frozenset({"org_admin"}),
}
DRAFTING_PHASES = {Phase.PRIORITISE, Phase.CLOSED}


def _viewer(aw, role):
    return aw.person(role) or AnonymousUser()


def _setup(aw):
    facilitator = aw.person("facilitator")
    published = agenda_publish(
        actor=facilitator, version=agenda_draft_create(actor=facilitator, dialogue=aw.dialogue)
    )
    draft = agenda_draft_copy(actor=facilitator, agenda=published.agenda)
    endorsement = endorsement_create(
        actor=aw.person("org_admin"), version=published, organisation=aw.world.organisation
    )
    return published, draft, endorsement


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_the_table(agenda_world, role):
    published, draft, endorsement = _setup(agenda_world)
    viewer = _viewer(agenda_world, role)
    organisation = agenda_world.world.organisation
    allowed = {
        "view_published": can_view_version(viewer, published)
        and can_view_agenda(viewer, published.agenda),
        "view_draft": can_view_version(viewer, draft)
        and can_view_agenda_draft(viewer, draft.agenda),
        "edit_draft": can_edit_draft(viewer, draft),
        "publish": can_publish_agenda(viewer, draft),
        "endorse": can_endorse(viewer, published, organisation)
        or can_endorse(viewer, published, agenda_world.world.other_organisation),
        "withdraw": can_withdraw_endorsement(viewer, endorsement),
    }
    assert {action for action, yes in allowed.items() if yes} == {
        action for action, roles in ALLOWED.items() if role in roles
    }


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("role", ROLES)
def test_drafting_needs_a_manager_and_a_phase_that_allows_it(agenda_world, role, phase):
    Dialogue.objects.filter(pk=agenda_world.dialogue.pk).update(phase=phase)
    agenda_world.dialogue.refresh_from_db()
    expected = role in MANAGERS and phase in DRAFTING_PHASES
    assert can_draft_agenda(_viewer(agenda_world, role), agenda_world.dialogue) is expected


@pytest.mark.parametrize("role", ROLES)
def test_members_only_partnerships_hide_their_agendas_from_outsiders(agenda_world, role):
    dialogue = agenda_world.world.hidden_dialogue
    agenda = Agenda.objects.create(dialogue=dialogue, title="Hidden")
    readers = {"member", "org_admin", "facilitator", "admin"}
    assert can_view_agenda(_viewer(agenda_world, role), agenda) is (role in readers)


def test_published_versions_are_not_editable_by_anyone(agenda_world):
    published, _draft, _endorsement = _setup(agenda_world)
    for role in ROLES:
        assert not can_edit_draft(_viewer(agenda_world, role), published)
