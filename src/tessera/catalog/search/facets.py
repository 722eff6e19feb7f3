"""Facet counts over a snapshot's rows, and their labels (numpy, no database).

Faceting is *disjunctive* by default: the counts of a facet apply the text and every OTHER
facet's filters but not its own, so choosing "English" still shows how many results "French"
would add (values within a facet are ORed, facets are ANDed).  Facets without a selection all
count the same, fully filtered hits.  `SearchQuery(disjunctive=False)` counts the hits for
every facet instead.  Each count is a `bincount` of a column's codes over the counted rows
(see `columns`): a fraction of a millisecond for thousands of hits, so disjunctive counts
cost next to nothing more (they were 20-60 % of a search's time when SQL counted them).
Only the facets named in `SearchQuery.facets` are computed.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np

from tessera.accounts.roles import ORG_KIND_LABELS, OrgKind
from tessera.catalog.schemas import FacetValue
from tessera.catalog.search.columns import Mask, Rows
from tessera.catalog.search.query import FACETS, WORKLOAD_BUCKETS, SearchQuery
from tessera.catalog.search.snapshot import Snapshot
from tessera.catalog.vocab import LANGUAGES, label

SKILL_FACET_SIZE = 20
# (value, name or None, count) of one facet value found among the hits.
Found = tuple[str, str | None, int]


def _workload_label(lower: int, upper: int | None) -> str:
    if upper is None:
        return f"{lower} h or more"
    return f"Under {upper} h" if lower == 0 else f"{lower}\u2013{upper} h"


WORKLOAD_LABELS = {key: _workload_label(lower, upper) for key, lower, upper in WORKLOAD_BUCKETS}
PRICE_LABELS = {"free": "Free", "paid": "Paid"}
if not all(re.fullmatch(r"[A-Za-z0-9+-]+", key) for key, _lower, _upper in WORKLOAD_BUCKETS):
    raise RuntimeError("WORKLOAD_BUCKETS keys must be letters, digits, '+' or '-'")


def wanted(query: SearchQuery) -> list[str]:
    """The facets to compute, in FACETS order."""
    chosen = set(query.facets)
    return [facet for facet in FACETS if facet in chosen]


def _nonzero(counts: list[tuple[str, int]]) -> list[Found]:
    return [(value, None, n) for value, n in counts if n]


def _bucket(hours: np.ndarray[Any, Any], lower: int, upper: int | None) -> Mask:
    """Hours in [lower, upper); the first bucket has no lower bound, the last no upper."""
    inside = np.ones(len(hours), np.bool_)
    if lower:
        inside &= hours >= lower
    if upper is not None:
        inside &= hours < upper
    return inside


def _count(snapshot: Snapshot, facet: str, rows: Rows) -> list[Found]:
    """The values of `facet` among `rows`, with their counts (none at 0)."""
    if facet == "provider":
        counts = snapshot.provider.count(rows)
        return [(slug, name, counts[i]) for i, (slug, name) in snapshot.providers.items()
                if i in counts]
    if facet == "eqf_level":
        return [(str(level), None, n)
                for level, n in snapshot.eqf_level.count(rows).items() if level is not None]
    if facet == "language":
        languages: Counter[str] = Counter()
        for language_set, n in snapshot.language_set.count(rows).items():
            for language in str(language_set).split(","):
                if language:
                    languages[language] += n
        return _nonzero(list(languages.items()))
    if facet == "price":
        cents = snapshot.cents[rows]
        return _nonzero([("free", int(np.count_nonzero(cents == 0))),
                         ("paid", int(np.count_nonzero(cents > 0)))])
    if facet == "workload":
        hours = snapshot.hours[rows]
        return _nonzero([(key, int(np.count_nonzero(_bucket(hours, lower, upper))))
                         for key, lower, upper in WORKLOAD_BUCKETS])
    if facet == "skill":
        # The most frequent skills, ties by id; one no longer in search_skills drops out.
        per_skill = snapshot.skill.counts(rows)
        codes = np.flatnonzero(per_skill)
        ids = np.array(snapshot.skill.values, dtype=np.int64)[codes]
        top = np.lexsort((ids, -per_skill[codes]))[:SKILL_FACET_SIZE]
        return [(snapshot.skills[i][0], snapshot.skills[i][1], int(per_skill[codes[j]]))
                for j, i in zip(top.tolist(), ids[top].tolist(), strict=True)
                if i in snapshot.skills]
    column = {"field": snapshot.field, "provider_kind": snapshot.provider_kind,
              "participation_mode": snapshot.participation_mode}[facet]
    return _nonzero([(str(value), n) for value, n in column.count(rows).items()])


def count(
    snapshot: Snapshot, query: SearchQuery, hits: Mask, own: dict[str, Mask]
) -> dict[str, list[FacetValue]]:
    """The requested facets: each counted over `own[facet]` if given, else over `hits`.

    Counting gathers the rows' values by row number: a few thousand hits cost a few
    thousand lookups, not a pass over every entry.
    """
    hit_rows = np.flatnonzero(hits)
    return {
        facet: _values(facet, _counted(snapshot, facet, np.flatnonzero(own[facet])
                                       if facet in own else hit_rows), query)
        for facet in wanted(query)
    }


def _counted(snapshot: Snapshot, facet: str, rows: Rows) -> list[Found]:
    """`_count`; over every row (the catalog's landing page) once per snapshot."""
    if len(rows) < snapshot.size:
        return _count(snapshot, facet, rows)
    return snapshot.derive(f"{facet} counts", lambda current: _count(current, facet, rows))


def _label(facet: str, value: str, name: str | None) -> str:
    if name:
        return name
    if facet in ("field", "participation_mode"):
        return label(value)
    if facet == "provider_kind":
        try:
            return ORG_KIND_LABELS[OrgKind(value)]
        except ValueError:
            return label(value)
    if facet == "eqf_level":
        return f"EQF {value}"
    if facet == "language":
        return LANGUAGES.get(value, value)
    if facet == "price":
        return PRICE_LABELS.get(value, value)
    if facet == "workload":
        return WORKLOAD_LABELS.get(value, value)
    return value


def _selected(facet: str, query: SearchQuery) -> list[str]:
    """Chosen values of the facets whose labels need no look-up: shown even at 0."""
    chosen: dict[str, tuple[Any, ...]] = {
        "field": query.fields,
        "provider_kind": query.provider_kinds,
        "eqf_level": query.eqf_levels,
        "participation_mode": query.participation_modes,
        "language": tuple(language.strip().lower() for language in query.languages),
        "price": ("free",) if query.free_only else (),
    }
    return [str(value) for value in chosen.get(facet, ())]


def _values(facet: str, found: list[Found], query: SearchQuery) -> list[FacetValue]:
    seen = {value for value, _name, _count in found}
    found = found + [(value, None, 0) for value in _selected(facet, query) if value not in seen]
    values = [FacetValue(value=v, label=_label(facet, v, n), count=c) for v, n, c in found]
    if facet == "eqf_level":
        return sorted(values, key=lambda item: int(item.value))
    if facet in ("price", "workload"):
        order = list(PRICE_LABELS if facet == "price" else WORKLOAD_LABELS)
        return sorted(values, key=lambda item: order.index(item.value))
    return sorted(values, key=lambda item: (-item.count, item.label.lower(), item.value))
