"""Filters and facet counts, shared by both backends.

Faceting is *disjunctive*: the counts of a facet apply the text and every OTHER facet's
filters but not its own, so choosing "English" still shows how many results "French" would
add (values within a facet are ORed, facets are ANDed).  Facets without a selection all
count the same filtered set.

All counts, and the total, come from ONE statement: the text matches are materialised once
(`search_base`, scalar columns only), the fully filtered set once more (`search_hits`), and
each facet is a GROUP BY over one of them, glued with UNION ALL.  Only the facets named in
`SearchQuery.facets` are computed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from tessera.accounts.roles import ORG_KIND_LABELS, OrgKind
from tessera.catalog.schemas import FacetValue
from tessera.catalog.search.query import FACETS, WORKLOAD_BUCKETS, SearchQuery
from tessera.catalog.search.tables import document_languages, document_skills, documents
from tessera.catalog.vocab import LANGUAGES, label

SKILL_FACET_SIZE = 20
# Columns the facet statement needs (kept narrow: they are copied into temporary results).
_FACET_COLUMNS = (
    "microcredential_id", "field", "provider_slug", "provider_name", "provider_kind",
    "eqf_level", "participation_mode", "price", "workload_hours",
)
_TOTAL = "_total"


def filters(query: SearchQuery, c: Any) -> dict[str, ColumnElement[bool]]:
    """The query's filters keyed by the facet each belongs to, over the columns `c`.

    `c` is `search_documents.c` or the `.c` of a selection of its columns.
    """
    result: dict[str, ColumnElement[bool]] = {}
    simple = (
        ("field", c.field, query.fields),
        ("provider", c.provider_slug, query.providers),
        ("provider_kind", c.provider_kind, query.provider_kinds),
        ("participation_mode", c.participation_mode, query.participation_modes),
    )
    for facet, column, values in simple:
        if values:
            result[facet] = column.in_(sorted({str(value) for value in values}))
    if query.eqf_levels:
        result["eqf_level"] = c.eqf_level.in_(sorted({int(level) for level in query.eqf_levels}))
    if query.languages:
        languages = sorted({language.strip().lower() for language in query.languages})
        result["language"] = c.microcredential_id.in_(
            select(document_languages.c.microcredential_id).where(
                document_languages.c.language.in_(languages)
            )
        )
    if query.skills:
        result["skill"] = c.microcredential_id.in_(
            select(document_skills.c.microcredential_id).where(
                document_skills.c.skill_uri.in_(sorted(set(query.skills)))
            )
        )
    hours = []
    if query.min_hours is not None:
        hours.append(c.workload_hours >= query.min_hours)
    if query.max_hours is not None:
        hours.append(c.workload_hours <= query.max_hours)
    if hours:
        result["workload"] = and_(*hours)
    prices = []
    if query.free_only:
        prices.append(c.price == 0)
    if query.min_price is not None:
        prices.append(c.price >= query.min_price)
    if query.max_price is not None:
        prices.append(c.price <= query.max_price)
    if prices:
        result["price"] = and_(*prices)
    return result


def workload_bucket(hours: Any) -> ColumnElement[str]:
    whens = [(hours < upper, key) for key, _lower, upper in WORKLOAD_BUCKETS if upper is not None]
    last = next(key for key, _lower, upper in WORKLOAD_BUCKETS if upper is None)
    return case(*whens, else_=last)


def _workload_label(lower: int, upper: int | None) -> str:
    if upper is None:
        return f"{lower} h or more"
    return f"Under {upper} h" if lower == 0 else f"{lower}\u2013{upper} h"


WORKLOAD_LABELS = {key: _workload_label(lower, upper) for key, lower, upper in WORKLOAD_BUCKETS}
PRICE_LABELS = {"free": "Free", "paid": "Paid"}


def _branch(facet: str, source: FromClause, where: list[ColumnElement[bool]]) -> Select[Any]:
    """SELECT facet, value, label, count over `source` for one facet."""
    c = source.c
    name = literal(facet, String)
    no_label: ColumnElement[Any] = cast(null(), String)
    count = func.count()
    if facet in ("language", "skill"):
        child = document_languages if facet == "language" else document_skills
        joined = source.join(child, child.c.microcredential_id == c.microcredential_id)
        value: ColumnElement[Any]
        text: ColumnElement[Any]
        if facet == "language":
            value, text = child.c.language, no_label
        else:
            value, text = child.c.skill_uri, func.max(child.c.skill_label)
        statement = select(name, value, text, count).select_from(joined).where(*where)
        statement = statement.group_by(value)
        if facet == "skill":
            top = statement.order_by(count.desc(), value).limit(SKILL_FACET_SIZE).subquery()
            return select(*top.c)
        return statement
    values: dict[str, tuple[ColumnElement[Any], ColumnElement[Any]]] = {
        "field": (c.field, no_label),
        "provider": (c.provider_slug, func.max(c.provider_name)),
        "provider_kind": (c.provider_kind, no_label),
        "eqf_level": (cast(c.eqf_level, String), no_label),
        "participation_mode": (c.participation_mode, no_label),
        "price": (case((c.price == 0, "free"), else_="paid"), no_label),
        "workload": (workload_bucket(c.workload_hours), no_label),
    }
    value, text = values[facet]
    if facet == "eqf_level":
        where = [*where, c.eqf_level.is_not(None)]
    return select(name, value, text, count).select_from(source).where(*where).group_by(value)


def count_and_facets(
    db: Session, query: SearchQuery, text_match: ColumnElement[bool] | None
) -> tuple[int, dict[str, list[FacetValue]]]:
    """The number of hits and the requested facets' counts, in one round trip."""
    source: FromClause = documents
    if text_match is not None:
        columns = [documents.c[name] for name in _FACET_COLUMNS]
        source = select(*columns).where(text_match).cte("search_base").prefix_with("MATERIALIZED")
    active = filters(query, source.c)
    hits = source
    if active:
        hits = (
            select(*(source.c[name] for name in _FACET_COLUMNS))
            .where(*active.values())
            .cte("search_hits")
            .prefix_with("MATERIALIZED")
        )
    branches = [select(literal(_TOTAL, String), cast(null(), String), cast(null(), String),
                       func.count()).select_from(hits)]
    wanted = [facet for facet in FACETS if facet in set(query.facets)]
    for facet in wanted:
        if facet in active:
            others = [condition for name, condition in active.items() if name != facet]
            branches.append(_branch(facet, source, others))
        else:
            branches.append(_branch(facet, hits, []))
    rows = db.execute(union_all(*branches)).all()
    total = 0
    counts: dict[str, list[tuple[str, str | None, int]]] = defaultdict(list)
    for facet, value, text, count in rows:
        if facet == _TOTAL:
            total = int(count)
        elif value is not None:
            counts[facet].append((str(value), text, int(count)))
    return total, {facet: _values(facet, counts[facet], query) for facet in wanted}


def _label(facet: str, value: str, text: str | None) -> str:
    if text:
        return text
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
    """Selected values of the facets whose labels need no look-up (shown even at 0)."""
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
    seen = {value for value, _text, _count in found}
    found = found + [(value, None, 0) for value in _selected(facet, query) if value not in seen]
    values = [FacetValue(value=v, label=_label(facet, v, t), count=n) for v, t, n in found]
    if facet == "eqf_level":
        return sorted(values, key=lambda item: int(item.value))
    if facet in ("price", "workload"):
        order = list(PRICE_LABELS if facet == "price" else WORKLOAD_LABELS)
        return sorted(values, key=lambda item: order.index(item.value))
    return sorted(values, key=lambda item: (-item.count, item.label.lower(), item.value))
