"""The planner in a real browser: paste a posting, adjust the skills, get a plan and its charts;
sign in to save it, enrol in its first step and find both on My plans."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.conftest import LEARNER_EMAIL
from tests.browser.test_catalog_browser import expect
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

POSTING = (
    "Team lead, analytics. You will lead a small team (leadership experience required), "
    "run data analysis on our service data, and champion patient safety in every report."
)


def _plan_from_the_posting(page: Any) -> None:
    page.get_by_label("A job posting").check()
    page.get_by_role("textbox", name=re.compile("^Job posting")).fill(POSTING)
    page.get_by_label(re.compile(r"^Budget")).fill("500")
    page.get_by_label(re.compile(r"^Currency")).select_option("EUR")
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


def test_paste_a_posting_get_a_plan_save_it_and_enrol_in_the_first_step(page: Any) -> None:
    page.goto("/")
    page.get_by_role("link", name="Plan my next step").click()
    _plan_from_the_posting(page)

    # Anonymous: the plan cannot be kept until one signs in.
    page.get_by_role("link", name="Sign in to save this plan").click()
    page.get_by_label("Email").fill(LEARNER_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Plan my next step")
    _plan_from_the_posting(page)
    first = page.get_by_role("table", name="The plan, in order").locator("tbody tr th").first
    first_step = first.inner_text()

    page.get_by_role("button", name="Save this plan").click()
    expect(page.locator("h1")).to_have_text("Job posting")
    expect(page.get_by_role("status")).to_contain_text("Plan saved")
    expect(page.locator("svg.timeline")).to_be_visible()
    expect(page.locator("svg.coverage")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Enrol in the first step")).click()
    expect(page.get_by_role("status")).to_contain_text("You are enrolled")
    expect(page.get_by_text("You are enrolled in the first step")).to_contain_text(first_step)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My plans").click()
    expect(page.locator("h1")).to_have_text("My plans")
    saved = page.get_by_role("table", name="Your saved plans")
    expect(saved.locator("tbody tr").first).to_contain_text("Job posting")
    enrolments = page.get_by_role("table", name="Your enrolments")
    row = enrolments.locator("tbody tr", has_text=first_step)
    expect(row).to_contain_text("Enrolled")
    row.get_by_role("button", name=re.compile("^Withdraw")).click()
    expect(page.get_by_role("status")).to_contain_text("You withdrew")
    expect(enrolments.locator("tbody tr", has_text=first_step)).to_contain_text("Withdrawn")
