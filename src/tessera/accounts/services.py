"""Use cases of the accounts feature: users, organisations, memberships, sign-in, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tessera.accounts.models import ApiToken, Membership, Organisation, User
from tessera.accounts.roles import ANONYMOUS, Actor, OrgKind, Role
from tessera.accounts.schemas import MembershipCreate, OrganisationCreate, UserCreate
from tessera.errors import AuthenticationRequired, Conflict, NotFound, PermissionDenied
from tessera.validation import parse

TOKEN_PREFIX = "tsr_"  # noqa: S105 - a public prefix, not a secret
_hasher = PasswordHasher()
# Verified against when the email is unknown, so sign-in takes as long either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

# The actor for operator commands (CLI, demo loader): a platform administrator.
OPERATOR = Actor(is_platform_admin=True, email="operator", display_name="Operator")


def _require_platform_admin(actor: Actor) -> None:
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform administrators may do this")


# --- users ---------------------------------------------------------------------------------


def create_user(
    db: Session, actor: Actor, data: UserCreate | dict[str, object], *, platform_admin: bool = False
) -> User:
    """Register a user. Anyone may sign up; only platform admins create platform admins."""
    data = parse(UserCreate, data) if isinstance(data, dict) else data
    if platform_admin:
        _require_platform_admin(actor)
    email = data.email.lower()
    if db.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"A user with email {email} already exists")
    user = User(
        email=email,
        display_name=data.display_name,
        password_hash=_hasher.hash(data.password),
        is_platform_admin=platform_admin,
    )
    db.add(user)
    db.flush()
    return user


def get_user_by_email(db: Session, email: str) -> User:
    user = db.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"No user with email {email}")
    return user


def actor_for_user(db: Session, user_id: int) -> Actor:
    user = db.get(User, user_id)
    if user is None or not user.is_active:
        return ANONYMOUS
    roles: dict[int, set[Role]] = {}
    for membership in db.scalars(select(Membership).where(Membership.user_id == user.id)):
        roles.setdefault(membership.organisation_id, set()).add(membership.role)
    return Actor(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        is_platform_admin=user.is_platform_admin,
        roles_by_org={org: frozenset(held) for org, held in roles.items()},
    )


def authenticate(db: Session, email: str, password: str) -> Actor:
    """The actor for a correct email and password; one message for every failure."""
    user = db.scalar(select(User).where(User.email == email.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or not user.is_active:
        raise AuthenticationRequired("Email or password is incorrect")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        db.flush()
    return actor_for_user(db, user.id)


# --- organisations -------------------------------------------------------------------------


def create_organisation(
    db: Session, actor: Actor, data: OrganisationCreate | dict[str, object]
) -> Organisation:
    _require_platform_admin(actor)
    data = parse(OrganisationCreate, data) if isinstance(data, dict) else data
    if db.scalar(select(Organisation.id).where(Organisation.slug == data.slug)) is not None:
        raise Conflict(f"An organisation with slug '{data.slug}' already exists")
    organisation = Organisation(**data.model_dump())
    db.add(organisation)
    db.flush()
    return organisation


def get_organisation(db: Session, slug: str) -> Organisation:
    organisation = db.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise NotFound(f"No organisation '{slug}'")
    return organisation


def get_organisation_by_id(db: Session, organisation_id: int) -> Organisation:
    organisation = db.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(f"No organisation {organisation_id}")
    return organisation


def organisations_by_id(db: Session, ids: Sequence[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    rows = db.scalars(select(Organisation).where(Organisation.id.in_(set(ids))))
    return {org.id: org for org in rows}


def organisations_by_slug(db: Session, slugs: Sequence[str]) -> dict[str, Organisation]:
    if not slugs:
        return {}
    rows = db.scalars(select(Organisation).where(Organisation.slug.in_(set(slugs))))
    return {org.slug: org for org in rows}


def list_organisations(db: Session, kinds: Sequence[OrgKind] | None = None) -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.name)
    if kinds:
        query = query.where(Organisation.kind.in_(kinds))
    return list(db.scalars(query))


def add_membership(
    db: Session, actor: Actor, data: MembershipCreate | dict[str, object]
) -> Membership:
    """Give a user a role in an organisation: platform admins, or that organisation's admins."""
    data = parse(MembershipCreate, data) if isinstance(data, dict) else data
    organisation = get_organisation(db, data.organisation_slug)
    if data.role is Role.PLATFORM_ADMIN:
        raise Conflict("platform_admin is a platform-wide role, not an organisation role")
    if not (actor.is_platform_admin or Role.ORG_ADMIN in actor.roles_in(organisation.id)):
        raise PermissionDenied(f"Only admins of {organisation.slug} may add its members")
    user = get_user_by_email(db, data.email)
    existing = db.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == organisation.id,
            Membership.role == data.role,
        )
    )
    if existing is not None:
        return existing
    membership = Membership(user_id=user.id, organisation_id=organisation.id, role=data.role)
    db.add(membership)
    db.flush()
    return membership


def count_users(db: Session) -> int:
    return db.scalar(select(func.count(User.id))) or 0


# --- API tokens ----------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(
    db: Session, actor: Actor, email: str, name: str = "api"
) -> tuple[str, ApiToken]:
    """A new bearer token for the user; the plain token is returned here and never again."""
    user = get_user_by_email(db, email)
    if not (actor.is_platform_admin or actor.user_id == user.id):
        raise PermissionDenied("You may only create tokens for yourself")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=user.id, name=name[:100], token_hash=_token_hash(token), prefix=token[:12]
    )
    db.add(record)
    db.flush()
    return token, record


def actor_for_token(db: Session, token: str) -> Actor:
    if not token.startswith(TOKEN_PREFIX):
        raise AuthenticationRequired("The bearer token is not a Tessera API token")
    record = db.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if record is None or record.revoked_at is not None:
        raise AuthenticationRequired("The bearer token is unknown or revoked")
    actor = actor_for_user(db, record.user_id)
    if not actor.is_authenticated:
        raise AuthenticationRequired("The token's user is deactivated")
    return actor
