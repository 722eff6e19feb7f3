"""SQLite backend: an FTS5 table (`search_fts`, rowid = microcredential id) next to the rows.

Tokenizer `unicode61 remove_diacritics 2` (accents and case folded, no stemming) with prefix
indexes of 2 and 3 characters for type-ahead.  Relevance is BM25 with per-column weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, insert
from sqlalchemy.orm import Session

from tessera.catalog.search.documents import Document
from tessera.catalog.search.tables import ANALYZED, fts
from tessera.catalog.search.text import fts5_query

# BM25 weights of the FTS5 columns, in table order: title, skills, provider, description, body.
BM25_WEIGHTS = (10.0, 5.0, 3.0, 2.0, 1.0)
_BM25 = f"bm25(search_fts, {', '.join(str(weight) for weight in BM25_WEIGHTS)})"


class SqliteIndex:
    name = "sqlite"

    def bulk_insert(self, db: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            db.execute(table.insert(), rows)

    def insert(self, db: Session, batch: Sequence[Document]) -> None:
        """The FTS5 rows of these (just inserted) documents."""
        if not batch:
            return
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
        connection = db.connection()
        for table in ANALYZED:
            connection.exec_driver_sql(f"ANALYZE {table}")

    def number(self, value: Decimal) -> float:
        return float(value)  # SQLAlchemy stores Numeric as REAL on SQLite

    def searching(self, db: Session) -> AbstractContextManager[None]:
        return nullcontext()

    def prepare(self, db: Session, words: list[str]) -> str:
        """The FTS5 MATCH expression for `words` (each quoted, the last a prefix)."""
        return fts5_query(words)

    def matches(self, query: str) -> str:
        """FROM-and-WHERE (as `d`) of the search_documents rows matching bound `query`."""
        return ("search_documents AS d WHERE d.microcredential_id IN "  # noqa: S608 - see sql.py
                f"(SELECT rowid FROM search_fts WHERE search_fts MATCH {query})")

    def ranked(self, hits: str, query: str) -> tuple[str, str, str, bool]:
        """FROM-and-WHERE of the FTS5 matches that are among `hits`, the id, the score, and
        whether higher scores rank first.

        BM25 is only known while FTS5 walks its matches, so the MATCH runs again here, but
        BM25 is computed for the hits only.  `+rowid` keeps SQLite from handing the IN list
        to FTS5 as a rowid constraint, which would run the whole MATCH once per hit.
        """
        return (
            f"search_fts WHERE search_fts MATCH {query} "  # noqa: S608 - see sql.py
            f"AND +search_fts.rowid IN (SELECT microcredential_id FROM {hits})",
            "search_fts.rowid",
            _BM25,
            False,  # bm25(): lower is better
        )

    def split(self, column: str) -> str:
        """Rows `j.value` of a comma-separated list of integers (read as a JSON array)."""
        return f"json_each('[' || {column} || ']') AS j"
