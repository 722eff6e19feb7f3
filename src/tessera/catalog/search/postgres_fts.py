"""PostgreSQL backend: `search_vectors.search_vector` (tsvector, GIN index).

The vector holds every text twice: through the `english` configuration (stemmed, so "nurse"
finds "nursing") and through `simple` (whole words, so a half-typed prefix such as "nursin"
still finds "nursing", which a stemmed prefix would not).  Text is accent-folded in Python
(`text.fold`) on both sides, so "gestion" finds "Gestión" without the `unaccent` extension.
Weights: A title, B skills, C provider and short description, D outcomes and module titles.
Relevance is `ts_rank`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    bindparam,
    cast,
    delete,
    func,
    literal_column,
    select,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from tessera.catalog.search.documents import Document
from tessera.catalog.search.tables import ANALYZED, COLUMNS, vectors
from tessera.catalog.search.text import fold

_ENGLISH: ColumnElement[Any] = literal_column("'english'::regconfig")
_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")


def tsquery(words: list[str]) -> ColumnElement[Any]:
    """AND of the words; each matches its English stem or itself; the last one also as the
    beginning of a word (type-ahead: "nursin" finds "nursing", whose stem is "nurs").

    Each word (letters and digits only, see `text.terms`) is quoted as one tsquery lexeme
    and sent as a bound parameter: nothing the user typed is parsed as tsquery syntax.
    """
    query: ColumnElement[Any] | None = None
    last = len(words) - 1
    for index, word in enumerate(words):
        lexeme: ColumnElement[str] = bindparam(f"tsq_{index}", f"'{word}'", String, unique=True)
        prefix: ColumnElement[str] = bindparam(
            f"tsp_{index}", f"'{word}'" + (":*" if index == last else ""), String, unique=True
        )
        either = func.to_tsquery(_ENGLISH, lexeme).op("||", return_type=TSQUERY)(
            func.to_tsquery(_SIMPLE, prefix)
        )
        query = either if query is None else query.op("&&", return_type=TSQUERY)(either)
    if query is None:
        raise ValueError("a text query needs at least one word")
    return query


# One statement per batch: the texts travel as arrays and PostgreSQL builds every vector.
_INSERT_VECTORS = (
    f"INSERT INTO search_vectors ({', '.join(COLUMNS)}, search_vector) "  # noqa: S608 - constants only
    f"SELECT {', '.join(f'd.{column}' for column in COLUMNS)}, "
    + " || ".join(
        f"setweight(to_tsvector('english', t.{part}) || to_tsvector('simple', t.{part}), "
        f"'{weight}')"
        for part, weight in (("title", "A"), ("skills", "B"), ("about", "C"), ("body", "D"))
    )
    + " FROM unnest(CAST(:ids AS integer[]), CAST(:title AS text[]), "
    "CAST(:skills AS text[]), CAST(:about AS text[]), CAST(:body AS text[])) "
    "AS t(id, title, skills, about, body) "
    "JOIN search_documents AS d ON d.microcredential_id = t.id"
)


# Planner settings for the search statements (see PostgresIndex.searching).
_PLANNER_SET = sql_text(
    "SELECT current_setting('enable_seqscan'), current_setting('plan_cache_mode'), "
    "set_config('enable_seqscan', 'off', true), "
    "set_config('plan_cache_mode', 'force_custom_plan', true)"
)
_PLANNER_RESTORE = sql_text(
    "SELECT set_config('enable_seqscan', :seqscan, true), "
    "set_config('plan_cache_mode', :plan_cache, true)"
)


class PostgresIndex:
    name = "postgresql"

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
        """The vectors of these (just inserted) documents, with a copy of their columns."""
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

    def number(self, value: Decimal) -> Decimal:
        return value

    @contextmanager
    def searching(self, db: Session) -> Iterator[None]:
        """Plan the search statements with these settings, then put back the caller's (SET
        LOCAL: should a statement fail, the transaction's rollback restores them anyway).

        - enable_seqscan off: the planner costs `tsvector @@ tsquery` as cheap as comparing
          two integers, so once a word matches some 10% of the catalog it prefers reading
          every vector to the GIN index (3 to 5 times slower with 100,000 entries); browsing
          likewise prefers scanning the table to the covering indexes.
        - plan_cache_mode force_custom_plan: after five runs, psycopg prepares a statement,
          and a generic plan cannot see the tsquery or the filter values it is planned for.
        """
        connection = db.connection()
        seqscan, plan_cache = connection.execute(_PLANNER_SET).one()[:2]
        yield
        connection.execute(_PLANNER_RESTORE, {"seqscan": seqscan, "plan_cache": plan_cache})

    def prepare(self, db: Session, words: list[str]) -> str:
        """The tsquery for `words`, as text, built by the server (stemming needs it).

        Sent back as a constant, so the planner estimates with it and it is parsed once.
        """
        return str(db.scalar(select(cast(tsquery(words), String))))

    def matches(self, query: str) -> str:
        """FROM-and-WHERE (as `d`) of the rows matching bound `query`: search_vectors carries
        a copy of the search_documents columns, so matching needs no join."""
        return f"search_vectors AS d WHERE d.search_vector @@ CAST({query} AS tsquery)"

    def ranked(self, hits: str, query: str) -> tuple[str, str, str, bool]:
        """FROM over `hits` with their vectors, the id, the score, higher first?"""
        return (
            f"{hits} AS h JOIN search_vectors AS v "
            "ON v.microcredential_id = h.microcredential_id",
            "h.microcredential_id",
            f"ts_rank(v.search_vector, CAST({query} AS tsquery))",
            True,
        )

    def split(self, column: str) -> str:
        """Rows `j.value` of a comma-separated list."""
        return f"unnest(string_to_array({column}, ',')) AS j(value)"
