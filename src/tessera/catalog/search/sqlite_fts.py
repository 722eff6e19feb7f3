"""SQLite backend: an FTS5 table (`search_fts`, rowid = microcredential id) next to the rows.

Tokenizer `unicode61 remove_diacritics 2` (accents and case folded, no stemming) with prefix
indexes of 2 and 3 characters for type-ahead.  Relevance is BM25 with per-column weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from tessera.catalog.search.documents import Document
from tessera.catalog.search.tables import documents, fts
from tessera.catalog.search.text import fts5_query

# BM25 weights of the FTS5 columns: title, skills, provider, description, body.
BM25_WEIGHTS = (10.0, 5.0, 3.0, 2.0, 1.0)
# The hidden column named after the table: `search_fts MATCH ...` searches every column.
_FTS: ColumnElement[Any] = literal_column("search_fts")


def _match(words: list[str]) -> ColumnElement[bool]:
    return _FTS.bool_op("MATCH")(bindparam("fts_query", fts5_query(words), unique=True))


class SqliteIndex:
    name = "sqlite"

    def insert(self, db: Session, batch: Sequence[Document]) -> None:
        if not batch:
            return
        db.execute(insert(documents), [doc.row for doc in batch])
        db.execute(
            insert(fts),
            [
                {
                    "rowid": doc.microcredential_id,
                    "title": doc.title,
                    "skills": doc.skills_text,
                    "provider": doc.provider_text,
                    "description": doc.description,
                    "body": doc.body,
                }
                for doc in batch
            ],
        )

    def delete(self, db: Session, microcredential_ids: Sequence[int]) -> None:
        db.execute(delete(fts).where(fts.c.rowid.in_(microcredential_ids)))

    def clear(self, db: Session) -> None:
        db.execute(delete(fts))

    def analyze(self, db: Session) -> None:
        for table in ("search_documents", "search_document_languages", "search_document_skills"):
            db.connection().exec_driver_sql(f"ANALYZE {table}")

    def matches(self, words: list[str], microcredential_id: Any) -> ColumnElement[bool]:
        """`microcredential_id` is in the FTS5 matches of `words` (for counts and facets)."""
        hits = select(fts.c.rowid).where(_match(words))
        return microcredential_id.in_(hits)  # type: ignore[no-any-return]

    def ranked(self, statement: Select[Any], words: list[str]) -> Select[Any]:
        """The page statement joined to the FTS5 matches, best BM25 score first."""
        return (
            statement.join(fts, fts.c.rowid == documents.c.microcredential_id)
            .where(_match(words))
            .order_by(func.bm25(_FTS, *BM25_WEIGHTS))
        )
