"""search generation: in-memory filters and facets, checked against the index's generation

Written by hand, like 0002 (every object is named `search_*` / `ix_search_*`, which env.py
keeps out of autogenerate).  Filters, facet counts and sort orders now run over each
process's in-memory copy of the `search_documents` columns (see docs/adr/0007 and
`tessera.catalog.search.snapshot`); the database matches and ranks the text.  So:

- `search_generation` (one row) is bumped by every index change and `search_changes` says
  what changed, so that a process can tell, with one small query per search, whether its
  copy is current, and bring it up to date by reloading the changed entries only.  The
  first generation gets a random stamp, so that a database created again under the same
  URL is never mistaken for the one a process read before.
- What only the SQL facets read goes: the whole-catalog counters (`search_facet_counts`),
  the per-skill links (`search_document_skills`, the skill filter), the covering indexes
  of the facet columns and the index on `published_at`, and on PostgreSQL the copy of the
  filter columns in `search_vectors` (which makes every text match read fewer pages).

Downgrading puts them back and fills them from `search_documents`.  On PostgreSQL the
dropped columns keep their space until the rows are written again: rebuild the index
(`tessera catalog reindex`) and VACUUM `search_vectors` to get it back.

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-15 10:00:00
"""

import secrets
from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import tessera.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in 0002: each facet column's index also held every other column browsing read.
_FACET_COLUMNS = (
    "field", "provider_kind", "participation_mode", "eqf_level", "provider_id", "price",
    "workload_hours",
)
# search_vectors' copy of the search_documents columns (PostgreSQL), in 0002's order.
_VECTOR_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("provider_id", sa.Integer()),
    ("provider_kind", sa.String(length=32)),
    ("field", sa.String(length=48)),
    ("eqf_level", sa.SmallInteger()),
    ("participation_mode", sa.String(length=48)),
    ("price", sa.Numeric(precision=10, scale=2)),
    ("workload_hours", sa.Integer()),
    ("published_at", tessera.db.UTCDateTime(timezone=True)),
    ("title_key", sa.String(length=200)),
    ("language_set", sa.String(length=100)),
    ("skill_set", sa.String(length=1000)),
)
_NULLABLE = {"eqf_level"}
_WORKLOAD_BUCKETS = (("lt25", 0, 25), ("25-50", 25, 50), ("50-100", 50, 100),
                     ("100-250", 100, 250), ("250+", 250, None))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for column in (*_FACET_COLUMNS, "published_at"):
        op.drop_index(f"ix_search_documents_{column}", table_name="search_documents")
    op.drop_table("search_facet_counts")
    op.drop_index("ix_search_document_skills_skill_id", table_name="search_document_skills")
    op.drop_table("search_document_skills")
    if dialect == "postgresql":
        for name, _type in _VECTOR_COLUMNS:
            op.drop_column("search_vectors", name)

    head = op.create_table(
        "search_generation",
        sa.Column("id", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_generation"),
    )
    changes = op.create_table(
        "search_changes",
        sa.Column("generation", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.Column("microcredential_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("generation", name="pk_search_changes"),
    )
    op.bulk_insert(head, [{"id": 1, "generation": 0}])
    # Generation 0 "changed everything": a process with no copy reads it whole anyway.
    op.bulk_insert(
        changes, [{"generation": 0, "stamp": secrets.randbits(63), "microcredential_id": None}]
    )


def _catalog_counts(rows: Sequence[Any]) -> Counter[tuple[str, str]]:
    """The whole catalog's facet counters, as 0002's code kept them."""
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        hours = int(row.workload_hours)
        counts.update([
            ("_total", ""), ("field", str(row.field)), ("provider", str(row.provider_id)),
            ("provider_kind", str(row.provider_kind)),
            ("participation_mode", str(row.participation_mode)),
            ("price", "free" if row.price == 0 else "paid"),
            ("workload", next(key for key, _lower, upper in _WORKLOAD_BUCKETS
                              if upper is None or hours < upper)),
        ])
        if row.eqf_level is not None:
            counts[("eqf_level", str(row.eqf_level))] += 1
        counts.update(("language", code) for code in row.language_set.split(",") if code)
        counts.update(("skill", skill) for skill in row.skill_set.split(",") if skill)
    return counts


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_table("search_changes")
    op.drop_table("search_generation")

    rows = op.get_bind().execute(sa.text(
        "SELECT microcredential_id, provider_id, provider_kind, field, eqf_level, "
        "participation_mode, price, workload_hours, language_set, skill_set "
        "FROM search_documents ORDER BY microcredential_id"
    )).all()
    links = op.create_table(
        "search_document_skills",
        sa.Column("microcredential_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["microcredential_id"], ["search_documents.microcredential_id"], ondelete="CASCADE",
            name="fk_search_document_skills_document",
        ),
        sa.PrimaryKeyConstraint("microcredential_id", "skill_id",
                                name="pk_search_document_skills"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_search_document_skills_skill_id", "search_document_skills",
                    ["skill_id", "microcredential_id"])
    op.bulk_insert(links, [
        {"microcredential_id": row.microcredential_id, "skill_id": skill_id}
        for row in rows
        for skill_id in dict.fromkeys(int(skill) for skill in row.skill_set.split(",") if skill)
    ])
    counters = op.create_table(
        "search_facet_counts",
        sa.Column("facet", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("facet", "value", name="pk_search_facet_counts"),
    )
    op.bulk_insert(counters, [{"facet": facet, "value": value, "n": n}
                              for (facet, value), n in sorted(_catalog_counts(rows).items())])
    for column in _FACET_COLUMNS:
        others = [c for c in _FACET_COLUMNS if c != column]
        op.create_index(
            f"ix_search_documents_{column}", "search_documents",
            [column, *others, "language_set", "skill_set", "published_at"],
        )
    op.create_index("ix_search_documents_published_at", "search_documents", ["published_at"])

    if dialect == "postgresql":
        for name, type_ in _VECTOR_COLUMNS:
            op.add_column("search_vectors", sa.Column(name, type_, nullable=True))
        names = [name for name, _type in _VECTOR_COLUMNS]
        op.execute(
            f"UPDATE search_vectors AS v SET {', '.join(f'{n} = d.{n}' for n in names)} "  # noqa: S608 - constants
            "FROM search_documents AS d WHERE d.microcredential_id = v.microcredential_id"
        )
        for name in names:
            if name not in _NULLABLE:
                op.alter_column("search_vectors", name, nullable=False)
