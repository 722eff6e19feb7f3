"""Catalog search: one interface over SQLite FTS5 and PostgreSQL full-text search.

- `index_version(db, version)`: a version was just published; it replaces its
  microcredential's entry.
- `unindex_microcredential(db, id)`: the microcredential was retired.
- `rebuild_index(db)`: re-index every published version (returns how many).
- `search(db, SearchQuery)`: a page of hits, the total and the facet counts.

The index is denormalised (see `tables`), built from the catalog by `documents`; the backend
(`sqlite_fts` or `postgres_fts`) is chosen by the session's dialect and only handles the text
part, while filters, sorting, paging and facets (`facets`) are shared.  Like every service
these functions flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, delete, select
from sqlalchemy.orm import Session

from tessera.catalog.models import MicrocredentialVersion
from tessera.catalog.schemas import MicrocredentialSummary, OrganisationRef, SearchResults
from tessera.catalog.search import documents as docs
from tessera.catalog.search.facets import count_and_facets, filters
from tessera.catalog.search.postgres_fts import PostgresIndex
from tessera.catalog.search.query import FACETS, WORKLOAD_BUCKETS, SearchQuery, Sort
from tessera.catalog.search.sqlite_fts import SqliteIndex
from tessera.catalog.search.tables import document_languages, document_skills, documents
from tessera.catalog.search.text import terms
from tessera.catalog.vocab import VersionStatus

__all__ = [
    "FACETS",
    "WORKLOAD_BUCKETS",
    "SearchQuery",
    "Sort",
    "index_version",
    "rebuild_index",
    "search",
    "unindex_microcredential",
]


class TextIndex(Protocol):
    """What a backend adds to the shared tables: the text index and relevance."""

    name: str

    def insert(self, db: Session, batch: Sequence[docs.Document]) -> None: ...
    def delete(self, db: Session, microcredential_ids: Sequence[int]) -> None: ...
    def clear(self, db: Session) -> None: ...
    def analyze(self, db: Session) -> None: ...
    def matches(self, words: list[str], microcredential_id: Any) -> ColumnElement[bool]: ...
    def ranked(self, statement: Select[Any], words: list[str]) -> Select[Any]: ...


_BACKENDS: dict[str, TextIndex] = {"sqlite": SqliteIndex(), "postgresql": PostgresIndex()}


def backend(db: Session) -> TextIndex:
    dialect = db.get_bind().dialect.name
    try:
        return _BACKENDS[dialect]
    except KeyError:
        raise RuntimeError(f"Catalog search does not support the {dialect!r} database") from None


# --- writing -------------------------------------------------------------------------------


def _remove(db: Session, index: TextIndex, microcredential_ids: Sequence[int]) -> None:
    index.delete(db, microcredential_ids)
    for table in (document_languages, document_skills, documents):
        db.execute(delete(table).where(table.c.microcredential_id.in_(microcredential_ids)))


def _add(db: Session, index: TextIndex, batch: Sequence[docs.Document]) -> None:
    index.insert(db, batch)
    languages = [
        {"microcredential_id": doc.microcredential_id, "language": language}
        for doc in batch
        for language in doc.languages
    ]
    skills = [
        {"microcredential_id": doc.microcredential_id, "skill_id": skill_id,
         "skill_uri": uri, "skill_label": label}
        for doc in batch
        for skill_id, uri, label in doc.skills
    ]
    if languages:
        db.execute(document_languages.insert(), languages)
    if skills:
        db.execute(document_skills.insert(), skills)


def index_version(db: Session, version: MicrocredentialVersion) -> None:
    """Make a just-published version findable (replacing its microcredential's older entry).

    A version that is not (or no longer) published removes the entry instead.
    """
    index = backend(db)
    db.flush()
    _remove(db, index, [version.microcredential_id])
    if version.status is VersionStatus.PUBLISHED:
        _add(db, index, docs.load_documents(db, [version.id]))
    db.flush()


def unindex_microcredential(db: Session, microcredential_id: int) -> None:
    """Remove a microcredential from search results (retired)."""
    _remove(db, backend(db), [microcredential_id])
    db.flush()


def rebuild_index(db: Session) -> int:
    """Drop every entry and index all published versions again; returns how many."""
    index = backend(db)
    db.flush()
    index.clear(db)
    for table in (document_languages, document_skills, documents):
        db.execute(delete(table))
    count = 0
    for batch in docs.iter_documents(db, docs.published_version_ids(db)):
        _add(db, index, batch)
        count += len(batch)
    index.analyze(db)
    db.flush()
    return count


# --- searching -----------------------------------------------------------------------------

_CARD = (
    documents.c.microcredential_id, documents.c.title, documents.c.short_description,
    documents.c.provider_slug, documents.c.provider_name, documents.c.provider_kind,
    documents.c.provider_country, documents.c.field, documents.c.eqf_level,
    documents.c.workload_hours, documents.c.ects_credits, documents.c.price,
    documents.c.currency, documents.c.languages, documents.c.participation_mode,
    documents.c.duration_weeks,
)
_NEWEST = (documents.c.published_at.desc(), documents.c.microcredential_id.desc())
_ORDER = {
    Sort.NEWEST: _NEWEST,
    Sort.PRICE: (documents.c.price, documents.c.title_key, documents.c.microcredential_id),
    Sort.WORKLOAD: (
        documents.c.workload_hours, documents.c.title_key, documents.c.microcredential_id,
    ),
    Sort.TITLE: (documents.c.title_key, documents.c.microcredential_id),
}


def _summary(row: Any) -> MicrocredentialSummary:
    return MicrocredentialSummary(
        id=row.microcredential_id,
        title=row.title,
        short_description=row.short_description,
        provider=OrganisationRef(
            slug=row.provider_slug, name=row.provider_name, kind=row.provider_kind,
            country=row.provider_country,
        ),
        field=row.field,
        eqf_level=row.eqf_level,
        workload_hours=row.workload_hours,
        ects_credits=row.ects_credits,
        price=Decimal(row.price),
        currency=row.currency,
        languages=[language for language in row.languages.split(",") if language],
        participation_mode=row.participation_mode,
        duration_weeks=row.duration_weeks,
    )


def search(db: Session, query: SearchQuery) -> SearchResults:
    """Published microcredentials matching the text and filters: one page, total and facets.

    Text is cut into words (see `text.terms`): every word must match, the last as a prefix;
    text without words browses everything.  `Sort.RELEVANCE` without text means newest.
    """
    index = backend(db)
    words = terms(query.text)
    page = max(query.page, 1)
    page_size = max(query.page_size, 1)
    statement = select(*_CARD).where(*filters(query, documents.c).values())
    if query.sort is Sort.RELEVANCE and words:
        statement = index.ranked(statement, words).order_by(*_NEWEST)
    else:
        if words:
            statement = statement.where(index.matches(words, documents.c.microcredential_id))
        statement = statement.order_by(*_ORDER.get(query.sort, _NEWEST))
    rows = db.execute(statement.limit(page_size).offset((page - 1) * page_size)).all()
    text_match = index.matches(words, documents.c.microcredential_id) if words else None
    total, facets = count_and_facets(db, query, text_match)
    return SearchResults(
        items=[_summary(row) for row in rows],
        total=total,
        page=page,
        page_size=page_size,
        facets=facets,
    )
