"""The search index tables, as SQLAlchemy Core objects on a MetaData of their own.

They are created by hand in migrations 0002 and 0003 (the text index differs per dialect),
so they are deliberately not on `tessera.db.Base.metadata`: autogenerate neither sees nor
compares them (env.py also skips every object named `search_*` / `ix_search_*` it reflects).

- `search_documents`: one narrow row per *published* microcredential: every filter, facet
  and sort key, nothing else; each process keeps a copy of it in memory (`snapshot`).
- `search_cards`: what a result card shows and no filter needs (title, description...),
  read for one page of hits only.
- `search_providers` / `search_skills`: names, slugs and URIs behind the ids.
- `search_generation` / `search_changes`: which state the index is in, and what changed
  (see `generation`).
- SQLite: `search_fts`, an FTS5 table whose rowid is the microcredential id.
- PostgreSQL: `search_vectors`, a tsvector per microcredential with a GIN index.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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
    Column("version_id", Integer, nullable=False),
)

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

# PostgreSQL only: the weighted text, with a GIN index.  Nothing else: a text match reads
# (almost) every page of the matching rows, so the narrower they are the better.
vectors = Table(
    "search_vectors",
    metadata,
    Column("microcredential_id", Integer, primary_key=True, autoincrement=False),
    Column("search_vector", TSVECTOR, nullable=False),
)

# Which state of the index each process's columns reflect (see `generation`, migration 0003):
# one row, bumped by every index change; its row lock orders concurrent changes.
generation = Table(
    "search_generation",
    metadata,
    Column("id", SmallInteger, primary_key=True, autoincrement=False),  # always 1
    Column("generation", BigInteger, nullable=False),
)

# One row per generation: what it changed, and a random stamp that tells a committed
# generation from a rolled-back one that had the same number.
changes = Table(
    "search_changes",
    metadata,
    Column("generation", BigInteger, primary_key=True, autoincrement=False),
    Column("stamp", BigInteger, nullable=False),
    Column("microcredential_id", Integer),  # NULL: any entry may have changed (a rebuild)
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
ANALYZED = ("search_documents", "search_providers", "search_skills")
