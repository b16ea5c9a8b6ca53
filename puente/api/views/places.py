"""Places of initiatives as GeoJSON: a FeatureCollection per initiative and for all of them."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.initiatives.geometry import TYPES, validate_geometry
from puente.initiatives.models import ActivityStatus, Initiative, Place
from puente.initiatives.selectors import initiatives_visible_to
from puente.initiatives.services import part_delete, part_save

from ..serializers import BoundedCharField
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, error_responses
from .initiatives import editable_initiative_or_404, initiative_or_404

# Positions nest at most four deep (a MultiPolygon); each is [longitude, latitude(, height)].
_POSITION = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3}
_COORDINATES: dict[str, Any] = {
    "description": "[longitude, latitude] positions, nested as the geometry type requires.",
    "oneOf": [
        _POSITION,
        {"type": "array", "items": _POSITION},
        {"type": "array", "items": {"type": "array", "items": _POSITION}},
        {
            "type": "array",
            "items": {"type": "array", "items": {"type": "array", "items": _POSITION}},
        },
    ],
}
GEOMETRY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A GeoJSON geometry in WGS84 degrees (RFC 7946), at most 2000 positions.",
    "properties": {"type": {"type": "string", "enum": list(TYPES)}, "coordinates": _COORDINATES},
    "required": ["type", "coordinates"],
    "additionalProperties": False,
}


@extend_schema_field(GEOMETRY_SCHEMA, component_name="Geometry")
class GeometryField(serializers.JSONField):
    """A GeoJSON geometry, checked by the initiatives app before it is stored."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validators=[validate_geometry], **kwargs)


class PlacePropertiesSerializer(serializers.Serializer[Place]):
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Place.Kind.choices, read_only=True)
    initiative_id = serializers.IntegerField(read_only=True)
    initiative_title = serializers.CharField(source="initiative.title", read_only=True)
    initiative_status = serializers.ChoiceField(
        source="initiative.status", choices=ActivityStatus.choices, read_only=True
    )
    url = serializers.SerializerMethodField(help_text=_("The initiative's web page."))

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, place: Place) -> str:
        """Return the absolute address of the initiative's page."""
        path = place.initiative.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class FeatureSerializer(serializers.Serializer[Place]):
    type = serializers.SerializerMethodField()
    id = serializers.IntegerField(read_only=True, help_text=_("The place's id."))
    geometry = GeometryField(read_only=True)
    properties = PlacePropertiesSerializer(source="*", read_only=True)

    @extend_schema_field({"type": "string", "enum": ["Feature"]})
    def get_type(self, place: Place) -> str:
        """Return the GeoJSON type."""
        return "Feature"


class FeatureCollectionSerializer(serializers.Serializer[Any]):
    type = serializers.SerializerMethodField()
    features = FeatureSerializer(many=True, read_only=True)

    @extend_schema_field({"type": "string", "enum": ["FeatureCollection"]})
    def get_type(self, collection: Any) -> str:
        """Return the GeoJSON type."""
        return "FeatureCollection"


def _collection(places: QuerySet[Place], request: Request) -> dict[str, Any]:
    context = {"request": request}
    features = [FeatureSerializer(place, context=context).data for place in places]
    return {"type": "FeatureCollection", "features": features}


class PlaceInputSerializer(serializers.Serializer[Any]):
    name = BoundedCharField(max_length=200)
    kind = serializers.ChoiceField(choices=Place.Kind.choices, required=False)
    geometry = GeometryField()


def _places(initiatives: QuerySet[Initiative]) -> QuerySet[Place]:
    return (
        Place.objects.filter(initiative__in=initiatives.values("pk"))
        .select_related("initiative__partnership")
        .order_by("initiative__title", "name", "pk")
    )


class PlaceMapApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class QuerySerializer(serializers.Serializer[Any]):
        # Like the list's filter: any text, a slug that names nothing maps nothing.
        partnership = serializers.CharField(
            max_length=220,
            required=False,
            allow_blank=True,
            help_text=_("Slug: only this partnership's places; empty for all."),
        )

    @extend_schema(
        summary="Map the places of every initiative you may read (GeoJSON).",
        parameters=[QuerySerializer],
        responses={200: FeatureCollectionSerializer, **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        """Return a FeatureCollection with one Feature per place."""
        given = self.QuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        initiatives = initiatives_visible_to(request.user)
        if given.validated_data.get("partnership"):
            initiatives = initiatives.filter(partnership__slug=given.validated_data["partnership"])
        return Response(_collection(_places(initiatives), request))


class PlaceCollectionApi(APIView):
    """GET maps an initiative's places (GeoJSON); POST adds one."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(PlaceInputSerializer):
        class Meta:
            ref_name = "PlaceCreate"

    @extend_schema(
        summary="Map an initiative's places (GeoJSON).",
        responses={200: FeatureCollectionSerializer, **error_responses(404)},
    )
    def get(self, request: Request, slug: str, initiative_slug: str) -> Response:
        """Return a FeatureCollection of the initiative's places."""
        initiative = initiative_or_404(slug, initiative_slug, request.user)
        return Response(_collection(_places(Initiative.objects.filter(pk=initiative.pk)), request))

    @extend_schema(
        summary="Add a place to an initiative (its editors).",
        request=InputSerializer,
        responses={201: FeatureSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str, initiative_slug: str) -> Response:
        """Add the place; the geometry is checked first."""
        actor, initiative = editable_initiative_or_404(request, slug, initiative_slug)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        place = part_save(actor=actor, part=Place(initiative=initiative, **given.validated_data))
        body = FeatureSerializer(place, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class PlaceItemApi(APIView):
    """PATCH changes a place; DELETE removes it (the initiative's editors)."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(PlaceInputSerializer):
        class Meta:
            ref_name = "PlaceUpdate"

    @extend_schema(
        summary="Change a place of an initiative (its editors).",
        request=InputSerializer,
        responses={200: FeatureSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str, initiative_slug: str, part_id: int) -> Response:
        """Change only the fields given."""
        actor, initiative = editable_initiative_or_404(request, slug, initiative_slug)
        place = get_object_or_404(Place, initiative=initiative, pk=part_id)
        given = self.InputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        for name, value in given.validated_data.items():
            setattr(place, name, value)
        place = part_save(actor=actor, part=place)
        return Response(FeatureSerializer(place, context={"request": request}).data)

    @extend_schema(
        summary="Remove a place of an initiative (its editors).",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, initiative_slug: str, part_id: int) -> Response:
        """Remove the place."""
        actor, initiative = editable_initiative_or_404(request, slug, initiative_slug)
        place = get_object_or_404(Place, initiative=initiative, pk=part_id)
        part_delete(actor=actor, part=place)
        return Response(status=status.HTTP_204_NO_CONTENT)
