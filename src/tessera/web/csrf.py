"""CSRF protection for HTML forms: a per-session secret echoed in a hidden field.

Every POST page route depends on `csrf_protect`; the API is exempt because it accepts only
bearer tokens, which a browser never attaches on its own.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from tessera.errors import PermissionDenied

FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_protect(request: Request) -> None:
    expected = request.session.get("csrf")
    form = await request.form()
    given = form.get(FIELD)
    if not (
        isinstance(expected, str)
        and isinstance(given, str)
        and hmac.compare_digest(expected, given)
    ):
        raise PermissionDenied(
            "The form expired or did not come from this site; reload the page and try again"
        )
