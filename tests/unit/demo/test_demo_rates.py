"""The demo's exchange rates: loaded once, clearly marked as demo values, never replacing rates
already held; with them a plan in euros reaches the catalog's offers in dollars and pounds."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from tessera.accounts import services as accounts
from tessera.accounts.roles import ANONYMOUS
from tessera.credentials.services import Issuing
from tessera.demo.services import demo_catalog, demo_rates, load_demo
from tessera.employers import services as employers
from tessera.exchange import services as exchange
from tessera.planner import services as planner
from tessera.planner.schemas import PlanRequest


def test_demo_rates_cover_the_catalog_currencies() -> None:
    used = {entry["currency"] for entry in demo_catalog()["microcredentials"]}
    assert used - {"EUR"} <= set(demo_rates()["per_euro"])
    assert "demo" in demo_rates()["source"].lower()


def test_demo_rates_load_once_and_keep_real_ones(db: Session, issuing: Issuing) -> None:
    exchange.import_ecb_csv(db, accounts.OPERATOR, "Date,USD\n2026-11-20,1.0400\n")
    first = load_demo(db, issuing)
    assert first.exchange_rates == len(demo_rates()["per_euro"]) - 1
    rates = exchange.rate_table(db).rates
    assert rates["USD"].per_euro == Decimal("1.04")  # the imported one stays
    assert "Demo" in rates["GBP"].source
    assert load_demo(db, issuing).exchange_rates == 0


def test_a_plan_in_euros_reaches_offers_in_other_currencies(
    db: Session, issuing: Issuing
) -> None:
    load_demo(db, issuing)
    result = planner.plan_path(db, issuing, ANONYMOUS, PlanRequest(occupation="UX designer"))
    essential = [s for s in result.target.skills if s.essential]
    assert result.uncoverable == [] or all(not s.essential for s in result.uncoverable)
    assert result.plan is not None
    assert len(result.plan.essential_covered) == len(essential)
    assert result.converted
    assert result.left_out_no_rate == 0
    assert any(item.listed_currency == "USD" for item in result.plan.items)


def test_the_team_report_converts_too(db: Session, issuing: Issuing) -> None:
    load_demo(db, issuing)
    verifier = accounts.actor_for_user(
        db, accounts.get_user_by_email(db, "verifier.kestrel@tessera-demo.org").id
    )
    (profile, *_) = employers.list_role_profiles(db, verifier, "kestrel-financial")
    report = employers.team_report(db, issuing, verifier, "kestrel-financial", profile.id)
    assert report.converted
    assert report.rates_source is not None
    assert "Demo" in report.rates_source
    in_pounds = employers.team_report(
        db, issuing, verifier, "kestrel-financial", profile.id, {"currency": "GBP"}
    )
    assert in_pounds.totals.currency == "GBP"
    for member in in_pounds.members:
        assert member.plan is not None
        assert member.plan.currency == "GBP"
