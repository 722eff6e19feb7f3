"""Planning across currencies: offers in other currencies are converted at the stored rates
(the provider's own price is reported too), offers in a currency without a rate are left out
and counted, and the budget applies to converted prices."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.conftest import microcredential_payload
from tests.functional.test_catalog_pages import csrf_token
from tests.functional.test_planner_api import Catalog, offered  # noqa: F401 - a fixture

from tessera.accounts import services as accounts
from tessera.accounts.roles import ANONYMOUS
from tessera.catalog import services as catalog
from tessera.credentials.services import Issuing
from tessera.errors import InvalidInput
from tessera.exchange import services as exchange
from tessera.planner import services as planner
from tessera.planner.schemas import PlanRequest, PlanResultOut

SOURCE = "Test rates"


@pytest.fixture
def abroad(db: Session, offered: Catalog) -> Catalog:  # noqa: F811
    """Python also taught for 100.00 USD (80.00 EUR at 1.25 USD a euro, cheaper than the 100 EUR
    course) and for 1.00 CHF, a currency without a rate."""
    exchange.set_rates(db, accounts.OPERATOR, [
        {"currency": "USD", "per_euro": "1.25", "as_of": "2026-11-27", "source": SOURCE},
    ])  # fmt: skip
    for title, price, currency in (("Python in dollars", "100.00", "USD"),
                                   ("Python in francs", "1.00", "CHF")):  # fmt: skip
        version = catalog.create_microcredential(
            db, offered.staff.actor,
            microcredential_payload("aurora", [offered.python], title=title, price=price,
                                    currency=currency),
        )  # fmt: skip
        catalog.publish_microcredential(db, offered.staff.actor, version.microcredential_id)
        offered.ids[title] = version.microcredential_id
    return offered


def _plan(db: Session, issuing: Issuing, python: str, **limits: object) -> PlanResultOut:
    request = PlanRequest.model_validate({"skills": [{"uri": python}], **limits})
    return planner.plan_path(db, issuing, ANONYMOUS, request)


def test_a_cheaper_offer_in_dollars_wins_a_plan_in_euros(
    db: Session, issuing: Issuing, abroad: Catalog
) -> None:
    result = _plan(db, issuing, abroad.python)
    assert result.plan is not None
    [item] = result.plan.items
    assert item.title == "Python in dollars"
    assert (item.price, item.listed_price, item.listed_currency) == (
        Decimal("80.00"), Decimal("100.00"), "USD",
    )  # fmt: skip
    assert (result.plan.price, result.plan.currency) == (Decimal("80.00"), "EUR")
    assert result.converted
    assert result.rates_source == SOURCE
    assert str(result.rates_as_of) == "2026-11-27"
    assert result.left_out_no_rate == 1  # the franc one: no CHF rate
    assert "Python in francs" not in {i.title for p in result.alternatives for i in p.items}


def test_a_plan_in_dollars_converts_euro_prices(
    db: Session, issuing: Issuing, abroad: Catalog
) -> None:
    result = _plan(db, issuing, abroad.python, currency="USD")
    assert result.plan is not None
    assert [(i.title, i.price) for i in result.plan.items] == [
        ("Python in dollars", Decimal("100.00"))
    ]
    request = PlanRequest(skills=[{"uri": abroad.sql}], currency="USD")  # type: ignore[list-item]
    euro_only = planner.plan_path(db, issuing, ANONYMOUS, request)
    assert euro_only.plan is not None
    [item] = euro_only.plan.items
    assert (item.title, item.price, item.listed_price, item.listed_currency) == (
        "SQL and statistics", Decimal("187.50"), Decimal("150.00"), "EUR",
    )  # fmt: skip
    assert (euro_only.plan.currency, euro_only.rates_source) == ("USD", SOURCE)


def test_the_budget_applies_to_converted_prices(
    db: Session, issuing: Issuing, abroad: Catalog
) -> None:
    assert _plan(db, issuing, abroad.python, budget="79").plan is None
    within = _plan(db, issuing, abroad.python, budget="80")
    assert within.plan is not None
    assert [i.title for i in within.plan.items] == ["Python in dollars"]


def test_without_rates_only_the_plan_currency_counts(
    db: Session, issuing: Issuing, offered: Catalog  # noqa: F811
) -> None:
    result = _plan(db, issuing, offered.python)
    assert result.plan is not None
    assert [i.title for i in result.plan.items] == ["Python basics"]
    assert (result.converted, result.rates_as_of, result.left_out_no_rate) == (False, None, 0)
    assert result.plan.items[0].listed_currency == "EUR"


def test_a_plan_currency_without_a_rate_is_refused(
    db: Session, issuing: Issuing, client: TestClient, abroad: Catalog
) -> None:
    with pytest.raises(InvalidInput) as raised:
        _plan(db, issuing, abroad.python, currency="CHF")
    assert [p.field for p in raised.value.problems] == ["currency"]
    assert "EUR, USD" in raised.value.problems[0].message
    response = client.post(
        "/api/v1/plans", json={"skills": [{"uri": abroad.python}], "currency": "CHF"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "currency"


def test_saved_results_without_the_new_fields_still_load() -> None:
    old = {
        "target": {"source": "skills", "label": "x", "skills": []}, "already_held": [],
        "uncoverable": [], "alternatives": [], "explanation": None, "partial": None,
        "candidates_considered": 0,
        "plan": {"items": [{"microcredential_id": 1, "title": "t", "provider": "p",
                            "price": "10", "hours": 1, "weeks": 1, "start_week": 1,
                            "end_week": 1, "stage": 0, "covers": []}],
                 "price": "10", "currency": "EUR", "hours": 1, "weeks": 1, "ects": None,
                 "essential_covered": [], "essential_missing": [], "nice_to_have_covered": [],
                 "pathways": [], "optimal": True},
    }  # fmt: skip
    result = PlanResultOut.model_validate(old)
    assert (result.converted, result.left_out_no_rate, result.rates_as_of) == (False, 0, None)
    assert result.plan is not None
    assert result.plan.items[0].listed_price is None


def test_the_page_shows_converted_and_listed_prices(client: TestClient, abroad: Catalog) -> None:
    start = client.get("/plan")
    assert '<option value="USD"' in start.text
    assert '<option value="CHF"' not in start.text
    token = csrf_token(client, "/plan")
    page = client.post(
        "/plan",
        data={"csrf_token": token, "skill": [abroad.python], "essential": [abroad.python],
              "weekly_hours": "10", "objective": "cost", "currency": "EUR"},
    )  # fmt: skip
    assert page.status_code == 200, page.text
    assert "≈ 80.00 EUR" in page.text
    assert "(100.00 USD)" in page.text
    assert "converted to EUR at the exchange rates of 2026-11-27 (Test rates)" in page.text
    assert "1 microcredential priced in a currency without an exchange rate was left out" in (
        page.text
    )
    in_dollars = client.post(
        "/plan",
        data={"csrf_token": token, "skill": [abroad.python], "essential": [abroad.python],
              "weekly_hours": "10", "objective": "cost", "currency": "USD"},
    )  # fmt: skip
    assert in_dollars.status_code == 200
    assert "100.00 USD" in in_dollars.text
    assert "≈" not in in_dollars.text.split("Other ways")[0]
    refused = client.post(
        "/plan",
        data={"csrf_token": token, "skill": [abroad.python], "weekly_hours": "10",
              "objective": "cost", "currency": "CHF"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert 'id="currency-error"' in refused.text
