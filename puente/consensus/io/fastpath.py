"""The fast path: locate the fields of a CSV file with numpy, decode integers by 8-byte words."""

from __future__ import annotations

import mmap
from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "fast_body_end",
    "field_bounds",
    "line_blocks",
    "parse_unsigned",
    "parse_vote",
    "unaligned_words",
]


def fast_body_end(buffer: bytes | mmap.mmap, body_start: int) -> int | None:
    """Return the end of the body without trailing blanks, or None if it needs the csv module."""
    end = len(buffer)
    while end > body_start and buffer[end - 1 : end] in (b"\n", b"\r", b" ", b"\t"):
        end -= 1
    if buffer.find(b'"', body_start, end) >= 0 or body_start < 8:
        return None
    return end


def line_blocks(
    data: NDArray[np.uint8],
    buffer: bytes | mmap.mmap,
    body_start: int,
    end: int,
    n_columns: int,
) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64]] | None]:
    """Yield (delimiter grid, line starts) per block of whole lines; None for a bad block.

    Blocks keep every temporary array small: in cache, and reused rather than freshly
    paged in.
    """
    scratch = _BlockScratch()
    block_start = body_start
    while block_start < end:
        block_end = min(block_start + _BLOCK_BYTES, end)
        if block_end < end:
            newline = buffer.find(b"\n", block_end, end)
            block_end = end if newline < 0 else newline
        grid = _block_grid(data, block_start, block_end, n_columns, scratch)
        if grid is None:
            yield None
            return
        line_start = np.empty(grid.shape[0], dtype=np.int64)
        line_start[0] = block_start
        line_start[1:] = grid[:-1, -1] + 1
        yield grid, line_start
        block_start = block_end + 1


_BLOCK_BYTES = 1 << 19
"""Bytes of the file parsed at a time."""


class _BlockScratch:
    """Reusable masks for scanning one block for delimiters."""

    def __init__(self) -> None:
        self.is_comma = np.empty(0, dtype=bool)
        self.is_newline = np.empty(0, dtype=bool)

    def masks(self, size: int) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        """Return two boolean arrays of ``size`` elements, grown when needed."""
        if self.is_comma.shape[0] < size:
            self.is_comma = np.empty(size, dtype=bool)
            self.is_newline = np.empty(size, dtype=bool)
        return self.is_comma[:size], self.is_newline[:size]


def _block_grid(
    data: NDArray[np.uint8], start: int, end: int, n_columns: int, scratch: _BlockScratch
) -> NDArray[np.int64] | None:
    """Return the delimiter offsets of the lines in data[start:end], one row per line.

    Column j of a row is the offset of the comma ending field j; the last column is the
    offset of the line end. None when some line has a different number of fields.
    """
    chunk = data[start:end]
    comma, newline = scratch.masks(chunk.shape[0])
    np.equal(chunk, ord(","), out=comma)
    np.equal(chunk, ord("\n"), out=newline)
    np.logical_or(comma, newline, out=comma)
    found = np.flatnonzero(comma)
    delimiters = np.empty(found.shape[0] + 1, dtype=np.int64)
    np.add(found, start, out=delimiters[:-1])
    delimiters[-1] = end
    if delimiters.shape[0] % n_columns:
        return None
    grid = delimiters.reshape(-1, n_columns)
    if not (data[grid[:, :-1]] == ord(",")).all() or not (data[grid[:-1, -1]] == 10).all():
        return None
    return grid


def field_bounds(
    data: NDArray[np.uint8],
    grid: NDArray[np.int64],
    line_start: NDArray[np.int64],
    column: int,
    has_carriage_return: bool,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the start and end (exclusive) offsets of one column's fields."""
    starts = line_start if column == 0 else grid[:, column - 1] + 1
    ends = grid[:, column].copy()
    if has_carriage_return and column == grid.shape[1] - 1:
        ends -= data[ends - 1] == ord("\r")
    return starts, ends


def unaligned_words(buffer: bytes | mmap.mmap) -> NDArray[np.uint64]:
    """Return a view where element i is the little-endian 8-byte word at byte offset i."""
    n_words = max(len(buffer) - 7, 0)
    return np.ndarray(shape=(n_words,), dtype="<u8", buffer=buffer, strides=(1,))


_KEEP_LAST = np.asarray(
    [
        0,
        *(
            (0xFFFF_FFFF_FFFF_FFFF << (8 * (8 - length))) & 0xFFFF_FFFF_FFFF_FFFF
            for length in range(1, 9)
        ),
    ],
    dtype=np.uint64,
)
"""Mask keeping the last ``length`` bytes (the high ones) of a little-endian word."""
_ZERO_DIGITS = np.uint64(0x3030_3030_3030_3030)
_FILL_ZEROS = ~_KEEP_LAST & _ZERO_DIGITS
_HIGH_NIBBLES = np.uint64(0xF0F0_F0F0_F0F0_F0F0)
_LOW_NIBBLES = np.uint64(0x0F0F_0F0F_0F0F_0F0F)
_SIX = np.uint64(0x0606_0606_0606_0606)
_PAIRS = np.uint64(0x00FF_00FF_00FF_00FF)
_QUADS = np.uint64(0x0000_FFFF_0000_FFFF)
_OCTET = np.uint64(0x0000_0000_FFFF_FFFF)


def parse_unsigned(
    words: NDArray[np.uint64],
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    out: NDArray[np.int64],
) -> bool:
    """Decode unsigned decimal fields [start, end) of 1 to 16 digits into ``out``.

    Return False when a field is empty, too long or not all digits. Eight digits are
    decoded at once: the 8-byte word ending at the field end is loaded, the bytes before
    the field are replaced by '0', every byte is checked to be a digit, and the digits
    are combined pairwise by multiply-and-shift (SWAR).
    """
    length = ends - starts
    if length.shape[0] and (int(length.min()) < 1 or int(length.max()) > 16):
        return False
    out[:] = 0
    for block in range(2):
        block_length = np.clip(length - 8 * block, 0, 8)
        if block and not block_length.any():
            break
        # Fields shorter than the block only need their bytes masked out; clip the offset.
        word = words[np.maximum(ends - 8 * (block + 1), 0)]
        word &= _KEEP_LAST[block_length]
        word |= _FILL_ZEROS[block_length]
        if ((word & _HIGH_NIBBLES) != _ZERO_DIGITS).any():
            return False
        if (((word + _SIX) & _HIGH_NIBBLES) != _ZERO_DIGITS).any():
            return False
        word &= _LOW_NIBBLES
        word = (word * np.uint64(10) + (word >> np.uint64(8))) & _PAIRS
        word = (word * np.uint64(100) + (word >> np.uint64(16))) & _QUADS
        word = (word * np.uint64(10_000) + (word >> np.uint64(32))) & _OCTET
        if block:
            out += word.astype(np.int64) * 100_000_000
        else:
            out += word.astype(np.int64)
    return True


def parse_vote(
    data: NDArray[np.uint8],
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    out: NDArray[np.int8],
) -> bool:
    """Decode vote fields "1", "0", "-1" into ``out``; return False on any other field."""
    length = ends - starts
    last = data[ends - 1]
    negative = (length == 2) & (data[starts] == ord("-")) & (last == ord("1"))
    digit = (length == 1) & ((last == ord("0")) | (last == ord("1")))
    if not (negative | digit).all():
        return False
    np.subtract(last, ord("0"), out=out, casting="unsafe")
    out[negative] = -1
    return True
