"""Reads for the results: the engine's input straight from the vote rows, and the snapshots.

The engine takes votes as parallel numpy arrays (``puente.consensus.Votes``). A dialogue can
hold a million votes, so they never pass through Python objects one by one where the database
can hand them over in bulk: on PostgreSQL one query returns each column packed into one
binary string that numpy reads in place (see ``_vote_columns_packed``, measured at 1,000,000
votes in ``bench/results_refresh.py``); elsewhere (SQLite) the rows of one ``values_list``
query are flattened into an array without building a tuple per vote.
"""

from dataclasses import dataclass
from itertools import chain

import numpy as np
import psycopg
from django.db import connection
from django.db.models import Max
from django.db.models.fields.json import KeyTransform
from numpy.typing import NDArray

from puente.consensus import Comparisons, Groupings, Votes
from puente.core.choices import Region, StakeholderType

from ..models import (
    Comparison,
    Dialogue,
    Participation,
    ResultSnapshot,
    Statement,
    Vote,
    VoteChange,
)

# The groupings declared for every participant (from their Participation), with their
# categories in the order the pages show them.
_GROUPING_CHOICES: dict[str, list[str]] = {
    "region": list(Region.values),
    "stakeholder_type": list(StakeholderType.values),
}
GROUPINGS = tuple(_GROUPING_CHOICES)

# Statements that no longer count: they stay in the arrays (their votes are real) but the
# engine leaves them out of every list and of the ranking.
_MODERATED_OUT = (Statement.Status.HIDDEN, Statement.Status.MERGED)


@dataclass(frozen=True)
class EngineInput:
    """Everything the engine needs for one dialogue, read at one moment."""

    votes: Votes
    groupings: Groupings
    comparisons: Comparisons | None
    statement_text: dict[str, str]
    # The latest VoteChange read before the votes: later changes are "since" the snapshot.
    last_vote_change_id: int

    @property
    def n_comparisons(self) -> int:
        """Return the number of decided comparisons."""
        return 0 if self.comparisons is None else self.comparisons.n_comparisons


def dialogue_engine_input(*, dialogue: Dialogue) -> EngineInput:
    """Read the dialogue's votes, groupings, moderation and comparisons for the engine.

    Participants are numbered 0, 1, ... in the order of their account ids, so that the
    result never carries an account id. Statements are the dialogue's statements other than
    those waiting for moderation, by id; hidden and merged ones are moderated out.
    """
    last_vote_change_id = (
        VoteChange.objects.filter(dialogue=dialogue).order_by("-pk").values_list("pk", flat=True)
    ).first() or 0
    statements = list(
        Statement.objects.filter(dialogue=dialogue)
        .exclude(status=Statement.Status.PENDING)
        .order_by("pk")
        .values_list("pk", "status", "text")
    )
    statement_pks = np.asarray([pk for pk, _status, _text in statements], dtype=np.int64)
    person, statement_pk, value = _vote_columns(dialogue.pk)
    # Votes on statements still waiting for moderation (none should exist) are left out.
    position = np.searchsorted(statement_pks, statement_pk)
    position = np.minimum(position, max(len(statement_pks) - 1, 0))
    known = (
        statement_pks[position] == statement_pk
        if len(statement_pks)
        else np.zeros(len(statement_pk), dtype=bool)
    )
    person, position, value = person[known], position[known], value[known]
    # One sort by (person, statement) orders the votes and numbers the people: a new person
    # starts wherever the sorted person changes. Pairs are unique (one vote per person and
    # statement), so the sort needs no stability.
    order = np.argsort(person * max(len(statement_pks), 1) + position)
    sorted_person = person[order]
    starts = np.ones(len(sorted_person), dtype=bool)
    starts[1:] = sorted_person[1:] != sorted_person[:-1]
    people = sorted_person[starts]
    participant = np.cumsum(starts) - 1
    votes = Votes(
        participant_ids=tuple(str(index) for index in range(len(people))),
        statement_ids=tuple(str(pk) for pk, _status, _text in statements),
        participant=participant.astype(np.int32),
        statement=position[order].astype(np.int32),
        value=value[order].astype(np.int8),
        moderated_out=np.asarray(
            [status in _MODERATED_OUT for _pk, status, _text in statements], dtype=bool
        ),
    )
    return EngineInput(
        votes=votes,
        groupings=_groupings(dialogue, people),
        comparisons=_comparisons(dialogue, people, statement_pks),
        statement_text={str(pk): text for pk, _status, text in statements},
        last_vote_change_id=int(last_vote_change_id),
    )


def _vote_columns(
    dialogue_pk: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Return participant, statement and choice of every vote of the dialogue, in any order."""
    if connection.vendor == "postgresql":
        return _vote_columns_packed(dialogue_pk)
    rows = Vote.objects.filter(dialogue_id=dialogue_pk).values_list(
        "participant_id", "statement_id", "choice"
    )
    flat = np.fromiter(chain.from_iterable(rows.iterator(chunk_size=20_000)), dtype=np.int64)
    columns = flat.reshape(-1, 3)
    return columns[:, 0].copy(), columns[:, 1].copy(), columns[:, 2].copy()


# Packing a vote into one 64-bit integer: statement id in the low 32 bits, then the choice
# (+1, two bits), then the person's id. It fits while ids stay below these.
_PACKED_STATEMENT_LIMIT = 1 << 32
_PACKED_PERSON_LIMIT = 1 << 29


def _vote_columns_packed(
    dialogue_pk: int, *, one_column: bool | None = None
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Read the votes from one query whose result is packed binary strings (PostgreSQL).

    Each vote becomes one big-endian 64-bit integer (person, choice and statement packed
    together), aggregated into one ``bytea`` sent in binary that numpy reads in place: one
    row comes back instead of a million. Where ids are too large to pack, each column gets
    an aggregate of its own (a third slower). Measured at 1,000,000 votes on a loaded
    two-core machine (``bench/results_refresh.py``): one aggregate 0.9 s, three 1.3 to 1.5 s;
    a binary ``COPY`` pays Python's cost per row in the driver (one message per vote: 3 to
    7 s); ``array_agg`` fetched as arrays builds a million Python integers per column (1.5
    to 2 s). Aggregates of one query read the rows in the same order, so row i of each
    column belongs to the same vote.
    """
    table = Vote._meta.db_table
    if one_column is None:
        # Both from indexes: (dialogue, participant) of the votes, the statements' own.
        person = Vote.objects.filter(dialogue_id=dialogue_pk).aggregate(top=Max("participant_id"))
        statement = Statement.objects.filter(dialogue_id=dialogue_pk).aggregate(top=Max("pk"))
        one_column = (person["top"] or 0) < _PACKED_PERSON_LIMIT and (
            statement["top"] or 0
        ) < _PACKED_STATEMENT_LIMIT
    if one_column:
        query = (
            "SELECT string_agg(int8send((participant_id * 4 + choice + 1) * 4294967296 "  # noqa: S608  # table name from the model
            f"+ statement_id), ''::bytea) FROM {table} WHERE dialogue_id = %s"
        )
    else:
        query = (
            "SELECT string_agg(int8send(participant_id), ''::bytea), "  # noqa: S608  # table name from the model
            "string_agg(int8send(statement_id), ''::bytea), "
            "string_agg(int2send(choice), ''::bytea) "
            f"FROM {table} WHERE dialogue_id = %s"
        )
    connection.ensure_connection()
    # A plain psycopg cursor on Django's connection (same transaction): Django's own cursors
    # bind on the client side, which cannot ask for binary results.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(query, [dialogue_pk], binary=True)
        row = cursor.fetchone()
    if row is None or row[0] is None:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    if one_column:
        packed = np.frombuffer(row[0], dtype=">i8").astype(np.int64)
        high = packed >> 32
        return high >> 2, packed & (_PACKED_STATEMENT_LIMIT - 1), (high & 3) - 1
    return (
        np.frombuffer(row[0], dtype=">i8").astype(np.int64),
        np.frombuffer(row[1], dtype=">i8").astype(np.int64),
        np.frombuffer(row[2], dtype=">i2").astype(np.int64),
    )


def _groupings(dialogue: Dialogue, people: NDArray[np.int64]) -> Groupings:
    """Return region and stakeholder type of each participant (-1 where not declared).

    Only the categories someone declared are listed, in the order of their choices: an empty
    category would count as a group that has seen nothing.
    """
    declared = {
        person: (region, stakeholder_type)
        for person, region, stakeholder_type in Participation.objects.filter(
            dialogue=dialogue
        ).values_list("person_id", "region", "stakeholder_type")
    }
    categories: dict[str, tuple[str, ...]] = {}
    codes: dict[str, NDArray[np.intp]] = {}
    for column, (name, choices) in enumerate(_GROUPING_CHOICES.items()):
        values = [declared.get(int(person), ("", ""))[column] for person in people]
        seen = set(values)
        present = [choice for choice in choices if choice in seen]
        index = {value: code for code, value in enumerate(present)}
        categories[name] = tuple(present)
        codes[name] = np.asarray([index.get(value, -1) for value in values], dtype=np.intp)
    return Groupings(categories=categories, codes=codes)


def _comparisons(
    dialogue: Dialogue, people: NDArray[np.int64], statement_pks: NDArray[np.int64]
) -> Comparisons | None:
    """Return the decided comparisons between counted statements, or None if there are none."""
    rows = list(
        Comparison.objects.filter(dialogue=dialogue)
        .exclude(choice=Comparison.Choice.UNDECIDED)
        .values_list("participant_id", "first_id", "second_id", "choice")
    )
    if not rows or not len(statement_pks):
        return None
    person = np.asarray([row[0] for row in rows], dtype=np.int64)
    first = np.asarray([row[1] for row in rows], dtype=np.int64)
    second = np.asarray([row[2] for row in rows], dtype=np.int64)
    first_won = np.asarray([row[3] == Comparison.Choice.FIRST for row in rows], dtype=bool)
    first_at = np.minimum(np.searchsorted(statement_pks, first), len(statement_pks) - 1)
    second_at = np.minimum(np.searchsorted(statement_pks, second), len(statement_pks) - 1)
    known = (statement_pks[first_at] == first) & (statement_pks[second_at] == second)
    if not known.any():
        return None
    # People who compared but never voted have no row: -1.
    participant_at = np.full(len(person), -1, dtype=np.int64)
    if len(people):
        found = np.minimum(np.searchsorted(people, person), len(people) - 1)
        participant_at = np.where(people[found] == person, found, -1)
    return Comparisons(
        participant=participant_at[known].astype(np.int32),
        winner=np.where(first_won, first_at, second_at)[known].astype(np.int32),
        loser=np.where(first_won, second_at, first_at)[known].astype(np.int32),
    )


def snapshot_latest(*, dialogue: Dialogue, with_result: bool = True) -> ResultSnapshot | None:
    """Return the dialogue's latest results snapshot, if any.

    Without ``with_result`` the result is left in the database until it is first used.
    """
    snapshots = ResultSnapshot.objects.filter(dialogue=dialogue)
    if not with_result:
        snapshots = snapshots.defer("result")
    return snapshots.order_by("-computed_at", "-pk").first()


def snapshot_summary_latest(*, dialogue: Dialogue) -> ResultSnapshot | None:
    """Return the latest snapshot with only the ranking and statement texts of its result.

    A snapshot of 10,000 participants holds a few megabytes of JSON; the dialogue page needs
    a few lines of it.
    """
    snapshot = (
        ResultSnapshot.objects.filter(dialogue=dialogue)
        .order_by("-computed_at", "-pk")
        .defer("result")
        .annotate(
            ranking_order=KeyTransform("order", KeyTransform("ranking", "result")),
            statements_text=KeyTransform("statements_text", "result"),
        )
        .first()
    )
    return snapshot


def votes_since(*, snapshot: ResultSnapshot) -> int:
    """Return how many votes were cast or changed after the snapshot was computed."""
    return VoteChange.objects.filter(
        dialogue_id=snapshot.dialogue_id, pk__gt=snapshot.last_vote_change_id
    ).count()
