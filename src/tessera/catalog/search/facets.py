"""Facet counts and the total, shared by both backends.

Faceting is *disjunctive* by default: the counts of a facet apply the text and every OTHER
facet's filters but not its own, so choosing "English" still shows how many results "French"
would add (values within a facet are ORed, facets are ANDed).  Facets without a selection all
count the same, fully filtered set.  In bench/bench_search.py (100,000 entries) that takes
typically 20-35% longer than counting the filtered hits only (up to 60% for a word found in
a quarter of the catalog), which `SearchQuery(disjunctive=False)` does instead.  It stays
the default because it is what people expect of facets (a choice never hides its
alternatives); a caller with a tighter budget can switch it off.

The total and each requested facet are counted over the text matches (`source`) or the fully
filtered hits (`hits`), glued with UNION ALL into the search statement (see `statement`).
With neither text nor filter (the catalog's landing page) they come from
`search_facet_counts`, kept up to date by every index change.  Only the facets named in
`SearchQuery.facets` are computed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tessera.accounts.roles import ORG_KIND_LABELS, OrgKind
from tessera.catalog.schemas import FacetValue
from tessera.catalog.search.query import FACETS, WORKLOAD_BUCKETS, SearchQuery
from tessera.catalog.vocab import LANGUAGES, label

SKILL_FACET_SIZE = 20
TOTAL = "_total"
_LANGUAGE_SET = "_language_set"
# The backend's table function splitting a "12,45,78" column into rows `j.value`.
Split = Callable[[str], str]
_NO_LABEL = "CAST(NULL AS VARCHAR(300))"


def _workload_label(lower: int, upper: int | None) -> str:
    if upper is None:
        return f"{lower} h or more"
    return f"Under {upper} h" if lower == 0 else f"{lower}\u2013{upper} h"


WORKLOAD_LABELS = {key: _workload_label(lower, upper) for key, lower, upper in WORKLOAD_BUCKETS}
PRICE_LABELS = {"free": "Free", "paid": "Paid"}
# Bucket keys are written into the SQL as literals: make sure they can only be plain words.
if not all(re.fullmatch(r"[A-Za-z0-9+-]+", key) for key, _lower, _upper in WORKLOAD_BUCKETS):
    raise RuntimeError("WORKLOAD_BUCKETS keys must be letters, digits, '+' or '-'")
PRICE_RANGES = (("free", "{source}.price = 0"), ("paid", "{source}.price > 0"))
WORKLOAD_RANGES = tuple(
    (key, " AND ".join(
        ([f"{{source}}.workload_hours >= {int(lower)}"] if lower else [])
        + ([f"{{source}}.workload_hours < {int(upper)}"] if upper is not None else [])
    ))
    for key, lower, upper in WORKLOAD_BUCKETS
)


def _branch(facet: str, source: str, where: list[str], split: Split) -> str:
    """SELECT facet, value, label, count over `source` for one facet (a name from FACETS)."""
    conditions = list(where)
    if facet == "eqf_level":
        conditions.append(f"{source}.eqf_level IS NOT NULL")
    filtered = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    if facet == "language":
        # Few distinct language sets (",en,", ",de,en,"...): count those, split in `read`.
        return (f"SELECT '{_LANGUAGE_SET}', {source}.language_set, {_NO_LABEL}, count(*) "  # noqa: S608 - see sql.py
                f"FROM {source}{filtered} GROUP BY {source}.language_set")
    if facet == "skill":
        # Split each hit's skill ids ("12,45,78"): cheaper than joining the skill links on
        # both databases (PostgreSQL tends to hash all of them instead of probing).
        counts = (f"SELECT CAST(j.value AS INTEGER) AS skill_id, count(*) AS n "  # noqa: S608 - see sql.py
                  f"FROM {source} CROSS JOIN {split(f'{source}.skill_set')}{filtered} "
                  f"GROUP BY CAST(j.value AS INTEGER)")
        top = f"{counts} ORDER BY count(*) DESC, skill_id LIMIT {SKILL_FACET_SIZE}"
        return (f"SELECT 'skill', k.uri, k.label, c.n FROM ({top}) AS c "  # noqa: S608 - see sql.py
                f"JOIN search_skills AS k ON k.skill_id = c.skill_id")
    if facet == "provider":
        counts = (f"SELECT {source}.provider_id AS provider_id, count(*) AS n "  # noqa: S608 - see sql.py
                  f"FROM {source}{filtered} GROUP BY {source}.provider_id")
        return (f"SELECT 'provider', p.slug, p.name, c.n FROM ({counts}) AS c "  # noqa: S608 - see sql.py
                f"JOIN search_providers AS p ON p.provider_id = c.provider_id")
    if facet in ("price", "workload"):
        # One count per bucket (a range of an indexed column) rather than GROUP BY CASE:
        # no sort, and SQLite can count each range straight from an index.
        ranges = PRICE_RANGES if facet == "price" else WORKLOAD_RANGES
        return " UNION ALL ".join(
            f"SELECT '{facet}' AS facet, '{key}' AS value, {_NO_LABEL} AS label, "  # noqa: S608 - see sql.py
            f"count(*) AS n FROM {source} WHERE "
            + " AND ".join([condition.format(source=source), *conditions])
            for key, condition in ranges
        )
    # GROUP BY the bare column, so that SQLite counts in the order of a covering index
    # (see migration 0002) instead of sorting.
    value = f"CAST({source}.eqf_level AS VARCHAR(2))" if facet == "eqf_level" else None
    return (f"SELECT '{facet}' AS facet, {value or f'{source}.{facet}'} AS value, "  # noqa: S608 - see sql.py
            f"{_NO_LABEL} AS label, count(*) AS n FROM {source}{filtered} "
            f"GROUP BY {source}.{facet}")


def workload_key(hours: int) -> str:
    return next(key for key, _lower, upper in WORKLOAD_BUCKETS if upper is None or hours < upper)


def catalog_keys(row: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (facet, value) counters a search_documents row adds to the catalog's counts."""
    keys = [
        (TOTAL, ""),
        ("field", str(row["field"])),
        ("provider", str(row["provider_id"])),
        ("provider_kind", str(row["provider_kind"])),
        ("participation_mode", str(row["participation_mode"])),
        ("price", "free" if row["price"] == 0 else "paid"),
        ("workload", workload_key(int(row["workload_hours"]))),
    ]
    if row["eqf_level"] is not None:
        keys.append(("eqf_level", str(row["eqf_level"])))
    keys += [("language", code) for code in str(row["language_set"]).split(",") if code]
    keys += [("skill", skill) for skill in str(row["skill_set"]).split(",") if skill]
    return keys


def catalog_branches(query: SearchQuery) -> list[str]:
    """The total and the requested facets of the whole catalog, from search_facet_counts
    (kept up to date by every index change): no document is read."""
    counts = "SELECT value, n FROM search_facet_counts WHERE facet = '{}' AND n > 0"
    statements = [f"SELECT '{TOTAL}', CAST(NULL AS VARCHAR(500)), {_NO_LABEL}, "  # noqa: S608 - see sql.py
                  f"coalesce(sum(n), 0) FROM search_facet_counts WHERE facet = '{TOTAL}'"]
    for facet in wanted(query):
        if facet == "provider":
            statements.append(f"SELECT 'provider', p.slug, p.name, c.n FROM ({counts.format(facet)}) "  # noqa: E501, S608
                              f"AS c JOIN search_providers AS p "
                              f"ON p.provider_id = CAST(c.value AS INTEGER)")
        elif facet == "skill":
            top = f"{counts.format(facet)} ORDER BY n DESC, value LIMIT {SKILL_FACET_SIZE}"
            statements.append(f"SELECT 'skill', k.uri, k.label, c.n FROM ({top}) AS c "  # noqa: S608 - see sql.py
                              f"JOIN search_skills AS k ON k.skill_id = CAST(c.value AS INTEGER)")
        else:
            statements.append(f"SELECT '{facet}', c.value, {_NO_LABEL}, c.n "  # noqa: S608 - see sql.py
                              f"FROM ({counts.format(facet)}) AS c")
    return statements


def branches(
    query: SearchQuery, source: str, hits: str, active: dict[str, str], split: Split
) -> list[str]:
    """SELECTs (facet, value, label, count) of the total and each requested facet.

    `source` holds the text matches (or all documents), `hits` the fully filtered ones,
    `active` the filters on `source` by facet (see `sql.filter_clauses`), and `split` is
    the backend's table function over a comma-separated list (see `Split`).
    """
    statements = [f"SELECT '{TOTAL}' AS facet, CAST(NULL AS VARCHAR(500)) AS value, "  # noqa: S608 - see sql.py
                  f"{_NO_LABEL} AS label, count(*) AS n FROM {hits}"]
    for facet in wanted(query):
        if facet in active:
            others = [condition for name, condition in active.items() if name != facet]
            statements.append(_branch(facet, source, others, split))
        else:
            statements.append(_branch(facet, hits, [], split))
    return statements


def wanted(query: SearchQuery) -> list[str]:
    """The facets to compute, in FACETS order."""
    chosen = set(query.facets)
    return [facet for facet in FACETS if facet in chosen]


def read(
    rows: Iterable[tuple[str, str | None, str | None, int]], query: SearchQuery
) -> tuple[int, dict[str, list[FacetValue]]]:
    """The total and the facets from the rows of `branches` (other rows are ignored)."""
    total = 0
    counts: dict[str, list[tuple[str, str | None, int]]] = defaultdict(list)
    languages: Counter[str] = Counter()
    for facet, value, name, count in rows:
        if facet == TOTAL:
            total = int(count)
        elif facet == _LANGUAGE_SET:
            for language in (value or "").split(","):
                if language:
                    languages[language] += int(count)
        elif value is not None and count:
            counts[facet].append((str(value), name, int(count)))
    counts["language"] += [(language, None, n) for language, n in languages.items()]
    return total, {facet: _values(facet, counts[facet], query) for facet in wanted(query)}


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


def _values(
    facet: str, found: list[tuple[str, str | None, int]], query: SearchQuery
) -> list[FacetValue]:
    seen = {value for value, _name, _count in found}
    found = found + [(value, None, 0) for value in _selected(facet, query) if value not in seen]
    values = [FacetValue(value=v, label=_label(facet, v, n), count=c) for v, n, c in found]
    if facet == "eqf_level":
        return sorted(values, key=lambda item: int(item.value))
    if facet in ("price", "workload"):
        order = list(PRICE_LABELS if facet == "price" else WORKLOAD_LABELS)
        return sorted(values, key=lambda item: order.index(item.value))
    return sorted(values, key=lambda item: (-item.count, item.label.lower(), item.value))
