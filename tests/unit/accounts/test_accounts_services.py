"""Accounts: users, sign-in, organisations, memberships and API tokens."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import PASSWORD

from tessera.accounts import services as accounts
from tessera.accounts.models import ApiToken, User
from tessera.accounts.roles import Role
from tessera.errors import (
    AuthenticationRequired,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
)


def test_password_is_hashed_with_argon2_and_sign_in_works(db: Session, make_person: Any) -> None:
    make_person("ada@uni.eu")
    user = db.scalar(select(User).where(User.email == "ada@uni.eu"))
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    actor = accounts.authenticate(db, "  ADA@uni.eu ", PASSWORD)
    assert actor.email == "ada@uni.eu"


@pytest.mark.parametrize(
    ("email", "password"), [("ada@uni.eu", "wrong-password!"), ("nobody@uni.eu", PASSWORD)]
)
def test_sign_in_failures_share_one_message(
    db: Session, make_person: Any, email: str, password: str
) -> None:
    make_person("ada@uni.eu")
    with pytest.raises(AuthenticationRequired, match="Email or password is incorrect"):
        accounts.authenticate(db, email, password)


def test_duplicate_email_conflicts_case_insensitively(db: Session, make_person: Any) -> None:
    make_person("ada@uni.eu")
    with pytest.raises(Conflict):
        accounts.create_user(
            db,
            accounts.OPERATOR,
            {"email": "ADA@uni.eu", "password": PASSWORD, "display_name": "A"},
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD, "display_name": "A"}, "email"),
        ({"email": "a@uni.eu", "password": "short", "display_name": "A"}, "password"),
        ({"email": "a@uni.eu", "password": PASSWORD, "display_name": ""}, "display_name"),
        ({"email": "a@uni.eu", "password": PASSWORD, "display_name": "x" * 201}, "display_name"),
        ({"email": "a@uni.eu", "password": PASSWORD}, "display_name"),
        ({"email": "a@uni.eu", "password": PASSWORD, "display_name": "A", "admin": True}, "admin"),
    ],
)
def test_bad_user_input_names_the_field(db: Session, data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        accounts.create_user(db, accounts.OPERATOR, data)
    assert field in {p.field for p in caught.value.problems}
    assert db.scalar(select(User).where(User.email == "a@uni.eu")) is None


def test_only_platform_admins_create_organisations_and_admins(
    db: Session, make_person: Any
) -> None:
    someone = make_person("someone@uni.eu")
    with pytest.raises(PermissionDenied):
        accounts.create_organisation(
            db, someone.actor, {"slug": "x-org", "name": "X", "kind": "university", "country": "PT"}
        )
    with pytest.raises(PermissionDenied):
        accounts.create_user(
            db,
            someone.actor,
            {"email": "b@uni.eu", "password": PASSWORD, "display_name": "B"},
            platform_admin=True,
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "Bad Slug!"}, "slug"),
        ({"country": "XX"}, "country"),
        ({"kind": "castle"}, "kind"),
        ({"website": "javascript:alert(1)"}, "website"),
    ],
)
def test_bad_organisation_input(db: Session, changes: dict[str, str], field: str) -> None:
    data = {"slug": "good-org", "name": "Good", "kind": "university", "country": "PT"} | changes
    with pytest.raises(InvalidInput) as caught:
        accounts.create_organisation(db, accounts.OPERATOR, data)
    assert field in {p.field for p in caught.value.problems}


def test_org_admin_adds_members_of_own_org_only(
    db: Session, make_org: Any, make_person: Any
) -> None:
    make_org("org-a")
    make_org("org-b")
    admin = make_person("admin@a.eu", Role.ORG_ADMIN, "org-a")
    make_person("new@a.eu")
    membership = accounts.add_membership(
        db, admin.actor, {"email": "new@a.eu", "organisation_slug": "org-a", "role": "issuer_staff"}
    )
    assert membership.role is Role.ISSUER_STAFF
    with pytest.raises(PermissionDenied):
        accounts.add_membership(
            db,
            admin.actor,
            {"email": "new@a.eu", "organisation_slug": "org-b", "role": "issuer_staff"},
        )
    with pytest.raises(Conflict):
        accounts.add_membership(
            db,
            accounts.OPERATOR,
            {"email": "new@a.eu", "organisation_slug": "org-a", "role": "platform_admin"},
        )
    with pytest.raises(NotFound):
        accounts.add_membership(
            db,
            accounts.OPERATOR,
            {"email": "new@a.eu", "organisation_slug": "nope", "role": "learner"},
        )


def test_api_tokens_are_stored_hashed_and_resolve_to_the_user(
    db: Session, make_person: Any
) -> None:
    person = make_person("ada@uni.eu")
    stored = db.scalars(select(ApiToken.token_hash)).all()
    assert person.token not in stored
    assert accounts.actor_for_token(db, person.token).email == "ada@uni.eu"
    with pytest.raises(AuthenticationRequired):
        accounts.actor_for_token(db, person.token + "x")


def test_tokens_only_for_yourself(db: Session, make_person: Any) -> None:
    ada = make_person("ada@uni.eu")
    make_person("bob@uni.eu")
    with pytest.raises(PermissionDenied):
        accounts.create_api_token(db, ada.actor, "bob@uni.eu")
