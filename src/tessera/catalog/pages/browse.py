"""Public pages of the catalog: search with facets, a microcredential, providers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from tessera.accounts.roles import ORG_KIND_LABELS, OrgKind
from tessera.accounts.schemas import OrganisationPublic
from tessera.catalog import services
from tessera.catalog.pages.params import MULTI, ParsedSearch, parse_search
from tessera.catalog.schemas import MicrocredentialSummary, OrganisationRef, SearchResults
from tessera.catalog.search.query import FACETS, WORKLOAD_BUCKETS, Sort
from tessera.catalog.vocab import LANGUAGES, VersionStatus, label
from tessera.web.deps import DB, AppSettings, PageActor
from tessera.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_ID = 2**31 - 1  # larger ids cannot exist, and SQLite cannot even compare them
Id = Annotated[int, Path(ge=1, le=MAX_ID)]

# Fixed messages for `?notice=`: the address never carries text that the page would show.
NOTICES = {
    "created": "Draft saved. This preview shows it as the public will see it once published.",
    "saved": "Changes saved to the draft. This preview shows it as it will be published.",
    "published": "Published: the microcredential is now in the public catalog.",
    "retired": "Retired: the microcredential no longer appears in the catalog.",
}

LEGENDS = {
    "field": "Field of study",
    "provider_kind": "Type of provider",
    "provider": "Provider",
    "eqf_level": "EQF level",
    "participation_mode": "Form of participation",
    "language": "Language",
    "skill": "Skill",
}
SORT_LABELS = {
    Sort.RELEVANCE: "Best match",
    Sort.NEWEST: "Newest first",
    Sort.TITLE: "Title (A to Z)",
    Sort.PRICE: "Price (lowest first)",
    Sort.WORKLOAD: "Workload (shortest first)",
}
VISIBLE_OPTIONS = 8  # facet values shown before "more"


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int | None
    checked: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    legend: str
    options: list[FacetOption]


@dataclass(frozen=True)
class WorkloadChoice:
    label: str
    count: int
    min_hours: int | None
    max_hours: int | None
    current: bool


def _fallback_label(name: str, value: str) -> str:
    if name == "provider_kind":
        return ORG_KIND_LABELS.get(OrgKind(value), value) if value in set(OrgKind) else value
    if name == "eqf_level":
        return f"Level {value}"
    if name == "language":
        return LANGUAGES.get(value, value)
    if name in {"field", "participation_mode"}:
        return label(value)
    return value


def _facet_groups(results: SearchResults, parsed: ParsedSearch) -> list[FacetGroup]:
    """Checkbox groups in FACETS order; a ticked value stays listed even with no hits left."""
    groups = []
    for name in FACETS:
        if name not in MULTI:
            continue
        selected = parsed.selected(name)
        options = [
            FacetOption(f.value, f.label, f.count, f.value in selected)
            for f in results.facets.get(name, [])
        ]
        listed = {o.value for o in options}
        options += [
            FacetOption(v, _fallback_label(name, v), 0, True) for v in selected if v not in listed
        ]
        if options:
            groups.append(FacetGroup(name, LEGENDS[name], options))
    return groups


def _workload_choices(results: SearchResults, parsed: ParsedSearch) -> list[WorkloadChoice]:
    """Workload buckets as links that set the hour range (bucket upper bounds are exclusive)."""
    buckets = {f.value: f for f in results.facets.get("workload", [])}
    choices = []
    for key, low, high in WORKLOAD_BUCKETS:
        bucket = buckets.get(key)
        if bucket is None or not bucket.count:
            continue
        min_hours = low or None
        max_hours = None if high is None else high - 1
        current = (
            parsed.params.get("min_hours") == min_hours
            and parsed.params.get("max_hours") == max_hours
        )
        choices.append(WorkloadChoice(bucket.label, bucket.count, min_hours, max_hours, current))
    return choices


def _page_links(page: int, pages: int) -> list[int | None]:
    """Page numbers to offer: first, last and two either side of the current (None = gap)."""
    wanted = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[int | None] = []
    previous = 0
    for number in wanted:
        if previous and number - previous > 1:
            links.append(None)
        links.append(number)
        previous = number
    return links


@router.get("/catalog")
def catalog(request: Request, db: DB, actor: PageActor, settings: AppSettings) -> Response:
    parsed = parse_search(request.query_params.multi_items(), settings.search_page_size)
    results = services.search(db, parsed.query)
    pages = max(1, math.ceil(results.total / parsed.query.page_size))
    counts = {f.value: f.count for f in results.facets.get("price", [])}
    context: dict[str, Any] = {
        "parsed": parsed,
        "params": parsed.params,
        "results": results,
        "groups": _facet_groups(results, parsed),
        "workload": _workload_choices(results, parsed),
        "free_count": counts.get("free"),
        "sorts": SORT_LABELS,
        "sort": parsed.params.get("sort", Sort.RELEVANCE.value),
        "page": parsed.query.page,
        "pages": pages,
        "page_links": _page_links(parsed.query.page, pages),
        "visible_options": VISIBLE_OPTIONS,
    }
    return render(
        request, "catalog/search.html", actor, context,
        status_code=400 if parsed.problems else 200,
    )


@router.get("/microcredentials/{microcredential_id}")
def microcredential(
    request: Request,
    microcredential_id: Id,
    db: DB,
    actor: PageActor,
    version: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    latest: bool = False,
    notice: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The description; staff see drafts (`latest`) and every version, and the actions."""
    found = services.access_microcredential(
        db, actor, microcredential_id, version, latest=latest
    )
    shown = services.to_public(db, found)
    history = services.version_history(db, actor, microcredential_id)
    provider_id = found.microcredential.provider_id
    newest = history[-1]
    context = {
        "mc": shown,
        "history": [
            {
                "number": v.number,
                "status": v.status.value,
                "published_at": v.published_at,
                "retired_at": v.retired_at,
                "updated_at": v.updated_at,
            }
            for v in history
        ],
        "can_edit": services.can_edit(actor, provider_id),
        "newest": {"number": newest.number, "status": newest.status.value},
        "is_live": any(v.status is VersionStatus.PUBLISHED for v in history),
        "notice": NOTICES.get(notice or ""),
    }
    return render(request, "catalog/detail.html", actor, context)


@router.get("/providers")
def providers(request: Request, db: DB, actor: PageActor) -> Response:
    rows = sorted(services.list_providers(db), key=lambda row: row[0].name.lower())
    return render(request, "catalog/providers.html", actor, {"rows": rows})


def _summary(version: Any, provider: OrganisationRef) -> MicrocredentialSummary:
    return MicrocredentialSummary(
        id=version.microcredential_id,
        title=version.title,
        short_description=version.short_description,
        provider=provider,
        field=version.field,
        eqf_level=version.eqf_level,
        workload_hours=version.workload_hours,
        ects_credits=version.ects_credits,
        price=version.price,
        currency=version.currency,
        languages=list(version.languages),
        participation_mode=version.participation_mode,
        duration_weeks=version.duration_weeks,
    )


@router.get("/providers/{slug}")
def provider(
    request: Request, slug: Annotated[str, Path(max_length=64)], db: DB, actor: PageActor
) -> Response:
    organisation = OrganisationPublic.model_validate(services.get_provider(db, slug))
    ref = OrganisationRef(
        slug=organisation.slug, name=organisation.name, kind=organisation.kind,
        country=organisation.country,
    )
    versions = services.provider_catalog(db, actor, slug)
    items = [_summary(v, ref) for v in versions]
    statuses = {v.microcredential_id: v.status.value for v in versions}
    context = {
        "org": organisation,
        "results": SearchResults(
            items=items, total=len(items), page=1, page_size=max(1, len(items)), facets={}
        ),
        "statuses": statuses,
        "can_edit": services.can_edit(actor, organisation.id),
    }
    return render(request, "catalog/provider.html", actor, context)
