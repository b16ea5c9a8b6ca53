"""Charts of a partnership's make-up: Vega-Lite specs built with altair, rendered to SVG."""

import hashlib
import json
from typing import TYPE_CHECKING, Any, NamedTuple

import altair as alt
import vl_convert
from django.core.cache import cache
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from puente.core.choices import Region, StakeholderType

if TYPE_CHECKING:
    from vl_convert import FormatLocaleName

Composition = dict[str, dict[str, int]]
CountRow = dict[str, str | int]

# Both bar colours reach at least 7:1 against the white background, above the 3:1
# WCAG asks of graphical objects; text is near-black.
REGION_COLOUR = "#0b4f6c"
STAKEHOLDER_TYPE_COLOUR = "#7a3b00"
INK = "#1b1f24"
AXIS_GREY = "#555b61"
GRID_GREY = "#d0d5da"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
CHART_WIDTH = 320
BAR_STEP = 26
LABEL_EXTENT = 200
CACHE_SECONDS = 24 * 3600
CACHE_VERSION = "1"
# d3-format locales, so that counts use the reader's digit grouping.
FORMAT_LOCALES: "dict[str, FormatLocaleName]" = {
    "en": "en-GB",
    "es": "es-ES",
    "pt": "pt-PT",
    "pt-br": "pt-BR",
    "fr": "fr-FR",
}


class ChartPart(NamedTuple):
    """One bar chart of the composition, with the words its table alternative needs."""

    title: str
    caption: str
    category: str
    colour: str
    rows: list[CountRow]


def composition_rows(counts: dict[str, int], choices: type[models.TextChoices]) -> list[CountRow]:
    """Return one row per choice, in choice order, with its translated label and count."""
    return [
        {"code": str(code), "label": str(label), "n": int(counts.get(str(code), 0))}
        for code, label in choices.choices
    ]


def composition_parts(composition: Composition, *, members: bool = True) -> list[ChartPart]:
    """Return the region and stakeholder-type parts of the composition, labels translated:
    of a partnership's member organisations, or (members=False) of the whole directory."""
    return [
        ChartPart(
            title=_("By region"),
            caption=_("Member organisations by region")
            if members
            else _("Organisations by region"),
            category=_("Region"),
            colour=REGION_COLOUR,
            rows=composition_rows(composition.get("region", {}), Region),
        ),
        ChartPart(
            title=_("By stakeholder type"),
            caption=_("Member organisations by stakeholder type")
            if members
            else _("Organisations by stakeholder type"),
            category=_("Stakeholder type"),
            colour=STAKEHOLDER_TYPE_COLOUR,
            rows=composition_rows(composition.get("stakeholder_type", {}), StakeholderType),
        ),
    ]


def _bar_chart(part: ChartPart) -> alt.LayerChart:
    base = alt.Chart(alt.InlineData(values=part.rows)).encode(
        y=alt.Y(
            "label:N", sort=None, title=None, axis=alt.Axis(labelLimit=280, minExtent=LABEL_EXTENT)
        ),
        x=alt.X(
            "n:Q",
            title=_("Organisations"),
            axis=alt.Axis(format="d", tickMinStep=1),
            scale=alt.Scale(domainMin=0),
        ),
    )
    bars = base.mark_bar(color=part.colour)
    counts = base.mark_text(align="left", baseline="middle", dx=4, color=INK).encode(
        text=alt.Text("n:Q", format="d")
    )
    return alt.LayerChart(layer=[bars, counts]).properties(
        title=part.title, width=CHART_WIDTH, height=alt.Step(BAR_STEP)
    )


def _spec(parts: list[ChartPart]) -> dict[str, Any]:
    chart = (
        alt.vconcat(*(_bar_chart(part) for part in parts), spacing=28)
        .configure(font=FONT)
        .configure_axis(
            labelColor=INK,
            titleColor=INK,
            labelFontSize=12,
            titleFontSize=12,
            domainColor=AXIS_GREY,
            tickColor=AXIS_GREY,
            gridColor=GRID_GREY,
        )
        .configure_title(color=INK, fontSize=14, anchor="start", frame="group")
        .configure_text(fontSize=12)
        .configure_view(stroke=None)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def composition_chart_spec(composition: Composition) -> dict[str, Any]:
    """Return the Vega-Lite spec of two bar charts: organisations by region and by type."""
    return _spec(composition_parts(composition))


def composition_chart_svg(composition: Composition, *, members: bool = True) -> str:
    """Return the composition chart as SVG, rendered once per data and language, then cached."""
    language = get_language() or "en"
    parts = composition_parts(composition, members=members)
    # The key covers the translated labels and the counts, so a hit skips building the spec.
    payload = json.dumps([parts, _("Organisations")], ensure_ascii=False).encode()
    digest = hashlib.sha256(payload).hexdigest()
    key = f"partnerships:composition-svg:{CACHE_VERSION}:{language}:{digest}"
    svg: str | None = cache.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(
            _spec(parts),
            allowed_base_urls=[],
            format_locale=FORMAT_LOCALES.get(
                language, FORMAT_LOCALES.get(language.split("-")[0], "en-GB")
            ),
        )
        cache.set(key, svg, CACHE_SECONDS)
    return svg
