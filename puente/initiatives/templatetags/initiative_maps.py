"""Template tags of the initiatives' maps."""

from collections.abc import Iterable
from typing import Any

from django import template

from ..maps import place_features
from ..models import Place

register = template.Library()


@register.simple_tag
def places_geojson(places: Iterable[Place]) -> dict[str, Any]:
    """Return the places as a GeoJSON FeatureCollection, for json_script."""
    return place_features(places)
