"""Storing rates: only platform administrators change them, an import is idempotent, a
newer rate is never replaced by an older one, and bad input writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tessera.accounts import services as accounts
from tessera.accounts.roles import ANONYMOUS, Role
from tessera.errors import AuthenticationRequired, ImportFileError, InvalidInput, PermissionDenied
from tessera.exchange import services
from tessera.exchange.schemas import ECB_SOURCE

FIXTURE = (Path(__file__).parent / "data" / "eurofxref.csv").read_text("utf-8")


def _rates(db: Session) -> dict[str, Decimal]:
    return {rate.currency: rate.per_euro for rate in services.current_rates(db)}


def test_import_then_again_changes_nothing(db: Session) -> None:
    first = services.import_ecb_csv(db, accounts.OPERATOR, FIXTURE)
    assert (first.created, first.updated, first.unchanged) == (30, 0, 0)
    assert first.suspended == ["RUB"]
    usd = services.rate_table(db).rates["USD"]
    assert (usd.per_euro, usd.as_of, usd.source) == (
        Decimal("1.0567"), date(2026, 11, 27), ECB_SOURCE,
    )  # fmt: skip
    again = services.import_ecb_csv(db, accounts.OPERATOR, FIXTURE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 30)
    assert "30 unchanged" in str(again)
    assert "N/A" in str(again)


def test_a_newer_file_updates_and_an_older_one_does_not(db: Session) -> None:
    services.import_ecb_csv(db, accounts.OPERATOR, "Date,USD,GBP\n2026-11-27,1.05,0.83\n")
    newer = services.import_ecb_csv(db, accounts.OPERATOR, "Date,USD,CHF\n2026-11-28,1.06,0.93\n")
    assert (newer.created, newer.updated) == (1, 1)
    older = services.import_ecb_csv(db, accounts.OPERATOR, "Date,USD\n2026-11-20,1.01\n")
    assert older.older == 1
    assert _rates(db) == {"CHF": Decimal("0.93"), "GBP": Decimal("0.83"), "USD": Decimal("1.06")}


def test_only_platform_admins_change_rates(db: Session, make_org, make_person) -> None:  # type: ignore[no-untyped-def]
    make_org("aurora")
    org_admin = make_person("admin@aurora.eu", Role.ORG_ADMIN, "aurora")
    learner = make_person("learner@example.org")
    for actor, error in (
        (ANONYMOUS, AuthenticationRequired), (org_admin.actor, PermissionDenied),
        (learner.actor, PermissionDenied),
    ):  # fmt: skip
        with pytest.raises(error):
            services.import_ecb_csv(db, actor, FIXTURE)
        with pytest.raises(error):
            services.set_rates(db, actor, [{"currency": "USD", "per_euro": "1", "as_of": "2026-11-27"}])
    assert _rates(db) == {}
    admin = make_person("root@tessera.eu", platform_admin=True)
    assert services.import_ecb_csv(db, admin.actor, FIXTURE).created == 30


def test_a_bad_file_writes_nothing(db: Session) -> None:
    services.import_ecb_csv(db, accounts.OPERATOR, "Date,USD\n2026-11-27,1.05\n")
    with pytest.raises(ImportFileError):
        services.import_ecb_csv(db, accounts.OPERATOR, "Date,USD,GBP\n2026-11-28,1.07,zero\n")
    assert _rates(db) == {"USD": Decimal("1.05")}


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([{"currency": "USD", "per_euro": "0", "as_of": "2026-11-27"}], "0.per_euro"),
        ([{"currency": "usd1", "per_euro": "1", "as_of": "2026-11-27"}], "0.currency"),
        ([{"currency": "USD", "per_euro": "1", "as_of": "yesterday"}], "0.as_of"),
        # A future date would make every later import look older than it.
        ([{"currency": "USD", "per_euro": "1", "as_of": "9999-12-31"}], "0.as_of"),
        ([{"currency": "EUR", "per_euro": "1", "as_of": "2026-11-27"}], "0.currency"),
        ([{"currency": "USD", "per_euro": "1.1", "as_of": "2026-11-27"},
          {"currency": "usd", "per_euro": "1.2", "as_of": "2026-11-27"}], "1.currency"),
        ({"USD": "1.1"}, "body"),
    ],
)  # fmt: skip
def test_bad_rates_by_hand_write_nothing(db: Session, items: object, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.set_rates(db, accounts.OPERATOR, items)
    assert field in [p.field for p in raised.value.problems]
    assert _rates(db) == {}


def test_keeping_rates_already_held(db: Session) -> None:
    """The demo loader's way: never overwrite a rate that is there."""
    services.import_ecb_csv(db, accounts.OPERATOR, "Date,USD\n2026-11-27,1.05\n")
    demo = [
        {"currency": "USD", "per_euro": "2", "as_of": "2026-11-28", "source": "Demo"},
        {"currency": "GBP", "per_euro": "0.8", "as_of": "2026-11-28", "source": "Demo"},
    ]
    summary = services.set_rates(db, accounts.OPERATOR, demo, replace=False)
    assert (summary.created, summary.unchanged) == (1, 1)
    assert _rates(db) == {"GBP": Decimal("0.8"), "USD": Decimal("1.05")}
    assert services.priceable_currencies(db) == ["EUR", "GBP", "USD"]
