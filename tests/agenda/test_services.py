import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from puente.agenda.models import AgendaItem, AgendaVersion, Endorsement
from puente.agenda.services import (
    agenda_draft_copy,
    agenda_draft_create,
    agenda_draft_discard,
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_update,
    agenda_publish,
    endorsement_create,
    endorsement_withdraw,
)
from puente.dialogues.models import Dialogue, Phase, Statement
from tests.agenda.factories import snapshot_create
from tests.dialogues.factories import StatementFactory

pytestmark = pytest.mark.django_db


def _draft(aw, **given):
    return agenda_draft_create(
        actor=aw.person("facilitator"), dialogue=aw.dialogue, **{"n_items": 4, **given}
    )


def _texts(version):
    return [item.text[item.original_language] for item in version.items.order_by("position")]


class TestDraftCreate:
    def test_takes_the_top_statements_of_the_snapshot_in_ranking_order(self, agenda_world):
        version = _draft(agenda_world)
        order = agenda_world.snapshot.result["ranking"]["order"]
        expected = [Statement.objects.get(pk=int(pk)).text for pk in order[:4]]

        assert _texts(version) == expected
        assert version.status == AgendaVersion.Status.DRAFT
        assert version.number is None
        assert version.agenda.title == "Joint agenda: Shared priorities"

    def test_items_keep_the_original_language_and_the_statement_behind_them(self, agenda_world):
        version = _draft(agenda_world, n_items=6)
        spanish = version.items.get(statements=agenda_world.statements[1])
        assert spanish.original_language == "es"
        assert spanish.text == {"es": "Prioridad 2: conectar escuelas."}

    def test_items_carry_the_evidence_by_region_and_type_with_rank(self, agenda_world):
        item = _draft(agenda_world).items.get(position=1)
        evidence = item.evidence
        assert evidence["rank"] == 1
        assert set(evidence["by_grouping"]) == {"region", "stakeholder_type"}
        assert set(evidence["by_grouping"]["region"]) == {"EU", "LAC"}
        assert set(evidence["joint_support"]) == {"region", "stakeholder_type"}
        assert evidence["joint_score"] == min(evidence["joint_support"].values())
        assert evidence["agree"] == 12
        assert item.version.evidence["snapshot_id"] == agenda_world.snapshot.pk

    def test_another_ranking_method_reorders_from_the_stored_scores(self, agenda_world):
        version = _draft(agenda_world, ranking_method="approval", n_items=6)
        approvals = [item.evidence["approval"] for item in version.items.order_by("position")]
        assert approvals == sorted(approvals, reverse=True)
        assert version.evidence["ranking_method"] == "approval"

    def test_hidden_statements_are_left_out(self, agenda_world):
        first = Statement.objects.get(pk=int(agenda_world.snapshot.result["ranking"]["order"][0]))
        Statement.objects.filter(pk=first.pk).update(status=Statement.Status.HIDDEN)
        version = _draft(agenda_world)
        assert first.text not in _texts(version)
        assert version.items.count() == 4

    @pytest.mark.parametrize(
        ("given", "field"),
        [
            ({"ranking_method": "loudest"}, "ranking_method"),
            ({"n_items": 0}, "n_items"),
            ({"n_items": 51}, "n_items"),
        ],
    )
    def test_bad_input_names_the_field_and_writes_nothing(self, agenda_world, given, field):
        with pytest.raises(ValidationError) as error:
            _draft(agenda_world, **given)
        assert field in error.value.message_dict
        assert not AgendaVersion.objects.exists()

    def test_without_results_there_is_nothing_to_draft_from(self, agenda_world):
        agenda_world.snapshot.delete()
        with pytest.raises(ValidationError) as error:
            _draft(agenda_world)
        assert "dialogue" in error.value.message_dict

    def test_one_draft_at_a_time(self, agenda_world):
        _draft(agenda_world)
        with pytest.raises(ValidationError):
            _draft(agenda_world)

    @pytest.mark.parametrize("phase", [Phase.CONTRIBUTE, Phase.DELIBERATE])
    def test_not_before_the_phase_allows_it(self, agenda_world, phase):
        Dialogue.objects.filter(pk=agenda_world.dialogue.pk).update(phase=phase)
        agenda_world.dialogue.refresh_from_db()
        with pytest.raises(PermissionDenied):
            _draft(agenda_world)

    @pytest.mark.parametrize("role", ["member", "org_admin", "stranger"])
    def test_not_by_participants(self, agenda_world, role):
        with pytest.raises(PermissionDenied):
            agenda_draft_create(actor=agenda_world.person(role), dialogue=agenda_world.dialogue)


class TestItems:
    def test_add_update_move_delete(self, agenda_world):
        facilitator = agenda_world.person("facilitator")
        version = _draft(agenda_world, n_items=3)
        added = agenda_item_add(
            actor=facilitator,
            version=version,
            text={"en": "Connect every school", "es": "Conectar cada escuela"},
            original_language="en",
            theme={"en": "Connectivity"},
            statements=agenda_world.statements[4:6],
        )
        assert added.position == 4
        assert added.evidence["statement_ids"] == [str(s.pk) for s in agenda_world.statements[4:6]]
        assert added.text_in("es") == ("Conectar cada escuela", False)
        assert added.text_in("fr") == ("Connect every school", True)
        assert added.theme_in("pt") == "Connectivity"

        agenda_item_move(actor=facilitator, item=added, position=1)
        assert _texts(version)[0] == "Connect every school"
        assert list(version.items.values_list("position", flat=True)) == [1, 2, 3, 4]

        agenda_item_update(
            actor=facilitator,
            item=added,
            text={"en": "Connect every rural school"},
            original_language="en",
            theme={},
            statements=[agenda_world.statements[0]],
        )
        added.refresh_from_db()
        assert added.text == {"en": "Connect every rural school"}
        assert list(added.statements.all()) == [agenda_world.statements[0]]
        assert added.evidence["rank"] == 1

        agenda_item_delete(actor=facilitator, item=version.items.get(position=2))
        assert list(version.items.values_list("position", flat=True)) == [1, 2, 3]

    def test_move_down_and_to_the_end(self, agenda_world):
        version = _draft(agenda_world, n_items=4)
        before = _texts(version)
        agenda_item_move(
            actor=agenda_world.person("facilitator"), item=version.items.get(position=1), position=4
        )
        assert _texts(version) == [*before[1:], before[0]]

    @pytest.mark.parametrize(
        ("given", "field"),
        [
            ({"text": {"en": ""}}, "text"),
            ({"text": {"es": "Solo español"}}, "text"),  # original en missing
            ({"text": {"xx": "?"}}, "text"),
            ({"text": {"en": "x" * 1001}}, "text"),
            ({"theme": {"en": "x" * 201}}, "theme"),
        ],
    )
    def test_bad_texts_name_the_field(self, agenda_world, given, field):
        version = _draft(agenda_world, n_items=1)
        with pytest.raises(ValidationError) as error:
            agenda_item_add(
                actor=agenda_world.person("facilitator"),
                version=version,
                original_language="en",
                **{"text": {"en": "ok"}, **given},
            )
        assert field in error.value.message_dict
        assert version.items.count() == 1

    def test_statements_of_another_dialogue_are_refused(self, agenda_world):
        version = _draft(agenda_world, n_items=1)
        elsewhere = StatementFactory(dialogue=agenda_world.world.open_dialogue)
        with pytest.raises(ValidationError) as error:
            agenda_item_add(
                actor=agenda_world.person("facilitator"),
                version=version,
                text={"en": "x"},
                original_language="en",
                statements=[elsewhere],
            )
        assert "statements" in error.value.message_dict

    def test_move_outside_the_list_is_refused(self, agenda_world):
        version = _draft(agenda_world, n_items=2)
        with pytest.raises(ValidationError) as error:
            agenda_item_move(
                actor=agenda_world.person("facilitator"),
                item=version.items.get(position=1),
                position=3,
            )
        assert "position" in error.value.message_dict


class TestPublish:
    def test_numbers_versions_and_freezes_the_evidence(self, agenda_world):
        facilitator = agenda_world.person("facilitator")
        version = agenda_publish(actor=facilitator, version=_draft(agenda_world), note="First")
        assert (version.number, version.status, version.note) == (1, "published", "First")
        assert version.published_by == facilitator
        assert version.published_at

        frozen = version.items.get(position=1).evidence
        # New results come in: the published version keeps what it stood on.
        snapshot_create(agenda_world.dialogue, list(reversed(agenda_world.statements)))
        assert version.items.get(position=1).evidence == frozen

        second = agenda_publish(
            actor=facilitator, version=agenda_draft_copy(actor=facilitator, agenda=version.agenda)
        )
        assert second.number == 2
        assert second.evidence["snapshot_id"] != version.evidence["snapshot_id"]

    def test_published_versions_refuse_every_edit(self, agenda_world):
        facilitator = agenda_world.person("facilitator")
        version = agenda_publish(actor=facilitator, version=_draft(agenda_world))
        item = version.items.get(position=1)
        with pytest.raises(PermissionDenied):
            agenda_item_add(
                actor=facilitator, version=version, text={"en": "x"}, original_language="en"
            )
        with pytest.raises(PermissionDenied):
            agenda_item_move(actor=facilitator, item=item, position=2)
        with pytest.raises(PermissionDenied):
            agenda_publish(actor=facilitator, version=version)
        with pytest.raises(PermissionDenied):
            agenda_draft_discard(actor=facilitator, version=version)

    def test_the_database_refuses_changes_to_published_versions(self, agenda_world):
        version = agenda_publish(
            actor=agenda_world.person("facilitator"), version=_draft(agenda_world)
        )
        with pytest.raises(DatabaseError), transaction.atomic():
            AgendaItem.objects.filter(version=version).update(text={"en": "rewritten"})
        with pytest.raises(DatabaseError), transaction.atomic():
            AgendaVersion.objects.filter(pk=version.pk).update(number=7)
        with pytest.raises(DatabaseError), transaction.atomic():
            AgendaItem.objects.create(
                version=version, position=99, text={"en": "x"}, original_language="en"
            )
        assert version.items.get(position=1).text != {"en": "rewritten"}

    def test_an_empty_draft_is_not_published(self, agenda_world):
        facilitator = agenda_world.person("facilitator")
        version = _draft(agenda_world, n_items=1)
        agenda_item_delete(actor=facilitator, item=version.items.get())
        with pytest.raises(ValidationError):
            agenda_publish(actor=facilitator, version=version)

    def test_discarding_a_draft_removes_it(self, agenda_world):
        version = _draft(agenda_world)
        agenda_draft_discard(actor=agenda_world.person("facilitator"), version=version)
        assert not AgendaVersion.objects.exists()


class TestEndorsements:
    def _published(self, aw):
        return agenda_publish(actor=aw.person("facilitator"), version=_draft(aw))

    def test_an_organisation_admin_endorses_once_and_may_withdraw_and_endorse_again(
        self, agenda_world
    ):
        version = self._published(agenda_world)
        admin = agenda_world.person("org_admin")
        organisation = agenda_world.world.organisation
        endorsement = endorsement_create(actor=admin, version=version, organisation=organisation)
        with pytest.raises(ValidationError) as error:
            endorsement_create(actor=admin, version=version, organisation=organisation)
        assert "organisation" in error.value.message_dict

        endorsement_withdraw(actor=admin, endorsement=endorsement)
        endorsement.refresh_from_db()
        assert endorsement.withdrawn_at
        assert endorsement.withdrawn_by == admin
        endorsement_create(actor=admin, version=version, organisation=organisation)
        assert Endorsement.objects.filter(version=version).count() == 2

    @pytest.mark.parametrize("role", ["member", "outsider_admin", "facilitator", "admin"])
    def test_others_do_not_endorse_for_the_organisation(self, agenda_world, role):
        version = self._published(agenda_world)
        with pytest.raises(PermissionDenied):
            endorsement_create(
                actor=agenda_world.person(role),
                version=version,
                organisation=agenda_world.world.organisation,
            )

    def test_non_member_organisations_do_not_endorse(self, agenda_world):
        version = self._published(agenda_world)
        with pytest.raises(PermissionDenied):
            endorsement_create(
                actor=agenda_world.person("outsider_admin"),
                version=version,
                organisation=agenda_world.world.other_organisation,
            )

    def test_only_the_newest_published_version_and_never_a_draft(self, agenda_world):
        facilitator = agenda_world.person("facilitator")
        first = self._published(agenda_world)
        draft = agenda_draft_copy(actor=facilitator, agenda=first.agenda)
        kwargs = {
            "actor": agenda_world.person("org_admin"),
            "organisation": agenda_world.world.organisation,
        }
        with pytest.raises(PermissionDenied):
            endorsement_create(version=draft, **kwargs)
        agenda_publish(actor=facilitator, version=draft)
        with pytest.raises(PermissionDenied):
            endorsement_create(version=first, **kwargs)

    def test_only_the_organisations_admins_withdraw(self, agenda_world):
        version = self._published(agenda_world)
        endorsement = endorsement_create(
            actor=agenda_world.person("org_admin"),
            version=version,
            organisation=agenda_world.world.organisation,
        )
        for role in ["member", "facilitator", "outsider_admin"]:
            with pytest.raises(PermissionDenied):
                endorsement_withdraw(actor=agenda_world.person(role), endorsement=endorsement)


def test_a_persons_data_export_lists_their_endorsements(agenda_world):
    from puente.accounts.services import personal_data_export

    version = agenda_publish(actor=agenda_world.person("facilitator"), version=_draft(agenda_world))
    admin = agenda_world.person("org_admin")
    endorsement_create(actor=admin, version=version, organisation=agenda_world.world.organisation)
    data = personal_data_export(person=admin)
    assert data["agenda_endorsements"] == [
        {
            "agenda": "Joint agenda: Shared priorities",
            "version": 1,
            "organisation": "ECLAC",
            "endorsed_at": Endorsement.objects.get().created_at.isoformat(),
            "withdrawn_at": None,
        }
    ]
