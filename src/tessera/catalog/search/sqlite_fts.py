"""SQLite backend: an FTS5 table (`search_fts`, rowid = microcredential id) next to the rows.

Tokenizer `unicode61 remove_diacritics 2` (accents and case folded, no stemming) with prefix
indexes of 2 and 3 characters for type-ahead.  Relevance is BM25 with per-column weights.

A search asks FTS5 twice: once for every match (ids only: cheap, a few milliseconds for
20,000 matches), then, sorting by relevance, for BM25 of the matches that passed the
filters (BM25 costs some 3 microseconds a match, so only those pay it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import orjson
from sqlalchemy import Table, delete, insert, text
from sqlalchemy.orm import Session

from tessera.catalog.search import generation
from tessera.catalog.search.documents import Document
from tessera.catalog.search.filters import Price
from tessera.catalog.search.generation import Generation
from tessera.catalog.search.tables import ANALYZED, fts
from tessera.catalog.search.text import fts5_query
from tessera.catalog.search.textindex import Found, Ranking, TextQuery

# BM25 weights of the FTS5 columns, in table order: title, skills, provider, description, body.
BM25_WEIGHTS = (10.0, 5.0, 3.0, 2.0, 1.0)
_BM25 = f"bm25(search_fts, {', '.join(str(weight) for weight in BM25_WEIGHTS)})"
_MATCH = text("SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH :query")
_NONE = np.zeros(0, np.int64)


class SqliteIndex:
    name = "sqlite"
    price = Price(floats=True)  # prices are REAL: compare them as SQLite would

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

    def cents(self, column: str) -> str:
        return f"CAST(round({column} * 100) AS INTEGER)"

    def joined(self, expression: str, separator: str) -> str:
        return f"group_concat({expression}, char({ord(separator)}))"

    def micros(self, column: str) -> str:
        """Stored as "2026-11-01 09:30:00.000000" (UTC): seconds, then the microseconds."""
        return (f"CAST(strftime('%s', {column}) AS INTEGER) * 1000000 "
                f"+ CAST(substr({column}, 21, 6) AS INTEGER)")

    def begin(self, db: Session, words: list[str]) -> tuple[Generation, TextQuery | None]:
        """The generation, and the FTS5 MATCH expression for `words` (each quoted, the last
        a prefix), if any."""
        expression = fts5_query(words) if words else None
        query = None if expression is None else TextQuery(match=expression, rank=expression)
        return generation.head(db), query

    def find(self, db: Session, query: TextQuery, ranking: Ranking | None) -> Found:
        """The matches, read as one string (far fewer Python objects than one row per
        match); then, if asked, the page of those among `ranking.among` by BM25.

        BM25 is only known while FTS5 walks its matches, so the MATCH runs again, but BM25
        is computed for the ranked ids only.  `+rowid` keeps SQLite from handing the id
        list to FTS5 as rowid constraints, which would run the whole MATCH once per id.
        """
        found = db.execute(_MATCH, {"query": query.match}).scalar()
        matched = np.fromstring(found, dtype=np.int64, sep=",") if found else _NONE
        if ranking is None:
            return Found(matched, [])
        hits = (matched if ranking.among is None
                else np.intersect1d(matched, ranking.among, assume_unique=True))
        if ranking.offset >= len(hits):
            return Found(matched, [])
        params: dict[str, Any] = {"query": query.rank, "limit": ranking.limit,
                                  "offset": ranking.offset}
        among = ""
        if len(hits) < len(matched):
            among = " AND +rowid IN (SELECT value FROM json_each(:ids))"
            params["ids"] = orjson.dumps(hits, option=orjson.OPT_SERIALIZE_NUMPY).decode()
        page = db.scalars(
            text(f"SELECT rowid FROM search_fts WHERE search_fts MATCH :query{among} "  # noqa: S608 - constants
                 f"ORDER BY {_BM25}, rowid DESC LIMIT :limit OFFSET :offset"),
            params,
        )
        return Found(matched, [int(i) for i in page])
