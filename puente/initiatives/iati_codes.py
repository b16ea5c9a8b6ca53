"""Check every coded attribute of an IATI document against its codelist, as mapping.xml says.

The XSD alone does not check codes: ``codelists/mapping.xml`` names, for each XPath of a
coded attribute or element, the codelist it takes, sometimes under a condition on the
element (``@vocabulary = '1' or not(@vocabulary)``). The conditions are XPath 1.0
expressions and are evaluated as such, on the element that carries the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lxml import etree

from .codelists import CODELIST_DIR, codelist, safe_parser

__all__ = ["CodeProblem", "Mapping", "code_problems", "mappings", "source_line"]


@dataclass(frozen=True)
class Mapping:
    """One rule of mapping.xml: the XPath of a code, its codelist and an optional condition."""

    path: str
    codelist: str
    condition: str = ""


@dataclass(frozen=True)
class CodeProblem:
    """A code that is not in its codelist: where it is and what it is."""

    element: str
    line: int
    value: str
    codelist: str

    def __str__(self) -> str:
        return (
            f"line {self.line}: {self.element} has {self.value!r}, "
            f"not a code of the {self.codelist} codelist"
        )


@cache
def mappings() -> tuple[Mapping, ...]:
    """Return the rules of mapping.xml, in file order."""
    tree = etree.parse(str(CODELIST_DIR / "mapping.xml"), safe_parser())
    rules = []
    for mapping in tree.iterfind("mapping"):
        path = (mapping.findtext("path") or "").strip()
        reference = mapping.find("codelist")
        name = reference.get("ref", "") if reference is not None else ""
        condition = (mapping.findtext("condition") or "").strip()
        if path and name:
            rules.append(Mapping(path=path, codelist=name, condition=condition))
    return tuple(rules)


@cache
def _compiled(expression: str) -> etree.XPath:
    return etree.XPath(expression)


def source_line(element: etree._Element) -> int:
    """Return the element's line in the parsed file (0 when unknown)."""
    line: object = element.sourceline
    return line if isinstance(line, int) else 0


def _where(value: etree._ElementUnicodeResult) -> tuple[str, etree._Element]:
    """Return a readable name of where a value sits (element/@attribute) and its element."""
    element = value.getparent()
    assert element is not None  # noqa: S101  # a value found in a document has a parent
    tag = etree.QName(element).localname
    if value.is_attribute:
        name = str(value.attrname).replace("{http://www.w3.org/XML/1998/namespace}", "xml:")
        return f"{tag}/@{name}", element
    return tag, element


def code_problems(document: etree._ElementTree | etree._Element) -> list[CodeProblem]:
    """Return every code of the document that its codelist (under its condition) lacks."""
    root = document.getroot() if isinstance(document, etree._ElementTree) else document
    problems: list[CodeProblem] = []
    seen: set[tuple[int, str, str]] = set()
    for rule in mappings():
        values = _compiled(rule.path)(root)
        if not isinstance(values, list):
            continue
        for value in values:
            if not isinstance(value, etree._ElementUnicodeResult):
                continue
            where, element = _where(value)
            if rule.condition and not _compiled(f"boolean({rule.condition})")(element):
                continue
            code = str(value).strip()
            if code in codelist(rule.codelist):
                continue
            key = (id(element), where, rule.codelist)
            if key in seen:
                continue
            seen.add(key)
            problems.append(
                CodeProblem(
                    element=where,
                    line=source_line(element),
                    value=code,
                    codelist=rule.codelist,
                )
            )
    problems.sort(key=lambda problem: (problem.line, problem.element))
    return problems
