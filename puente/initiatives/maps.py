"""Places on the offline map: GeoJSON features coloured by status, and country shading."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .geometry import geometry_positions
from .models import ActivityStatus, Place

# Okabe-Ito colours, told apart with any colour vision; markers and lines get a dark outline,
# so each stands out at 3:1 or more against the land and sea whatever its fill.
STATUS_COLOURS: dict[str, str] = {
    ActivityStatus.PIPELINE: "#E69F00",
    ActivityStatus.IMPLEMENTATION: "#0072B2",
    ActivityStatus.FINALISATION: "#009E73",
    ActivityStatus.CLOSED: "#7F7F7F",
    ActivityStatus.CANCELLED: "#D55E00",
    ActivityStatus.SUSPENDED: "#CC79A7",
}
# A sequential blue scale (ColorBrewer Blues, 5 classes), light for little money.
CHOROPLETH_COLOURS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


def status_legend() -> list[dict[str, str]]:
    """Return each status with its label and colour, in codelist order."""
    return [
        {"status": str(code), "label": str(label), "colour": STATUS_COLOURS[code]}
        for code, label in ActivityStatus.choices
    ]


def place_feature(place: Place) -> dict[str, Any]:
    """Return the place as a GeoJSON Feature with what its popup and colour need."""
    initiative = place.initiative
    return {
        "type": "Feature",
        "geometry": place.geometry,
        "properties": {
            "name": place.name,
            "kind": place.kind,
            "kind_label": str(place.get_kind_display()),
            "initiative": initiative.title,
            "url": initiative.get_absolute_url(),
            "status": initiative.status,
            "status_label": str(initiative.get_status_display()),
            "colour": STATUS_COLOURS.get(initiative.status, "#7F7F7F"),
        },
    }


def place_features(places: Iterable[Place]) -> dict[str, Any]:
    """Return the places as a GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": [place_feature(p) for p in places]}


def _position_text(position: tuple[float, float]) -> str:
    longitude, latitude = position
    return f"{latitude:.2f}, {longitude:.2f}"


def place_coordinates(place: Place) -> str:
    """Return where the place is, in words: latitude, longitude of a point or of its ends."""
    positions = geometry_positions(place.geometry)
    if len(positions) == 1:
        return _position_text(positions[0])
    return _("%(n)d positions, from %(first)s to %(last)s") % {
        "n": len(positions),
        "first": _position_text(positions[0]),
        "last": _position_text(positions[-1]),
    }


def choropleth_classes(amounts: dict[str, Decimal]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Return each country's colour and the legend: five equal steps up to the largest amount.

    Countries with nothing are left out (the map leaves them unshaded).
    """
    largest = max(amounts.values(), default=Decimal(0))
    n_classes = len(CHOROPLETH_COLOURS)
    legend = [
        {
            "colour": colour,
            "low": largest * index / n_classes,
            "high": largest * (index + 1) / n_classes,
        }
        for index, colour in enumerate(CHOROPLETH_COLOURS)
    ]
    colours: dict[str, str] = {}
    if largest <= 0:
        return colours, []
    for code, amount in amounts.items():
        if amount <= 0:
            continue
        index = min(int(amount * n_classes / largest - Decimal("0.000001")), n_classes - 1)
        colours[code] = CHOROPLETH_COLOURS[max(index, 0)]
    return colours, legend
