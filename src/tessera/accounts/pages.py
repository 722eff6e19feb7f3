"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from tessera.accounts import services
from tessera.errors import AuthenticationRequired
from tessera.web.csrf import csrf_protect
from tessera.web.deps import DB, PageActor
from tessera.web.templating import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after sign-in is a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, actor: PageActor, next: str | None = None) -> Response:
    return render(request, "accounts/login.html", actor, {"next": _safe_next(next), "email": ""})


@router.post("/login", dependencies=[Depends(csrf_protect)])
def login(
    request: Request,
    db: DB,
    actor: PageActor,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    try:
        signed_in = services.authenticate(db, email, password)
    except AuthenticationRequired as error:
        return render(
            request,
            "accounts/login.html",
            actor,
            {"next": _safe_next(next), "email": email, "error": error.detail},
            status_code=400,
        )
    request.session.clear()  # a fresh session (and CSRF token) on sign-in
    request.session["user_id"] = signed_in.user_id
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(csrf_protect)])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)
