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

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy import text as sql_text  # `text` is also our submodule: keep them apart
from sqlalchemy.orm import Session

from tessera.catalog.models import MicrocredentialVersion
from tessera.catalog.schemas import MicrocredentialSummary, OrganisationRef, SearchResults
from tessera.catalog.search import documents as docs
from tessera.catalog.search import facets, statement
from tessera.catalog.search.postgres_fts import PostgresIndex
from tessera.catalog.search.query import FACETS, WORKLOAD_BUCKETS, SearchQuery, Sort
from tessera.catalog.search.sqlite_fts import SqliteIndex
from tessera.catalog.search.tables import (
    cards,
    document_skills,
    documents,
    facet_counts,
    providers,
    skills,
)
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
    """What a backend adds to the shared tables: the text index, its matching and ranking."""

    name: str

    def bulk_insert(self, db: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None: ...
    def insert(self, db: Session, batch: Sequence[docs.Document]) -> None: ...
    def delete(self, db: Session, microcredential_ids: Sequence[int]) -> None: ...
    def clear(self, db: Session) -> None: ...
    def analyze(self, db: Session) -> None: ...
    def number(self, value: Decimal) -> Any: ...
    def prepare(self, db: Session, words: list[str]) -> str: ...
    def matches(self, query: str) -> str: ...
    def ranked(self, hits: str, query: str) -> tuple[str, str, str, bool]: ...
    def split(self, column: str) -> str: ...
    def searching(self, db: Session) -> AbstractContextManager[None]: ...


_BACKENDS: dict[str, TextIndex] = {"sqlite": SqliteIndex(), "postgresql": PostgresIndex()}


def backend(db: Session) -> TextIndex:
    dialect = db.get_bind().dialect.name
    try:
        return _BACKENDS[dialect]
    except KeyError:
        raise RuntimeError(f"Catalog search does not support the {dialect!r} database") from None


# --- writing -------------------------------------------------------------------------------


_TABLES = (document_skills, cards, documents)  # children first
# Same syntax on SQLite (3.24+) and PostgreSQL: refresh names that changed since last time.
_UPSERT_PROVIDER = sql_text(
    "INSERT INTO search_providers (provider_id, slug, name, kind, country) "
    "VALUES (:provider_id, :slug, :name, :kind, :country) ON CONFLICT (provider_id) "
    "DO UPDATE SET slug = excluded.slug, name = excluded.name, kind = excluded.kind, "
    "country = excluded.country"
)
_UPSERT_SKILL = sql_text(
    "INSERT INTO search_skills (skill_id, uri, label) VALUES (:skill_id, :uri, :label) "
    "ON CONFLICT (skill_id) DO UPDATE SET uri = excluded.uri, label = excluded.label"
)


_COUNT = sql_text(
    "INSERT INTO search_facet_counts (facet, value, n) VALUES (:facet, :value, :n) "
    "ON CONFLICT (facet, value) DO UPDATE SET n = search_facet_counts.n + excluded.n"
)


def _deltas(rows: Iterable[Mapping[str, Any]]) -> Counter[tuple[str, str]]:
    deltas: Counter[tuple[str, str]] = Counter()
    for row in rows:
        deltas.update(facets.catalog_keys(row))
    return deltas


def _count(db: Session, deltas: Counter[tuple[str, str]], sign: int) -> None:
    """Add (sign 1) or take away (-1) documents' counts in the whole catalog's facet counts.

    The counters are updated in one fixed order, so that concurrent publications wait for
    each other's row locks rather than deadlock.
    """
    if deltas:
        db.execute(_COUNT, [{"facet": facet, "value": value, "n": sign * n}
                            for (facet, value), n in sorted(deltas.items())])


def _remove(db: Session, index: TextIndex, microcredential_ids: Sequence[int]) -> None:
    indexed = db.execute(
        select(documents).where(documents.c.microcredential_id.in_(microcredential_ids))
    ).mappings()
    _count(db, _deltas(dict(row) for row in indexed), -1)
    index.delete(db, microcredential_ids)
    for table in _TABLES:
        db.execute(delete(table).where(table.c.microcredential_id.in_(microcredential_ids)))


def _add(
    db: Session, index: TextIndex, batch: Sequence[docs.Document],
    counts: Counter[tuple[str, str]] | None = None,
) -> None:
    """Index `batch`; its facet counts go to `counts` if given (a rebuild writes them once)."""
    if not batch:
        return
    provider_rows = {doc.provider["provider_id"]: doc.provider for doc in batch}
    skill_rows = {
        skill_id: {"skill_id": skill_id, "uri": uri, "label": label}
        for doc in batch
        for skill_id, uri, label in doc.skills
    }
    db.execute(_UPSERT_PROVIDER, list(provider_rows.values()))
    if skill_rows:
        db.execute(_UPSERT_SKILL, list(skill_rows.values()))
    index.bulk_insert(db, documents, [doc.row for doc in batch])
    index.bulk_insert(db, cards, [doc.card for doc in batch])
    index.insert(db, batch)
    added = _deltas(doc.row for doc in batch)
    if counts is None:
        _count(db, added, 1)
    else:
        counts.update(added)
    links = [
        {"microcredential_id": doc.microcredential_id, "skill_id": skill_id}
        for doc in batch
        for skill_id, _uri, _label in doc.skills
    ]
    index.bulk_insert(db, document_skills, links)


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
    for table in (*_TABLES, providers, skills, facet_counts):
        db.execute(delete(table))
    count = 0
    counts: Counter[tuple[str, str]] = Counter()
    for batch in docs.iter_documents(db, docs.published_version_ids(db)):
        _add(db, index, batch, counts)
        count += len(batch)
    _count(db, counts, 1)
    index.analyze(db)
    db.flush()
    return count


# --- searching -----------------------------------------------------------------------------

_CARDS = (
    select(
        documents.c.microcredential_id, cards.c.title, cards.c.short_description,
        providers.c.slug.label("provider_slug"), providers.c.name.label("provider_name"),
        providers.c.kind.label("provider_kind"), providers.c.country.label("provider_country"),
        documents.c.field, documents.c.eqf_level, documents.c.workload_hours,
        cards.c.ects_credits, documents.c.price, cards.c.currency, cards.c.languages,
        documents.c.participation_mode, cards.c.duration_weeks,
    )
    .join_from(documents, cards, cards.c.microcredential_id == documents.c.microcredential_id)
    .join(providers, providers.c.provider_id == documents.c.provider_id)
    .where(documents.c.microcredential_id.in_(bindparam("ids", expanding=True)))
)


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
        price=row.price,
        currency=row.currency,
        languages=[language for language in row.languages.split(",") if language],
        participation_mode=row.participation_mode,
        duration_weeks=row.duration_weeks,
    )


def search(db: Session, query: SearchQuery) -> SearchResults:
    """Published microcredentials matching the text and filters: one page, total and facets.

    Text is cut into words (see `text.terms`): every word must match, the last as a prefix;
    text without words browses everything.  `Sort.RELEVANCE` without text means newest.
    One statement finds the page, the total and the facets (see `statement`); a second reads
    the page's cards.
    """
    index = backend(db)
    words = terms(query.text)
    page = max(query.page, 1)
    page_size = max(query.page_size, 1)
    with index.searching(db):
        text_query = index.prepare(db, words) if words else None
        sql, values = statement.build(index, query, text_query, page, page_size)
        rows = [(str(kind), value, name, int(count))
                for kind, value, name, count in db.execute(sql_text(sql), values)]
    positions = {int(value): position for kind, value, _label, position in rows
                 if kind == statement.PAGE and value is not None}
    ids = sorted(positions, key=positions.__getitem__)
    total, facet_values = facets.read(rows, query)
    cards_by_id = (
        {row.microcredential_id: row for row in db.execute(_CARDS, {"ids": ids})} if ids else {}
    )
    return SearchResults(
        items=[_summary(cards_by_id[i]) for i in ids if i in cards_by_id],
        total=total,
        page=page,
        page_size=page_size,
        facets=facet_values,
    )
