"""Column types of the in-memory index (numpy only, no database): one value per entry, or a
list of values per entry, each value stored as a small integer code into a table of values.

Codes make every filter an array lookup and every facet count a `bincount`; the tables of
values stay small (a few hundred providers or skills, a handful of fields).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Mask = NDArray[np.bool_]
Rows = NDArray[np.intp]


def _encode(values: Sequence[Hashable], table: dict[Any, int]) -> NDArray[np.int32]:
    """Codes of `values`, adding unseen values to `table` (value -> code).

    Written with C-level loops (dict.fromkeys, map): 100,000 values take milliseconds.
    """
    for value in dict.fromkeys(values):
        table.setdefault(value, len(table))
    return np.fromiter(map(table.__getitem__, values), dtype=np.int32, count=len(values))


@dataclass(frozen=True, eq=False)
class Codes:
    """One value per entry: `values[codes[row]]`."""

    codes: NDArray[np.int32]
    values: tuple[Any, ...]

    @classmethod
    def encode(cls, values: Sequence[Hashable]) -> Codes:
        table: dict[Any, int] = {}
        codes = _encode(values, table)
        return cls(codes, tuple(table))

    def take(self, rows: Rows) -> Codes:
        return Codes(self.codes[rows], self.values)

    def patch(self, keep: Mask, at: Rows, values: Sequence[Hashable]) -> Codes:
        """The `keep`-masked entries, with new entries of `values` inserted before kept
        entries number `at` (as numpy.insert): one pass, however few entries changed."""
        table = {value: code for code, value in enumerate(self.values)}
        added = _encode(values, table)
        return Codes(np.insert(self.codes[keep], at, added), tuple(table))

    def having(self, wanted: Callable[[Any], bool]) -> Mask:
        """Entries whose value satisfies `wanted`."""
        chosen = np.fromiter((wanted(value) for value in self.values), dtype=np.bool_,
                             count=len(self.values))
        return chosen[self.codes]

    def among(self, chosen: Collection[Hashable]) -> Mask:
        """Entries whose value is one of `chosen`."""
        return self.having(lambda value: value in chosen)

    def count(self, rows: Rows) -> dict[Any, int]:
        """Entries per value among `rows` (values with no entry left out)."""
        counts = np.bincount(self.codes[rows], minlength=len(self.values))
        return {self.values[code]: int(counts[code]) for code in np.flatnonzero(counts)}


@dataclass(frozen=True, eq=False)
class Lists:
    """A list of values per entry: entry `row` has `values[codes[starts[row]:starts[row + 1]]]`."""

    starts: NDArray[np.int64]
    codes: NDArray[np.int32]
    values: tuple[Any, ...]

    @classmethod
    def encode(cls, lengths: NDArray[np.int64], values: Sequence[Hashable]) -> Lists:
        """Lists given as their lengths and all their values, one list after the other."""
        return Lists(np.zeros(1, np.int64), np.zeros(0, np.int32), ()).extend(lengths, values)

    def extend(self, lengths: NDArray[np.int64], values: Sequence[Hashable]) -> Lists:
        """These lists followed by more (see `encode`)."""
        table = {value: code for code, value in enumerate(self.values)}
        starts = np.concatenate([self.starts, self.starts[-1] + np.cumsum(lengths)])
        codes = np.concatenate([self.codes, _encode(values, table)])
        return Lists(starts, codes, tuple(table))

    def patch(
        self, keep: Mask, at: Rows, lengths: NDArray[np.int64], values: Sequence[Hashable]
    ) -> Lists:
        """As `Codes.patch`, for lists: new lists (see `encode`) inserted before kept
        entries number `at`."""
        table = {value: code for code, value in enumerate(self.values)}
        old_lengths = np.diff(self.starts)
        kept_lengths = old_lengths[keep]
        codes = self.codes[np.repeat(keep, old_lengths)]
        kept_starts = np.concatenate([[0], np.cumsum(kept_lengths)])
        # Each new value goes where its list starts: before the kept entry it precedes.
        codes = np.insert(codes, np.repeat(kept_starts[at], lengths), _encode(values, table))
        all_lengths = np.insert(kept_lengths, at, lengths)
        starts = np.zeros(len(all_lengths) + 1, np.int64)
        np.cumsum(all_lengths, out=starts[1:])
        return Lists(starts, codes, tuple(table))

    def _positions(self, rows: Rows) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Where the values of `rows` are in `codes` (list after list), and the new starts."""
        begins = self.starts[rows]
        lengths = self.starts[rows + 1] - begins
        starts = np.zeros(len(rows) + 1, np.int64)
        np.cumsum(lengths, out=starts[1:])
        # Each value's list's old start plus its offset in the list.
        return np.repeat(begins - starts[:-1], lengths) + np.arange(starts[-1]), starts

    def take(self, rows: Rows) -> Lists:
        """The lists of `rows`, in that order."""
        positions, starts = self._positions(rows)
        return Lists(starts, self.codes[positions], self.values)

    def having_any(self, chosen: Collection[Hashable]) -> Mask:
        """Entries with at least one value among `chosen`."""
        wanted = np.fromiter((value in chosen for value in self.values), dtype=np.bool_,
                             count=len(self.values))
        mask = np.zeros(len(self.starts) - 1, np.bool_)
        # The entry of each chosen value: the last list starting at or before it.
        mask[np.searchsorted(self.starts, np.flatnonzero(wanted[self.codes]), "right") - 1] = True
        return mask

    def counts(self, rows: Rows) -> NDArray[np.intp]:
        """How many of `rows` list each value, by code."""
        positions, _starts = self._positions(rows)
        return np.bincount(self.codes[positions], minlength=len(self.values))

    def count(self, rows: Rows) -> dict[Any, int]:
        """How many of `rows` list each value (values with none left out)."""
        counts = self.counts(rows)
        return {self.values[code]: int(counts[code]) for code in np.flatnonzero(counts)}
