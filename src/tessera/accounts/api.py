"""REST API of accounts: who am I."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from tessera.accounts import services
from tessera.accounts.roles import Role
from tessera.errors import AuthenticationRequired
from tessera.web.deps import DB, ApiActor

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class MembershipPublic(BaseModel):
    organisation: str
    roles: list[Role]


class MePublic(BaseModel):
    email: str
    display_name: str
    is_platform_admin: bool
    memberships: list[MembershipPublic]


@router.get("/me", response_model=MePublic)
def me(db: DB, actor: ApiActor) -> MePublic:
    """The user behind the bearer token, with their roles per organisation."""
    if not actor.is_authenticated or actor.email is None:
        raise AuthenticationRequired("Send 'Authorization: Bearer <token>'")
    orgs = services.organisations_by_id(db, list(actor.roles_by_org))
    return MePublic(
        email=actor.email,
        display_name=actor.display_name or actor.email,
        is_platform_admin=actor.is_platform_admin,
        memberships=[
            MembershipPublic(organisation=orgs[org_id].slug, roles=sorted(roles))
            for org_id, roles in actor.roles_by_org.items()
        ],
    )
