"""HTML pages of the catalog: public browsing (`browse`) and provider staff pages (`manage`).

`params` and `forms` are pure helpers: the catalog query string and the microcredential form.
"""

from __future__ import annotations

from fastapi import APIRouter

from tessera.catalog.pages import browse, manage

router = APIRouter(include_in_schema=False)
router.include_router(browse.router)
router.include_router(manage.router)

__all__ = ["router"]
