"""The search index tables, as SQLAlchemy Core objects on a MetaData of their own.

They are created by hand in migration 0002 (the text index differs per dialect), so they are
deliberately not on `tessera.db.Base.metadata`: autogenerate neither sees nor compares them
(env.py also skips every object named `search_*` / `ix_search_*` it reflects).

- `search_documents`: one narrow row per *published* microcredential: every filter, facet
  and sort key, nothing else, so that scanning thousands of matches stays cheap.
- `search_cards`: what a result card shows and no filter needs (title, description...),
  read for one page of hits only.
- `search_document_skills`: which documents teach a skill (the skill filter).
- `search_facet_counts`: the whole catalog's facet counts.
- `search_providers` / `search_skills`: names, slugs and URIs behind the ids.
- SQLite: `search_fts`, an FTS5 table whose rowid is the microcredential id.
- PostgreSQL: `search_vectors`, a tsvector per microcredential with a GIN index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

from tessera.db import UTCDateTime

metadata = MetaData()


def _facet_columns() -> list[Column[Any]]:
    """The columns that filters, facets and sorting read (fresh objects for each table)."""
    return [
        Column("microcredential_id", Integer, primary_key=True, autoincrement=False),
        Column("provider_id", Integer, nullable=False),  # see search_providers
        Column("provider_kind", String(32), nullable=False),
        Column("field", String(48), nullable=False),
        Column("eqf_level", SmallInteger),
        Column("participation_mode", String(48), nullable=False),
        Column("price", Numeric(10, 2), nullable=False),
        Column("workload_hours", Integer, nullable=False),
        Column("published_at", UTCDateTime(timezone=True), nullable=False),
        Column("title_key", String(200), nullable=False),  # lower-cased, accent-folded
        Column("language_set", String(100), nullable=False),  # sorted, ",en,fr,"
        Column("skill_set", String(1000), nullable=False),  # skill ids, "12,45,78"
    ]


documents = Table(
    "search_documents",
    metadata,
    *_facet_columns(),
    Column("version_id", Integer, nullable=False),
)
COLUMNS = tuple(column.name for column in _facet_columns())

# What a result card shows and no filter needs: read for one page of hits only.
cards = Table(
    "search_cards",
    metadata,
    Column("microcredential_id", Integer, primary_key=True, autoincrement=False),
    Column("title", String(200), nullable=False),
    Column("short_description", String(500), nullable=False),
    Column("languages", String(100), nullable=False),  # "en,fr"
    Column("ects_credits", Numeric(5, 1)),
    Column("currency", String(3), nullable=False),
    Column("duration_weeks", SmallInteger, nullable=False),
)

# The whole catalog's facet counts, kept up to date by every index change, so that the
# landing page (no text, no filter) reads a few hundred counters instead of every document.
facet_counts = Table(
    "search_facet_counts",
    metadata,
    Column("facet", String(32), primary_key=True),
    Column("value", String(500), primary_key=True),  # provider and skill: their id
    Column("n", Integer, nullable=False),
)

document_skills = Table(
    "search_document_skills",
    metadata,
    Column("microcredential_id", Integer, primary_key=True, autoincrement=False),
    Column("skill_id", Integer, primary_key=True, autoincrement=False),  # see search_skills
)

# The providers and skills that documents refer to by id (copied in when indexing): facets
# group by the small integer ids and look the names up for the few values they return.
providers = Table(
    "search_providers",
    metadata,
    Column("provider_id", Integer, primary_key=True, autoincrement=False),
    Column("slug", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("country", String(2), nullable=False),
)

skills = Table(
    "search_skills",
    metadata,
    Column("skill_id", Integer, primary_key=True, autoincrement=False),
    Column("uri", String(500), nullable=False),
    Column("label", String(300), nullable=False),
)

# PostgreSQL only: the weighted text (GIN index) with a copy of COLUMNS, so that a text match
# reads one table; kept apart from search_documents, which stays narrow for browsing.
vectors = Table(
    "search_vectors",
    metadata,
    *_facet_columns(),
    Column("search_vector", TSVECTOR, nullable=False),
)

# SQLite only: rowid = microcredential id; columns in the order of BM25_WEIGHTS.
fts = Table(
    "search_fts",
    metadata,
    Column("rowid", Integer, primary_key=True),
    Column("title", Text),
    Column("skills", Text),
    Column("provider", Text),
    Column("description", Text),
    Column("body", Text),
)

# Tables whose statistics the planner needs after a rebuild.
ANALYZED = (
    "search_documents", "search_document_skills",
    "search_providers", "search_skills",
)
