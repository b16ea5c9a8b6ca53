import re

import pytest
import vl_convert
from django.core.cache import cache
from django.utils import translation

from puente.core.choices import Region, StakeholderType
from puente.partnerships import charts
from puente.partnerships.charts import (
    composition_chart_spec,
    composition_chart_svg,
    composition_parts,
)

COMPOSITION = {
    "region": {"EU": 3, "LAC": 12},
    "stakeholder_type": {"public": 4, "academia": 11},
}


def _relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast_on_white(colour: str) -> float:
    return 1.05 / (_relative_luminance(colour) + 0.05)


def test_parts_list_every_region_and_type_in_order_with_zero_for_absent_ones():
    by_region, by_type = composition_parts(COMPOSITION)

    assert [(row["code"], row["n"]) for row in by_region.rows] == [
        ("EU", 3),
        ("LAC", 12),
        ("OTHER", 0),
    ]
    assert [row["code"] for row in by_type.rows] == list(StakeholderType.values)
    assert sum(int(row["n"]) for row in by_type.rows) == 15


def test_parts_carry_the_labels_of_the_active_language():
    with translation.override("es"):
        by_region, _by_type = composition_parts(COMPOSITION)
        expected = [str(label) for label in Region.labels]

    assert [row["label"] for row in by_region.rows] == expected


def test_spec_is_two_bar_charts_with_inline_data_only():
    spec = composition_chart_spec(COMPOSITION)

    assert len(spec["vconcat"]) == 2
    assert [chart["layer"][0]["mark"]["type"] for chart in spec["vconcat"]] == ["bar", "bar"]
    assert "url" not in str(spec["vconcat"])
    region_values = spec["datasets"][spec["vconcat"][0]["data"]["name"]]
    assert {row["label"]: row["n"] for row in region_values}[
        "Latin America and the Caribbean"
    ] == 12


@pytest.mark.parametrize(
    "colour", [charts.REGION_COLOUR, charts.STAKEHOLDER_TYPE_COLOUR, charts.INK]
)
def test_chart_colours_reach_aa_contrast_on_white(colour):
    assert _contrast_on_white(colour) >= 4.5


def test_svg_shows_labels_and_counts():
    svg = composition_chart_svg(COMPOSITION)

    assert svg.startswith("<svg")
    assert "Latin America and the Caribbean" in svg
    assert "Financing institution" in svg
    assert re.search(r">12</text>", svg)


def test_svg_is_rendered_once_per_data_and_language(monkeypatch):
    calls = []
    render = vl_convert.vegalite_to_svg

    def counting_render(spec, **options):
        calls.append(options.get("format_locale"))
        return render(spec, **options)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting_render)
    cache.clear()

    first = composition_chart_svg(COMPOSITION)
    again = composition_chart_svg(COMPOSITION)
    with translation.override("fr"):
        composition_chart_svg(COMPOSITION)
    composition_chart_svg({"region": {"EU": 1}, "stakeholder_type": {}})

    assert first == again
    assert calls == ["en-GB", "fr-FR", "en-GB"]


@pytest.mark.parametrize(
    ("language", "format_locale"), [("pt", "pt-PT"), ("pt-br", "pt-BR"), ("es", "es-ES")]
)
def test_svg_groups_digits_as_the_readers_country_does(monkeypatch, language, format_locale):
    calls = []
    render = vl_convert.vegalite_to_svg

    def counting_render(spec, **options):
        calls.append(options.get("format_locale"))
        return render(spec, **options)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting_render)
    cache.clear()

    with translation.override(language):
        composition_chart_svg(COMPOSITION)

    assert calls == [format_locale]
