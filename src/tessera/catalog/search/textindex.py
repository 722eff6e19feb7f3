"""What each database backend provides: writing the text index, matching and ranking text.

Everything else (filters, facets, other sort orders) is shared and runs over the snapshot,
so a backend's search is one question: which entries match this text, and, when results
are sorted by relevance, which of them (among the ids that pass the filters) make up the
requested page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Table
from sqlalchemy.orm import Session

from tessera.catalog.search.documents import Document
from tessera.catalog.search.filters import Price
from tessera.catalog.search.generation import Generation


@dataclass(frozen=True)
class TextQuery:
    """The backend's query for some words: to find the matches, and to rank them (the same
    on SQLite; on PostgreSQL the first is simplified for the index, see postgres_fts)."""

    match: str
    rank: str
    settings: tuple[tuple[str, str], ...] = ()  # planner settings `find` puts back


@dataclass(frozen=True)
class Ranking:
    """A page of matches by relevance, among `among` (ascending ids; None: every match)."""

    among: NDArray[np.int64] | None
    limit: int
    offset: int


@dataclass(frozen=True)
class Found:
    """Every entry matching the text, and the ranked page if one was asked for."""

    ids: NDArray[np.int64]
    page: list[int]


class TextIndex(Protocol):
    name: str
    price: Price  # how the database compares prices (see filters.Price)

    # Writing (see the package's index_version, rebuild_index...).
    def bulk_insert(self, db: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None: ...
    def insert(self, db: Session, batch: Sequence[Document]) -> None: ...
    def delete(self, db: Session, microcredential_ids: Sequence[int]) -> None: ...
    def clear(self, db: Session) -> None: ...
    def analyze(self, db: Session) -> None: ...

    # Reading the snapshot's columns (see snapshot.Dialect).
    def cents(self, column: str) -> str: ...
    def micros(self, column: str) -> str: ...
    def joined(self, expression: str, separator: str) -> str: ...

    # Searching: `begin` says which generation the index is at and prepares the words (if
    # any); `find` matches them.  Few round trips: under load each one costs.
    def begin(self, db: Session, words: list[str]) -> tuple[Generation, TextQuery | None]: ...
    def find(self, db: Session, query: TextQuery, ranking: Ranking | None) -> Found: ...
