"""search index: denormalised documents, facet tables and the text index per dialect

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

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import tessera.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One-column indexes on search_documents: filters, facets and sort keys.
_INDEXED = (
    "provider_slug", "provider_kind", "field", "eqf_level", "participation_mode", "price",
    "workload_hours", "published_at", "title_key",
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    columns = [
        sa.Column("microcredential_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("provider_slug", sa.String(length=64), nullable=False),
        sa.Column("provider_name", sa.String(length=200), nullable=False),
        sa.Column("provider_kind", sa.String(length=32), nullable=False),
        sa.Column("provider_country", sa.String(length=2), nullable=False),
        sa.Column("field", sa.String(length=48), nullable=False),
        sa.Column("eqf_level", sa.SmallInteger(), nullable=True),
        sa.Column("workload_hours", sa.Integer(), nullable=False),
        sa.Column("ects_credits", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("participation_mode", sa.String(length=48), nullable=False),
        sa.Column("duration_weeks", sa.SmallInteger(), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("published_at", tessera.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_key", sa.String(length=200), nullable=False),
        sa.Column("short_description", sa.String(length=500), nullable=False),
    ]
    if dialect == "postgresql":
        columns.append(sa.Column("search_vector", postgresql.TSVECTOR(), nullable=True))
    op.create_table(
        "search_documents",
        *columns,
        sa.ForeignKeyConstraint(
            ["microcredential_id"], ["microcredentials.id"], ondelete="CASCADE",
            name="fk_search_documents_microcredential_id_microcredentials",
        ),
        sa.PrimaryKeyConstraint("microcredential_id", name="pk_search_documents"),
    )
    for column in _INDEXED:
        op.create_index(f"ix_search_documents_{column}", "search_documents", [column])

    op.create_table(
        "search_document_languages",
        sa.Column("microcredential_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["microcredential_id"], ["search_documents.microcredential_id"], ondelete="CASCADE",
            name="fk_search_document_languages_microcredential_id_search_documents",
        ),
        sa.PrimaryKeyConstraint(
            "microcredential_id", "language", name="pk_search_document_languages"
        ),
    )
    op.create_index(
        "ix_search_document_languages_language", "search_document_languages",
        ["language", "microcredential_id"],
    )

    op.create_table(
        "search_document_skills",
        sa.Column("microcredential_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("skill_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("skill_uri", sa.String(length=500), nullable=False),
        sa.Column("skill_label", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["microcredential_id"], ["search_documents.microcredential_id"], ondelete="CASCADE",
            name="fk_search_document_skills_microcredential_id_search_documents",
        ),
        sa.PrimaryKeyConstraint("microcredential_id", "skill_id", name="pk_search_document_skills"),
    )
    op.create_index(
        "ix_search_document_skills_skill_uri", "search_document_skills",
        ["skill_uri", "microcredential_id"],
    )

    if dialect == "sqlite":
        # Column order matches the BM25 weights in tessera.catalog.search.sqlite_fts.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, skills, provider, description, body, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
        )
    elif dialect == "postgresql":
        op.create_index(
            "ix_search_documents_search_vector", "search_documents", ["search_vector"],
            postgresql_using="gin",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_document_skills")
    op.drop_table("search_document_languages")
    op.drop_table("search_documents")
