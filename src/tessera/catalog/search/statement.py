"""The one statement behind a search: the page's ids, the total and the facet counts.

    WITH search_base AS MATERIALIZED (text matches: the narrow search_documents columns)
         search_hits AS MATERIALIZED (search_base, or all documents, AND every filter)
         search_page AS (one page of search_hits, ranked)
    SELECT '_page', id, NULL, position FROM search_page
    UNION ALL SELECT '_total', ... FROM search_hits
    UNION ALL <one count per requested facet, see facets.py>

The text is matched once and the filters are applied once, however many facets are counted;
only the columns that filters, facets and sorting need are copied.  search_base exists only
when a facet with a selection is counted disjunctively (it needs the text matches without
its own filter); otherwise search_hits comes straight from the text match.  Without text,
the page reads search_documents directly, so that the planner can walk the sort key's index
and stop after one page.
"""

from __future__ import annotations

from typing import Any, Protocol

from tessera.catalog.search import facets, tables
from tessera.catalog.search.query import SearchQuery, Sort
from tessera.catalog.search.sql import Number, Params, filter_clauses

PAGE = "_page"
# Columns of search_documents copied into search_base / search_hits: what filters, facets
# and the page need (title_key only when it sorts: it is the widest).  Each facet column's
# index covers them (see migration 0002), so browsing reads no table rows.
COLUMNS = tuple(column for column in tables.COLUMNS if column != "title_key")
_NEWEST = (("published_at", "DESC"), ("microcredential_id", "DESC"))
# Sort keys (column, direction); the id last, so that pages never overlap.
SORT_KEYS: dict[Sort, tuple[tuple[str, str], ...]] = {
    Sort.NEWEST: _NEWEST,
    Sort.RELEVANCE: _NEWEST,  # without text
    Sort.PRICE: (("price", "ASC"), ("title_key", "ASC"), ("microcredential_id", "ASC")),
    Sort.WORKLOAD: (
        ("workload_hours", "ASC"), ("title_key", "ASC"), ("microcredential_id", "ASC"),
    ),
    Sort.TITLE: (("title_key", "ASC"), ("microcredential_id", "ASC")),
}


class Ranking(Protocol):
    """The part of a backend that matches and ranks text."""

    def number(self, value: Any) -> Any: ...
    def matches(self, query: str) -> str: ...
    def ranked(self, hits: str, query: str) -> tuple[str, str, str, bool]: ...
    def split(self, column: str) -> str: ...


def _columns(alias: str, query: SearchQuery) -> str:
    by_title = query.sort in (Sort.TITLE, Sort.PRICE, Sort.WORKLOAD)  # title breaks ties
    columns = (*COLUMNS, "title_key") if by_title else COLUMNS
    return ", ".join(f"{alias}.{column} AS {column}" for column in columns)


def _page(
    index: Ranking, query: SearchQuery, p: Params, bound: str | None, hits: str,
    page: int, page_size: int,
) -> str:
    """SELECT microcredential_id, position: one page in order (positions from 1)."""
    keys = SORT_KEYS.get(query.sort, _NEWEST)
    if bound is not None and query.sort is Sort.RELEVANCE:
        source, identifier, score, descending = index.ranked(hits, bound)
        # Equal scores: the newer microcredential (higher id) first.
        keys = (("score", "DESC" if descending else "ASC"), ("microcredential_id", "DESC"))
        selected = f"{score} AS score, {identifier} AS microcredential_id"
    else:
        if bound is not None:
            source = f"{hits} AS h"
        else:  # browse: filter search_documents itself, so its indexes serve the page
            where = filter_clauses(query, "h", p, index.number)
            source = "search_documents AS h"
            if where:
                source += f" WHERE {' AND '.join(where.values())}"
        selected = ", ".join(f"h.{column} AS {column}" for column, _direction in keys)
    order = ", ".join(f"{column} {direction}" for column, direction in keys)
    inner = (f"SELECT {selected} FROM {source} ORDER BY {order} "  # noqa: S608 - see sql.py
             f"LIMIT {p(page_size)} OFFSET {p((page - 1) * page_size)}")
    return (f"SELECT microcredential_id, row_number() OVER (ORDER BY {order}) AS position "  # noqa: S608 - see sql.py
            f"FROM ({inner}) AS ranked")


def build(
    index: Ranking, query: SearchQuery, text_query: str | None, page: int, page_size: int,
) -> tuple[str, dict[str, Any]]:
    """The SQL and the bound values of the search statement."""
    p = Params()
    number: Number = index.number
    ctes = []
    bound = p(text_query) if text_query is not None else None
    # Counts of a facet with a selection need the text matches without that filter
    # (disjunctive faceting): only then is search_base worth materialising.
    selected = filter_clauses(query, "d", Params(), number)
    disjunctive = query.disjunctive and any(facet in selected for facet in facets.wanted(query))
    source = "search_documents"
    if bound is not None and disjunctive:
        ctes.append(f"search_base AS MATERIALIZED (SELECT {_columns('d', query)} "  # noqa: S608 - see sql.py
                    f"FROM {index.matches(bound)})")
        source = "search_base"
    hits = source
    if bound is not None and not disjunctive:  # text matches and filters in one pass
        active = filter_clauses(query, "d", p, number)
        conditions = "".join(f" AND {condition}" for condition in active.values())
        ctes.append(f"search_hits AS MATERIALIZED (SELECT {_columns('d', query)} "  # noqa: S608 - see sql.py
                    f"FROM {index.matches(bound)}{conditions})")
        hits = "search_hits"
    else:
        active = filter_clauses(query, source, p, number)
        if active:
            ctes.append(f"search_hits AS MATERIALIZED (SELECT {_columns(source, query)} "  # noqa: S608 - see sql.py
                        f"FROM {source} WHERE {' AND '.join(active.values())})")
            hits = "search_hits"
    if not disjunctive:
        active = {}  # every facet counts the hits
    ctes.append(f"search_page AS ({_page(index, query, p, bound, hits, page, page_size)})")
    counted = (
        facets.catalog_branches(query) if hits == "search_documents"  # no text, no filter
        else facets.branches(query, source, hits, active, index.split)
    )
    selects = [
        f"SELECT '{PAGE}' AS facet, CAST(microcredential_id AS VARCHAR(20)) AS value, "  # noqa: S608 - see sql.py
        f"CAST(NULL AS VARCHAR(300)) AS label, position AS n FROM search_page",
        *counted,
    ]
    return f"WITH {', '.join(ctes)} " + " UNION ALL ".join(selects), p.values
