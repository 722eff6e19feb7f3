"""A query's filters as masks over a snapshot's rows, one per facet (numpy, no database).

Values within one facet are ORed; the caller ANDs the facets (all of them for the hits;
all but a facet's own for its disjunctive counts).  Each filter means exactly what the
index's SQL columns meant: a language is looked up in the entry's ",de,en," set, a price
bound compares as the database compares it (see `Price`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal
from typing import Any

import numpy as np

from tessera.catalog.search.columns import Mask
from tessera.catalog.search.query import SearchQuery
from tessera.catalog.search.snapshot import Snapshot

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
# Beyond any stored price (Numeric(10, 2)), so that bounds this large never overflow.
_PRICE_LIMIT = Decimal(10) ** 12


@dataclass(frozen=True)
class Price:
    """Compares prices (stored as cents) with a bound as the database would.

    `floats`: SQLite stores prices as REAL and compares them with a float bound, so do the
    same; PostgreSQL compares NUMERIC exactly, so compare the cents with the bound rounded
    up (at least) or down (at most), where NaN counts as greater than any number.
    """

    floats: bool

    def at_least(self, cents: np.ndarray[Any, Any], bound: Decimal) -> Mask:
        if self.floats:
            return np.asarray(cents / 100.0 >= float(bound))
        if bound.is_nan() or bound > _PRICE_LIMIT:
            return np.zeros(len(cents), np.bool_)
        if bound < -_PRICE_LIMIT:
            return np.ones(len(cents), np.bool_)
        return np.asarray(cents >= _cents(bound, ROUND_CEILING))

    def at_most(self, cents: np.ndarray[Any, Any], bound: Decimal) -> Mask:
        if self.floats:
            return np.asarray(cents / 100.0 <= float(bound))
        if bound.is_nan() or bound > _PRICE_LIMIT:
            return np.ones(len(cents), np.bool_)
        if bound < -_PRICE_LIMIT:
            return np.zeros(len(cents), np.bool_)
        return np.asarray(cents <= _cents(bound, ROUND_FLOOR))


def _cents(bound: Decimal, rounding: str) -> int:
    """`bound` in cents, rounded as asked, exactly (enough precision for every digit)."""
    context = Context(prec=len(bound.as_tuple().digits) + 16, Emin=-999_999, Emax=999_999)
    return int(bound.scaleb(2, context).to_integral_value(rounding, context))


def masks(snapshot: Snapshot, query: SearchQuery, price: Price) -> dict[str, Mask]:
    """The query's filters, keyed by the facet each belongs to (no filter, no key)."""
    result: dict[str, Mask] = {}
    simple = (("field", snapshot.field, query.fields),
              ("provider_kind", snapshot.provider_kind, query.provider_kinds),
              ("participation_mode", snapshot.participation_mode, query.participation_modes))
    for facet, column, values in simple:
        if values:
            result[facet] = column.among({str(value) for value in values})
    if query.providers:
        slugs = set(query.providers)
        chosen = {i for i, (slug, _name) in snapshot.providers.items() if slug in slugs}
        result["provider"] = snapshot.provider.among(chosen)
    if query.eqf_levels:
        result["eqf_level"] = snapshot.eqf_level.among({int(level) for level in query.eqf_levels})
    if query.languages:
        # Codes are letters only (anything else matches nothing): ",en," is then unambiguous.
        codes = {code.strip().lower() for code in query.languages}
        needles = [f",{code}," for code in codes if _LANGUAGE_CODE.fullmatch(code)]
        result["language"] = snapshot.language_set.having(
            lambda languages: any(needle in languages for needle in needles)
        )
    if query.skills:
        uris = set(query.skills)
        chosen = {i for i, (uri, _label) in snapshot.skills.items() if uri in uris}
        result["skill"] = snapshot.skill.having_any(chosen)
    hours = []
    if query.min_hours is not None:
        hours.append(snapshot.hours >= int(query.min_hours))
    if query.max_hours is not None:
        hours.append(snapshot.hours <= int(query.max_hours))
    if hours:
        result["workload"] = _all(hours)
    prices = []
    if query.free_only:
        prices.append(snapshot.cents == 0)
    if query.min_price is not None:
        prices.append(price.at_least(snapshot.cents, Decimal(query.min_price)))
    if query.max_price is not None:
        prices.append(price.at_most(snapshot.cents, Decimal(query.max_price)))
    if prices:
        result["price"] = _all(prices)
    return result


def _all(masks: list[Any]) -> Mask:
    return np.asarray(np.logical_and.reduce(masks))


def combine(size: int, base: Mask | None, filters: list[Mask]) -> Mask:
    """`base` (None: every row) AND every filter."""
    result = np.ones(size, np.bool_) if base is None else base.copy()
    for mask in filters:
        result &= mask
    return result

