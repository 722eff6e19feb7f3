"""The search index tables, as SQLAlchemy Core objects on a MetaData of their own.

They are created by hand in migration 0002 (the text index differs per dialect), so they are
deliberately not on `tessera.db.Base.metadata`: autogenerate neither sees nor compares them
(env.py also skips every object named `search_*` / `ix_search_*` it reflects).

- `search_documents`: one row per *published* microcredential, denormalised (provider name,
  slug and kind copied in) so that filters, facets and result cards need no join.
- `search_document_languages` / `search_document_skills`: the multi-valued facets.
- SQLite: `search_fts`, an FTS5 table whose rowid is the microcredential id.
- PostgreSQL: `search_documents.search_vector` (tsvector, GIN index).
"""

from __future__ import annotations

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

documents = Table(
    "search_documents",
    metadata,
    Column("microcredential_id", Integer, primary_key=True, autoincrement=False),
    Column("version_id", Integer, nullable=False),
    Column("provider_id", Integer, nullable=False),
    Column("provider_slug", String(64), nullable=False),
    Column("provider_name", String(200), nullable=False),
    Column("provider_kind", String(32), nullable=False),
    Column("provider_country", String(2), nullable=False),
    Column("field", String(48), nullable=False),
    Column("eqf_level", SmallInteger),
    Column("workload_hours", Integer, nullable=False),
    Column("ects_credits", Numeric(5, 1)),
    Column("price", Numeric(10, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("participation_mode", String(48), nullable=False),
    Column("duration_weeks", SmallInteger, nullable=False),
    Column("languages", String(100), nullable=False),  # "en,fr": shown on result cards
    Column("published_at", UTCDateTime(timezone=True), nullable=False),
    Column("title", String(200), nullable=False),
    Column("title_key", String(200), nullable=False),  # lower-cased, accent-folded: sorting
    Column("short_description", String(500), nullable=False),
    Column("search_vector", TSVECTOR),  # PostgreSQL only
)

document_languages = Table(
    "search_document_languages",
    metadata,
    Column("microcredential_id", Integer, primary_key=True, autoincrement=False),
    Column("language", String(8), primary_key=True),
)

document_skills = Table(
    "search_document_skills",
    metadata,
    Column("microcredential_id", Integer, primary_key=True, autoincrement=False),
    Column("skill_id", Integer, primary_key=True, autoincrement=False),
    Column("skill_uri", String(500), nullable=False),
    Column("skill_label", String(300), nullable=False),
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
