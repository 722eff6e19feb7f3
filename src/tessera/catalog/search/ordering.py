"""Sort orders of a snapshot's rows, and the page of hits each gives (relevance aside: only
the text index knows it, see the backends' `find`).

Every order ends with the microcredential id, so that pages never overlap:

- newest: published DESC, id DESC (also relevance without text);
- title: title_key, id, as the database collates it (read once per snapshot);
- price, workload: the number, then the title order.

An order is computed once per snapshot (milliseconds); a page is then the hits picked out
of it in one pass, however deep the page.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from tessera.catalog.search.columns import Mask, Rows
from tessera.catalog.search.query import Sort
from tessera.catalog.search.snapshot import Snapshot

_TITLES = text("SELECT microcredential_id FROM search_documents "
               "ORDER BY title_key, microcredential_id")


def _newest(snapshot: Snapshot) -> Rows:
    return np.lexsort((-snapshot.ids, -snapshot.published))


def _title_rank(db: Session) -> Callable[[Snapshot], Rows]:
    """Each row's place in title order, from the database (its collation decides)."""

    def compute(snapshot: Snapshot) -> Rows:
        ids = np.array(db.execute(_TITLES).scalars().all(), dtype=np.int64)
        rows, found = snapshot.locate(ids)
        # An entry the database no longer has (changed since the snapshot) goes last.
        rank = np.arange(snapshot.size) + snapshot.size
        rank[rows[found]] = np.flatnonzero(found)
        return rank

    return compute


def _order(db: Session, snapshot: Snapshot, sort: Sort) -> Rows:
    if sort in (Sort.TITLE, Sort.PRICE, Sort.WORKLOAD):
        titles = snapshot.derive("title rank", _title_rank(db))
        if sort is Sort.TITLE:
            return snapshot.derive("title order", lambda s: np.argsort(titles, kind="stable"))
        if sort is Sort.PRICE:
            return snapshot.derive("price order", lambda s: np.lexsort((titles, s.cents)))
        return snapshot.derive("workload order", lambda s: np.lexsort((titles, s.hours)))
    return snapshot.derive("newest order", _newest)


def page(
    db: Session, snapshot: Snapshot, sort: Sort, hits: Mask, offset: int, limit: int
) -> list[int]:
    """Microcredential ids of one page of `hits` in `sort` order."""
    rows = _order(db, snapshot, sort)
    ordered = rows[hits[rows]]
    return [int(i) for i in snapshot.ids[ordered[offset : offset + limit]]]
