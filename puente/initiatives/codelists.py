"""The IATI 2.03 codelists and schemas shipped in ``iati/``: codes, their names, validation.

The small lists Puente offers in its own words (status, transaction type, roles, budget type
and status, result type) are TextChoices in ``models.py``, translated like the rest of the
interface; tests hold them equal to the codelists here. The long lists (sectors, currencies,
countries, regions, organisation types) are read from the codelist files on first use.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

IATI_DIR = Path(__file__).resolve().parent / "iati"
CODELIST_DIR = IATI_DIR / "codelists"
SCHEMA_DIR = IATI_DIR / "schema"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

__all__ = ["code_name", "codelist", "safe_parser", "schema"]


def safe_parser(*, huge_tree: bool = False) -> etree.XMLParser:
    """Return a parser that expands no entity, reads no DTD and never touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge_tree,
        remove_comments=False,
    )


def _path(name: str) -> Path:
    for folder in ("embedded", "non-embedded"):
        path = CODELIST_DIR / folder / f"{name}.xml"
        if path.is_file():
            return path
    raise KeyError(f"no IATI codelist named {name!r}")


@cache
def codelist(name: str) -> dict[str, dict[str, str]]:
    """Return the codelist's active codes, each with its names by language ("en" always)."""
    tree = etree.parse(str(_path(name)), safe_parser())
    codes: dict[str, dict[str, str]] = {}
    for item in tree.iterfind("codelist-items/codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        code = (item.findtext("code") or "").strip()
        names: dict[str, str] = {}
        for narrative in item.iterfind("name/narrative"):
            names[narrative.get(XML_LANG, "en")] = (narrative.text or "").strip()
        if code:
            codes[code] = names
    return codes


def code_name(name: str, code: str, language: str = "en") -> str:
    """Return the code's name in the language when the codelist has it, else in English."""
    names = codelist(name).get(code, {})
    return names.get(language[:2]) or names.get("en") or code


@cache
def schema(kind: str = "activities") -> etree.XMLSchema:
    """Return the IATI 2.03 schema of activity files ("activities") or organisation files."""
    path = SCHEMA_DIR / f"iati-{kind}-schema.xsd"
    return etree.XMLSchema(etree.parse(str(path), safe_parser()))
