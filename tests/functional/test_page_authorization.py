"""Every role against every catalog action through the web pages: allowed, refused (403 page),
hidden (404 for drafts the person may not know about) or sent to sign in; a refused action
changes nothing.

The pages take their decisions from the catalog services; this table pins down what a person
actually meets in the browser, next to test_api_authorization for the REST API.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import microcredential_payload
from tests.functional.test_catalog_pages import csrf_token, form_data, sign_in

from tessera.accounts.roles import OrgKind, Role
from tessera.catalog import services as catalog
from tessera.catalog.models import MicrocredentialVersion

ROLES = {
    # role: (email, role in an organisation, organisation, platform admin)
    "anonymous": None,
    "learner": ("learner@example.eu", None, None, False),
    "employer_verifier": ("verifier@hiring.eu", Role.EMPLOYER_VERIFIER, "hiring-co", False),
    "assessor_a": ("assessor@a.eu", Role.ASSESSOR, "provider-a", False),
    "issuer_staff_a": ("staff@a.eu", Role.ISSUER_STAFF, "provider-a", False),
    "org_admin_a": ("admin@a.eu", Role.ORG_ADMIN, "provider-a", False),
    "issuer_staff_b": ("staff@b.eu", Role.ISSUER_STAFF, "provider-b", False),
    "platform_admin": ("root@example.eu", None, None, True),
}
EDITORS = {"issuer_staff_a", "org_admin_a", "platform_admin"}
READERS = EDITORS | {"assessor_a"}

OK, FORBIDDEN, HIDDEN, SIGN_IN = "ok", "forbidden", "hidden", "sign-in"


def expected(action: str, role: str) -> str:
    if action == "view_draft":
        return OK if role in READERS else HIDDEN
    if role == "anonymous":
        return SIGN_IN
    if action == "open_draft_edit_form":
        # Outsiders may not learn that the draft exists; assessors may read it but not edit.
        if role in EDITORS:
            return OK
        return FORBIDDEN if role in READERS else HIDDEN
    return OK if role in EDITORS else FORBIDDEN


ACTIONS = [
    "view_draft",
    "open_edit_form",
    "open_draft_edit_form",
    "submit_edit",
    "publish",
    "retire",
    "open_new_form",
    "create",
]
CASES = [(role, action, expected(action, role)) for action in ACTIONS for role in ROLES]


@pytest.fixture
def world(db: Session, make_org: Any, make_person: Any, skill_uris: list[str]) -> dict[str, Any]:
    make_org("provider-a")
    make_org("provider-b", OrgKind.ONLINE_PLATFORM)
    make_org("hiring-co", OrgKind.EMPLOYER)
    owner = make_person("owner@a.eu", Role.ISSUER_STAFF, "provider-a")
    draft = catalog.create_microcredential(
        db, owner.actor, microcredential_payload("provider-a", skill_uris, title="Draft one")
    )
    live = catalog.create_microcredential(
        db, owner.actor, microcredential_payload("provider-a", skill_uris, title="Live one")
    )
    catalog.publish_microcredential(db, owner.actor, live.microcredential_id)
    return {
        "skills": skill_uris,
        "draft": draft.microcredential_id,
        "live": live.microcredential_id,
        "make_person": make_person,
    }


def state(db: Session) -> list[tuple[int, int, str, str]]:
    """Every version of every microcredential: what a forbidden action must leave alone."""
    db.expire_all()
    rows = db.execute(
        select(
            MicrocredentialVersion.microcredential_id,
            MicrocredentialVersion.number,
            MicrocredentialVersion.status,
            MicrocredentialVersion.title,
        ).order_by(MicrocredentialVersion.microcredential_id, MicrocredentialVersion.number)
    )
    return [(mc, number, str(status), title) for mc, number, status, title in rows]


def act(client: TestClient, action: str, world: dict[str, Any]) -> Any:
    draft, live, skills = world["draft"], world["live"], world["skills"]
    new = "/dashboard/provider-a/microcredentials/new"
    token = csrf_token(client, "/login")
    if action == "view_draft":
        return client.get(f"/microcredentials/{draft}?latest=1", follow_redirects=False)
    if action == "open_edit_form":
        return client.get(f"/microcredentials/{live}/edit", follow_redirects=False)
    if action == "open_draft_edit_form":
        return client.get(f"/microcredentials/{draft}/edit", follow_redirects=False)
    if action == "open_new_form":
        return client.get(new, follow_redirects=False)
    if action == "submit_edit":
        data = form_data(microcredential_payload("provider-a", skills, title="Changed title"))
        return client.post(
            f"/microcredentials/{live}/edit", data={**data, "csrf_token": token},
            follow_redirects=False,
        )
    if action == "create":
        data = form_data(microcredential_payload("provider-a", skills, title="Brand new"))
        return client.post(new, data={**data, "csrf_token": token}, follow_redirects=False)
    target = draft if action == "publish" else live
    return client.post(
        f"/microcredentials/{target}/{action}", data={"csrf_token": token}, follow_redirects=False
    )


@pytest.mark.parametrize(("role", "action", "outcome"), CASES)
def test_role_against_action(
    client: TestClient, db: Session, world: dict[str, Any], role: str, action: str, outcome: str
) -> None:
    person = ROLES[role]
    if person is not None:
        email, org_role, org, admin = person
        world["make_person"](email, org_role, org, platform_admin=admin)
        sign_in(client, email)
    before = state(db)

    response = act(client, action, world)

    if outcome == SIGN_IN:
        assert response.status_code == 303, response.text
        assert response.headers["location"].startswith("/login?next=/")
    elif outcome == FORBIDDEN:
        assert response.status_code == 403, response.text
        assert "<h1>Permission denied</h1>" in response.text
    elif outcome == HIDDEN:
        assert response.status_code == 404, response.text
        assert "Draft one" not in response.text
    elif action.startswith(("view", "open")):
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 303, response.text
        assert response.headers["location"].startswith("/microcredentials/")

    after = state(db)
    if outcome != OK or action.startswith(("view", "open")):
        assert after == before, "a refused or read-only action changed the catalog"
        return
    draft, live = world["draft"], world["live"]
    changed = {
        "submit_edit": (live, 2, "draft", "Changed title"),
        "publish": (draft, 1, "published", "Draft one"),
        "retire": (live, 1, "retired", "Live one"),
    }
    if action == "create":
        assert len(after) == len(before) + 1
        assert after[-1][1:] == (1, "draft", "Brand new")
    else:
        assert changed[action] in after
