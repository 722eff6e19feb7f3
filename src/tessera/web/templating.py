"""Jinja2 templates with the globals every page needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from tessera.accounts.roles import ORG_KIND_LABELS, Actor
from tessera.catalog.vocab import LANGUAGES, label
from tessera.web.csrf import FIELD, csrf_token

TEMPLATES = Path(__file__).parent / "templates"


def _query(params: dict[str, Any], **changes: Any) -> str:
    """Rebuild a query string with some parameters changed (None removes one)."""
    merged = {**params, **changes}
    pairs: list[tuple[str, Any]] = []
    for key, value in merged.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            pairs.extend((key, item) for item in value)
        else:
            pairs.append((key, value))
    return urlencode(pairs)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.globals.update(
        label=label,
        org_kind_label=lambda kind: ORG_KIND_LABELS.get(kind, kind),
        language_name=lambda code: LANGUAGES.get(code, code),
        query=_query,
        csrf_field=FIELD,
    )
    return templates


def render(
    request: Request,
    template: str,
    actor: Actor,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        template,
        {"actor": actor, "csrf_token": csrf_token(request), **(context or {})},
        status_code=status_code,
    )
