"""The IATI codelists and schemas: the choices offered are codes of their lists, withdrawn
codes are not offered, names fall back to English, and the parser expands no entity."""

from pathlib import Path

import pytest
from django.db import models
from lxml import etree

from puente.initiatives import models as initiative_models
from puente.initiatives.codelists import code_name, codelist, safe_parser, schema

# Each TextChoices of models.py with the IATI codelist it takes its codes from.
CHOICES_AND_LISTS = [
    (initiative_models.ActivityStatus, "ActivityStatus"),
    (initiative_models.OrganisationRole, "OrganisationRole"),
    (initiative_models.TransactionType, "TransactionType"),
    (initiative_models.BudgetType, "BudgetType"),
    (initiative_models.BudgetStatus, "BudgetStatus"),
    (initiative_models.ResultType, "ResultType"),
    (initiative_models.IndicatorMeasure, "IndicatorMeasure"),
    (initiative_models.DocumentCategory, "DocumentCategory"),
]


@pytest.mark.parametrize(("choices", "name"), CHOICES_AND_LISTS, ids=lambda x: str(x))
def test_each_choice_is_a_code_of_its_codelist(choices: type[models.TextChoices], name: str):
    assert choices.values
    assert set(choices.values) <= set(codelist(name))


@pytest.mark.parametrize(
    "name", ["ActivityStatus", "OrganisationRole", "BudgetType", "BudgetStatus"]
)
def test_the_short_lists_are_offered_whole(name: str):
    choices = {list_name: c for c, list_name in CHOICES_AND_LISTS}[name]
    assert set(choices.values) == set(codelist(name))


def test_withdrawn_codes_are_skipped():
    text = (codelist_path("Currency")).read_text(encoding="utf-8")
    assert 'status="withdrawn"' in text
    assert "<code>BYR</code>" in text  # withdrawn in 2018

    currencies = codelist("Currency")

    assert "BYR" not in currencies
    assert "EEK" not in currencies
    assert {"EUR", "USD", "BRL", "BYN"} <= set(currencies)


def codelist_path(name: str) -> Path:
    from puente.initiatives.codelists import CODELIST_DIR

    return next(CODELIST_DIR.glob(f"*/{name}.xml"))


def test_an_unknown_codelist_is_a_key_error():
    with pytest.raises(KeyError):
        codelist("NoSuchList")


def test_code_name_is_in_the_language_when_the_list_has_it():
    assert code_name("ActivityStatus", "1", "fr") == "Planification"
    assert code_name("ActivityStatus", "1", "fr-ca") == "Planification"


def test_code_name_falls_back_to_english():
    english = code_name("ActivityStatus", "1")
    assert english == "Pipeline/identification"
    assert code_name("ActivityStatus", "1", "pt") == english
    assert code_name("ActivityStatus", "1", "es") == english


def test_code_name_of_an_unknown_code_is_the_code():
    assert code_name("ActivityStatus", "99", "fr") == "99"


@pytest.mark.parametrize("kind", ["activities", "organisations"])
def test_the_schemas_load(kind: str):
    assert isinstance(schema(kind), etree.XMLSchema)


def test_the_activity_schema_accepts_a_minimal_activity_and_refuses_nonsense():
    valid = etree.fromstring(
        b'<iati-activities version="2.03" generated-datetime="2026-01-01T00:00:00Z">'
        b'<iati-activity last-updated-datetime="2026-01-01T00:00:00Z" default-currency="EUR">'
        b"<iati-identifier>XI-TEST-1</iati-identifier>"
        b'<reporting-org ref="XI-TEST" type="10"><narrative>T</narrative></reporting-org>'
        b"<title><narrative>T</narrative></title>"
        b"<description><narrative>D</narrative></description>"
        b'<participating-org role="1" ref="XI-TEST"><narrative>T</narrative></participating-org>'
        b'<activity-status code="2"/>'
        b'<activity-date type="1" iso-date="2024-01-01"/>'
        b"</iati-activity></iati-activities>",
        safe_parser(),
    )
    nonsense = etree.fromstring(b"<iati-activities><nothing/></iati-activities>", safe_parser())

    assert schema().validate(valid), schema().error_log
    assert not schema().validate(nonsense)


def _text(root: etree._Element) -> str:
    return "".join(str(text) for text in root.itertext())


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
]>
<lolz>&lol6;</lolz>"""


def test_the_safe_parser_refuses_a_billion_laughs_without_expanding_it():
    # libxml2 notices the amplification even without substituting: the document is refused.
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(BILLION_LAUGHS, safe_parser())


def test_the_safe_parser_leaves_a_few_nested_entities_unexpanded():
    small = BILLION_LAUGHS.replace(b"&lol6;", b"&lol2;")

    root = etree.fromstring(small, safe_parser())

    assert b"lollol" not in etree.tostring(root)
    assert "lollol" not in _text(root)


def test_the_safe_parser_reads_no_local_file_through_an_external_entity(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    document = (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n<r>&x;</r>'
    ).encode()

    root = etree.fromstring(document, safe_parser())

    assert b"TOP-SECRET" not in etree.tostring(root)
    assert "TOP-SECRET" not in _text(root)


def test_the_safe_parser_loads_no_external_dtd(tmp_path: Path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "LEAKED-FROM-DTD">', encoding="utf-8")
    document = (
        f'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "{dtd.as_uri()}">\n<r>&leak;</r>'
    ).encode()

    root = etree.fromstring(document, safe_parser())

    assert "LEAKED" not in _text(root)
    assert b"LEAKED" not in etree.tostring(root)
