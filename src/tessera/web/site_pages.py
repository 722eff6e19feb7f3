"""Site-wide pages: home, and the documentation of problem types."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tessera.catalog import services as catalog
from tessera.catalog.search.query import SearchQuery, Sort
from tessera.errors import NotFound
from tessera.web.deps import DB, PageActor
from tessera.web.problems import PROBLEM_TYPES
from tessera.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, db: DB, actor: PageActor) -> Response:
    newest = catalog.search(db, SearchQuery(sort=Sort.NEWEST, page_size=6, facets=("field",)))
    return render(request, "home.html", actor, {"newest": newest})


@router.get("/problems/{slug}")
def problem_type(request: Request, slug: str, actor: PageActor) -> Response:
    if slug not in PROBLEM_TYPES:
        raise NotFound(f"No problem type '{slug}'")
    return render(
        request,
        "error.html",
        actor,
        {"title": slug.replace("-", " ").capitalize(), "detail": PROBLEM_TYPES[slug]},
    )
