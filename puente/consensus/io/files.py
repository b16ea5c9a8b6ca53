"""Shared pieces of the readers: located input errors, opening files, headers and CSV rows."""

from __future__ import annotations

import csv
import io
import mmap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

__all__ = [
    "PARTICIPANT_COLUMNS",
    "IdLookup",
    "InputError",
    "find_column",
    "open_bytes",
    "read_csv_rows",
    "read_header",
]

PARTICIPANT_COLUMNS = ("voter-id", "participant")

_MMAP_MIN_BYTES = 1 << 20
"""Files at least this large are memory-mapped rather than read into memory."""


class InputError(ValueError):
    """A problem in an input file, located by file, row and column.

    Attributes
    ----------
    path
        The file (or folder) as given.
    row
        1-based line number in the file (the header is row 1), or None.
    column
        Name of the column, or None.
    message
        What is wrong.
    """

    def __init__(
        self, path: Path | str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        """Return "file, row N, column 'name': message" with the known parts."""
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@contextmanager
def open_bytes(path: Path) -> Iterator[bytes | mmap.mmap]:
    """Yield the bytes of a file, memory-mapped when it is large."""
    try:
        file = path.open("rb")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot read the file ({error.strerror})") from None
    with file:
        size = path.stat().st_size
        if size < _MMAP_MIN_BYTES:
            yield file.read()
            return
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            yield mapped
        finally:
            # A view still alive keeps the mapping open until it is collected.
            with suppress(BufferError):
                mapped.close()


def read_header(path: Path, buffer: bytes | mmap.mmap) -> tuple[list[str], int]:
    """Return the column names and the offset of the first data byte."""
    end = buffer.find(b"\n")
    if end < 0:
        end = len(buffer)
    raw = bytes(buffer[:end])
    try:
        text = raw.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        raise InputError(path, "the header is not UTF-8 text", row=1) from None
    if not text.strip():
        raise InputError(path, "the file is empty (no header)", row=1)
    names = next(csv.reader([text]))
    return [name.strip() for name in names], end + 1


def find_column(path: Path, header: list[str], names: Sequence[str]) -> int:
    """Return the index of the first column called one of ``names`` (case-insensitive)."""
    lowered = [name.lower() for name in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    found = ", ".join(header)
    raise InputError(path, f"column is missing (the header has: {found})", row=1, column=names[0])


def read_csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Return the header and an iterator of (row number, fields) over the non-blank rows.

    Rows with a different number of fields than the header raise ``InputError``.
    """
    with open_bytes(path) as buffer:
        raw = bytes(buffer)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw.count(b"\n", 0, error.start) + 1
        raise InputError(path, "the file is not UTF-8 text", row=row) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise InputError(path, "the file is empty (no header)", row=1) from None
    except csv.Error as error:
        raise InputError(path, f"malformed header ({error})", row=1) from None
    if not any(header):
        raise InputError(path, "the file is empty (no header)", row=1)
    return header, _checked_rows(path, header, reader)


def _checked_rows(
    path: Path, header: list[str], reader: _CsvReader
) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, fields) of non-blank rows with as many fields as the header."""
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(path, f"malformed row ({error})", row=reader.line_num) from None
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if len(fields) < len(header):
            raise InputError(
                path,
                f"missing field ({len(fields)} of {len(header)} fields)",
                row=reader.line_num,
                column=header[len(fields)],
            )
        if len(fields) > len(header):
            raise InputError(
                path,
                f"too many fields ({len(fields)}, the header has {len(header)})",
                row=reader.line_num,
            )
        yield reader.line_num, fields


class IdLookup:
    """Find the position of an id as written in another file (``"007"`` matches ``"7"``)."""

    def __init__(self, ids: Sequence[str]) -> None:
        self._position = {identifier: index for index, identifier in enumerate(ids)}

    def get(self, raw_id: str) -> int | None:
        """Return the position of the id, or None when unknown."""
        position = self._position.get(raw_id)
        if position is None:
            try:
                position = self._position.get(str(int(raw_id)))
            except ValueError:
                return None
        return position
