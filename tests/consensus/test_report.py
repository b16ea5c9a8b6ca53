"""The HTML report: self-contained, offline, accessible, built from the result JSON."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from puente.consensus.report import GROUP_COLOURS, render_report

GROUPS = 3
STATEMENTS = 14


def _counts(agree: int, disagree: int, passed: int) -> dict[str, Any]:
    return {
        "agree": agree,
        "disagree": disagree,
        "pass": passed,
        "agree_probability": (agree + 1) / (agree + disagree + passed + 2),
    }


def _statement(index: int) -> dict[str, Any]:
    by_group = {
        str(group): _counts(5 + (index * (group + 2)) % 17, 3 + (index + group) % 7, group)
        for group in range(GROUPS)
    }
    return {
        "id": str(index),
        "moderated_out": index == 13,
        "agree": sum(entry["agree"] for entry in by_group.values()),
        "disagree": sum(entry["disagree"] for entry in by_group.values()),
        "pass": sum(entry["pass"] for entry in by_group.values()),
        "group_consensus": 0.5 - index / 40,
        "group_consensus_disagree": index / 40,
        "joint_support": {"region": 0.4 - index / 50},
        "bridging": 0.3 - index / 60 if index != 4 else None,
        "divisiveness": index / 20 if index != 2 else None,
        "approval": 0.6 - index / 30,
        "loadings": [0.1 * index, -0.05 * index],
        "by_group": by_group,
        "by_grouping": {
            "region": {"EU": _counts(10 + index, 4, 1), "LAC": _counts(7, 6 + index % 3, 0)}
        },
        "pairwise": None,
    }


def hand_result() -> dict[str, Any]:
    """Return a result in the shape of ``AnalysisResult.to_dict()``."""
    participants = [
        {
            "id": str(index),
            "group": None if index % 11 == 10 else index % GROUPS,
            "x": (index % GROUPS) * 2.0 - 2.0 + (index % 5) * 0.1,
            "y": (index % 7) * 0.3 - 1.0,
        }
        for index in range(40)
    ]
    participants.append({"id": "40", "group": None, "x": None, "y": None})
    return {
        "participants": 41,
        "statements": STATEMENTS,
        "votes": 400,
        "clustering": "direct",
        "seed": 0,
        "groups": [
            {
                "id": group,
                "members": [p["id"] for p in participants if p["group"] == group],
            }
            for group in range(GROUPS)
        ],
        "groups_reason": None,
        "participants_map": participants,
        "statement_results": [_statement(index) for index in range(STATEMENTS)],
        "consensus": {"agree": ["0", "1"], "disagree": ["12"]},
        "repness": {
            "0": [
                {
                    "id": "3",
                    "direction": "agree",
                    "repness": 2.5,
                    "repness_test": 3.1,
                    "probability": 0.8,
                }
            ],
            "1": [
                {
                    "id": "5",
                    "direction": "disagree",
                    "repness": 1.7,
                    "repness_test": 2.2,
                    "probability": 0.7,
                }
            ],
            "2": [],
        },
        "ranking": {"method": "joint-support", "order": [str(i) for i in range(STATEMENTS)]},
        "statements_text": {
            "0": 'Broadband for every rural school <by 2030> & "fair" prices',
            "1": "Open data standards shared by EU and LAC",
            "5": "Bring back https://example.org/tracking?x=1",
            "7": "تحسين النقل العام",
        },
        "timings_ms": {"read": 1.5, "groups": 2.25, "total": 9.0},
    }


class _Collector(HTMLParser):
    """Collect start tags with their attributes, and the text of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_report_is_one_html_page_with_language_title_and_headings() -> None:
    html = render_report(hand_result())
    assert html.startswith("<!DOCTYPE html>")
    page = _parse(html)
    names = [tag for tag, _ in page.tags]
    assert ("html", {"lang": "en"}) in page.tags
    assert names.count("title") >= 1
    assert names.count("h1") == 1
    assert names.count("h2") >= 5
    assert names.count("main") == 1


def test_report_loads_nothing_from_elsewhere() -> None:
    html = render_report(hand_result())
    page = _parse(html)
    for tag, attributes in page.tags:
        for name in ("src", "href", "xlink:href", "srcset", "action"):
            assert name not in attributes, (tag, name)
        assert tag not in {"script", "link", "img", "iframe", "object", "embed"}
    assert "url(" not in html
    assert "@import" not in html
    # The only "http" in the page is a participant's own words, shown as escaped text.
    without_statement = html.replace("https://example.org/tracking?x=1", "")
    assert "http" not in without_statement
    assert "//" not in re.sub(r"<!DOCTYPE html>", "", without_statement)


def test_statement_text_is_escaped() -> None:
    html = render_report(hand_result())
    assert "&lt;by 2030&gt; &amp; &quot;fair&quot;" in html
    assert "<by 2030>" not in html


def test_opinion_map_draws_one_circle_per_placed_participant_coloured_by_group() -> None:
    page = _parse(render_report(hand_result()))
    circles = [attributes for tag, attributes in page.tags if tag == "circle"]
    assert len(circles) == 40  # the participant without coordinates is not drawn
    fills = {attributes["fill"] for attributes in circles}
    assert fills == {*GROUP_COLOURS[:GROUPS], "#ffffff"}  # white: not in a group


def test_large_map_is_thinned_and_says_so() -> None:
    result = hand_result()
    result["participants_map"] = [
        {"id": str(i), "group": i % 2, "x": float(i % 97), "y": float(i % 89)}
        for i in range(10_000)
    ]
    html = render_report(result)
    assert html.count("<circle") == 3334
    assert "every 3rd participant drawn" in html


def test_every_chart_has_a_title_description_and_a_table() -> None:
    html = render_report(hand_result())
    page = _parse(html)
    svgs = [attributes for tag, attributes in page.tags if tag == "svg"]
    assert len(svgs) == 3  # map, support by group, support by region
    for attributes in svgs:
        assert attributes["role"] == "img"
        title_id, description_id = str(attributes["aria-labelledby"]).split()
        assert f'id="{title_id}"' in html
        assert f'id="{description_id}"' in html
    assert html.count("<table>") >= len(svgs)
    assert html.count("<caption>") == html.count("<table>")


def test_table_headers_have_scope() -> None:
    page = _parse(render_report(hand_result()))
    headers = [attributes for tag, attributes in page.tags if tag == "th"]
    assert headers
    assert all(attributes.get("scope") in {"col", "row"} for attributes in headers)


def test_support_chart_shows_the_top_ten_ranked_statements_per_group() -> None:
    html = render_report(hand_result())
    section = html.split('id="support-groups-heading"')[1].split("</section>")[0]
    table = section.split("<tbody>")[1]
    assert table.count("<tr>") == 10
    assert "#0: Broadband" in table
    assert "#10" not in table
    # Statement 0, group A: 5 agree of 5 + 3 + 0 votes.
    assert "62% (5 of 8)" in table
    assert section.count("<rect") == 10 * GROUPS


def test_declared_grouping_gets_its_own_support_chart() -> None:
    html = render_report(hand_result())
    assert "Support by region for the top statements" in html
    section = html.split('id="support-grouping-0-heading"')[1].split("</section>")[0]
    assert ">EU<" in section
    assert ">LAC<" in section


def test_consensus_and_divisive_lists_are_shown_with_text() -> None:
    html = render_report(hand_result())
    consensus = html.split('id="consensus-heading"')[1].split("</section>")[0]
    assert "#1: Open data standards shared by EU and LAC" in consensus
    assert "#12" in consensus
    divisive = html.split('id="divisive-heading"')[1].split("</section>")[0]
    rows = divisive.split("<tbody>")[1].split("</tbody>")[0]
    ids = re.findall(r'scope="row" dir="auto">#(\d+)', rows)
    # Most divisive first; moderated-out 13 and unscored 2 left out.
    assert ids == ["12", "11", "10", "9", "8", "7", "6", "5", "4", "3"]


def test_missing_scores_read_not_available() -> None:
    html = render_report(hand_result())
    ranking = html.split('id="ranking-heading"')[1].split("</section>")[0]
    row = next(line for line in ranking.splitlines() if ">#4<" in line)
    assert "n/a" in row


def test_colours_meet_aa_contrast() -> None:
    from puente.consensus import report, report_charts

    background = report_charts.BACKGROUND
    assert _contrast(report._TEXT, background) >= 7
    assert _contrast(report._MUTED_TEXT, background) >= 4.5
    assert _contrast(report_charts.OUTLINE, background) >= 3
    assert _contrast(report_charts._UNGROUPED, background) >= 3
    # The first four group colours stand out on white by themselves; all are outlined.
    assert all(_contrast(colour, background) >= 3 for colour in GROUP_COLOURS[:4])


def test_report_without_groups_explains_why() -> None:
    result = hand_result()
    result["groups"] = []
    result["groups_reason"] = "fewer than 2 participants with enough votes"
    result["repness"] = {}
    for point in result["participants_map"]:
        point["group"] = None
    for entry in result["statement_results"]:
        entry["by_group"] = {}
        entry["divisiveness"] = None
    html = render_report(result)
    assert "none: fewer than 2 participants with enough votes" in html
    assert "No divisiveness could be computed" in html
    assert "Support by opinion group" not in html


def test_empty_result_still_renders() -> None:
    html = render_report(
        {
            "participants": 0,
            "statements": 0,
            "votes": 0,
            "groups": [],
            "groups_reason": "no votes",
            "participants_map": [],
            "statement_results": [],
            "consensus": {"agree": [], "disagree": []},
            "repness": {},
            "ranking": {"method": "joint-support", "order": []},
            "timings_ms": {},
        }
    )
    assert "No participant could be placed on the map." in html
    assert html.rstrip().endswith("</html>")


@pytest.mark.browser
def test_axe_finds_no_violation(tmp_path: Path, browser: Any, axe: Any) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_report(hand_result()), encoding="utf-8")
    tab = browser.new_page()
    try:
        tab.goto(path.as_uri())
        violations = axe.run(tab).response["violations"]
    finally:
        tab.close()
    assert [violation["id"] for violation in violations] == []
