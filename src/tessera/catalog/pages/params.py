"""Reading the catalog page's query string into a SearchQuery, forgivingly.

The catalog page takes the same parameters as `GET /api/v1/microcredentials`. A browser user
who edits the address bar (or follows an old link) gets a message naming each bad parameter
and the results for the rest, never a stack trace; this module is pure (no database, no web).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from tessera.accounts.roles import OrgKind
from tessera.catalog.search.query import SearchQuery, Sort
from tessera.catalog.vocab import LANGUAGES, Field, ParticipationMode

MAX_VALUES = 50  # per repeated parameter: more is not a person ticking boxes
MAX_PAGE = 10_000
MAX_HOURS = 10_000
MAX_PRICE = Decimal(1_000_000)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URI = re.compile(r"^https?://\S+$")
TRUE = frozenset({"1", "true", "on", "yes"})
FALSE = frozenset({"0", "false", "off", "no"})

# Multi-valued filters: query parameter -> SearchQuery attribute.
MULTI = {
    "field": "fields",
    "provider": "providers",
    "provider_kind": "provider_kinds",
    "eqf_level": "eqf_levels",
    "language": "languages",
    "participation_mode": "participation_modes",
    "skill": "skills",
}
# Every parameter that narrows the results (what "clear filters" removes).
FILTERS = (*MULTI, "min_hours", "max_hours", "min_price", "max_price", "free")


@dataclass
class ParsedSearch:
    """The query to run, the cleaned parameters (for links) and what was wrong."""

    query: SearchQuery
    params: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return any(self.params.get(name) for name in FILTERS)

    def selected(self, name: str) -> list[str]:
        value = self.params.get(name, [])
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _enum_values(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(member.value for member in enum)


def _check(name: str, value: str) -> str | None:
    """A problem message for one value of a multi-valued parameter, or None if fine."""
    if name == "field" and value not in _enum_values(Field):
        return f"'{value}' is not a field of study"
    if name == "provider" and (len(value) > 64 or not SLUG.match(value)):
        return f"'{value}' is not a provider identifier"
    if name == "provider_kind" and value not in _enum_values(OrgKind):
        return f"'{value}' is not a kind of provider"
    if name == "eqf_level" and value not in {str(n) for n in range(1, 9)}:
        return "EQF levels run from 1 to 8"
    if name == "language" and value not in LANGUAGES:
        return f"'{value}' is not a supported language code"
    if name == "participation_mode" and value not in _enum_values(ParticipationMode):
        return f"'{value}' is not a form of participation"
    if name == "skill" and (len(value) > 500 or not URI.match(value)):
        return "a skill must be given by its http(s) URI"
    return None


def _whole_number(raw: str, low: int, high: int) -> int | None:
    if not raw.isdigit():
        return None
    number = int(raw)
    return number if low <= number <= high else None


def _amount(raw: str) -> Decimal | None:
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE:
        return None
    return amount


LABELS = {
    "min_hours": "Minimum hours",
    "max_hours": "Maximum hours",
    "min_price": "Minimum price",
    "max_price": "Maximum price",
}


def parse_search(
    pairs: Iterable[tuple[str, str]], page_size: int, facets: tuple[str, ...] | None = None
) -> ParsedSearch:
    """Turn query-string pairs into a SearchQuery; bad values are dropped and reported."""
    raw: dict[str, list[str]] = {}
    for key, value in pairs:
        raw.setdefault(key, []).append(value.strip())
    problems: list[str] = []
    params: dict[str, Any] = {}
    values: dict[str, Any] = {}

    text = (raw.get("q") or [""])[-1]
    if len(text) > 200:
        problems.append("The search text is limited to 200 characters; it was shortened")
        text = text[:200]
    params["q"] = text
    values["text"] = text

    for name, attribute in MULTI.items():
        given = [v for v in raw.get(name, []) if v]
        if len(given) > MAX_VALUES:
            problems.append(f"At most {MAX_VALUES} values of '{name}' are used")
            given = given[:MAX_VALUES]
        kept: list[str] = []
        for value in dict.fromkeys(given):
            problem = _check(name, value)
            if problem:
                problems.append(problem)
            else:
                kept.append(value)
        params[name] = kept
        values[attribute] = tuple(int(v) for v in kept) if name == "eqf_level" else tuple(kept)

    for name in ("min_hours", "max_hours"):
        given_value = (raw.get(name) or [""])[-1]
        if not given_value:
            continue
        hours = _whole_number(given_value, 0, MAX_HOURS)
        if hours is None:
            problems.append(f"{LABELS[name]} must be a whole number from 0 to {MAX_HOURS}")
        else:
            params[name] = hours
            values[name] = hours
    low, high = values.get("min_hours"), values.get("max_hours")
    if low is not None and high is not None and low > high:
        problems.append("Minimum hours is more than maximum hours")

    for name in ("min_price", "max_price"):
        given_value = (raw.get(name) or [""])[-1]
        if not given_value:
            continue
        amount = _amount(given_value)
        if amount is None:
            problems.append(f"{LABELS[name]} must be an amount from 0 to {MAX_PRICE}")
        else:
            params[name] = str(amount)
            values[name] = amount

    free = (raw.get("free") or [""])[-1].lower()
    if free in TRUE:
        params["free"] = "1"
        values["free_only"] = True
    elif free and free not in FALSE:
        problems.append("'free' must be on or off")

    sort = (raw.get("sort") or [""])[-1]
    if sort:
        if sort in _enum_values(Sort):
            params["sort"] = sort
            values["sort"] = Sort(sort)
        else:
            problems.append(f"'{sort}' is not a way to sort results")

    page = (raw.get("page") or [""])[-1]
    if page:
        number = _whole_number(page, 1, MAX_PAGE)
        if number is None:
            problems.append(f"The page must be a whole number from 1 to {MAX_PAGE}")
        else:
            params["page"] = number
            values["page"] = number

    if facets is not None:
        values["facets"] = facets
    query = SearchQuery(page_size=page_size, **values)
    return ParsedSearch(query=query, params=params, problems=list(dict.fromkeys(problems)))
