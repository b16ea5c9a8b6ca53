"""The demo's dialogues in the EU-LAC Digital Alliance, loaded idempotently with the rest.

"Shared digital priorities for 2027" is in the prioritise phase: 60 statements in English,
Spanish and Portuguese, about 400 demo voters from both regions and every kind of
organisation, their votes and their pairwise comparisons. The votes come from the synthetic
generator of the consensus engine, so the results show real structure: opinion groups,
statements that bridge them (and the regions) and divisive ones. A second dialogue, on the
Digital Accelerator, is still collecting statements.

A dialogue that exists is kept as it is, with everything in it; a missing one is created
with its statements, votes and comparisons. Demo voters are looked up by e-mail address and
created only when missing.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from numpy.typing import NDArray

from puente.accounts.models import User
from puente.consensus.synthetic import REGIONS, synthetic_comparisons, synthetic_votes
from puente.core.choices import Region, StakeholderType, region_for
from puente.partnerships.demo import DEMO_PASSWORD
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Membership, Organisation

from .demo_content import (
    ACCELERATOR_STATEMENTS,
    FIRST_NAMES,
    PRIORITIES_STATEMENTS,
    SURNAMES,
    DemoStatement,
)
from .models import Comparison, Dialogue, Participation, Phase, Statement
from .services.bulk import comparisons_bulk_load, votes_bulk_load
from .services.results import results_refresh

DEMO_PARTNERSHIP = "eu-lac-digital-alliance"
DEMO_DIALOGUE = {
    "slug": "shared-digital-priorities",
    "title": "Shared digital priorities for 2027",
    "framing_question": (
        "Which digital priorities do organisations in Europe, Latin America and the Caribbean "
        "share, and what should the Alliance do about them first?"
    ),
    "description": (
        "Organisations of both regions added the expectations, opportunities and proposals "
        "that matter to them: connectivity, Earth observation, e-government, cybersecurity, "
        "digital skills, innovation, data protection and AI. Vote on the statements and "
        "compare them two at a time: the ones that people of both regions and of all kinds "
        "of organisations support will shape the Alliance's joint agenda for 2027."
    ),
    "languages": ["en", "es", "pt"],
}
ACCELERATOR_DIALOGUE = {
    "slug": "digital-accelerator-challenges",
    "title": "Challenges for the EU-LAC Digital Accelerator",
    "framing_question": (
        "Which business and public-service challenges should the EU-LAC Digital Accelerator "
        "put to start-ups and SMEs of both regions first?"
    ),
    "description": (
        "The Digital Accelerator matches corporates and public bodies that post a challenge "
        "with start-ups and SMEs of both regions that answer it with a digital solution. "
        "Suggest the challenges worth posting, and say what the Accelerator should expect "
        "of itself."
    ),
    "languages": ["en", "es", "pt"],
}

DEMO_VOTER_EMAIL = "voter-{number:03d}@demo.puente.example"
N_VOTERS = 400
# 3000 comparisons from the full crowd.
COMPARISONS_PER_VOTER = 7.5
# Each voter sees about half of the statements, as in a real conversation of this size.
VOTE_DENSITY = 0.5
N_OPINION_GROUPS = 3
N_ACCELERATOR_VOTERS = 12
SEED = 2027

_LANGUAGE_OF_COUNTRY = {
    **dict.fromkeys(["BR", "PT"], "pt"),
    **dict.fromkeys(["ES", "AR", "CL", "CO", "CR", "DO", "EC", "GT", "MX", "PA", "UY"], "es"),
    "FR": "fr",
}
_TIME_ZONE_OF_COUNTRY = {
    "AR": "America/Argentina/Buenos_Aires",
    "BB": "America/Barbados",
    "BE": "Europe/Brussels",
    "BR": "America/Sao_Paulo",
    "CL": "America/Santiago",
    "CO": "America/Bogota",
    "CR": "America/Costa_Rica",
    "DE": "Europe/Berlin",
    "DO": "America/Santo_Domingo",
    "EC": "America/Guayaquil",
    "EE": "Europe/Tallinn",
    "ES": "Europe/Madrid",
    "FI": "Europe/Helsinki",
    "FR": "Europe/Paris",
    "GR": "Europe/Athens",
    "GT": "America/Guatemala",
    "IE": "Europe/Dublin",
    "IT": "Europe/Rome",
    "JM": "America/Jamaica",
    "LU": "Europe/Luxembourg",
    "MX": "America/Mexico_City",
    "NL": "Europe/Amsterdam",
    "PA": "America/Panama",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "TT": "America/Port_of_Spain",
    "UY": "America/Montevideo",
}


@dataclass(frozen=True)
class _Voter:
    person: User
    organisation: Organisation


def dialogue_demo_load(*, report: Any, n_voters: int | None = None) -> None:
    """Create the demo's dialogues that are missing, with what is in them; keep the others.

    n_voters sets the size of the crowd, N_VOTERS by default (read when called: the browser
    tests make it smaller to stay fast).
    """
    n_voters = N_VOTERS if n_voters is None else n_voters
    partnership = Partnership.objects.filter(slug=DEMO_PARTNERSHIP).first()
    if partnership is None:
        return
    rng = np.random.default_rng(SEED)
    organisations = list(partnership.organisations.order_by("slug"))
    if not organisations:
        return  # the crowd speaks for member organisations: none, no demo dialogues
    facilitator = partnership.facilitators.order_by("pk").first()
    created_by = facilitator if isinstance(facilitator, User) else None

    voters = _voters_load(n_voters, organisations, report)
    priorities = _dialogue_load(partnership, DEMO_DIALOGUE, Phase.PRIORITISE, created_by, report)
    if priorities is not None:
        _priorities_fill(priorities, voters, rng, report)
    accelerator = _dialogue_load(
        partnership, ACCELERATOR_DIALOGUE, Phase.CONTRIBUTE, created_by, report
    )
    if accelerator is not None:
        _accelerator_fill(accelerator, voters[:N_ACCELERATOR_VOTERS], rng, report)


def _dialogue_load(
    partnership: Partnership,
    seed: dict[str, Any],
    phase: Phase,
    created_by: User | None,
    report: Any,
) -> Dialogue | None:
    """Create the dialogue if it is missing and return it; count it as kept otherwise."""
    existing = Dialogue.objects.filter(partnership=partnership, slug=seed["slug"]).first()
    if existing is not None:
        report.kept["dialogues"] += 1
        report.kept["statements"] += existing.statements.count()
        report.kept["dialogue participations"] += existing.participations.count()
        report.kept["votes"] += existing.votes.count()
        report.kept["comparisons"] += existing.comparisons.count()
        return None
    dialogue = Dialogue(
        partnership=partnership,
        participation=Dialogue.Audience.SIGNED_IN,
        phase=phase,
        phase_set_at=timezone.now(),
        created_by=created_by,
        **seed,
    )
    dialogue.full_clean()
    dialogue.save()
    report.created["dialogues"] += 1
    return dialogue


def _voters_load(n_voters: int, organisations: Sequence[Organisation], report: Any) -> list[_Voter]:
    """Return the demo voters, creating the missing ones with their organisation membership.

    Voter i's organisation, name and region follow from i alone, so a reload finds the same
    voters. Both regions, every stakeholder type and every organisation of the partnership
    are represented.
    """
    numbers = range(1, n_voters + 1)
    emails = [DEMO_VOTER_EMAIL.format(number=number) for number in numbers]
    chosen = _organisations_for(n_voters, organisations)
    existing = {person.email: person for person in User.objects.filter(email__in=emails)}
    password = ""
    new: list[User] = []
    for email, organisation in zip(emails, chosen, strict=True):
        if email in existing:
            continue
        # One hash for every new voter: hashing 400 times would take minutes.
        password = password or make_password(DEMO_PASSWORD)
        language = _LANGUAGE_OF_COUNTRY.get(str(organisation.country), "en")
        new.append(
            User(
                email=email,
                name=_name(email, language),
                preferred_language=language,
                country=organisation.country,
                time_zone=_TIME_ZONE_OF_COUNTRY.get(str(organisation.country), "UTC"),
                password=password,
            )
        )
    created = User.objects.bulk_create(new)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=person, email=person.email, verified=True, primary=True)
        for person in created
    )
    organisation_of = dict(zip(emails, chosen, strict=True))
    now = timezone.now()
    Membership.objects.bulk_create(
        Membership(
            person=person,
            organisation=organisation_of[person.email],
            role=Membership.Role.MEMBER,
            status=Membership.Status.ACTIVE,
            decided_at=now,
        )
        for person in created
    )
    report.created["demo voters"] += len(created)
    report.kept["demo voters"] += len(existing)
    people = {**existing, **{person.email: person for person in created}}
    return [_Voter(people[email], organisation_of[email]) for email in emails]


def _organisations_for(n_voters: int, organisations: Sequence[Organisation]) -> list[Organisation]:
    """Return an organisation per voter: every one first, then alternating regions and types.

    Voter i's organisation depends on i only: the first voters go round every organisation
    once, the rest take an organisation of each region and stakeholder type in turn.
    """
    by_cell: dict[tuple[str, str], list[Organisation]] = {}
    for organisation in organisations:
        region = region_for(str(organisation.country), organisation.region)
        by_cell.setdefault((region, organisation.stakeholder_type), []).append(organisation)
    cells = [
        by_cell[(region, kind)]
        for kind in StakeholderType.values
        for region in (Region.EU.value, Region.LAC.value)
        if (region, kind) in by_cell
    ]
    chosen: list[Organisation] = []
    for index in range(n_voters):
        if index < len(organisations):
            chosen.append(organisations[index])
            continue
        rest = index - len(organisations)
        cell = cells[rest % len(cells)]
        chosen.append(cell[(rest // len(cells)) % len(cell)])
    return chosen


def _name(email: str, language: str) -> str:
    """Return an invented name that depends on the e-mail address only."""
    number = int(email.split("@", 1)[0].rsplit("-", 1)[1])
    first_names, surnames = FIRST_NAMES[language], SURNAMES[language]
    first = first_names[(number * 7) % len(first_names)]
    surname = surnames[(number * 11 + number // len(surnames)) % len(surnames)]
    return f"{first} {surname}"


def _statements_create(
    dialogue: Dialogue,
    seeds: Sequence[DemoStatement],
    voters: Sequence[_Voter],
    report: Any,
) -> list[Statement]:
    """Create the statements, each by a voter of the organisation named, in seed order."""
    author_of: dict[str, _Voter] = {}
    for voter in voters:
        author_of.setdefault(voter.organisation.slug, voter)
    statements = Statement.objects.bulk_create(
        Statement(
            dialogue=dialogue,
            text=seed.text,
            kind=seed.kind,
            language=seed.language,
            author=author_of[seed.organisation].person if seed.organisation in author_of else None,
            organisation=(
                author_of[seed.organisation].organisation
                if seed.organisation in author_of
                else None
            ),
        )
        for seed in seeds
    )
    report.created["statements"] += len(statements)
    return statements


def _participations_create(dialogue: Dialogue, voters: Sequence[_Voter], report: Any) -> None:
    """Record each voter as taking part for their organisation."""
    participations = Participation.objects.bulk_create(
        Participation(
            dialogue=dialogue,
            person=voter.person,
            organisation=voter.organisation,
            country=voter.organisation.country,
            region=region_for(str(voter.organisation.country), voter.organisation.region),
            stakeholder_type=voter.organisation.stakeholder_type,
        )
        for voter in voters
    )
    report.created["dialogue participations"] += len(participations)


def _priorities_fill(
    dialogue: Dialogue, voters: Sequence[_Voter], rng: np.random.Generator, report: Any
) -> None:
    """Add the statements, the voters' participations, votes and comparisons."""
    seeds = PRIORITIES_STATEMENTS
    structure = [seed.structure for seed in seeds]
    data = synthetic_votes(
        len(voters),
        len(seeds),
        n_groups=N_OPINION_GROUPS,
        density=VOTE_DENSITY,
        n_bridging=structure.count("bridging"),
        n_divisive=structure.count("divisive"),
        rng=rng,
    )
    statements = _statements_create(dialogue, seeds, voters, report)
    # The generator planted bridging and divisive statements at random columns: give each
    # column the statement written for its part.
    column_statement = np.empty(len(seeds), dtype=np.int64)
    planted_columns = {
        "bridging": data.bridging.tolist(),
        "divisive": data.divisive.tolist(),
        "ordinary": sorted(
            set(range(len(seeds))) - set(data.bridging.tolist()) - set(data.divisive.tolist())
        ),
    }
    for part, columns in planted_columns.items():
        written = [
            s.pk for s, seed in zip(statements, seeds, strict=True) if seed.structure == part
        ]
        column_statement[columns] = written
    # Voters are reordered so that their region (correlated with their opinion group in the
    # generator) is the region of their organisation.
    voter_of_row = _voters_by_region(voters, data.groupings.codes["region"])

    _participations_create(dialogue, voters, report)
    person_ids = np.asarray([voter.person.pk for voter in voter_of_row], dtype=np.int64)
    votes = dict(
        zip(
            zip(
                person_ids[data.votes.participant].tolist(),
                column_statement[data.votes.statement].tolist(),
                strict=True,
            ),
            data.votes.value.tolist(),
            strict=True,
        )
    )
    # Authors agree with their own statements, as on any statement they write.
    for statement in statements:
        if statement.author_id is not None:
            votes[(statement.author_id, statement.pk)] = 1
    report.created["votes"] += votes_bulk_load(
        dialogue=dialogue,
        rows=((person, statement, choice) for (person, statement), choice in votes.items()),
    )

    n_comparisons = round(COMPARISONS_PER_VOTER * len(voters))
    drawn = synthetic_comparisons(data, n_comparisons, rng=rng)
    answers = {
        1: Comparison.Choice.FIRST.value,
        -1: Comparison.Choice.SECOND.value,
        0: Comparison.Choice.UNDECIDED.value,
    }
    report.created["comparisons"] += comparisons_bulk_load(
        dialogue=dialogue,
        rows=zip(
            person_ids[drawn.participant].tolist(),
            column_statement[drawn.first].tolist(),
            column_statement[drawn.second].tolist(),
            [answers[outcome] for outcome in drawn.outcome.tolist()],
            strict=True,
        ),
    )
    results_refresh(dialogue=dialogue)


def _voters_by_region(voters: Sequence[_Voter], region_codes: NDArray[np.intp]) -> list[_Voter]:
    """Return the voters in the generator's row order, matching each row's region if possible.

    Row r of the generator has region ``REGIONS[region_codes[r]]`` ("EU" or "LAC"); voters of
    that region are handed out in order, and rows left over take the remaining voters.
    """
    queues: dict[str, list[_Voter]] = {region: [] for region in REGIONS}
    others: list[_Voter] = []
    for voter in voters:
        region = region_for(str(voter.organisation.country), voter.organisation.region)
        queues.get(region, others).append(voter)
    ordered: list[_Voter | None] = []
    for code in region_codes.tolist():
        queue = queues[REGIONS[code]]
        ordered.append(queue.pop(0) if queue else None)
    spare = iter([*queues["EU"], *queues["LAC"], *others])
    return [voter if voter is not None else next(spare) for voter in ordered]


def _accelerator_fill(
    dialogue: Dialogue, voters: Sequence[_Voter], rng: np.random.Generator, report: Any
) -> None:
    """Add the first statements and a few early votes to the dialogue still collecting them."""
    statements = _statements_create(dialogue, ACCELERATOR_STATEMENTS, voters, report)
    _participations_create(dialogue, voters, report)
    choices = rng.choice([1, 1, 1, 0, -1], size=(len(voters), len(statements)))
    seen = rng.random((len(voters), len(statements))) < 0.6
    votes = {
        (voter.person.pk, statement.pk): int(choices[i, j])
        for i, voter in enumerate(voters)
        for j, statement in enumerate(statements)
        if seen[i, j]
    }
    for statement in statements:
        if statement.author_id is not None:
            votes[(statement.author_id, statement.pk)] = 1
    report.created["votes"] += votes_bulk_load(
        dialogue=dialogue, rows=((p, s, choice) for (p, s), choice in votes.items())
    )
