"""Errors to responses: RFC 9457 problem details for the API, an error page for browsers."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from tessera.accounts.roles import ANONYMOUS
from tessera.errors import AuthenticationRequired, FieldProblem, InvalidInput, TesseraError
from tessera.validation import field_problems

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"

PROBLEM_TYPES = {
    "bad-request": "The request could not be understood.",
    "not-found": "The resource does not exist or is not visible to you.",
    "authentication-required": "Sign in or send a valid bearer token.",
    "permission-denied": "You are signed in but may not do this.",
    "conflict": "The request clashes with the current state of the resource.",
    "invalid-input": "One or more fields are invalid; `errors` lists each field and why.",
    "malformed-import-file": "An imported file is malformed; the detail names file and line.",
    "method-not-allowed": "The resource does not support this HTTP method.",
    "internal-error": "Something failed on our side; nothing was changed.",
}


# OpenAPI `responses` for routes that answer errors as problem details.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {PROBLEM_JSON: {}}}
    for code, text in (
        (401, "Authentication required"),
        (403, "Permission denied"),
        (404, "Not found"),
        (409, "Conflict with the current state"),
        (422, "Invalid input"),
    )
}

# The VC-API endpoints live outside /api/ (the W3C test suites expect these paths).
VC_API_PATHS = frozenset({"/credentials/issue", "/credentials/verify"})


def _wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/healthz")) or path in VC_API_PATHS:
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "text/html" not in accept


def problem(
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = [{"field": p.field, "message": p.message} for p in errors]
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _error_page(request: Request, status: int, title: str, detail: str) -> Response:
    from tessera.web.templating import render  # templates import roles; avoid a cycle at import

    return render(
        request, "error.html", ANONYMOUS, {"title": title, "detail": detail}, status_code=status
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(TesseraError)
    async def tessera_error(request: Request, exc: TesseraError) -> Response:
        if _wants_json(request):
            errors = exc.problems if isinstance(exc, InvalidInput) else None
            headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
            return problem(
                request, exc.status_code, exc.slug, exc.title, exc.detail, errors, headers
            )
        if isinstance(exc, AuthenticationRequired):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return _error_page(request, exc.status_code, exc.title, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            FieldProblem(
                field=".".join(str(p) for p in err["loc"][1:] or err["loc"]),
                message=str(err["msg"]).removeprefix("Value error, "),
            )
            for err in exc.errors()
        ]
        detail = "; ".join(f"{p.field}: {p.message}" for p in problems[:5])
        if _wants_json(request):
            return problem(request, 422, "invalid-input", "Invalid input", detail, problems)
        return _error_page(request, 422, "Invalid input", detail)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "bad-request")
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Bad request")
        detail = exc.detail if isinstance(exc.detail, str) else title
        if exc.status_code == 404:
            detail = "There is nothing at this address"
        if _wants_json(request):
            return problem(request, exc.status_code, slug, title, detail)
        return _error_page(request, exc.status_code, title, detail)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        detail = "An unexpected error occurred; nothing was changed. Please try again."
        if _wants_json(request):
            return problem(request, 500, "internal-error", "Internal error", detail)
        return _error_page(request, 500, "Something went wrong", detail)


__all__ = ["PROBLEM_TYPES", "field_problems", "install", "problem"]
