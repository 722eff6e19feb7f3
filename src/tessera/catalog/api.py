"""REST API of the catalog: /api/v1/providers and /api/v1/microcredentials."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import Field as Constraint

from tessera.accounts.roles import OrgKind
from tessera.accounts.schemas import OrganisationPublic
from tessera.catalog import services
from tessera.catalog.schemas import (
    EndorsementCreate,
    MicrocredentialCreate,
    MicrocredentialPublic,
    MicrocredentialUpdate,
    SearchResults,
)
from tessera.catalog.search.query import SearchQuery, Sort
from tessera.catalog.vocab import Field, ParticipationMode
from tessera.web.deps import DB, ApiActor
from tessera.web.problems import PROBLEM_RESPONSES

EqfLevel = Annotated[int, Constraint(ge=1, le=8)]
router = APIRouter(prefix="/api/v1", tags=["catalog"])



class ProviderSummary(OrganisationPublic):
    published_microcredentials: int


@router.get("/providers", response_model=list[ProviderSummary])
def list_providers(db: DB) -> list[ProviderSummary]:
    rows = services.list_providers(db)
    return [
        ProviderSummary(
            **OrganisationPublic.model_validate(services.get_provider(db, ref.slug)).model_dump(),
            published_microcredentials=count,
        )
        for ref, count in rows
    ]


@router.get("/providers/{slug}", response_model=OrganisationPublic, responses=PROBLEM_RESPONSES)
def get_provider(slug: str, db: DB) -> Any:
    return services.get_provider(db, slug)


@router.get("/microcredentials", response_model=SearchResults, responses=PROBLEM_RESPONSES)
def search_microcredentials(
    db: DB,
    q: Annotated[str, Query(max_length=200, description="Free text")] = "",
    field: Annotated[list[Field], Query()] = [],  # noqa: B006 - FastAPI copies defaults
    provider: Annotated[list[str], Query(max_length=64)] = [],  # noqa: B006
    provider_kind: Annotated[list[OrgKind], Query()] = [],  # noqa: B006
    eqf_level: Annotated[list[EqfLevel], Query()] = [],  # noqa: B006
    language: Annotated[list[str], Query(max_length=8)] = [],  # noqa: B006
    participation_mode: Annotated[list[ParticipationMode], Query()] = [],  # noqa: B006
    skill: Annotated[list[str], Query(max_length=500)] = [],  # noqa: B006
    min_hours: Annotated[int | None, Query(ge=0, le=10_000)] = None,
    max_hours: Annotated[int | None, Query(ge=0, le=10_000)] = None,
    min_price: Annotated[Decimal | None, Query(ge=0)] = None,
    max_price: Annotated[Decimal | None, Query(ge=0)] = None,
    free: bool = False,
    sort: Sort = Sort.RELEVANCE,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResults:
    """Full-text search over published microcredentials, with filters and facet counts."""
    return services.search(
        db,
        SearchQuery(
            text=q.strip(),
            fields=tuple(field),
            providers=tuple(provider),
            provider_kinds=tuple(provider_kind),
            eqf_levels=tuple(eqf_level),
            languages=tuple(language),
            participation_modes=tuple(participation_mode),
            skills=tuple(skill),
            min_hours=min_hours,
            max_hours=max_hours,
            min_price=min_price,
            max_price=max_price,
            free_only=free,
            sort=sort,
            page=page,
            page_size=page_size,
        ),
    )


@router.post(
    "/microcredentials",
    response_model=MicrocredentialPublic,
    status_code=status.HTTP_201_CREATED,
    responses=PROBLEM_RESPONSES,
)
def create_microcredential(
    data: MicrocredentialCreate, db: DB, actor: ApiActor
) -> MicrocredentialPublic:
    """Create a microcredential; version 1 starts as a draft."""
    version = services.create_microcredential(db, actor, data)
    return services.to_public(db, version)


@router.get(
    "/microcredentials/{microcredential_id}",
    response_model=MicrocredentialPublic,
    responses=PROBLEM_RESPONSES,
)
def get_microcredential(
    microcredential_id: int,
    db: DB,
    actor: ApiActor,
    version: Annotated[int | None, Query(ge=1)] = None,
    latest: bool = False,
) -> MicrocredentialPublic:
    """The published version; provider staff may ask for `latest` (the draft) or a `version`."""
    found = services.access_microcredential(db, actor, microcredential_id, version, latest=latest)
    return services.to_public(db, found)


@router.patch(
    "/microcredentials/{microcredential_id}",
    response_model=MicrocredentialPublic,
    responses=PROBLEM_RESPONSES,
)
def update_microcredential(
    microcredential_id: int, data: MicrocredentialUpdate, db: DB, actor: ApiActor
) -> MicrocredentialPublic:
    """Change the draft; editing a published version creates a new draft version."""
    version = services.update_microcredential(db, actor, microcredential_id, data)
    return services.to_public(db, version)


@router.post(
    "/microcredentials/{microcredential_id}/publish",
    response_model=MicrocredentialPublic,
    responses=PROBLEM_RESPONSES,
)
def publish_microcredential(
    microcredential_id: int, db: DB, actor: ApiActor
) -> MicrocredentialPublic:
    version = services.publish_microcredential(db, actor, microcredential_id)
    return services.to_public(db, version)


@router.post(
    "/microcredentials/{microcredential_id}/retire",
    response_model=MicrocredentialPublic,
    responses=PROBLEM_RESPONSES,
)
def retire_microcredential(
    microcredential_id: int, db: DB, actor: ApiActor
) -> MicrocredentialPublic:
    version = services.retire_microcredential(db, actor, microcredential_id)
    return services.to_public(db, version)


@router.post(
    "/microcredentials/{microcredential_id}/endorsements",
    response_model=MicrocredentialPublic,
    status_code=status.HTTP_201_CREATED,
    responses=PROBLEM_RESPONSES,
)
def endorse_microcredential(
    microcredential_id: int, data: EndorsementCreate, db: DB, actor: ApiActor
) -> MicrocredentialPublic:
    services.add_endorsement(db, actor, microcredential_id, data)
    return services.to_public(db, services.access_microcredential(db, actor, microcredential_id))
