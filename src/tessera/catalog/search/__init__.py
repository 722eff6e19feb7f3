"""Catalog search: one interface over SQLite FTS5 and PostgreSQL full-text search.

- `index_version(db, version)`: a version was just published; it replaces its
  microcredential's entry.
- `unindex_microcredential(db, id)`: the microcredential was retired.
- `rebuild_index(db)`: re-index every published version (returns how many).
- `search(db, SearchQuery)`: a page of hits, the total and the facet counts.
- `warm(db)`: read this process's snapshot now rather than during the first search.

The index is denormalised (see `tables`), built from the catalog by `documents`.  The
database matches the text and ranks the page (the backend, `sqlite_fts` or `postgres_fts`,
chosen by the session's dialect); filters, facet counts and the other sort orders are
computed in memory over a snapshot of the index's columns (`snapshot`, `filters`, `facets`,
`ordering`), which every search first checks against the index's generation in the
database (`generation`, `cache`).  Like every service these functions flush, never commit;
each index change bumps the generation in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import bindparam, delete, select
from sqlalchemy import text as sql_text  # `text` is also our submodule: keep them apart
from sqlalchemy.orm import Session

from tessera.catalog.models import MicrocredentialVersion
from tessera.catalog.schemas import MicrocredentialSummary, OrganisationRef, SearchResults
from tessera.catalog.search import documents as docs
from tessera.catalog.search import facets, filters, generation, ordering
from tessera.catalog.search.cache import snapshots
from tessera.catalog.search.columns import Mask
from tessera.catalog.search.postgres_fts import PostgresIndex
from tessera.catalog.search.query import FACETS, WORKLOAD_BUCKETS, SearchQuery, Sort
from tessera.catalog.search.snapshot import Snapshot
from tessera.catalog.search.sqlite_fts import SqliteIndex
from tessera.catalog.search.tables import cards, documents, providers, skills
from tessera.catalog.search.text import terms
from tessera.catalog.search.textindex import Ranking, TextIndex
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
    "warm",
]


_BACKENDS: dict[str, TextIndex] = {"sqlite": SqliteIndex(), "postgresql": PostgresIndex()}


def backend(db: Session) -> TextIndex:
    dialect = db.get_bind().dialect.name
    try:
        return _BACKENDS[dialect]
    except KeyError:
        raise RuntimeError(f"Catalog search does not support the {dialect!r} database") from None


# --- writing -------------------------------------------------------------------------------


_TABLES = (cards, documents)  # children first
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


def _remove(db: Session, index: TextIndex, microcredential_ids: Sequence[int]) -> None:
    index.delete(db, microcredential_ids)
    for table in _TABLES:
        db.execute(delete(table).where(table.c.microcredential_id.in_(microcredential_ids)))


def _add(db: Session, index: TextIndex, batch: Sequence[docs.Document]) -> None:
    """Index `batch`."""
    if not batch:
        return
    provider_rows = {doc.provider["provider_id"]: doc.provider for doc in batch}
    skill_rows = {
        skill_id: {"skill_id": skill_id, "uri": uri, "label": label}
        for doc in batch
        for skill_id, uri, label in doc.skills
    }
    # In id order, so that concurrent publications wait for each other's row locks rather
    # than deadlock.
    db.execute(_UPSERT_PROVIDER, [provider_rows[i] for i in sorted(provider_rows)])
    if skill_rows:
        db.execute(_UPSERT_SKILL, [skill_rows[i] for i in sorted(skill_rows)])
    index.bulk_insert(db, documents, [doc.row for doc in batch])
    index.bulk_insert(db, cards, [doc.card for doc in batch])
    index.insert(db, batch)


def index_version(db: Session, version: MicrocredentialVersion) -> None:
    """Make a just-published version findable (replacing its microcredential's older entry).

    A version that is not (or no longer) published removes the entry instead.
    """
    index = backend(db)
    db.flush()
    _remove(db, index, [version.microcredential_id])
    if version.status is VersionStatus.PUBLISHED:
        _add(db, index, docs.load_documents(db, [version.id]))
    generation.bump(db, version.microcredential_id)
    db.flush()


def unindex_microcredential(db: Session, microcredential_id: int) -> None:
    """Remove a microcredential from search results (retired)."""
    _remove(db, backend(db), [microcredential_id])
    generation.bump(db, microcredential_id)
    db.flush()


def rebuild_index(db: Session) -> int:
    """Drop every entry and index all published versions again; returns how many."""
    index = backend(db)
    db.flush()
    index.clear(db)
    for table in (*_TABLES, providers, skills):
        db.execute(delete(table))
    count = 0
    for batch in docs.iter_documents(db, docs.published_version_ids(db)):
        _add(db, index, batch)
        count += len(batch)
    index.analyze(db)
    generation.bump(db, None)
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


def _matches(snapshot: Snapshot, ids: NDArray[np.int64]) -> Mask:
    matched = np.zeros(snapshot.size, np.bool_)
    matched[snapshot.rows_of(ids)] = True
    return matched


def warm(db: Session) -> int:
    """Read the snapshot of the index's current generation into this process (a process's
    first search would otherwise pay for it: ~0.5 s at 100,000 entries); its size."""
    index = backend(db)
    at, _text_query = index.begin(db, [])
    return snapshots(db).current(db, at, index).size


def search(db: Session, query: SearchQuery) -> SearchResults:
    """Published microcredentials matching the text and filters: one page, total and facets.

    Text is cut into words (see `text.terms`): every word must match, the last as a prefix;
    text without words browses everything.  `Sort.RELEVANCE` without text means newest.
    The database says which generation the index is at and which entries match the text;
    the snapshot of that generation filters them and counts the facets; the database ranks
    the page by relevance (other orders come from the snapshot) and reads its cards.
    """
    index = backend(db)
    words = terms(query.text)
    page = max(query.page, 1)
    page_size = max(query.page_size, 1)
    offset = (page - 1) * page_size
    at, text_query = index.begin(db, words)
    current = snapshots(db).current(db, at, index)
    chosen = filters.masks(current, query, index.price)
    filtered = filters.combine(current.size, None, list(chosen.values()))
    base = None
    if text_query is None:
        hits = filtered
        ids = ordering.page(db, current, query.sort, hits, offset, page_size)
    else:
        ranked = query.sort is Sort.RELEVANCE
        ranking = Ranking(current.ids[filtered] if chosen else None, page_size, offset)
        found = index.find(db, text_query, ranking if ranked else None)
        base = _matches(current, found.ids)
        hits = base & filtered
        ids = found.page if ranked else ordering.page(
            db, current, query.sort, hits, offset, page_size
        )
    total = int(np.count_nonzero(hits))
    own = {
        facet: filters.combine(current.size, base, [mask for name, mask in chosen.items()
                                                    if name != facet])
        for facet in facets.wanted(query) if query.disjunctive and facet in chosen
    }
    cards_by_id = (
        {row.microcredential_id: row for row in db.execute(_CARDS, {"ids": ids})} if ids else {}
    )
    return SearchResults(
        items=[_summary(cards_by_id[i]) for i in ids if i in cards_by_id],
        total=total,
        page=page,
        page_size=page_size,
        facets=facets.count(current, query, hits, own),
    )
