"""PostgreSQL backend: `search_documents.search_vector` (tsvector, GIN index).

The vector holds every text twice: through the `english` configuration (stemmed, so "nurse"
finds "nursing") and through `simple` (whole words, so a half-typed prefix such as "nursin"
still finds "nursing", which a stemmed prefix would not).  Text is accent-folded in Python
(`text.fold`) on both sides, so "gestion" finds "Gestión" without the `unaccent` extension.
Weights: A title, B skills, C provider and short description, D outcomes and module titles.
Relevance is `ts_rank`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, func, insert, literal_column
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.orm import Session

from tessera.catalog.search.documents import Document
from tessera.catalog.search.tables import documents
from tessera.catalog.search.text import fold

_ENGLISH: ColumnElement[Any] = literal_column("'english'::regconfig")
_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")
# (bind parameter name, weight) of each part of the document text.
_PARTS = (("tx_title", "A"), ("tx_skills", "B"), ("tx_about", "C"), ("tx_body", "D"))


def _vector(parameter: str, weight: str) -> ColumnElement[Any]:
    text: ColumnElement[str] = bindparam(parameter, type_=String)
    both = func.to_tsvector(_ENGLISH, text).op("||", return_type=TSVECTOR)(
        func.to_tsvector(_SIMPLE, text)
    )
    return func.setweight(both, literal_column(f"'{weight}'"), type_=TSVECTOR)


def _document_vector() -> ColumnElement[Any]:
    vector = _vector(*_PARTS[0])
    for parameter, weight in _PARTS[1:]:
        vector = vector.op("||", return_type=TSVECTOR)(_vector(parameter, weight))
    return vector


def tsquery(words: list[str]) -> ColumnElement[Any]:
    """AND of the words; each matches its English stem or itself; the last is a prefix.

    Each word (letters and digits only, see `text.terms`) is quoted as one tsquery lexeme
    and sent as a bound parameter: nothing the user typed is parsed as tsquery syntax.
    """
    query: ColumnElement[Any] | None = None
    last = len(words) - 1
    for index, word in enumerate(words):
        lexeme: ColumnElement[str] = bindparam(
            f"tsq_{index}", f"'{word}'" + (":*" if index == last else ""), String, unique=True
        )
        either = func.to_tsquery(_ENGLISH, lexeme).op("||", return_type=TSQUERY)(
            func.to_tsquery(_SIMPLE, lexeme)
        )
        query = either if query is None else query.op("&&", return_type=TSQUERY)(either)
    if query is None:
        raise ValueError("a text query needs at least one word")
    return query


class PostgresIndex:
    name = "postgresql"

    def insert(self, db: Session, batch: Sequence[Document]) -> None:
        if not batch:
            return
        statement = insert(documents).values(search_vector=_document_vector())
        db.execute(
            statement,
            [
                doc.row
                | {
                    "tx_title": fold(doc.title),
                    "tx_skills": fold(doc.skills_text),
                    "tx_about": fold(f"{doc.provider_text}\n{doc.description}"),
                    "tx_body": fold(doc.body),
                }
                for doc in batch
            ],
        )

    def delete(self, db: Session, microcredential_ids: Sequence[int]) -> None:
        """Nothing to do: the vector goes with its search_documents row."""

    def clear(self, db: Session) -> None:
        """Nothing to do: the vectors go with the search_documents rows."""

    def analyze(self, db: Session) -> None:
        connection = db.connection()
        # Merge the GIN pending list now rather than on the first searches after a rebuild.
        connection.exec_driver_sql(
            "SELECT gin_clean_pending_list('ix_search_documents_search_vector'::regclass)"
        )
        for table in ("search_documents", "search_document_languages", "search_document_skills"):
            connection.exec_driver_sql(f"ANALYZE {table}")

    def matches(self, words: list[str], microcredential_id: Any) -> ColumnElement[bool]:
        return documents.c.search_vector.bool_op("@@")(tsquery(words))

    def ranked(self, statement: Select[Any], words: list[str]) -> Select[Any]:
        query = tsquery(words)
        return statement.where(
            documents.c.search_vector.bool_op("@@")(query)
        ).order_by(func.ts_rank(documents.c.search_vector, query).desc())
