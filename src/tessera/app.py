"""create_app(settings): every piece of wiring in one place, no import-time globals."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response

from tessera import __version__
from tessera.accounts import api as accounts_api
from tessera.accounts import pages as accounts_pages
from tessera.catalog import api as catalog_api
from tessera.catalog import pages as catalog_pages
from tessera.config import Settings
from tessera.credentials import api as credentials_api
from tessera.credentials import pages as credentials_pages
from tessera.credentials.deps import make_issuing
from tessera.db import make_engine, make_sessionmaker
from tessera.employers import api as employers_api
from tessera.employers import pages as employers_pages
from tessera.exchange import api as exchange_api
from tessera.learning import api as learning_api
from tessera.learning import pages as learning_pages
from tessera.planner import api as planner_api
from tessera.planner import pages as planner_pages
from tessera.taxonomy import api as taxonomy_api
from tessera.web import problems, site_pages
from tessera.web.templating import make_templates
from tessera.web.warm_up import start_warm_up

STATIC = Path(__file__).parent / "web" / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warms_up:
            start_warm_up(app.state.sessionmaker)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Tessera",
        version=__version__,
        summary="Microcredentials: EU-standard catalog, skills and Open Badges 3.0 credentials",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    engine = make_engine(settings.database_url, pool_pre_ping=True)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.templates = make_templates()
    app.state.issuing = make_issuing(settings)

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.effective_secret_key,
        session_cookie="tessera_session",
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.is_production,
    )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if not request.url.path.startswith("/docs"):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' https: data:; style-src 'self'; "
                "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
            )
        if settings.is_production:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
            )
        return response

    problems.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/healthz", tags=["health"], summary="Liveness and database check")
    def healthz() -> JSONResponse:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok", "version": __version__})

    for router in (
        accounts_api.router,
        catalog_api.router,
        taxonomy_api.router,
        credentials_api.router,
        planner_api.router,
        employers_api.router,
        learning_api.router,
        exchange_api.router,
        accounts_pages.router,
        catalog_pages.router,
        credentials_pages.router,
        planner_pages.router,
        employers_pages.router,
        learning_pages.router,
        site_pages.router,
    ):
        app.include_router(router)
    return app
