"""FastAPI dependencies shared by every feature's API and pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from tessera.accounts import services as accounts
from tessera.accounts.roles import ANONYMOUS, Actor
from tessera.config import Settings
from tessera.db import transaction
from tessera.errors import AuthenticationRequired


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed when the handler returns, rolled back if it raises.

    Used with scope="function" so the commit happens before the response is sent: a client
    never sees success for a write that then failed to commit.
    """
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with transaction(factory) as session:
        yield session


DB = Annotated[Session, Depends(get_db, scope="function")]
AppSettings = Annotated[Settings, Depends(get_settings)]


def api_actor(request: Request, db: DB) -> Actor:
    """The actor behind a bearer token; anonymous when no Authorization header is sent."""
    header = request.headers.get("authorization")
    if not header:
        return ANONYMOUS
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationRequired("Use 'Authorization: Bearer <token>'")
    return accounts.actor_for_token(db, token.strip())


def page_actor(request: Request, db: DB) -> Actor:
    """The signed-in user of the browser session, or anonymous."""
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        return ANONYMOUS
    actor = accounts.actor_for_user(db, user_id)
    if not actor.is_authenticated:
        request.session.clear()
    return actor


ApiActor = Annotated[Actor, Depends(api_actor)]
PageActor = Annotated[Actor, Depends(page_actor)]
