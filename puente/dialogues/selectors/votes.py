"""Reads of votes and pairwise comparisons."""

import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from puente.core.permissions import Viewer, is_signed_in

from ..models import Comparison, Dialogue, Statement, Vote, VoteChange
from .statements import with_translations


def votes_of(
    *, dialogue: Dialogue, participant: Viewer, statement_ids: Iterable[int]
) -> dict[int, int]:
    """Return the participant's current vote on each of the statements that has one, by id."""
    if not is_signed_in(participant):
        return {}
    return dict(
        Vote.objects.filter(
            dialogue=dialogue, participant=participant.pk, statement_id__in=list(statement_ids)
        ).values_list("statement_id", "choice")
    )


# How long the number of votes per statement may be stale when it orders the voting cards.
VOTE_TOTALS_SECONDS = 30


def statement_vote_totals(*, dialogue: Dialogue) -> dict[int, int]:
    """Return the number of votes on each statement that has any, counted at most 30 s ago.

    The voting card asks after every vote; counting a large dialogue's votes each time
    would read all of them, so the counts are shared through the cache for a while.
    """
    key = f"dialogues:vote-totals:{dialogue.pk}"
    totals: dict[int, int] | None = cache.get(key)
    if totals is None:
        totals = dict(
            Vote.objects.filter(dialogue=dialogue)
            .values_list("statement_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("statement_id", "n")
        )
        cache.set(key, totals, VOTE_TOTALS_SECONDS)
    return totals


def next_statement_for(*, dialogue: Dialogue, participant: Viewer) -> Statement | None:
    """Return a shown statement the person has not voted on: seeds first, then the least voted.

    Ties go to the oldest statement, so the same card comes back until it is answered.
    """
    if not is_signed_in(participant):
        return None
    candidates = list(
        Statement.objects.shown()
        .filter(dialogue=dialogue)
        .exclude(
            pk__in=Vote.objects.filter(dialogue=dialogue, participant=participant.pk).values(
                "statement_id"
            )
        )
        .values_list("pk", "is_seed")
        .order_by()  # chosen below: the default order would join the dialogue and sort
    )
    if not candidates:
        return None
    totals = statement_vote_totals(dialogue=dialogue)
    chosen, _is_seed = min(candidates, key=lambda row: (not row[1], totals.get(row[0], 0), row[0]))
    return with_translations(Statement.objects.select_related("organisation")).get(pk=chosen)


@dataclass(frozen=True)
class VoteProgress:
    """How many of the dialogue's shown statements the person has voted on."""

    n_voted: int
    n_total: int

    @property
    def n_left(self) -> int:
        """Return how many statements wait for the person's vote."""
        return max(self.n_total - self.n_voted, 0)

    @property
    def is_done(self) -> bool:
        """Return whether the person has voted on every shown statement."""
        return self.n_left == 0


def vote_progress(*, dialogue: Dialogue, participant: Viewer) -> VoteProgress:
    """Return how many shown statements the person voted on, of how many."""
    n_total = Statement.objects.shown().filter(dialogue=dialogue).count()
    if not is_signed_in(participant):
        return VoteProgress(n_voted=0, n_total=n_total)
    n_voted = Vote.objects.filter(
        dialogue=dialogue, participant=participant.pk, statement__status=Statement.Status.PUBLISHED
    ).count()
    return VoteProgress(n_voted=n_voted, n_total=n_total)


def vote_list_of(*, participant: Viewer, dialogue: Dialogue) -> QuerySet[Vote]:
    """Return the person's votes on the dialogue's shown statements, last changed first."""
    if not is_signed_in(participant):
        return Vote.objects.none()
    return (
        Vote.objects.filter(
            dialogue=dialogue,
            participant=participant.pk,
            statement__status=Statement.Status.PUBLISHED,
        )
        .select_related("statement")
        .prefetch_related("statement__translations")
        .order_by("-updated_at", "-pk")
    )


def vote_history(*, participant: Viewer, statement: Statement) -> QuerySet[VoteChange]:
    """Return every vote the person cast on the statement, oldest first."""
    if not is_signed_in(participant):
        return VoteChange.objects.none()
    return VoteChange.objects.filter(
        dialogue=statement.dialogue_id, statement=statement, participant=participant.pk
    ).order_by("pk")


def vote_histories_of(
    *, participant: Viewer, dialogue: Dialogue, statement_ids: Iterable[int]
) -> dict[int, list[VoteChange]]:
    """Return the person's history on each of the statements, oldest first, in one query."""
    if not is_signed_in(participant):
        return {}
    histories: dict[int, list[VoteChange]] = defaultdict(list)
    for change in VoteChange.objects.filter(
        dialogue=dialogue, participant=participant.pk, statement_id__in=list(statement_ids)
    ).order_by("pk"):
        histories[change.statement_id].append(change)
    return dict(histories)


class VoteCounts(NamedTuple):
    """How many agreed, disagreed and passed on a statement."""

    n_agree: int
    n_disagree: int
    n_pass: int

    @property
    def n_votes(self) -> int:
        """Return the number of votes of any kind."""
        return self.n_agree + self.n_disagree + self.n_pass


def statement_vote_counts(*, dialogue: Dialogue) -> dict[int, VoteCounts]:
    """Return the current vote counts of each statement of the dialogue that has votes."""
    rows = (
        Vote.objects.filter(dialogue=dialogue)
        .values("statement_id")
        .annotate(
            n_agree=Count("pk", filter=Q(choice=Vote.Choice.AGREE)),
            n_disagree=Count("pk", filter=Q(choice=Vote.Choice.DISAGREE)),
            n_pass=Count("pk", filter=Q(choice=Vote.Choice.PASS)),
        )
        .order_by()
    )
    return {
        row["statement_id"]: VoteCounts(row["n_agree"], row["n_disagree"], row["n_pass"])
        for row in rows
    }


def _comparison_counts(comparisons: QuerySet[Comparison]) -> Counter[int]:
    counts: Counter[int] = Counter()
    for field in ("first_id", "second_id"):
        for statement_id, n in (
            comparisons.values_list(field)
            .annotate(n=Count("pk"))
            .order_by()
            .values_list(field, "n")
        ):
            counts[statement_id] += n
    return counts


def next_pair_for(*, dialogue: Dialogue, participant: Viewer) -> tuple[Statement, Statement] | None:
    """Return two shown statements for the person to compare, or None when none are left.

    Every statement gets its turn, not only the leading ones: the statement the person
    compared least (then the one everybody compared least) is paired with the next such
    statement the person has not yet compared it with. Ties are broken by a shuffle seeded
    per person, so the same question comes back until it is answered, and different people
    start from different statements.
    """
    if not is_signed_in(participant):
        return None
    statements = list(
        Statement.objects.shown().filter(dialogue=dialogue).select_related("organisation")
    )
    if len(statements) < 2:
        return None
    everybody = Comparison.objects.filter(dialogue=dialogue)
    mine = everybody.filter(participant=participant.pk)
    n_everybody = _comparison_counts(everybody)
    n_mine = _comparison_counts(mine)
    compared = set(mine.values_list("first_id", "second_id"))
    # Not for security: a reproducible order per person and dialogue.
    rng = random.Random(f"{dialogue.pk}:{participant.pk}")  # noqa: S311
    shuffled = rng.sample(range(len(statements)), len(statements))
    order = sorted(
        range(len(statements)),
        key=lambda i: (n_mine[statements[i].pk], n_everybody[statements[i].pk], shuffled[i]),
    )
    for position, i in enumerate(order):
        for j in order[position + 1 :]:
            one, other = statements[i], statements[j]
            if (min(one.pk, other.pk), max(one.pk, other.pk)) not in compared:
                # Which is shown first is drawn too, so neither side is always the newcomer.
                return (one, other) if rng.random() < 0.5 else (other, one)
    return None
