"""Loading the demo into a database: everything arrives once, and a second load adds nothing."""

from __future__ import annotations

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from tessera.credentials import services as credentials
from tessera.credentials.models import IssuedCredential
from tessera.credentials.services import Issuing
from tessera.demo.services import demo_catalog, load_demo


def test_the_demo_loads_once_with_verifiable_credentials(db: Session, issuing: Issuing) -> None:
    first = load_demo(db, issuing)
    data = demo_catalog()
    assert first.organisations == len(data["organisations"])
    assert first.microcredentials == len(data["microcredentials"])
    assert first.credentials == len(data["credentials"]) > 0

    again = load_demo(db, issuing)
    assert (again.organisations, again.users, again.microcredentials, again.credentials) == (
        0, 0, 0, 0,
    )  # fmt: skip

    issued = list(db.scalars(select(IssuedCredential)))
    assert {row.recipient_name for row in issued} == {
        entry["recipient_name"] for entry in data["credentials"]
    }
    for row in issued:
        report = credentials.verify_credential(db, issuing, orjson.loads(row.document))
        assert report.verified, report.to_dict()
