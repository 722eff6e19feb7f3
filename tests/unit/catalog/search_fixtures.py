"""Helpers for the search tests that need their own provider and skill (and commit)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from tests.conftest import microcredential_payload

from tessera.accounts import services as accounts
from tessera.accounts.roles import OrgKind
from tessera.catalog import services as catalog

OPERATOR = accounts.OPERATOR
SKILL = "https://tessera.eu/skills/test-snapshots"


def set_up(db: Session) -> None:
    """The provider and skill every entry of these tests uses."""
    from tessera.taxonomy.models import Skill, SkillFramework

    accounts.create_organisation(
        db, OPERATOR, {"slug": "snap-uni", "name": "Snap University",
                       "kind": OrgKind.UNIVERSITY, "country": "PT"},
    )
    framework = SkillFramework(slug="snap", name="Snap skills", version="1", uri="https://t.test/")
    db.add(framework)
    db.flush()
    db.add(Skill(framework_id=framework.id, uri=SKILL, label="Snapshots"))
    db.flush()


def publish(db: Session, title: str, **changes: Any) -> int:
    version = catalog.create_microcredential(
        db, OPERATOR, microcredential_payload("snap-uni", [SKILL], title=title, **changes)
    )
    catalog.publish_microcredential(db, OPERATOR, version.microcredential_id)
    return version.microcredential_id
