"""Import IATI 2.03 activity files into a partnership: checked whole, then written atomically.

A file is refused before anything is written when it is too large, not well-formed XML,
carries a DTD (entities, external references: XML bombs are never expanded), breaks the
2.03 schema, uses a code outside its codelist, names an organisation the directory does not
have, or gives shares that do not add up to 100. Each problem names the element and its line.

Initiatives are matched by their IATI identifier: a known one (of this partnership) is
updated, its IATI parts (sectors, countries, regions, organisations, budgets, transactions,
documents, results, places) replaced; what IATI does not carry (slug, visibility,
milestones, agenda items) is kept. Organisations are found in the directory by the IATI
identifier already recorded for them or by their exact name; none is created.

Themes are the ``<tag>`` elements of Puente's vocabulary (99, with a vocabulary-uri whose
path is ``THEME_VOCABULARY_PATH``, whatever the site before it); a code of that vocabulary
that is not a theme is refused like a code outside its codelist. Tags of other vocabularies
(SDGs, another reporter's own) are not Puente's and are skipped. An activity without any
Puente tag (a file of another publisher) keeps the initiative's themes as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from lxml import etree

from puente.accounts.models import User
from puente.core.choices import ThemeCode
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation

from .codelists import XML_LANG, safe_parser, schema
from .iati_codes import code_problems, source_line
from .iati_export import MADE_UP_ORG_PREFIX, THEME_VOCABULARY, THEME_VOCABULARY_PATH
from .models import (
    HUNDRED,
    Budget,
    Document,
    DocumentCategory,
    Indicator,
    IndicatorPeriod,
    Initiative,
    InitiativeSector,
    ParticipatingOrganisation,
    Place,
    RecipientCountry,
    RecipientRegion,
    Result,
    Transaction,
)
from .permissions import can_create_initiative
from .services import _initiative_save, _unique_slug, transactions_convert

__all__ = [
    "MAX_BYTES",
    "IatiImportError",
    "ImportProblem",
    "ImportReport",
    "iati_document_parse",
    "iati_import",
]

MAX_BYTES = 10 * 1024 * 1024
# (ActivityDateType code, Initiative field)
DATE_FIELDS = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end"}
LANGUAGES = {code for code, _name in settings.LANGUAGES}


@dataclass(frozen=True)
class ImportProblem:
    """Why a file was refused: the element, its line (0 when unknown) and the reason."""

    line: int
    element: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)d") % {"line": self.line} if self.line else _("file")
        return f"{where}: {self.element}: {self.message}"


class IatiImportError(Exception):
    """The file was refused; ``problems`` says why. Nothing was written."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class ImportReport:
    """The IATI identifiers created and updated."""

    created: list[str]
    updated: list[str]


def iati_document_parse(data: bytes) -> etree._ElementTree:
    """Parse an IATI file safely; raise IatiImportError if too large, unsafe or not XML."""
    if len(data) > MAX_BYTES:
        raise IatiImportError(
            [
                ImportProblem(
                    0,
                    "iati-activities",
                    _("The file is larger than %(n)d MB.") % {"n": MAX_BYTES // (1024 * 1024)},
                )
            ]
        )
    refused = ImportProblem(
        0,
        "DOCTYPE",
        _("Document type declarations and entities are not allowed in IATI files."),
    )
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise IatiImportError([refused])
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno or 0
        raise IatiImportError(
            [
                ImportProblem(
                    line, "XML", _("Not well-formed XML: %(reason)s") % {"reason": error.msg}
                )
            ]
        ) from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise IatiImportError([refused])
    return tree


def _schema_problems(tree: etree._ElementTree) -> list[ImportProblem]:
    checker = schema("activities")
    if checker.validate(tree):
        return []
    problems = []
    for entry in list(checker.error_log):  # type: ignore[call-overload]  # iterable at run time
        element = entry.path.rsplit("/", 1)[-1] if entry.path else "iati-activities"
        problems.append(ImportProblem(entry.line, element, entry.message))
    return problems


# Reading one activity.


def _narrative(element: etree._Element | None, language: str = "") -> str:
    """Return the narrative in the language (or without one), else the first one."""
    if element is None:
        return ""
    narratives = element.findall("narrative")
    for narrative in narratives:
        if narrative.get(XML_LANG, language) == language:
            return (narrative.text or "").strip()
    return (narratives[0].text or "").strip() if narratives else ""


def _date_of(element: etree._Element, tag: str) -> date | None:
    """Return the iso-date of the child element, None if it is missing or not a date."""
    child = element.find(tag)
    return None if child is None else _iso_date(child.get("iso-date"))


def _is_theme_tag(element: etree._Element) -> bool:
    """Return whether a ``<tag>`` is of Puente's theme vocabulary."""
    if element.get("vocabulary", "").strip() != THEME_VOCABULARY:
        return False
    uri = (element.get("vocabulary-uri") or "").strip()
    try:
        return urlsplit(uri).path == THEME_VOCABULARY_PATH
    except ValueError:  # not a URI at all: not ours
        return False


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


@dataclass
class _Plan:
    """An activity read from the file: the initiative's fields and its parts, unsaved."""

    line: int
    identifier: str
    fields: dict[str, object]
    updated_at: datetime | None = None
    sectors: list[InitiativeSector] = field(default_factory=list)
    countries: list[RecipientCountry] = field(default_factory=list)
    regions: list[RecipientRegion] = field(default_factory=list)
    participants: list[ParticipatingOrganisation] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    results: list[tuple[Result, list[tuple[Indicator, list[IndicatorPeriod]]]]] = field(
        default_factory=list
    )


class _Reader:
    """Turn ``<iati-activity>`` elements into plans, collecting every problem on the way."""

    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []
        self._organisations: dict[tuple[str, str], Organisation | None] = {}

    def problem(self, element: etree._Element, message: str) -> None:
        tag = etree.QName(element).localname
        self.problems.append(ImportProblem(source_line(element), tag, message))

    def checked(self, element: etree._Element, instance: Model, exclude: Sequence[str]) -> bool:
        try:
            instance.full_clean(exclude=list(exclude), validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.problem(element, f"{name}: {message}")
            return False
        return True

    def decimal(self, element: etree._Element, value: str | None) -> Decimal | None:
        try:
            number = Decimal((value or "").strip())
        except InvalidOperation:
            self.problem(element, _("%(value)r is not a number.") % {"value": value})
            return None
        if not number.is_finite():
            self.problem(element, _("%(value)r is not a number.") % {"value": value})
            return None
        return number

    def organisation(self, element: etree._Element) -> Organisation | None:
        ref = (element.get("ref") or "").strip()
        name = _narrative(element)
        key = (ref, name)
        if key not in self._organisations:
            self._organisations[key] = self._find_organisation(ref, name)
        found = self._organisations[key]
        if found is None:
            self.problem(
                element,
                _(
                    "No organisation of the directory has the IATI identifier %(ref)r or the "
                    "name %(name)r; add it to the directory first."
                )
                % {"ref": ref, "name": name},
            )
        return found

    @staticmethod
    def _find_organisation(ref: str, name: str) -> Organisation | None:
        if ref:
            ids = set(
                ParticipatingOrganisation.objects.filter(iati_ref=ref).values_list(
                    "organisation_id", flat=True
                )
            )
            if len(ids) == 1:
                return Organisation.objects.get(pk=ids.pop())
            if ref.startswith(MADE_UP_ORG_PREFIX):
                by_slug = Organisation.objects.filter(slug=ref[len(MADE_UP_ORG_PREFIX) :]).first()
                if by_slug is not None:
                    return by_slug
        if name:
            return Organisation.objects.filter(name=name).first()
        return None

    def shares_add_up(self, elements: Sequence[etree._Element], label: str) -> list[Decimal] | None:
        """Return the percentages of the elements if they add up to 100 (one alone: 100)."""
        if not elements:
            return []
        if len(elements) == 1 and elements[0].get("percentage") is None:
            return [HUNDRED]
        shares = []
        for element in elements:
            if element.get("percentage") is None:
                self.problem(element, _("Each %(label)s needs a percentage.") % {"label": label})
                return None
            share = self.decimal(element, element.get("percentage"))
            if share is None:
                return None
            shares.append(share)
        total = sum(shares, Decimal(0))
        if total != HUNDRED:
            self.problem(
                elements[0],
                _("The %(label)s percentages add up to %(total)s, not 100.")
                % {"label": label, "total": total},
            )
            return None
        return shares

    def activity(self, activity: etree._Element) -> _Plan:
        identifier = (activity.findtext("iati-identifier") or "").strip()
        language: str = activity.get(XML_LANG) or "en"
        if language not in LANGUAGES:
            self.problem(
                activity,
                _("Puente holds content in %(languages)s, not %(language)s.")
                % {"languages": ", ".join(sorted(LANGUAGES)), "language": language},
            )
            language = "en"
        status = activity.find("activity-status")
        description = activity.find("description[@type='1']")
        if description is None:
            description = activity.find("description")
        fields: dict[str, object] = {
            "iati_identifier": identifier,
            "title": _narrative(activity.find("title"), language),
            "description": _narrative(description, language),
            "language": language,
            "status": status.get("code", "") if status is not None else "",
        }
        for date_field in DATE_FIELDS.values():
            fields[date_field] = None
        for element in activity.iterfind("activity-date"):
            found = DATE_FIELDS.get(element.get("type", ""))
            if found is not None:
                fields[found] = _iso_date(element.get("iso-date"))
        themes = self._themes(activity)
        if themes is not None:
            fields["themes"] = themes
        plan = _Plan(line=source_line(activity), identifier=identifier, fields=fields)
        updated = activity.get("last-updated-datetime")
        if updated:
            try:
                plan.updated_at = datetime.fromisoformat(updated)
            except ValueError:
                plan.updated_at = None
        checked = Initiative(partnership_id=0, slug="x", **fields)
        self.checked(activity, checked, ("partnership", "slug", "iati_identifier"))
        self._geography(activity, plan)
        self._participants(activity, plan)
        self._money(activity, plan, language)
        self._documents(activity, plan, language)
        self._results(activity, plan, language)
        return plan

    def _themes(self, activity: etree._Element) -> list[str] | None:
        """Return the themes of the activity's Puente tags, in order; None if it has none."""
        tags = [element for element in activity.iterfind("tag") if _is_theme_tag(element)]
        if not tags:
            return None
        themes: list[str] = []
        for element in tags:
            code = element.get("code", "").strip()
            if code not in ThemeCode.values:
                self.problem(
                    element,
                    _("%(value)r is not a Puente theme; the themes are %(themes)s.")
                    % {"value": code, "themes": ", ".join(ThemeCode.values)},
                )
            elif code not in themes:
                themes.append(code)
        return themes

    def _geography(self, activity: etree._Element, plan: _Plan) -> None:
        sectors = [e for e in activity.iterfind("sector") if e.get("vocabulary", "1") == "1"]
        shares = self.shares_add_up(sectors, _("sector"))
        if shares is not None:
            for element, share in zip(sectors, shares, strict=True):
                sector = InitiativeSector(code=element.get("code", ""), percentage=share)
                if self.checked(element, sector, ("initiative",)):
                    plan.sectors.append(sector)
            self._once(sectors, [s.code for s in plan.sectors], _("sector"))
        places = [
            *activity.iterfind("recipient-country"),
            *(e for e in activity.iterfind("recipient-region") if e.get("vocabulary", "1") == "1"),
        ]
        shares = self.shares_add_up(places, _("country and region"))
        if shares is None:
            return
        for element, share in zip(places, shares, strict=True):
            code = element.get("code", "")
            part: RecipientCountry | RecipientRegion
            if element.tag == "recipient-country":
                part = RecipientCountry(country=code, percentage=share)
                if self.checked(element, part, ("initiative",)):
                    plan.countries.append(part)
            else:
                part = RecipientRegion(code=code, percentage=share)
                if self.checked(element, part, ("initiative",)):
                    plan.regions.append(part)
        codes = [c.country.code for c in plan.countries] + [r.code for r in plan.regions]
        self._once(places, codes, _("country and region"))

    def _once(self, elements: Sequence[etree._Element], codes: list[str], label: str) -> None:
        if len(set(codes)) != len(codes):
            self.problem(elements[0], _("Each %(label)s may appear once.") % {"label": label})

    def _participants(self, activity: etree._Element, plan: _Plan) -> None:
        seen = set()
        for element in activity.iterfind("participating-org"):
            organisation = self.organisation(element)
            if organisation is None:
                continue
            role = element.get("role", "")
            if (organisation.pk, role) in seen:
                self.problem(element, _("Each organisation may hold each role once."))
                continue
            seen.add((organisation.pk, role))
            participant = ParticipatingOrganisation(
                organisation=organisation, role=role, iati_ref=(element.get("ref") or "").strip()
            )
            if self.checked(element, participant, ("initiative",)):
                plan.participants.append(participant)

    def _value(
        self, element: etree._Element, default_currency: str
    ) -> tuple[Decimal, str, date] | None:
        value = element.find("value")
        if value is None:
            self.problem(element, _("A value is missing."))
            return None
        amount = self.decimal(value, value.text)
        currency = value.get("currency") or default_currency
        on = _iso_date(value.get("value-date"))
        if not currency:
            self.problem(value, _("Give a currency here or a default currency of the activity."))
            return None
        if amount is None or on is None:
            return None
        return amount, currency, on

    def _money(self, activity: etree._Element, plan: _Plan, language: str) -> None:
        default_currency = activity.get("default-currency", "")
        for element in activity.iterfind("budget"):
            value = self._value(element, default_currency)
            start = _date_of(element, "period-start")
            end = _date_of(element, "period-end")
            if value is None or start is None or end is None:
                continue
            budget = Budget(
                type=element.get("type", "1"),
                status=element.get("status", "1"),
                period_start=start,
                period_end=end,
                value=value[0],
                currency=value[1],
                value_date=value[2],
            )
            if self.checked(element, budget, ("initiative",)):
                plan.budgets.append(budget)
        for element in activity.iterfind("transaction"):
            value = self._value(element, default_currency)
            kind = element.find("transaction-type")
            on = _date_of(element, "transaction-date")
            provider = receiver = None
            if element.find("provider-org") is not None:
                provider = self.organisation(element.find("provider-org"))  # type: ignore[arg-type]  # just found
                if provider is None:
                    continue
            if element.find("receiver-org") is not None:
                receiver = self.organisation(element.find("receiver-org"))  # type: ignore[arg-type]  # just found
                if receiver is None:
                    continue
            if value is None or on is None:
                continue
            money = Transaction(
                type=kind.get("code", "") if kind is not None else "",
                date=on,
                value=value[0],
                currency=value[1],
                value_date=value[2],
                provider=provider,
                receiver=receiver,
                description=_narrative(element.find("description"), language),
            )
            if self.checked(element, money, ("initiative",)):
                plan.transactions.append(money)
        for element in activity.iterfind("location"):
            point = element.find("point/pos")
            if point is None:
                continue
            try:
                latitude, longitude = (float(n) for n in (point.text or "").split())
            except ValueError:
                self.problem(point, _("A position is 'latitude longitude'."))
                continue
            place = Place(
                name=_narrative(element.find("name"), language) or _("Location"),
                geometry={"type": "Point", "coordinates": [longitude, latitude]},
            )
            if self.checked(point, place, ("initiative",)):
                plan.places.append(place)

    def _documents(self, activity: etree._Element, plan: _Plan, language: str) -> None:
        for element in activity.iterfind("document-link"):
            category = element.find("category")
            code = category.get("code", "") if category is not None else ""
            spoken = element.find("language")
            document_language = spoken.get("code", "") if spoken is not None else ""
            if document_language not in LANGUAGES:
                document_language = language
            url = element.get("url", "")
            document = Document(
                title=_narrative(element.find("title"), document_language)[:200] or url[:200],
                url=url,
                # Categories Puente does not offer become "activity web page".
                category=code if code in DocumentCategory.values else DocumentCategory.OTHER,
                language=document_language,
            )
            if self.checked(element, document, ("initiative",)):
                plan.documents.append(document)

    def _results(self, activity: etree._Element, plan: _Plan, language: str) -> None:
        for element in activity.iterfind("result"):
            result = Result(
                type=element.get("type", ""), title=_narrative(element.find("title"), language)
            )
            if not self.checked(element, result, ("initiative",)):
                continue
            indicators = []
            for measured in element.iterfind("indicator"):
                baseline = measured.find("baseline")
                baseline_year = baseline_value = None
                if baseline is not None:
                    baseline_year = int(baseline.get("year", "0")) or None
                    if baseline.get("value") is not None:
                        baseline_value = self.decimal(baseline, baseline.get("value"))
                indicator = Indicator(
                    title=_narrative(measured.find("title"), language),
                    measure=measured.get("measure", ""),
                    ascending=measured.get("ascending", "1") in ("1", "true"),
                    baseline_year=baseline_year,
                    baseline_value=baseline_value,
                )
                if not self.checked(measured, indicator, ("result",)):
                    continue
                periods = []
                for span in measured.iterfind("period"):
                    target = span.find("target")
                    actual = span.find("actual")
                    if target is None or target.get("value") is None:
                        self.problem(span, _("Each period needs a target value."))
                        continue
                    start = _date_of(span, "period-start")
                    end = _date_of(span, "period-end")
                    goal = self.decimal(target, target.get("value"))
                    if start is None or end is None or goal is None:
                        self.problem(span, _("Each period needs a start, an end and a target."))
                        continue
                    period = IndicatorPeriod(
                        period_start=start,
                        period_end=end,
                        target=goal,
                        actual=(
                            self.decimal(actual, actual.get("value"))
                            if actual is not None and actual.get("value") is not None
                            else None
                        ),
                    )
                    if self.checked(span, period, ("indicator",)):
                        periods.append(period)
                indicators.append((indicator, periods))
            plan.results.append((result, indicators))


def _plans(tree: etree._ElementTree, partnership: Partnership) -> list[_Plan]:
    reader = _Reader()
    plans = []
    seen: set[str] = set()
    for activity in tree.getroot().iterfind("iati-activity"):
        plan = reader.activity(activity)
        if plan.identifier in seen:
            reader.problem(activity, _("This IATI identifier appears twice in the file."))
        seen.add(plan.identifier)
        plans.append(plan)
    elsewhere = set(
        Initiative.objects.filter(iati_identifier__in=seen)
        .exclude(partnership=partnership)
        .values_list("iati_identifier", flat=True)
    )
    for plan in plans:
        if plan.identifier in elsewhere:
            reader.problems.append(
                ImportProblem(
                    plan.line,
                    "iati-identifier",
                    _("%(identifier)s belongs to an initiative of another partnership.")
                    % {"identifier": plan.identifier},
                )
            )
    if reader.problems:
        raise IatiImportError(reader.problems)
    return plans


def _write(plan: _Plan, partnership: Partnership, actor: User | None) -> bool:
    """Create or update the plan's initiative with all its parts; return whether created."""
    initiative = (
        Initiative.objects.select_for_update()
        .filter(partnership=partnership, iati_identifier=plan.identifier)
        .first()
    )
    created = initiative is None
    if initiative is None:
        initiative = Initiative(partnership=partnership, created_by=actor)
        initiative.slug = _unique_slug(partnership, str(plan.fields["title"]))
    else:
        for relation in (
            initiative.sectors,
            initiative.recipient_countries,
            initiative.recipient_regions,
            initiative.participants,
            initiative.budgets,
            initiative.transactions,
            initiative.documents,
            initiative.results,
            initiative.places,
        ):
            relation.all().delete()
    for name, value in plan.fields.items():
        setattr(initiative, name, value)
    initiative.full_clean()
    _initiative_save(initiative)
    for rows in (
        plan.sectors,
        plan.countries,
        plan.regions,
        plan.participants,
        plan.budgets,
        plan.transactions,
        plan.documents,
        plan.places,
    ):
        for row in rows:
            row.initiative = initiative
            row.save()
    for result, indicators in plan.results:
        result.initiative = initiative
        result.save()
        for indicator, periods in indicators:
            indicator.result = result
            indicator.save()
            for period in periods:
                period.indicator = indicator
                period.save()
    if plan.updated_at is not None:
        # The publisher's last update, kept, so that exports of imported data are stable.
        Initiative.objects.filter(pk=initiative.pk).update(updated_at=plan.updated_at)
    return created


def iati_import(*, data: bytes, partnership: Partnership, actor: User | None) -> ImportReport:
    """Create or update the partnership's initiatives from an IATI 2.03 activity file.

    ``actor`` None is the command line (the operator); a person must be able to add
    initiatives to the partnership. Raise IatiImportError (nothing written) on any problem.
    """
    if actor is not None and not can_create_initiative(actor, partnership):
        raise PermissionDenied
    tree = iati_document_parse(data)
    if etree.QName(tree.getroot()).localname != "iati-activities":
        raise IatiImportError(
            [
                ImportProblem(
                    1, tree.getroot().tag, _("An IATI activity file starts with iati-activities.")
                )
            ]
        )
    problems = _schema_problems(tree)
    problems += [
        ImportProblem(
            p.line,
            p.element,
            _("%(value)r is not a code of the %(codelist)s codelist.")
            % {"value": p.value, "codelist": p.codelist},
        )
        for p in code_problems(tree)
    ]
    if problems:
        raise IatiImportError(problems)
    plans = _plans(tree, partnership)
    created: list[str] = []
    updated: list[str] = []
    with transaction.atomic():
        for plan in plans:
            try:
                was_created = _write(plan, partnership, actor)
            except ValidationError as error:
                messages = "; ".join(
                    f"{name}: {', '.join(texts)}" for name, texts in error.message_dict.items()
                )
                raise IatiImportError(
                    [ImportProblem(plan.line, "iati-activity", messages)]
                ) from None
            (created if was_created else updated).append(plan.identifier)
        transactions_convert(
            Transaction.objects.filter(
                initiative__partnership=partnership,
                initiative__iati_identifier__in=[plan.identifier for plan in plans],
            )
        )
    return ImportReport(created=created, updated=updated)
