"""Building the search statements as SQL text, with every value a bound parameter.

Searching runs a handful of statements whose shape depends on the query (which filters, which
facets); composing them from SQLAlchemy expression objects cost more per search than running
them.  So they are written out here from fixed fragments: table, column and alias names are
constants of this package, and anything that came from a user goes through `Params`, never
into the SQL text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from tessera.catalog.search.query import SearchQuery

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
Number = Callable[[Decimal], Any]  # how a backend wants decimals bound (SQLite: float)


class Params:
    """The bound values of one statement; each call adds one and returns its placeholder."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def __call__(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f":{name}"

    def list(self, values: Iterable[Any]) -> str:
        return ", ".join(self(value) for value in values)


def filter_clauses(query: SearchQuery, alias: str, p: Params, number: Number) -> dict[str, str]:
    """The query's filters as SQL conditions on `alias`, keyed by the facet each belongs to.

    `alias` names search_documents or a selection of its columns.  Values within one facet
    are ORed, the facets are ANDed by the caller.
    """
    result: dict[str, str] = {}
    simple = (
        ("field", "field", query.fields),
        ("provider_kind", "provider_kind", query.provider_kinds),
        ("participation_mode", "participation_mode", query.participation_modes),
    )
    for facet, column, values in simple:
        if values:
            result[facet] = f"{alias}.{column} IN ({p.list(sorted({str(v) for v in values}))})"
    if query.providers:
        result["provider"] = (
            f"{alias}.provider_id IN (SELECT provider_id FROM search_providers "  # noqa: S608 - see the docstring
            f"WHERE slug IN ({p.list(sorted(set(query.providers)))}))"
        )
    if query.eqf_levels:
        levels = sorted({int(level) for level in query.eqf_levels})
        result["eqf_level"] = f"{alias}.eqf_level IN ({p.list(levels)})"
    if query.languages:
        # Matched in the row's own language set (",de,en,"): no join.  Codes are letters only
        # (anything else matches nothing), so they cannot act as LIKE wildcards.
        codes = sorted({code.strip().lower() for code in query.languages})
        either = [f"{alias}.language_set LIKE {p(f'%,{code},%')}"
                  for code in codes if _LANGUAGE_CODE.fullmatch(code)]
        result["language"] = f"({' OR '.join(either)})" if either else "1 = 0"
    if query.skills:
        # A chosen skill is usually rare: list its documents from the (skill, id) index.
        uris = p.list(sorted(set(query.skills)))
        result["skill"] = (
            f"{alias}.microcredential_id IN (SELECT m.microcredential_id "  # noqa: S608 - see the docstring
            f"FROM search_document_skills AS m JOIN search_skills AS k ON k.skill_id = m.skill_id "
            f"WHERE k.uri IN ({uris}))"
        )
    hours = []
    if query.min_hours is not None:
        hours.append(f"{alias}.workload_hours >= {p(int(query.min_hours))}")
    if query.max_hours is not None:
        hours.append(f"{alias}.workload_hours <= {p(int(query.max_hours))}")
    if hours:
        result["workload"] = " AND ".join(hours)
    prices = []
    if query.free_only:
        prices.append(f"{alias}.price = 0")
    if query.min_price is not None:
        prices.append(f"{alias}.price >= {p(number(Decimal(query.min_price)))}")
    if query.max_price is not None:
        prices.append(f"{alias}.price <= {p(number(Decimal(query.max_price)))}")
    if prices:
        result["price"] = " AND ".join(prices)
    return result
