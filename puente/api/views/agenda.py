"""A dialogue's joint agenda: published versions with items, the draft, endorsements."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.agenda.models import Agenda, AgendaItem, AgendaVersion, Endorsement
from puente.agenda.permissions import (
    can_draft_agenda,
    can_edit_draft,
    can_endorse,
    can_view_agenda_draft,
    can_withdraw_endorsement,
)
from puente.agenda.selectors import draft_get, endorsement_list, item_list, version_get
from puente.agenda.services import (
    MAX_ITEMS,
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
from puente.consensus import RANKING_METHODS
from puente.core.permissions import Viewer
from puente.dialogues.models import Dialogue, Statement
from puente.stakeholders.models import Organisation

from ..permissions import person_of
from ..serializers import (
    AbsoluteUrlField,
    BoundedCharField,
    LanguageCodeField,
    OrganisationSummarySerializer,
    organisation_slug_field,
)
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, SIGNED_IN, error_responses
from .dialogues import dialogue_or_404


def _agenda_or_404(slug: str, dialogue_slug: str, viewer: Viewer) -> Agenda:
    dialogue = dialogue_or_404(slug, dialogue_slug, viewer)
    agenda = Agenda.objects.filter(dialogue=dialogue).first()
    if agenda is None:
        raise NotFound
    agenda.dialogue = dialogue
    return agenda


def _version_or_404(agenda: Agenda, number: int) -> AgendaVersion:
    try:
        return version_get(agenda=agenda, number=number)
    except AgendaVersion.DoesNotExist as error:
        raise NotFound from error


def _draft_or_404(agenda: Agenda, viewer: Viewer) -> AgendaVersion:
    """Return the draft to whoever may see it; 404 for everyone else, revealing nothing."""
    draft = draft_get(agenda=agenda) if can_view_agenda_draft(viewer, agenda) else None
    if draft is None:
        raise NotFound
    return draft


class TextsField(serializers.DictField):
    """Text by language code: {"en": "...", "es": "..."}."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("Text by language code; missing languages show the original.")
        )
        super().__init__(child=BoundedCharField(max_length=max_length, allow_blank=True), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        """Refuse keys that are not the site's language codes."""
        value: dict[str, str] = super().to_internal_value(data)
        known = {code for code, _name in settings.LANGUAGES}
        unknown = sorted(str(key) for key in value if key not in known)
        if unknown:
            raise serializers.ValidationError(
                _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return value


class ItemStatementSerializer(serializers.Serializer[Statement]):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)


class ItemSerializer(serializers.Serializer[AgendaItem]):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable identifier."))
    position = serializers.IntegerField(read_only=True, help_text=_("1 is first."))
    lineage = serializers.UUIDField(
        read_only=True, help_text=_("The same for an item and its copies in later versions.")
    )
    theme = serializers.DictField(child=serializers.CharField(), read_only=True)
    text = serializers.DictField(child=serializers.CharField(), read_only=True)
    original_language = serializers.CharField(read_only=True)
    statements = ItemStatementSerializer(many=True, read_only=True)
    evidence = serializers.DictField(
        read_only=True,
        help_text=_(
            "Figures of the item's best-ranked statement from the results: rank, joint support "
            "per grouping and joint_score, group consensus, agree/disagree/pass, by_grouping "
            "(region, stakeholder type)."
        ),
    )


class VersionSerializer(serializers.Serializer[AgendaVersion]):
    number = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=AgendaVersion.Status.choices, read_only=True)
    note = serializers.CharField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    evidence = serializers.DictField(
        read_only=True, help_text=_("The results snapshot the evidence comes from.")
    )
    url = AbsoluteUrlField(source="get_absolute_url", help_text=_("The version's web page."))


class VersionDetailSerializer(VersionSerializer):
    items = serializers.SerializerMethodField()

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, version: AgendaVersion) -> list[dict[str, Any]]:
        """Return the items in order."""
        return [dict(ItemSerializer(item).data) for item in item_list(version=version)]


class EndorsementSerializer(serializers.Serializer[Endorsement]):
    id = serializers.IntegerField(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    withdrawn_at = serializers.DateTimeField(read_only=True, allow_null=True)


class AgendaVersionListApi(generics.ListAPIView[AgendaVersion]):
    """List an agenda's published versions, newest first."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = VersionSerializer

    def get_queryset(self) -> QuerySet[AgendaVersion]:
        """Return the published versions, if the viewer may read the dialogue."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return AgendaVersion.objects.none()
        agenda = _agenda_or_404(
            self.kwargs["slug"], self.kwargs["dialogue_slug"], self.request.user
        )
        return (
            AgendaVersion.objects.filter(agenda=agenda, status=AgendaVersion.Status.PUBLISHED)
            .select_related("agenda__dialogue__partnership")
            .order_by("-number")
        )

    @extend_schema(
        summary="List the published versions of a dialogue's joint agenda.",
        responses={200: VersionSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the versions."""
        return super().get(request, *args, **kwargs)


class AgendaVersionDetailApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    OutputSerializer = VersionDetailSerializer

    @extend_schema(
        summary="Show a published version of the joint agenda with its items and evidence.",
        responses={200: OutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, slug: str, dialogue_slug: str, number: int) -> Response:
        """Show the version."""
        agenda = _agenda_or_404(slug, dialogue_slug, request.user)
        return Response(self.OutputSerializer(_version_or_404(agenda, number)).data)


class AgendaDraftApi(APIView):
    """GET shows the draft; POST starts one from the results; DELETE discards it."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        ranking_method = serializers.ChoiceField(
            choices=list(RANKING_METHODS), required=False, help_text=_("Default: joint-support.")
        )
        n_items = serializers.IntegerField(
            min_value=1, max_value=MAX_ITEMS, required=False, help_text=_("Default: 8.")
        )

        class Meta:
            ref_name = "AgendaDraftCreate"

    OutputSerializer = VersionDetailSerializer

    @extend_schema(
        summary="Show the agenda's draft (facilitators and platform admins).",
        responses={200: OutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Show the draft."""
        agenda = _agenda_or_404(slug, dialogue_slug, request.user)
        return Response(self.OutputSerializer(_draft_or_404(agenda, request.user)).data)

    @extend_schema(
        summary="Start the agenda's draft from the newest results (facilitators, by phase).",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Start a draft with the top statements under the ranking method."""
        actor = person_of(request)
        dialogue: Dialogue = dialogue_or_404(slug, dialogue_slug, actor)
        if not can_draft_agenda(actor, dialogue):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        version = agenda_draft_create(actor=actor, dialogue=dialogue, **given.validated_data)
        return Response(self.OutputSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Discard the agenda's draft (facilitators, by phase).",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Delete the draft and its items."""
        actor = person_of(request)
        draft = _draft_or_404(_agenda_or_404(slug, dialogue_slug, actor), actor)
        if not can_edit_draft(actor, draft):
            raise PermissionDenied
        agenda_draft_discard(actor=actor, version=draft)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _ItemInputSerializer(serializers.Serializer[Any]):
    text = TextsField(max_length=AgendaItem.MAX_LENGTH)
    original_language = LanguageCodeField(
        help_text=_("The language the item was written in; it must have a text.")
    )
    theme = TextsField(
        max_length=AgendaItem.MAX_THEME_LENGTH,
        required=False,
        help_text=_("The heading the item is grouped under, by language code."),
    )
    statements = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=200,
        help_text=_("Ids of the dialogue's statements behind the item."),
    )


def _statements(dialogue: Dialogue, ids: list[int]) -> list[Statement]:
    found = Statement.objects.filter(dialogue=dialogue, pk__in=ids).in_bulk()
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise serializers.ValidationError(
            {
                "statements": [
                    _("No statement of this dialogue has the id %(id)s.") % {"id": missing[0]}
                ]
            }
        )
    return [found[pk] for pk in ids]


class AgendaItemCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(_ItemInputSerializer):
        class Meta:
            ref_name = "AgendaItemCreate"

    OutputSerializer = ItemSerializer

    @extend_schema(
        summary="Add an item at the end of the draft (facilitators, by phase).",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Add the item."""
        actor = person_of(request)
        draft = _draft_or_404(_agenda_or_404(slug, dialogue_slug, actor), actor)
        if not can_edit_draft(actor, draft):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        item = agenda_item_add(
            actor=actor,
            version=draft,
            text=data["text"],
            original_language=data["original_language"],
            theme=data.get("theme", {}),
            statements=_statements(draft.agenda.dialogue, data.get("statements", [])),
        )
        return Response(self.OutputSerializer(item).data, status=status.HTTP_201_CREATED)


class AgendaItemApi(APIView):
    """PATCH changes a draft item (and may move it); DELETE removes it."""

    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(_ItemInputSerializer):
        position = serializers.IntegerField(
            min_value=1, required=False, help_text=_("Move the item here; 1 is first.")
        )

        class Meta:
            ref_name = "AgendaItemUpdate"

    OutputSerializer = ItemSerializer

    def _item(self, request: Request, slug: str, dialogue_slug: str, item_id: int) -> AgendaItem:
        actor = person_of(request)
        draft = _draft_or_404(_agenda_or_404(slug, dialogue_slug, actor), actor)
        item = get_object_or_404(
            AgendaItem.objects.prefetch_related("statements"), version=draft, pk=item_id
        )
        if not can_edit_draft(actor, draft):
            raise PermissionDenied
        return item

    @extend_schema(
        summary="Change or move a draft item (facilitators, by phase).",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str, dialogue_slug: str, item_id: int) -> Response:
        """Change the fields given; move the item if a position is given."""
        actor = person_of(request)
        item = self._item(request, slug, dialogue_slug, item_id)
        given = self.InputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        editable = {"text", "original_language", "theme", "statements"}
        if editable & set(data):
            agenda_item_update(
                actor=actor,
                item=item,
                text=data.get("text", item.text),
                original_language=data.get("original_language", item.original_language),
                theme=data.get("theme", item.theme),
                statements=_statements(item.version.agenda.dialogue, data["statements"])
                if "statements" in data
                else list(item.statements.all()),
            )
        if "position" in data:
            agenda_item_move(actor=actor, item=item, position=data["position"])
        item.refresh_from_db()
        return Response(self.OutputSerializer(item).data)

    @extend_schema(
        summary="Remove a draft item (facilitators, by phase).",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, dialogue_slug: str, item_id: int) -> Response:
        """Remove the item; the items after it move up."""
        item = self._item(request, slug, dialogue_slug, item_id)
        agenda_item_delete(actor=person_of(request), item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AgendaPublishApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        note = BoundedCharField(
            max_length=2000, required=False, allow_blank=True, help_text=_("What changed.")
        )

        class Meta:
            ref_name = "AgendaPublish"

    OutputSerializer = VersionDetailSerializer

    @extend_schema(
        summary="Publish the draft as the next version (facilitators, by phase).",
        description="A published version never changes; its evidence stays as the results "
        "stood when it was published.",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str) -> Response:
        """Publish the draft."""
        actor = person_of(request)
        draft = _draft_or_404(_agenda_or_404(slug, dialogue_slug, actor), actor)
        if not can_edit_draft(actor, draft):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        version = agenda_publish(
            actor=actor, version=draft, note=given.validated_data.get("note", "")
        )
        return Response(self.OutputSerializer(version).data, status=status.HTTP_201_CREATED)


class EndorsementCollectionApi(generics.ListAPIView[Endorsement]):
    """GET lists a version's standing endorsements; POST endorses it for an organisation."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = EndorsementSerializer

    class InputSerializer(serializers.Serializer[Any]):
        organisation = organisation_slug_field(
            help_text=_("Slug of the member organisation you administer.")
        )

        class Meta:
            ref_name = "EndorsementCreate"

    def get_queryset(self) -> QuerySet[Endorsement]:
        """Return the standing endorsements of the version."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return Endorsement.objects.none()
        agenda = _agenda_or_404(
            self.kwargs["slug"], self.kwargs["dialogue_slug"], self.request.user
        )
        return endorsement_list(version=_version_or_404(agenda, self.kwargs["number"]))

    @extend_schema(
        summary="List the organisations that endorse a published version.",
        responses={200: EndorsementSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the endorsements."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Endorse the newest published version for an organisation you administer.",
        request=InputSerializer,
        responses={201: EndorsementSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, dialogue_slug: str, number: int) -> Response:
        """Endorse the version."""
        actor = person_of(request)
        version = _version_or_404(_agenda_or_404(slug, dialogue_slug, actor), number)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        organisation: Organisation = given.validated_data["organisation"]
        if not can_endorse(actor, version, organisation):
            raise PermissionDenied
        endorsement = endorsement_create(actor=actor, version=version, organisation=organisation)
        return Response(EndorsementSerializer(endorsement).data, status=status.HTTP_201_CREATED)


class EndorsementWithdrawApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = SIGNED_IN

    @extend_schema(
        summary="Withdraw an endorsement (admins of the endorsing organisation).",
        request=None,
        responses={200: EndorsementSerializer, **error_responses(401, 403, 404)},
    )
    def post(
        self, request: Request, slug: str, dialogue_slug: str, number: int, endorsement_id: int
    ) -> Response:
        """Withdraw the endorsement; it stays on record."""
        actor = person_of(request)
        version = _version_or_404(_agenda_or_404(slug, dialogue_slug, actor), number)
        endorsement = get_object_or_404(
            Endorsement.objects.select_related("organisation"),
            version=version,
            pk=endorsement_id,
            withdrawn_at__isnull=True,
        )
        if not can_withdraw_endorsement(actor, endorsement):
            raise PermissionDenied
        endorsement = endorsement_withdraw(actor=actor, endorsement=endorsement)
        return Response(EndorsementSerializer(endorsement).data)
