"""IATI 2.03 open data: exports valid by schema and codelists, streamed; imports safe and atomic."""

import re
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from puente.core.choices import ThemeCode
from puente.dialogues.demo import DEMO_PARTNERSHIP
from puente.initiatives.codelists import safe_parser, schema
from puente.initiatives.iati_codes import code_problems, mappings
from puente.initiatives.iati_export import (
    THEME_VOCABULARY_PATH,
    activities_stream,
    exportable_initiatives,
    organisations_document,
)
from puente.initiatives.iati_import import MAX_BYTES, IatiImportError, iati_import
from puente.initiatives.models import (
    Budget,
    BudgetStatus,
    Document,
    Indicator,
    Initiative,
    OrganisationRole,
    ParticipatingOrganisation,
    Place,
    Transaction,
    TransactionType,
    Visibility,
)
from puente.initiatives.selectors import rate_on
from puente.partnerships.demo import demo_load
from puente.partnerships.models import Partnership
from tests.accounts.factories import UserFactory
from tests.initiatives.factories import (
    BudgetFactory,
    ExchangeRateFactory,
    IndicatorPeriodFactory,
    InitiativeFactory,
    ParticipantFactory,
    PlaceFactory,
    RecipientCountryFactory,
    SectorFactory,
    TransactionFactory,
)
from tests.initiatives.races import rival_takes
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ACTIVITY = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2024-01-15T09:00:00Z">
  <iati-activity last-updated-datetime="2024-01-15T09:00:00Z" xml:lang="en" default-currency="EUR">
    <iati-identifier>XI-TEST-IMPORT-1</iati-identifier>
    <reporting-org ref="XI-IATI-EC_INTPA" type="10"><narrative>{funder}</narrative></reporting-org>
    <title><narrative>Imported fibre</narrative></title>
    <description type="1"><narrative>From a file.</narrative></description>
    <participating-org ref="XI-IATI-EC_INTPA" role="{role}" type="10">
      <narrative>{funder}</narrative>
    </participating-org>
    <activity-status code="{status}"/>
    <activity-date iso-date="2024-01-01" type="1"/>
    <recipient-country code="CL" percentage="60"/>
    <recipient-region code="489" vocabulary="1" percentage="{region_share}"/>
    <sector vocabulary="1" code="22040" percentage="100"/>{tags}
    <transaction>
      <transaction-type code="2"/>
      <transaction-date iso-date="2024-01-15"/>
      <value currency="EUR" value-date="2024-01-15">1000000.00</value>
      <provider-org><narrative>{funder}</narrative></provider-org>
    </transaction>
  </iati-activity>
</iati-activities>
"""


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _assert_valid(document: bytes, kind: str = "activities") -> Any:
    root = etree.fromstring(document, safe_parser())
    checker = schema(kind)
    assert checker.validate(root), str(checker.error_log)
    assert code_problems(root) == []
    return root


def _without_generated(document: bytes) -> bytes:
    return re.sub(rb'generated-datetime="[^"]*"', b"", document)


def _activity(**values: str) -> bytes:
    given = {"funder": "", "role": "1", "status": "2", "region_share": "40", "tags": "", **values}
    return ACTIVITY.format(**given).encode()


@pytest.fixture
def demo() -> Partnership:
    demo_load()
    return Partnership.objects.get(slug=DEMO_PARTNERSHIP)


@pytest.fixture
def full(demo: Partnership) -> Initiative:
    """An initiative of the demo partnership with every part an activity can carry."""
    funder = OrganisationFactory(stakeholder_type="academia")
    implementer = OrganisationFactory(stakeholder_type="civil")
    initiative = InitiativeFactory(
        partnership=demo,
        language="es",
        title="Centros de datos <y> fibra",
        iati_identifier="XI-TEST-FULL-1",
        actual_start=date(2024, 2, 1),
        actual_end=date(2026, 1, 31),
        themes=["earth-observation", "connectivity"],
    )
    ParticipantFactory(
        initiative=initiative,
        organisation=funder,
        role=OrganisationRole.FUNDING,
        iati_ref="XI-IATI-TEST-FUNDER",
    )
    ParticipantFactory(
        initiative=initiative,
        organisation=implementer,
        role=OrganisationRole.ACCOUNTABLE,
    )
    SectorFactory(initiative=initiative, code="22040", percentage=Decimal("62.5"))
    SectorFactory(initiative=initiative, code="43082", percentage=Decimal("37.5"))
    RecipientCountryFactory(initiative=initiative, country="CL", percentage=Decimal(100))
    BudgetFactory(initiative=initiative, currency="USD")
    TransactionFactory(
        initiative=initiative, provider=funder, receiver=implementer, description="Primera"
    )
    TransactionFactory(
        initiative=initiative,
        type=TransactionType.EXPENDITURE,
        value=Decimal("-20.50"),
        provider=implementer,
        receiver=None,
    )
    Document.objects.create(
        initiative=initiative,
        title="Acuerdo",
        url="https://example.org/acuerdo.pdf",
        category="A09",
        language="es",
    )
    IndicatorPeriodFactory(indicator__result__initiative=initiative, actual=None)
    PlaceFactory(initiative=initiative, name="Cable")
    PlaceFactory(
        initiative=initiative,
        name="Segmento",
        geometry={"type": "LineString", "coordinates": [[-70, -33], [-71.5, -30.25]]},
    )
    return initiative


# Exports


def test_the_demo_export_validates_against_the_schema_and_the_codelists(demo, full, client):
    url = reverse("initiatives:iati-activities", kwargs={"partnership_slug": demo.slug})
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = _assert_valid(_body(response))
    identifiers = root.xpath("iati-activity/iati-identifier/text()")
    assert len(identifiers) == 6
    assert identifiers == sorted(identifiers)


def test_an_activity_carries_every_part_in_its_language(full, client):
    url = reverse(
        "initiatives:iati-activity",
        kwargs={"partnership_slug": full.partnership.slug, "slug": full.slug},
    )
    root = _assert_valid(_body(client.get(url)))
    (activity,) = root.findall("iati-activity")

    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert activity.get(lang) == "es"
    assert activity.get("default-currency") == "EUR"
    assert activity.findtext("title/narrative") == "Centros de datos <y> fibra"
    assert activity.find("title/narrative").get(lang) == "es"
    assert activity.xpath("activity-date/@type") == ["1", "2", "3", "4"]
    assert activity.xpath("sector/@percentage") == ["62.5", "37.5"]
    assert activity.xpath("participating-org/@type") == ["80", "22"]
    assert activity.xpath("participating-org/@ref") == ["XI-IATI-TEST-FUNDER"]
    # The accountable organisation reports, under a made-up ref since it has none.
    assert activity.find("reporting-org").get("ref").startswith("XI-PUENTE-ORG-")
    assert activity.xpath("transaction/value/text()") == ["1000000.00", "-20.50"]
    assert activity.xpath("transaction/provider-org/@ref") == ["XI-IATI-TEST-FUNDER"]
    assert activity.xpath("document-link/@format") == ["application/pdf"]
    # A point as it is, a line by its first position; latitude first.
    assert activity.xpath("location/point/pos/text()") == ["8.98 -79.52", "-33.0 -70.0"]
    assert set(activity.xpath("location/point/@srsName")) == {
        "http://www.opengis.net/def/crs/EPSG/0/4326"
    }
    assert activity.xpath("result/indicator/period/target/@value") == ["100"]
    assert activity.xpath("result/indicator/period/actual") == []
    # Themes as tags of our own vocabulary, in the initiative's order, named in English.
    tags = activity.findall("tag")
    assert [tag.get("code") for tag in tags] == ["earth-observation", "connectivity"]
    assert {(tag.get("vocabulary"), tag.get("vocabulary-uri")) for tag in tags} == {
        ("99", "http://testserver/api/v1/themes/")
    }
    assert [tag.findtext("narrative") for tag in tags] == [
        "Earth observation and data",
        "Connectivity",
    ]
    assert {tag.find("narrative").get(lang) for tag in tags} == {"en"}


def test_the_theme_vocabulary_uri_is_the_list_of_themes(client):
    response = client.get(THEME_VOCABULARY_PATH, {"lang": "es"})

    assert reverse("api:theme-list") == THEME_VOCABULARY_PATH
    assert response.status_code == 200
    listed = response.json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert sorted(row["code"] for row in rows) == sorted(ThemeCode.values)


def test_a_site_url_makes_the_theme_vocabulary_uri_absolute(full):
    initiatives = exportable_initiatives(full.partnership).filter(pk=full.pk)

    document = b"".join(activities_stream(initiatives, site_url="https://puente.example"))

    root = _assert_valid(document)
    assert set(root.xpath("//tag/@vocabulary-uri")) == {"https://puente.example/api/v1/themes/"}


def test_members_only_initiatives_and_partnerships_are_never_exported(demo, client):
    hidden = InitiativeFactory(partnership=demo, visibility=Visibility.MEMBERS)
    closed = PartnershipFactory(visibility=Partnership.Visibility.MEMBERS)
    InitiativeFactory(partnership=closed)
    facilitator = UserFactory()
    demo.facilitators.add(facilitator)
    client.force_login(facilitator)

    body = _body(
        client.get(reverse("initiatives:iati-activities", kwargs={"partnership_slug": demo.slug}))
    )
    one = client.get(
        reverse(
            "initiatives:iati-activity",
            kwargs={"partnership_slug": demo.slug, "slug": hidden.slug},
        )
    )
    other = client.get(
        reverse("initiatives:iati-activities", kwargs={"partnership_slug": closed.slug})
    )

    assert hidden.iati_identifier.encode() not in body
    assert one.status_code == 404
    assert other.status_code == 404


def test_the_organisation_file_validates_and_sums_the_budgets_in_eur(demo, client):
    url = reverse("initiatives:iati-organisations", kwargs={"partnership_slug": demo.slug})
    response = client.get(url)

    assert response["Content-Type"] == "application/xml"
    root = _assert_valid(response.content, "organisations")
    bella = root.xpath(
        "iati-organisation[organisation-identifier='XI-PUENTE-ORG-bella']/total-budget/value"
    )
    assert [value.text for value in bella] == ["55000000.00"]


@pytest.fixture
def usd_rates(db) -> None:
    for day in (1, 10, 20):
        ExchangeRateFactory(date=date(2024, 1, day), rate=Decimal("1.08") + Decimal(day) / 1000)


def _organisation_file_with_budgets(n_budgets: int) -> tuple[bytes, int, Decimal]:
    """Return the organisation file of one accountable organisation with n USD budgets,
    the queries it took and the EUR total expected at each budget's rate."""
    initiative = InitiativeFactory()
    ParticipantFactory(initiative=initiative, role=OrganisationRole.ACCOUNTABLE)
    budgets = [
        BudgetFactory(
            initiative=initiative,
            currency="USD",
            value=Decimal("1000.01") * (n + 1),
            value_date=date(2024, 1, 1 + n % 28),
            status=BudgetStatus.COMMITTED,
        )
        for n in range(n_budgets)
    ]
    expected = Decimal(0)
    for budget in budgets:
        rate = rate_on(budget.currency, budget.value_date)
        assert rate is not None
        expected += budget.value / rate.rate
    initiatives = exportable_initiatives(initiative.partnership)
    with CaptureQueriesContext(connection) as queries:
        document = organisations_document(initiatives)
    return document, len(queries), expected.quantize(Decimal("0.01"))


@pytest.mark.parametrize("n_budgets", [2, 20])
def test_the_organisation_file_converts_each_budget_at_the_rate_of_its_value_date(
    usd_rates, n_budgets
):
    document, _queries, expected = _organisation_file_with_budgets(n_budgets)

    root = _assert_valid(document, "organisations")
    assert root.xpath("iati-organisation/total-budget/value/text()") == [str(expected)]


def test_the_organisation_file_reads_the_rates_in_a_fixed_number_of_queries(usd_rates):
    _document, with_two, _expected = _organisation_file_with_budgets(2)

    _document, with_twenty, _expected = _organisation_file_with_budgets(20)

    assert with_twenty == with_two


def test_the_export_streams_one_activity_at_a_time_from_chunked_queries(
    demo, full, django_assert_max_num_queries
):
    initiatives = exportable_initiatives(demo)
    # Chunks of 2: three chunks of prefetched parts for 6 activities, not a query per row.
    with django_assert_max_num_queries(3 * 15):
        pieces = list(activities_stream(initiatives, chunk_size=2))

    assert len(pieces) == 6 + 1
    assert all(b"<iati-activity " in piece for piece in pieces[1:6])
    _assert_valid(b"".join(pieces))


def test_the_view_answers_with_a_streaming_response(demo, client):
    response = client.get(
        reverse("initiatives:iati-activities", kwargs={"partnership_slug": demo.slug})
    )

    assert response.streaming


# Codelist checks


def test_the_mapping_conditions_choose_the_codelist():
    assert any(rule.condition == "@vocabulary = '1' or not(@vocabulary)" for rule in mappings())
    document = etree.fromstring(
        b'<iati-activities version="2.03"><iati-activity>'
        b'<sector code="22040"/><sector vocabulary="2" code="220"/>'
        b'<sector vocabulary="99" code="anything"/><sector vocabulary="1" code="220"/>'
        b'<recipient-country code="XX"/></iati-activity></iati-activities>'
    )

    problems = code_problems(document)

    assert sorted((p.element, p.value, p.codelist) for p in problems) == [
        ("recipient-country/@code", "XX", "Country"),
        ("sector/@code", "220", "Sector"),
    ]


# Round trip


def test_export_then_import_into_an_empty_partnership_gives_the_same_file(demo, full, client):
    url = reverse("initiatives:iati-activities", kwargs={"partnership_slug": demo.slug})
    first = _body(client.get(url))
    Initiative.objects.filter(partnership=demo).delete()
    empty = PartnershipFactory()

    report = iati_import(data=first, partnership=empty, actor=None)
    second = _body(
        client.get(reverse("initiatives:iati-activities", kwargs={"partnership_slug": empty.slug}))
    )

    assert len(report.created) == 6
    assert b'<tag vocabulary="99"' in first
    assert Initiative.objects.get(partnership=empty, iati_identifier="XI-TEST-FULL-1").themes == [
        "earth-observation",
        "connectivity",
    ]
    assert _without_generated(second) == _without_generated(first)
    again = iati_import(data=second, partnership=empty, actor=None)
    assert again.updated == report.created
    assert Transaction.objects.filter(initiative__partnership=empty).count() == 21


# Import errors: each refuses the whole file and writes nothing


@pytest.fixture
def funder(db):
    return OrganisationFactory(name="Unión Europea")


def _refused(data: bytes, partnership: Partnership) -> list[str]:
    before = (Initiative.objects.count(), Transaction.objects.count())
    with pytest.raises(IatiImportError) as refused:
        iati_import(data=data, partnership=partnership, actor=None)
    assert (Initiative.objects.count(), Transaction.objects.count()) == before
    return [str(problem) for problem in refused.value.problems]


def test_a_good_file_creates_the_initiative_with_its_parts(funder):
    partnership = PartnershipFactory()

    report = iati_import(data=_activity(funder=funder.name), partnership=partnership, actor=None)

    initiative = Initiative.objects.get(iati_identifier="XI-TEST-IMPORT-1")
    assert report.created == ["XI-TEST-IMPORT-1"]
    assert initiative.partnership == partnership
    assert initiative.participants.get().iati_ref == "XI-IATI-EC_INTPA"
    assert initiative.transactions.get().provider == funder
    assert initiative.recipient_regions.get().percentage == Decimal(40)


def _tag(code: str, vocabulary: str = "99", uri: str = "/api/v1/themes/") -> str:
    return (
        f'\n    <tag vocabulary="{vocabulary}" vocabulary-uri="{uri}" code="{code}">'
        "<narrative>x</narrative></tag>"
    )


def test_tags_of_our_vocabulary_become_themes_whatever_the_site(funder):
    tags = _tag("digital-skills", uri="https://elsewhere.example/api/v1/themes/") + _tag("ai")

    iati_import(
        data=_activity(funder=funder.name, tags=tags), partnership=PartnershipFactory(), actor=None
    )

    assert Initiative.objects.get().themes == ["digital-skills", "ai"]


def test_tags_of_other_vocabularies_are_not_themes(funder):
    tags = (
        _tag("9", vocabulary="2", uri="https://sdgs.un.org/goals")
        + _tag("unknown-theme", uri="https://other-reporter.example/tags")
        + _tag("ai", vocabulary="1")
    )

    iati_import(
        data=_activity(funder=funder.name, tags=tags), partnership=PartnershipFactory(), actor=None
    )

    assert Initiative.objects.get().themes == []


def test_an_unknown_theme_of_our_vocabulary_is_refused_with_its_line(funder):
    tags = _tag("ai") + _tag("blockchain")

    problems = _refused(_activity(funder=funder.name, tags=tags), PartnershipFactory())

    assert len(problems) == 1
    assert problems[0].startswith("line 17: tag: 'blockchain' is not a Puente theme")


def test_an_activity_without_our_tags_keeps_the_themes_it_had(funder):
    partnership = PartnershipFactory()
    iati_import(
        data=_activity(funder=funder.name, tags=_tag("cybersecurity")),
        partnership=partnership,
        actor=None,
    )

    iati_import(data=_activity(funder=funder.name), partnership=partnership, actor=None)
    kept = Initiative.objects.get().themes
    iati_import(
        data=_activity(funder=funder.name, tags=_tag("ai") + _tag("ai")),
        partnership=partnership,
        actor=None,
    )

    assert kept == ["cybersecurity"]
    assert Initiative.objects.get().themes == ["ai"]


def test_invalid_xml_is_refused_with_its_line(funder):
    data = _activity(funder=funder.name).replace(b"</title>", b"</titel>")

    (problem,) = _refused(data, PartnershipFactory())

    assert problem.startswith("line 6: XML: Not well-formed XML")


def test_a_schema_error_names_the_element_and_the_line(funder):
    data = _activity(funder=funder.name).replace(b'<activity-status code="2"/>', b"")

    problems = _refused(data, PartnershipFactory())

    assert any("activity-date" in p and "line 12" in p for p in problems), problems


def test_an_unknown_code_is_refused(funder):
    problems = _refused(_activity(funder=funder.name, status="9"), PartnershipFactory())

    assert problems == [
        "line 11: activity-status/@code: '9' is not a code of the ActivityStatus codelist."
    ]


def test_an_unknown_organisation_is_refused_and_none_is_created(funder):
    count = ParticipatingOrganisation.objects.count()

    problems = _refused(_activity(funder="Nobody Known"), PartnershipFactory())

    assert len(problems) == 2
    assert "No organisation of the directory" in problems[0]
    assert ParticipatingOrganisation.objects.count() == count


def test_percentages_that_do_not_add_up_are_refused(funder):
    problems = _refused(_activity(funder=funder.name, region_share="30"), PartnershipFactory())

    assert problems == [
        "line 13: recipient-country: The country and region percentages add up to 90, not 100."
    ]


def test_an_identifier_of_another_partnership_is_refused(funder):
    InitiativeFactory(iati_identifier="XI-TEST-IMPORT-1")

    problems = _refused(_activity(funder=funder.name), PartnershipFactory())

    assert "belongs to an initiative of another partnership" in problems[0]


def test_an_identifier_taken_meanwhile_is_refused_by_name(funder):
    partnership = PartnershipFactory()
    with rival_takes("XI-TEST-IMPORT-1"):
        problems = _refused(_activity(funder=funder.name), partnership)
    assert problems[0].startswith("line ")
    assert "iati_identifier" in problems[0]
    assert not partnership.initiatives.exists()


def test_a_failure_in_a_later_activity_writes_none_of_the_earlier_ones(funder):
    good = _activity(funder=funder.name)
    bad = _activity(funder="Nobody Known").replace(b"XI-TEST-IMPORT-1", b"XI-TEST-IMPORT-2")
    both = good.replace(
        b"</iati-activities>",
        bad.split(b"<iati-activities", 1)[1].split(b">", 1)[1],
    )

    _refused(both, PartnershipFactory())

    assert not Initiative.objects.filter(iati_identifier="XI-TEST-IMPORT-1").exists()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<iati-activities version="2.03">&lol9;</iati-activities>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity>&xxe;</iati-activity></iati-activities>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["bomb", "external"])
def test_entities_are_refused_before_they_are_expanded(data):
    (problem,) = _refused(data, PartnershipFactory())

    assert "Document type declarations and entities are not allowed" in problem


def test_an_oversized_file_is_refused_before_parsing():
    data = b"<iati-activities>" + b" " * MAX_BYTES + b"</iati-activities>"

    (problem,) = _refused(data, PartnershipFactory())

    assert "larger than 10 MB" in problem


def test_a_person_who_may_not_add_initiatives_is_refused(funder):
    with pytest.raises(PermissionDenied):
        iati_import(
            data=_activity(funder=funder.name),
            partnership=PartnershipFactory(),
            actor=UserFactory(),
        )


def test_a_facilitator_may_import(funder):
    facilitator = UserFactory()
    partnership = PartnershipFactory(facilitators=[facilitator])

    report = iati_import(
        data=_activity(funder=funder.name), partnership=partnership, actor=facilitator
    )

    assert Initiative.objects.get(iati_identifier=report.created[0]).created_by == facilitator


# The command


def test_the_command_imports_a_file(funder, tmp_path: Path):
    partnership = PartnershipFactory()
    path = tmp_path / "activities.xml"
    path.write_bytes(_activity(funder=funder.name))
    out = StringIO()

    call_command("iati_import", str(path), partnership=partnership.slug, stdout=out)

    assert "1 initiatives created" in out.getvalue()
    assert Budget.objects.count() == 0
    assert Initiative.objects.filter(partnership=partnership).count() == 1


def test_the_command_reports_the_problems_and_writes_nothing(tmp_path: Path):
    partnership = PartnershipFactory()
    path = tmp_path / "activities.xml"
    path.write_bytes(_activity(funder="Nobody Known"))

    with pytest.raises(CommandError, match="No organisation of the directory"):
        call_command("iati_import", str(path), partnership=partnership.slug)

    assert not Initiative.objects.exists()
    assert not Place.objects.exists()
    assert not Indicator.objects.exists()


def test_exports_need_no_sign_in(demo):
    response = Client().get(
        reverse("initiatives:iati-organisations", kwargs={"partnership_slug": demo.slug})
    )

    assert response.status_code == 200


# The upload page


def _upload(client, partnership: Partnership, data: bytes):
    url = reverse("initiatives:iati-import", kwargs={"partnership_slug": partnership.slug})
    return client.post(url, {"file": SimpleUploadedFile("activities.xml", data)})


def test_a_facilitator_imports_a_file_on_the_upload_page(funder, client):
    facilitator = UserFactory()
    partnership = PartnershipFactory(facilitators=[facilitator])
    client.force_login(facilitator)

    page = client.get(
        reverse("initiatives:iati-import", kwargs={"partnership_slug": partnership.slug})
    )
    response = _upload(client, partnership, _activity(funder=funder.name))

    assert page.status_code == 200
    assert response.status_code == 302
    assert Initiative.objects.filter(partnership=partnership).count() == 1


def test_the_upload_page_shows_each_problem_on_the_form_and_writes_nothing(funder, client):
    facilitator = UserFactory()
    partnership = PartnershipFactory(facilitators=[facilitator])
    client.force_login(facilitator)

    response = _upload(client, partnership, _activity(funder=funder.name, status="9"))

    assert response.status_code == 400
    assert "line 11: activity-status/@code" in response.content.decode()
    assert not Initiative.objects.exists()


def test_only_those_who_add_initiatives_may_upload(funder, client):
    partnership = PartnershipFactory()
    anonymous = _upload(client, partnership, _activity(funder=funder.name))
    client.force_login(UserFactory())

    stranger = _upload(client, partnership, _activity(funder=funder.name))

    assert anonymous.status_code == 302
    assert stranger.status_code == 403
    assert not Initiative.objects.exists()


def test_the_published_files_name_the_theme_vocabulary_on_this_site(demo, full, client):
    for url in (
        reverse("initiatives:iati-activities", kwargs={"partnership_slug": demo.slug}),
        reverse(
            "initiatives:iati-activity",
            kwargs={"partnership_slug": full.partnership.slug, "slug": full.slug},
        ),
    ):
        root = _assert_valid(_body(client.get(url)))
        uris = set(root.xpath("//tag/@vocabulary-uri"))
        assert uris == {"http://testserver" + THEME_VOCABULARY_PATH}, url
