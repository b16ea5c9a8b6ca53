"""Read votes, participants and comparisons from CSV files, including Polis exports.

- ``files``: located input errors, opening files (memory-mapped when large), headers, CSV rows.
- ``fastpath``: locating the fields of a file with numpy and decoding integers eight digits
  at a time.
- ``votes``: votes files (one vote per row) and building ``Votes``, the latest vote of a pair
  winning.
- ``polis``: Polis export folders (``votes.csv`` or ``participants-votes.csv``,
  ``comments.csv``).
- ``participants``: declared groupings from ``participants.csv``.
- ``comparisons``: pairwise comparisons from ``comparisons.csv``.

Vote sign convention: the Polis export files (``votes.csv`` and ``participants-votes.csv``)
store 1 for agree, -1 for disagree and 0 for pass, the same convention as ``Votes``. This
was checked on the conversations in ``tests/consensus/data/polis``: counting every row of
``votes.csv`` with vote 1 (and -1) per comment reproduces the ``agrees`` (and
``disagrees``) column of ``comments.csv`` exactly (those columns count superseded votes
too). The Polis web API, not read here, uses the opposite sign.

Large vote files are parsed without the ``csv`` module: the file is memory-mapped, the
delimiters are located with numpy, and integer fields are decoded eight digits at a time.
A file that this fast path does not accept (quoted fields, non-integer ids, blank lines,
any invalid value) is read again with the ``csv`` module, which either reads it (text ids,
quoted fields) or reports the first problem with its row and column. Row numbers count the
lines of the file from 1, the header being row 1.
"""

from .comparisons import read_comparisons_csv
from .files import InputError
from .participants import read_participants_csv
from .polis import PolisConversation, read_polis_conversation
from .votes import read_votes_csv

__all__ = [
    "InputError",
    "PolisConversation",
    "read_comparisons_csv",
    "read_participants_csv",
    "read_polis_conversation",
    "read_votes_csv",
]
