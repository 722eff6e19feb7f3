"""PostgreSQL backend: `search_vectors.search_vector` (tsvector, GIN index).

The vector holds every text twice: through the `english` configuration (stemmed, so "nurse"
finds "nursing") and through `simple` (whole words, so a half-typed prefix such as "nursin"
still finds "nursing", which a stemmed prefix would not).  Text is accent-folded in Python
(`text.fold`) on both sides, so "gestion" finds "Gestión" without the `unaccent` extension.
Weights: A title, B skills, C provider and short description, D outcomes and module titles.
Relevance is `ts_rank`.

A search costs two round trips here: `begin` reads the generation, builds the tsqueries and
sets the planner up; `find` matches and ranks in one pass over the matching rows and puts
the planner settings back.  Most of its time is the bitmap heap scan: about a microsecond
per matching row, as every row holds its whole vector (see docs/adr/0007).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Table, delete
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from tessera.catalog.search import generation
from tessera.catalog.search.documents import Document
from tessera.catalog.search.filters import Price
from tessera.catalog.search.generation import Generation
from tessera.catalog.search.tables import ANALYZED, vectors
from tessera.catalog.search.text import fold
from tessera.catalog.search.textindex import Found, Ranking, TextQuery


def tsquery(count: int, *, matching: bool = False) -> str:
    """SQL of the tsquery for `count` words, bound as %(w0)s... (each word quoted: 'word')
    and %(p0)s... (the same, the last one as a prefix: 'word':*).

    AND of the words; each matches its English stem or itself; the last one also as the
    beginning of a word (type-ahead: "nursin" finds "nursing", whose stem is "nurs").

    `matching`: the same matches, written for the GIN index: when the last word is its own
    stem ("design"), `'design' | 'design':*` becomes `'design':*`, which finds the same
    entries but reads the word's posting list once instead of twice.  Ranking keeps the
    first form, whose scores are the ones users have always seen.

    Each word (letters and digits only, see `text.terms`) is quoted as one tsquery lexeme
    and sent as a bound parameter: nothing the user typed is parsed as tsquery syntax.
    """
    if count < 1:
        raise ValueError("a text query needs at least one word")
    parts = []
    for index in range(count):
        stem, prefix = f"to_tsquery('english', %(w{index})s)", f"to_tsquery('simple', %(p{index})s)"
        either = f"({stem} || {prefix})"
        if matching and index == count - 1:
            itself = f"{stem} = to_tsquery('simple', %(w{index})s)"
            either = f"(CASE WHEN {itself} THEN {prefix} ELSE {either} END)"
        parts.append(either)
    return " && ".join(parts)


def _words(words: list[str]) -> dict[str, str]:
    """The bound values of `tsquery`."""
    values = {}
    for index, word in enumerate(words):
        values[f"w{index}"] = f"'{word}'"
        values[f"p{index}"] = f"'{word}'" + (":*" if index == len(words) - 1 else "")
    return values


# One statement per batch: the texts travel as arrays and PostgreSQL builds every vector.
_INSERT_VECTORS = (
    "INSERT INTO search_vectors (microcredential_id, search_vector) SELECT t.id, "  # noqa: S608 - constants only
    + " || ".join(
        f"setweight(to_tsvector('english', t.{part}) || to_tsvector('simple', t.{part}), "
        f"'{weight}')"
        for part, weight in (("title", "A"), ("skills", "B"), ("about", "C"), ("body", "D"))
    )
    + " FROM unnest(CAST(:ids AS integer[]), CAST(:title AS text[]), "
    "CAST(:skills AS text[]), CAST(:about AS text[]), CAST(:body AS text[])) "
    "AS t(id, title, skills, about, body)"
)


# The planner settings of a text match (see PostgresIndex.begin), put back after it.
_PLANNER = (("enable_seqscan", "off"), ("plan_cache_mode", "force_custom_plan"))
_RESTORE = ", ".join(f"set_config('{name}', %({name})s, true)" for name, _value in _PLANNER)


# The statements of a search, run on the raw psycopg cursor (hence %(name)s placeholders):
# building them with SQLAlchemy expressions cost more than running them.
_BEGIN = (
    "SELECT h.generation, h.stamp, CAST({rank} AS text), CAST({match} AS text), "  # noqa: S608 - constants
    + ", ".join(f"current_setting('{name}')" for name, _value in _PLANNER) + ", "
    + ", ".join(f"set_config('{name}', '{value}', true)" for name, value in _PLANNER)
    + " FROM (SELECT generation, stamp FROM search_changes "
    "ORDER BY generation DESC LIMIT 1) AS h"
)
# Ids and scores come back as one bytea each (4-byte big-endian values end to end): numpy
# reads them as they are, where an array would first become thousands of Python objects.
_IDS = "string_agg(int4send(microcredential_id), ''::bytea)"
_MATCH = (f"SELECT {_IDS}, {_RESTORE} FROM search_vectors "  # noqa: S608 - constants
          "WHERE search_vector @@ CAST(%(match)s AS tsquery)")
_RANKED = (
    f"SELECT {_IDS}, {_IDS} FILTER (WHERE hit), "  # noqa: S608 - constants
    "string_agg(float4send(ts_rank(search_vector, CAST(%(rank)s AS tsquery))), ''::bytea) "
    f"FILTER (WHERE hit), {_RESTORE} "
    "FROM (SELECT microcredential_id, search_vector, {hit} AS hit FROM search_vectors "
    "WHERE search_vector @@ CAST(%(match)s AS tsquery)) AS m"
)


def _fetch(db: Session, statement: str, params: dict[str, Any]) -> tuple[Any, ...]:
    """The one row of `statement`, read in binary on the session's own connection."""
    connection: Any = db.connection().connection.dbapi_connection
    with connection.cursor(binary=True) as cursor:
        return tuple(cursor.execute(statement, params).fetchone())


def _ids(found: bytes | None) -> NDArray[np.int64]:
    return np.frombuffer(found or b"", dtype=">i4").astype(np.int64)


class PostgresIndex:
    name = "postgresql"
    price = Price(floats=False)  # NUMERIC: compare exactly

    def bulk_insert(self, db: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """COPY: several times faster than INSERTs when rebuilding a large catalog."""
        if not rows:
            return
        columns = list(rows[0])
        connection: Any = db.connection().connection.dbapi_connection
        with connection.cursor() as cursor, cursor.copy(
            f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])

    def insert(self, db: Session, batch: Sequence[Document]) -> None:
        """The vectors of these documents."""
        if not batch:
            return
        db.execute(
            sql_text(_INSERT_VECTORS),
            {
                "ids": [doc.microcredential_id for doc in batch],
                "title": [fold(doc.title) for doc in batch],
                "skills": [fold(doc.skills_text) for doc in batch],
                "about": [fold(f"{doc.provider_text}\n{doc.description}") for doc in batch],
                "body": [fold(doc.body) for doc in batch],
            },
        )

    def delete(self, db: Session, microcredential_ids: Sequence[int]) -> None:
        db.execute(delete(vectors).where(vectors.c.microcredential_id.in_(microcredential_ids)))

    def clear(self, db: Session) -> None:
        db.execute(delete(vectors))

    def analyze(self, db: Session) -> None:
        connection = db.connection()
        # Merge the GIN pending list now rather than during the first searches.
        connection.exec_driver_sql(
            "SELECT gin_clean_pending_list('ix_search_vectors_search_vector'::regclass)"
        )
        for table in (*ANALYZED, "search_vectors"):
            connection.exec_driver_sql(f"ANALYZE {table}")

    def cents(self, column: str) -> str:
        return f"CAST(round({column} * 100) AS BIGINT)"

    def joined(self, expression: str, separator: str) -> str:
        return f"string_agg(CAST({expression} AS text), chr({ord(separator)}))"

    def micros(self, column: str) -> str:
        return f"CAST(extract(epoch FROM {column}) * 1000000 AS BIGINT)"  # numeric: exact

    def begin(self, db: Session, words: list[str]) -> tuple[Generation, TextQuery | None]:
        """The generation and, if there are words, their tsqueries, built by the server
        (stemming needs it), with the planner set up for the match, in one round trip.

        The tsqueries come back as text and go to `find` as constants, so that the planner
        estimates with them.  The settings (SET LOCAL: should a statement fail, the
        transaction's rollback restores them anyway) are put back by `find`:

        - enable_seqscan off: the planner costs `tsvector @@ tsquery` as cheap as comparing
          two integers, so once a word matches some 10% of the catalog it prefers reading
          every vector to the GIN index (3 to 5 times slower with 100,000 entries).
        - plan_cache_mode force_custom_plan: after five runs, psycopg prepares a statement,
          and a generic plan cannot see the tsquery it is planned for.
        """
        if not words:
            return generation.head(db), None
        row = _fetch(db, _BEGIN.format(rank=tsquery(len(words)),
                                       match=tsquery(len(words), matching=True)), _words(words))
        settings = tuple(zip((name for name, _value in _PLANNER), row[4:6], strict=True))
        query = TextQuery(match=str(row[3]), rank=str(row[2]), settings=settings)
        return Generation(int(row[0]), int(row[1])), query

    def find(self, db: Session, query: TextQuery, ranking: Ranking | None) -> Found:
        """The matches and, if asked, the ranks of those among `ranking.among`, in one
        pass over the matching rows: `ts_rank` reads the vector the match has just read,
        and only for the ids passed as a bitmap (one bit per id, tested with get_bit).

        Run on the raw psycopg cursor, in binary: parsing ids and scores as text (or as
        Python lists) cost more than finding them.
        """
        params: dict[str, Any] = {"match": query.match, "rank": query.rank, **dict(query.settings)}
        if ranking is None:
            return Found(_ids(_fetch(db, _MATCH, params)[0]), [])
        hit = "TRUE"
        if ranking.among is not None:
            # CASE: an id past the bitmap (published since the snapshot) must not reach get_bit.
            hit = ("CASE WHEN microcredential_id < %(bits)s "
                   "THEN get_bit(%(bitmap)s, microcredential_id) = 1 ELSE false END")
            bitmap = np.zeros(int(ranking.among[-1]) + 1 if len(ranking.among) else 0, np.bool_)
            bitmap[ranking.among] = True
            params["bits"] = len(bitmap)
            params["bitmap"] = np.packbits(bitmap, bitorder="little").tobytes()
        matched, hits, scores, *_settings = _fetch(db, _RANKED.format(hit=hit), params)
        hit_ids = _ids(hits)
        # ORDER BY ts_rank DESC, microcredential_id DESC, as PostgreSQL itself would.
        order = np.lexsort((-hit_ids, -np.frombuffer(scores or b"", dtype=">f4")))
        page = hit_ids[order[ranking.offset : ranking.offset + ranking.limit]]
        return Found(_ids(matched), [int(i) for i in page])
