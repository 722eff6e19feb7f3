"""Catalog search: one interface (`search`, `index_version`, ...) over SQLite FTS5 and
PostgreSQL full-text search.  Placeholder implementation to be replaced by the backends."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tessera.catalog.models import MicrocredentialVersion
from tessera.catalog.schemas import SearchResults
from tessera.catalog.search.query import SearchQuery


def index_version(db: Session, version: MicrocredentialVersion) -> None:
    """Make a just-published version findable (replacing its microcredential's older entry)."""


def unindex_microcredential(db: Session, microcredential_id: int) -> None:
    """Remove a microcredential from search results (retired)."""


def rebuild_index(db: Session) -> int:
    return 0


def search(db: Session, query: SearchQuery) -> SearchResults:
    return SearchResults(items=[], total=0, page=query.page, page_size=query.page_size, facets={})
