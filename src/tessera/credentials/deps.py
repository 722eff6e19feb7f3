"""The `Issuing` collaborators of the running app, as a FastAPI dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from tessera.config import Settings
from tessera.credentials.https_fetch import fetch_https
from tessera.credentials.keystore import KeyVault
from tessera.credentials.services import Issuing


def make_issuing(settings: Settings) -> Issuing:
    return Issuing(
        base_url=settings.effective_base_url,
        vault=KeyVault(settings.effective_secret_key),
        fetch=fetch_https if settings.fetches_did_documents else None,
    )


def get_issuing(request: Request) -> Issuing:
    issuing: Issuing = request.app.state.issuing
    return issuing


IssuingDep = Annotated[Issuing, Depends(get_issuing)]
