from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from puente.dialogues.models import Dialogue, Participation, Phase
from puente.dialogues.services import (
    dialogue_create,
    dialogue_phase_move,
    dialogue_update,
    participation_set,
)
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = timedelta(days=1)


def _create(world, **overrides):
    given = {
        "actor": world.person("facilitator"),
        "partnership": world.partnership,
        "title": "Connectivity first?",
        "framing_question": "Which connectivity gaps matter most?",
        "languages": ["es", "en"],
    }
    return dialogue_create(**{**given, **overrides})


class TestDialogueCreate:
    def test_opens_a_dialogue_in_the_contribute_phase_with_a_readable_slug(self, world):
        dialogue = _create(world)

        assert dialogue.slug == "connectivity-first"
        assert dialogue.phase == Phase.CONTRIBUTE
        assert dialogue.created_by == world.person("facilitator")
        # In the site's order, whatever order they were given in.
        assert dialogue.languages == ["en", "es"]

    def test_a_second_dialogue_with_the_same_title_gets_its_own_slug(self, world):
        _create(world)
        assert _create(world).slug == "connectivity-first-2"

    def test_new_is_never_a_slug(self, world):
        assert _create(world, title="New").slug == "new-dialogue"

    def test_only_facilitators_and_admins_open_dialogues(self, world):
        with pytest.raises(PermissionDenied):
            _create(world, actor=world.person("member"))
        assert _create(world, actor=world.person("admin")).pk

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"title": "  "}, "title"),
            ({"title": "x" * 201}, "title"),
            ({"framing_question": ""}, "framing_question"),
            ({"languages": []}, "languages"),
            ({"languages": ["en", "klingon"]}, "languages"),
            ({"languages": "en"}, "languages"),
            ({"participation": "everyone"}, "participation"),
            (
                {"contribute_starts_at": NOW, "deliberate_starts_at": NOW - DAY},
                "deliberate_starts_at",
            ),
            ({"deliberate_starts_at": NOW, "closes_at": NOW}, "closes_at"),
        ],
    )
    def test_bad_input_names_the_field_and_writes_nothing(self, world, overrides, field):
        before = Dialogue.objects.count()
        with pytest.raises(ValidationError) as error:
            _create(world, **overrides)
        assert field in error.value.message_dict
        assert Dialogue.objects.count() == before


class TestDialogueUpdate:
    def test_changes_only_what_is_given_and_keeps_the_slug(self, world):
        dialogue = dialogue_update(
            actor=world.person("facilitator"),
            dialogue=world.dialogue,
            title="Renamed",
            closes_at=NOW + DAY,
        )
        dialogue.refresh_from_db()
        assert (dialogue.title, dialogue.slug) == ("Renamed", "shared-priorities")
        assert dialogue.closes_at == NOW + DAY
        assert dialogue.framing_question == "What should the partnership do first?"

    def test_a_refused_change_leaves_the_object_as_stored(self, world):
        with pytest.raises(ValidationError) as error:
            dialogue_update(
                actor=world.person("facilitator"),
                dialogue=world.dialogue,
                title="Renamed",
                deliberate_starts_at=NOW,
                prioritise_starts_at=NOW - DAY,
            )
        assert "prioritise_starts_at" in error.value.message_dict
        assert world.dialogue.title == "Shared priorities"
        world.dialogue.refresh_from_db()
        assert world.dialogue.title == "Shared priorities"

    def test_members_may_not_edit(self, world):
        with pytest.raises(PermissionDenied):
            dialogue_update(actor=world.person("member"), dialogue=world.dialogue, title="x")


class TestPhaseMove:
    def test_moves_the_phase_and_records_when(self, world):
        dialogue = dialogue_phase_move(
            actor=world.person("facilitator"), dialogue=world.dialogue, phase="prioritise"
        )
        assert dialogue.phase == Phase.PRIORITISE
        assert dialogue.phase_set_at >= NOW

    def test_an_unknown_phase_is_an_error_of_the_phase(self, world):
        with pytest.raises(ValidationError) as error:
            dialogue_phase_move(
                actor=world.person("facilitator"), dialogue=world.dialogue, phase="voting"
            )
        assert "phase" in error.value.message_dict

    def test_participants_may_not_move_the_phase(self, world):
        with pytest.raises(PermissionDenied):
            dialogue_phase_move(
                actor=world.person("member"), dialogue=world.dialogue, phase="closed"
            )


class TestParticipationSet:
    def test_taking_part_for_an_organisation_copies_its_attributes(self, world):
        participation = participation_set(
            person=world.person("member"), dialogue=world.dialogue, organisation=world.organisation
        )
        assert participation.organisation == world.organisation
        assert (participation.region, participation.country) == ("LAC", "CL")
        assert participation.stakeholder_type == world.organisation.stakeholder_type

    def test_an_individual_takes_country_and_region_from_the_profile(self, world):
        participation = participation_set(
            person=world.person("member"), dialogue=world.open_dialogue, organisation=None
        )
        assert participation.organisation is None
        assert (participation.country, participation.region) == ("BR", "LAC")
        assert participation.stakeholder_type == ""
        assert participation.is_individual

    def test_the_choice_can_be_changed_and_stays_one_row(self, world):
        person = world.person("outsider")
        participation_set(person=person, dialogue=world.open_dialogue, organisation=None)
        participation = participation_set(
            person=person, dialogue=world.open_dialogue, organisation=world.other_organisation
        )
        assert Participation.objects.filter(person=person).count() == 1
        assert (participation.region, participation.stakeholder_type) == ("EU", "academia")

    def test_members_only_dialogues_take_no_individuals(self, world):
        with pytest.raises(ValidationError) as error:
            participation_set(
                person=world.person("member"), dialogue=world.dialogue, organisation=None
            )
        assert "organisation" in error.value.message_dict
        assert not Participation.objects.exists()

    def test_nobody_takes_part_for_an_organisation_they_do_not_belong_to(self, world):
        with pytest.raises(ValidationError) as error:
            participation_set(
                person=world.person("member"),
                dialogue=world.open_dialogue,
                organisation=world.other_organisation,
            )
        assert "organisation" in error.value.message_dict

    def test_members_only_needs_an_organisation_that_is_a_member(self, world):
        # The member also belongs to an organisation outside the partnership.
        elsewhere = OrganisationFactory()
        MembershipFactory(person=world.person("member"), organisation=elsewhere)
        with pytest.raises(ValidationError):
            participation_set(
                person=world.person("member"), dialogue=world.dialogue, organisation=elsewhere
            )

    def test_people_outside_the_member_organisations_may_not_take_part(self, world):
        with pytest.raises(PermissionDenied):
            participation_set(
                person=world.person("outsider"),
                dialogue=world.dialogue,
                organisation=world.other_organisation,
            )
