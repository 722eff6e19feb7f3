"""search index: documents, cards, facet tables and the text index per dialect

Written by hand: the text index differs per database (SQLite: an FTS5 virtual table;
PostgreSQL: a tsvector column with a GIN index).  Every object's name starts with `search_`
or `ix_search_`, which env.py keeps out of autogenerate's comparison.  The tables mirror
`tessera.catalog.search.tables`.

The index starts empty: on a database that already has published microcredentials, run
`tessera.catalog.services.rebuild_search_index` once after upgrading.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import tessera.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Indexes on search_documents for filters and sort keys.  Each facet column's index also
# holds every other column that browsing reads: a facet is then counted from the index
# alone (an index-only scan), and on SQLite in index order, without a sort (SQLite's
# GROUP BY always sorts otherwise).
_FACET_COLUMNS = (
    "field", "provider_kind", "participation_mode", "eqf_level", "provider_id", "price",
    "workload_hours",
)
_SORT_COLUMNS = ("published_at", "title_key")


def _document_columns() -> list[sa.Column[Any]]:
    """What filters, facets and sorting read (search_documents; on PostgreSQL also copied
    into search_vectors so that a text match reads one table)."""
    return [
        sa.Column("microcredential_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("provider_kind", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=48), nullable=False),
        sa.Column("eqf_level", sa.SmallInteger(), nullable=True),
        sa.Column("participation_mode", sa.String(length=48), nullable=False),
        sa.Column("price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("workload_hours", sa.Integer(), nullable=False),
        sa.Column("published_at", tessera.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("title_key", sa.String(length=200), nullable=False),
        sa.Column("language_set", sa.String(length=100), nullable=False),
        sa.Column("skill_set", sa.String(length=1000), nullable=False),
    ]


def _child(name: str, column: sa.Column[Any]) -> None:
    """A (microcredential, value) table of a multi-valued facet, clustered by document."""
    op.create_table(
        name,
        sa.Column("microcredential_id", sa.Integer(), autoincrement=False, nullable=False),
        column,
        sa.ForeignKeyConstraint(
            ["microcredential_id"], ["search_documents.microcredential_id"], ondelete="CASCADE",
            name=f"fk_{name}_document",
        ),
        sa.PrimaryKeyConstraint("microcredential_id", column.name, name=f"pk_{name}"),
        sqlite_with_rowid=False,
    )
    op.create_index(f"ix_{name}_{column.name}", name, [column.name, "microcredential_id"])


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "search_providers",
        sa.Column("provider_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.PrimaryKeyConstraint("provider_id", name="pk_search_providers"),
    )
    op.create_index("ix_search_providers_slug", "search_providers", ["slug"])
    op.create_table(
        "search_skills",
        sa.Column("skill_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("uri", sa.String(length=500), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("skill_id", name="pk_search_skills"),
    )
    op.create_index("ix_search_skills_uri", "search_skills", ["uri"])

    op.create_table(
        "search_documents",
        *_document_columns(),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["microcredential_id"], ["microcredentials.id"], ondelete="CASCADE",
            name="fk_search_documents_microcredential",
        ),
        sa.PrimaryKeyConstraint("microcredential_id", name="pk_search_documents"),
    )
    for column in _FACET_COLUMNS:
        others = [c for c in _FACET_COLUMNS if c != column]
        op.create_index(
            f"ix_search_documents_{column}", "search_documents",
            [column, *others, "language_set", "skill_set", "published_at"],
        )
    for column in _SORT_COLUMNS:
        op.create_index(f"ix_search_documents_{column}", "search_documents", [column])

    op.create_table(
        "search_cards",
        sa.Column("microcredential_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("short_description", sa.String(length=500), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("ects_credits", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("duration_weeks", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["microcredential_id"], ["search_documents.microcredential_id"], ondelete="CASCADE",
            name="fk_search_cards_document",
        ),
        sa.PrimaryKeyConstraint("microcredential_id", name="pk_search_cards"),
    )
    _child("search_document_skills", sa.Column("skill_id", sa.Integer(), nullable=False))
    op.create_table(
        "search_facet_counts",
        sa.Column("facet", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("facet", "value", name="pk_search_facet_counts"),
    )

    if dialect == "sqlite":
        # Column order matches the BM25 weights in tessera.catalog.search.sqlite_fts.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, skills, provider, description, body, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
        )
    elif dialect == "postgresql":
        # The vectors (about 1 kB each) live apart, so that search_documents stays narrow
        # for browsing; a copy of its columns rides along, so a text match needs no join.
        op.create_table(
            "search_vectors",
            *_document_columns(),
            sa.Column("search_vector", postgresql.TSVECTOR(), nullable=False),
            sa.ForeignKeyConstraint(
                ["microcredential_id"], ["search_documents.microcredential_id"],
                ondelete="CASCADE", name="fk_search_vectors_document",
            ),
            sa.PrimaryKeyConstraint("microcredential_id", name="pk_search_vectors"),
        )
        op.create_index(
            "ix_search_vectors_search_vector", "search_vectors", ["search_vector"],
            postgresql_using="gin",
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    elif dialect == "postgresql":
        op.drop_table("search_vectors")
    for table in (
        "search_facet_counts", "search_document_skills", "search_cards",
        "search_documents", "search_skills", "search_providers",
    ):
        op.drop_table(table)
