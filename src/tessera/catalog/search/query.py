"""What a catalog search asks for: free text plus facet filters (pure, no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

# Facets every search returns counts for, in the order pages show them.
FACETS = (
    "field",
    "provider",
    "provider_kind",
    "eqf_level",
    "participation_mode",
    "language",
    "price",
    "workload",
    "skill",
)

# Workload buckets (hours, upper bound exclusive) for the workload facet.
WORKLOAD_BUCKETS = (("lt25", 0, 25), ("25-50", 25, 50), ("50-100", 50, 100),
                    ("100-250", 100, 250), ("250+", 250, None))


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE = "price"
    WORKLOAD = "workload"
    TITLE = "title"


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    fields: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()  # organisation slugs
    provider_kinds: tuple[str, ...] = ()
    eqf_levels: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    participation_modes: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()  # skill URIs
    min_hours: int | None = None
    max_hours: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    free_only: bool = False
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    page_size: int = 20
    facets: tuple[str, ...] = field(default=FACETS)
    # True: a facet's counts ignore its own selection (choosing "English" still shows how
    # many "French" would add); False: every facet counts the filtered hits only.
    disjunctive: bool = True

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size
