"""The planner in a real browser: paste a posting, adjust the skills, get a plan and its charts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.test_catalog_browser import expect

pytestmark = pytest.mark.browser

POSTING = (
    "Team lead, analytics. You will lead a small team (leadership experience required), "
    "run data analysis on our service data, and champion patient safety in every report."
)


def test_paste_a_posting_adjust_the_skills_and_get_a_plan(page: Any) -> None:
    page.goto("/")
    page.get_by_role("link", name="Plan my next step").click()
    page.get_by_label("A job posting").check()
    page.get_by_role("textbox", name=re.compile("^Job posting")).fill(POSTING)
    page.get_by_label(re.compile(r"^Budget \(EUR\)")).fill("500")
    page.get_by_role("button", name="Find the skills").click()

    expect(page.locator("h1")).to_have_text("Check the skills for Job posting")
    for skill in ("Data analysis", "Patient safety", "Leadership"):
        expect(page.get_by_label(skill, exact=True)).to_be_checked()
    page.get_by_label("Patient safety", exact=True).uncheck()  # not for me
    page.get_by_label("Leadership is essential").uncheck()  # nice to have
    page.get_by_role("button", name="Plan").click()

    expect(page.locator("h1")).to_contain_text("Your plan towards Job posting")
    plan = page.get_by_role("table", name="The plan, in order")
    # Whichever microcredential teaches data analysis cheapest (other tests publish more).
    expect(plan.locator("tbody tr").first).to_contain_text("Data analysis")
    expect(plan).not_to_contain_text("Patient safety")
    expect(page.locator("svg.timeline")).to_be_visible()
    expect(page.locator("svg.coverage")).to_be_visible()
    expect(page.locator("svg.coverage")).to_contain_text("Data analysis")
