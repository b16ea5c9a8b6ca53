"""A published version as a file: PDF, Markdown, CSV or JSON (print-ready HTML is a page)."""

import csv
import importlib.util
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import TextMode

from puente.core.spreadsheets import spreadsheet_text

from .models import AgendaVersion
from .presentation import ItemView, item_views, ranking_label
from .selectors import endorsement_list, item_list

FORMATS = ("html", "pdf", "md", "csv", "json")
_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _percent(value: object) -> str:
    if isinstance(value, int | float):
        return f"{round(100 * float(value))} %"
    return "\N{EN DASH}"


def _file_name(version: AgendaVersion, fmt: str) -> str:
    return f"{version.agenda.dialogue.slug}-agenda-v{version.number}.{fmt}"


def _items(version: AgendaVersion, language: str) -> list[ItemView]:
    return item_views(list(item_list(version=version)), language)


def version_data(version: AgendaVersion, language: str) -> dict[str, Any]:
    """Return the version as JSON-ready data: items in every language, with evidence."""
    dialogue = version.agenda.dialogue
    return {
        "agenda": version.agenda.title,
        "partnership": dialogue.partnership.title,
        "dialogue": dialogue.title,
        "version": version.number,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "note": version.note,
        "evidence": version.evidence,
        "items": [
            {
                "position": view.item.position,
                "theme": view.item.theme,
                "text": view.item.text,
                "original_language": view.item.original_language,
                "statements": [
                    {"id": statement.pk, "text": statement.text}
                    for statement in view.item.statements.all()
                ],
                "evidence": view.evidence,
            }
            for view in _items(version, language)
        ],
        "endorsements": [
            {
                "organisation": endorsement.organisation.name,
                "region": endorsement.organisation.region,
                "stakeholder_type": endorsement.organisation.stakeholder_type,
                "endorsed_at": endorsement.created_at.isoformat(),
            }
            for endorsement in endorsement_list(version=version)
        ],
    }


def _markdown_text(text: str) -> str:
    # Shown as text by every Markdown reader: no markup, no raw HTML.
    escaped = text.replace("\\", "\\\\")
    for character in "`*_{}[]()#+-!|>~":
        escaped = escaped.replace(character, "\\" + character)
    return escaped.replace("<", "&lt;").replace("\n", " ")


def version_markdown(version: AgendaVersion, language: str) -> str:
    """Return the version as Markdown, in the language with the originals as fallback."""
    lines = [
        f"# {_markdown_text(version.agenda.title)}",
        "",
        _("Version %(number)s, published %(date)s.")
        % {"number": version.number, "date": formats.date_format(version.published_at or "")},
        "",
    ]
    if version.note:
        lines += [_markdown_text(version.note), ""]
    theme = None
    for view in _items(version, language):
        if view.theme and view.theme != theme:
            lines += [f"## {_markdown_text(view.theme)}", ""]
        theme = view.theme
        lines.append(f"{view.item.position}. {_markdown_text(view.text)}")
        evidence = view.evidence
        if evidence:
            lines.append(
                "   - "
                + _("Rank %(rank)s; joint support %(joint)s; group consensus %(consensus)s")
                % {
                    "rank": evidence.get("rank") or "\N{EN DASH}",
                    "joint": _percent(evidence.get("joint_score")),
                    "consensus": _percent(evidence.get("group_consensus")),
                }
            )
    lines.append("")
    return "\n".join(lines)


def _csv_cell(value: object) -> str:
    return spreadsheet_text(str(value))


def version_csv(version: AgendaVersion, language: str) -> str:
    """Return one CSV row per item: position, theme, text, evidence and statement ids."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "position",
            "theme",
            "text",
            "original_language",
            "is_translation_missing",
            "rank",
            "joint_support",
            "group_consensus",
            "agree",
            "disagree",
            "pass",
            "statement_ids",
        ]
    )
    for view in _items(version, language):
        evidence = view.evidence
        writer.writerow(
            [
                _csv_cell(value)
                for value in (
                    view.item.position,
                    view.theme,
                    view.text,
                    view.item.original_language,
                    str(view.is_fallback).lower(),
                    evidence.get("rank", ""),
                    evidence.get("joint_score", ""),
                    evidence.get("group_consensus", ""),
                    evidence.get("agree", ""),
                    evidence.get("disagree", ""),
                    evidence.get("pass", ""),
                    " ".join(str(statement.pk) for statement in view.item.statements.all()),
                )
            ]
        )
    return out.getvalue()


def _package_file(package: str, *parts: str) -> Path | None:
    """Return a file shipped inside an installed package, without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    candidate = Path(spec.origin).parent.joinpath(*parts)
    return candidate if candidate.is_file() else None


def unicode_font() -> Path | None:
    """Return a Unicode TrueType font shipped by an installed package.

    Noto Sans (the fontpkg-noto-sans dependency, SIL Open Font License) first, then
    matplotlib's DejaVu Sans if that is installed.
    """
    noto = _package_file("fontpkg_noto_sans", "files", "NotoSans[wdth,wght].ttf")
    if noto is not None:
        return noto
    return _package_file("matplotlib", "mpl-data", "fonts", "ttf", "DejaVuSans.ttf")


class _AgendaPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        font = unicode_font()
        self.is_unicode = font is not None
        if font is not None:
            # Noto Sans is a variable font, drawn at its default weight: making a bold
            # instance takes fpdf2 some 15 s, too long for a download. Headings are drawn
            # bold by outlining their letters as well as filling them (see heading_font).
            self.add_font("body", "", str(font))
            self.body_family = "body"
        else:
            self.body_family = "helvetica"

    @contextmanager
    def heading(self, size: float) -> Iterator[None]:
        """Draw the text written inside the block bold, at the size given in points."""
        if not self.is_unicode:
            with self.local_context():
                self.set_font(self.body_family, "B", size)
                yield
            return
        # Filled and outlined with a stroke of 3 % of the size, the letters thicken as a bold
        # weight's would. In a local context: fpdf2 sets the mode once, and the content
        # stream would keep it for all the text after.
        with self.local_context(text_mode=TextMode.FILL_STROKE, line_width=size * 0.03 * 25.4 / 72):
            self.set_font(self.body_family, "", size)
            yield

    def body_font(self, size: float) -> None:
        """Draw the text that follows at the regular weight."""
        self.set_font(self.body_family, "", size)

    def text_of(self, text: str) -> str:
        """Return text the font can draw: as is with a Unicode font, else in Latin-1."""
        if self.is_unicode:
            return text
        replaced = (
            text.replace("\N{EN DASH}", "-")
            .replace("\N{EM DASH}", "-")
            .replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")
            .replace("\N{EURO SIGN}", "EUR")
        )
        return replaced.encode("latin-1", "replace").decode("latin-1")


def version_pdf(version: AgendaVersion, language: str) -> bytes:
    """Return the version as an A4 PDF: title, note, items grouped by theme, with evidence."""
    pdf = _AgendaPdf()
    pdf.set_title(pdf.text_of(version.agenda.title))
    pdf.set_creator("Puente")
    pdf.set_lang(language)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw
    with pdf.heading(16):
        pdf.multi_cell(width, 8, pdf.text_of(version.agenda.title), new_x="LMARGIN", new_y="NEXT")
    pdf.body_font(10)
    subtitle = _("%(partnership)s. Version %(number)s, published %(date)s.") % {
        "partnership": version.agenda.dialogue.partnership.title,
        "number": version.number,
        "date": formats.date_format(version.published_at or ""),
    }
    pdf.multi_cell(width, 6, pdf.text_of(subtitle), new_x="LMARGIN", new_y="NEXT")
    if version.note:
        pdf.multi_cell(width, 6, pdf.text_of(version.note), new_x="LMARGIN", new_y="NEXT")
    method = ranking_label(str(version.evidence.get("ranking_method", "")))
    pdf.ln(4)
    theme = None
    for view in _items(version, language):
        if view.theme and view.theme != theme:
            with pdf.heading(13):
                pdf.multi_cell(width, 8, pdf.text_of(view.theme), new_x="LMARGIN", new_y="NEXT")
        theme = view.theme
        with pdf.heading(11):
            pdf.multi_cell(
                width,
                6,
                pdf.text_of(f"{view.item.position}. {view.text}"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        evidence = view.evidence
        if evidence:
            pdf.body_font(9)
            line = _(
                "Rank %(rank)s by %(method)s; joint support %(joint)s; group consensus "
                "%(consensus)s; %(agree)s agree, %(disagree)s disagree, %(passed)s pass."
            ) % {
                "rank": evidence.get("rank") or "-",
                "method": method,
                "joint": _percent(evidence.get("joint_score")),
                "consensus": _percent(evidence.get("group_consensus")),
                "agree": evidence.get("agree", 0),
                "disagree": evidence.get("disagree", 0),
                "passed": evidence.get("pass", 0),
            }
            pdf.multi_cell(width, 5, pdf.text_of(line), new_x="LMARGIN", new_y="NEXT")
            for label, rows in ((_("By region"), view.by_region), (_("By type"), view.by_type)):
                if rows:
                    parts = ", ".join(
                        f"{row.label} {_percent(row.agree_probability)}" for row in rows
                    )
                    pdf.multi_cell(
                        width, 5, pdf.text_of(f"{label}: {parts}"), new_x="LMARGIN", new_y="NEXT"
                    )
        pdf.ln(2)
    endorsements = list(endorsement_list(version=version))
    if endorsements:
        pdf.ln(2)
        with pdf.heading(13):
            pdf.multi_cell(width, 8, pdf.text_of(_("Endorsed by")), new_x="LMARGIN", new_y="NEXT")
        pdf.body_font(10)
        for endorsement in endorsements:
            pdf.multi_cell(
                width,
                6,
                pdf.text_of(endorsement.organisation.name),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    return bytes(pdf.output())


def version_export(version: AgendaVersion, *, fmt: str, language: str) -> HttpResponse:
    """Return the version as a download in the format (pdf, md, csv, json)."""
    body: bytes | str
    if fmt == "pdf":
        body = version_pdf(version, language)
    elif fmt == "md":
        body = version_markdown(version, language)
    elif fmt == "csv":
        body = version_csv(version, language)
    else:
        body = json.dumps(version_data(version, language), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_file_name(version, fmt)}"'
    return response
