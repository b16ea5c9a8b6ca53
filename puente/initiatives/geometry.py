"""GeoJSON geometries of places: checked before they are stored, never trusted as given."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The most vertices one place may have (a cable's route is drawn with a few hundred).
MAX_VERTICES = 2000
TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


def _position(value: Any) -> tuple[float, float]:
    if (
        not isinstance(value, list | tuple)
        or len(value) not in (2, 3)
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value)
    ):
        raise ValidationError(_("Each position is [longitude, latitude]."), code="position")
    # A huge integer has no float (OverflowError); the altitude must be finite too, since
    # JSON has no NaN or infinity to store it as.
    if not all(
        (isinstance(n, int) and abs(n) <= 10**6) or (isinstance(n, float) and math.isfinite(n))
        for n in value
    ):
        raise ValidationError(_("Coordinates must be finite numbers."), code="position")
    longitude, latitude = float(value[0]), float(value[1])
    if not -180 <= longitude <= 180 or not -90 <= latitude <= 90:
        raise ValidationError(
            _("Longitude must lie between -180 and 180 and latitude between -90 and 90."),
            code="range",
        )
    return longitude, latitude


def _line(value: Any, minimum: int) -> list[tuple[float, float]]:
    if not isinstance(value, list) or len(value) < minimum:
        raise ValidationError(
            _("A line needs at least %(n)d positions.") % {"n": minimum}, code="line"
        )
    return [_position(position) for position in value]


def _ring(value: Any) -> list[tuple[float, float]]:
    ring = _line(value, 4)
    if ring[0] != ring[-1]:
        raise ValidationError(
            _("A polygon's ring must end where it starts (closed ring)."), code="ring"
        )
    return ring


def _polygon(value: Any) -> list[tuple[float, float]]:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("A polygon needs at least one ring."), code="polygon")
    return [position for ring in value for position in _ring(ring)]


def geometry_positions(geometry: Any) -> list[tuple[float, float]]:
    """Return every position of the geometry; raise ValidationError if it is not valid."""
    if not isinstance(geometry, dict):
        raise ValidationError(_("A geometry is a GeoJSON object."), code="geometry")
    kind = geometry.get("type")
    if kind not in TYPES:
        raise ValidationError(
            _("The geometry type must be one of: %(types)s.") % {"types": ", ".join(TYPES)},
            code="type",
        )
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        return [_position(coordinates)]
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError(_("The geometry has no coordinates."), code="coordinates")
    if kind == "MultiPoint":
        return [_position(position) for position in coordinates]
    if kind == "LineString":
        return _line(coordinates, 2)
    if kind == "MultiLineString":
        return [position for line in coordinates for position in _line(line, 2)]
    if kind == "Polygon":
        return _polygon(coordinates)
    return [position for polygon in coordinates for position in _polygon(polygon)]


def validate_geometry(geometry: Any) -> None:
    """Refuse what is not a valid, reasonably small GeoJSON geometry in WGS84 degrees."""
    extra = set(geometry) - {"type", "coordinates"} if isinstance(geometry, dict) else set()
    if extra:
        raise ValidationError(
            _("A geometry has only a type and coordinates, not: %(keys)s.")
            % {"keys": ", ".join(sorted(map(str, extra)))},
            code="keys",
        )
    # The request size limit bounds how much there is to walk.
    positions = geometry_positions(geometry)
    if len(positions) > MAX_VERTICES:
        raise ValidationError(
            _("A place may have at most %(n)d positions.") % {"n": MAX_VERTICES},
            code="too_many",
        )
