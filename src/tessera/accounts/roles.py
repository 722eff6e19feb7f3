"""Roles, organisation kinds and the actor that every service call is made on behalf of."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tessera.errors import AuthenticationRequired, PermissionDenied


class Role(StrEnum):
    ORG_ADMIN = "org_admin"
    ISSUER_STAFF = "issuer_staff"
    ASSESSOR = "assessor"
    LEARNER = "learner"
    EMPLOYER_VERIFIER = "employer_verifier"
    PLATFORM_ADMIN = "platform_admin"


class OrgKind(StrEnum):
    UNIVERSITY = "university"
    ONLINE_PLATFORM = "online_platform"
    EMPLOYER = "employer"
    PROFESSIONAL_BODY = "professional_body"
    TRAINING_PROVIDER = "training_provider"


ORG_KIND_LABELS = {
    OrgKind.UNIVERSITY: "University",
    OrgKind.ONLINE_PLATFORM: "Online learning platform",
    OrgKind.EMPLOYER: "Employer",
    OrgKind.PROFESSIONAL_BODY: "Professional body",
    OrgKind.TRAINING_PROVIDER: "Training provider",
}

# Roles that may write a provider's catalog; assessors may read its drafts.
CATALOG_EDITORS = frozenset({Role.ORG_ADMIN, Role.ISSUER_STAFF})
CATALOG_READERS = CATALOG_EDITORS | {Role.ASSESSOR}
# Roles that manage an employer's role profiles and team, and read its team reports.
TEAM_MANAGERS = frozenset({Role.ORG_ADMIN, Role.EMPLOYER_VERIFIER})


@dataclass(frozen=True)
class Actor:
    """Who is asking: a signed-in user with their roles per organisation, or anonymous."""

    user_id: int | None = None
    email: str | None = None
    display_name: str | None = None
    is_platform_admin: bool = False
    roles_by_org: dict[int, frozenset[Role]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def roles_in(self, organisation_id: int) -> frozenset[Role]:
        return self.roles_by_org.get(organisation_id, frozenset())

    def has_any_role(self, organisation_id: int, roles: frozenset[Role]) -> bool:
        return bool(self.roles_in(organisation_id) & roles)

    def organisations_with(self, roles: frozenset[Role]) -> list[int]:
        return [org for org, held in self.roles_by_org.items() if held & roles]


ANONYMOUS = Actor()


def require_role(
    actor: Actor, organisation_id: int, roles: frozenset[Role], *, sign_in: str, denied: str
) -> None:
    """Raise unless the actor holds one of `roles` in the organisation (or is a platform
    admin): AuthenticationRequired(`sign_in`) for nobody, PermissionDenied(`denied`) else."""
    if actor.is_platform_admin:
        return
    if not actor.is_authenticated:
        raise AuthenticationRequired(sign_in)
    if not actor.has_any_role(organisation_id, roles):
        raise PermissionDenied(denied)
