"""The "Plan my next step" pages without JavaScript: target, review, plan with charts."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from tests.functional.test_catalog_pages import csrf_token
from tests.functional.test_planner_api import Catalog, offered  # noqa: F401 - a fixture


def _skills_page(client: TestClient, **fields: str) -> tuple[str, Any]:
    token = csrf_token(client, "/plan")
    data = {"csrf_token": token, "weekly_hours": "10", "objective": "cost", **fields}
    return token, client.post("/plan/skills", data=data)


def test_occupation_review_and_plan(client: TestClient, offered: Catalog) -> None:  # noqa: F811
    assert client.get("/plan").status_code == 200
    token, review = _skills_page(client, target="occupation", occupation="data analyst")
    assert review.status_code == 200
    skills = re.findall(r'name="skill" value="([^"]+)"', review.text)
    assert len(skills) == 3
    essential = re.findall(r'name="essential" value="([^"]+)" checked', review.text)
    assert set(essential) == {offered.python, offered.sql}

    # Drop statistics, keep the rest essential.
    plan = client.post(
        "/plan",
        data={"csrf_token": token, "skill": [offered.python, offered.sql],
              "essential": [offered.python, offered.sql], "weekly_hours": "10",
              "objective": "cost", "budget": "1000"},
    )  # fmt: skip
    assert plan.status_code == 200, plan.text
    assert "Python basics" in plan.text
    assert "SQL and statistics" in plan.text
    assert plan.text.count("<svg") == 2  # timeline and coverage
    assert "Other ways there" in plan.text


def test_limits_that_cannot_be_met_are_explained(client: TestClient, offered: Catalog) -> None:  # noqa: F811
    token = csrf_token(client, "/plan")
    plan = client.post(
        "/plan",
        data={"csrf_token": token, "skill": [offered.python], "essential": [offered.python],
              "weekly_hours": "10", "objective": "cost", "budget": "5"},
    )  # fmt: skip
    assert plan.status_code == 200
    assert "cannot all be met" in plan.text


def test_refused_forms_say_why_beside_the_field(client: TestClient, offered: Catalog) -> None:  # noqa: F811
    _token, empty = _skills_page(client, target="posting", posting="")
    assert empty.status_code == 400
    assert 'id="posting-error"' in empty.text
    _token, unknown = _skills_page(client, target="occupation", occupation="astronaut")
    assert 'id="occupation-error"' in unknown.text
    _token, negative = _skills_page(
        client, target="occupation", occupation="data analyst", budget="-10"
    )
    assert 'id="budget-error"' in negative.text
    forged = client.post("/plan/skills", data={"csrf_token": "forged", "occupation": "x"})
    assert forged.status_code == 403
