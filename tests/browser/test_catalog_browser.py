"""The catalog in a real browser: search with a facet, a microcredential's page, and provider
staff creating, previewing and publishing a microcredential through the form, with the
keyboard alone where it matters."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.conftest import SKILLS, STAFF_EMAIL
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_search_with_a_facet(page: Any) -> None:
    page.goto("/catalog")
    expect(page.locator("h1")).to_have_text("Microcredentials")
    page.get_by_label("Search microcredentials").fill("data")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q=data(&|$)"))
    cards = page.locator(".card h3")
    expect(cards).to_have_count(2)  # relevance order differs between the search backends
    assert sorted(cards.all_inner_texts()) == ["Applied Data Analysis", "Data-Driven Leadership"]

    page.get_by_role("group", name="Field of study").get_by_label(re.compile("^Technology")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"q=data.*field=technology"))
    expect(cards).to_have_text(["Applied Data Analysis"])
    results = page.get_by_role("heading", level=2, name=re.compile("^1 microcredential"))
    expect(results).to_be_visible()
    # The facet stays ticked, and "clear filters" keeps the search text.
    expect(page.get_by_label(re.compile("^Technology"))).to_be_checked()
    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"/catalog\?q=data(&sort=relevance)?$"))
    expect(page.get_by_label("Search microcredentials")).to_have_value("data")
    expect(cards).to_have_count(2)


def test_detail_page_from_the_results(page: Any) -> None:
    page.goto("/catalog?q=patient")
    page.get_by_role("link", name="Patient Safety Essentials").click()
    expect(page.locator("h1")).to_have_text("Patient Safety Essentials")
    elements = page.get_by_label("Mandatory elements")
    for term in ("Awarding body", "Learning outcomes", "Notional workload", "EQF level",
                 "Type of assessment", "Form of participation", "Type of quality assurance"):
        expect(elements.locator("dt", has_text=term)).to_be_visible()
    expect(elements).to_contain_text("Aurora University")
    expect(elements).to_contain_text("20 hours")
    expect(page.get_by_label("Optional elements").locator("dt", has_text="Stackability")).to_be_visible()
    page.get_by_role("link", name="Patient safety").click()
    expect(page).to_have_url(re.compile(r"/catalog\?skill=https"))
    expect(page.locator(".card h3")).to_have_text(["Patient Safety Essentials"])


def test_keyboard_reaches_search_and_skip_link(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    page.goto("/catalog")
    page.get_by_label("Search microcredentials").focus()
    page.keyboard.type("leadership")
    page.keyboard.press("Enter")
    expect(page.locator(".card h3")).to_have_text(["Data-Driven Leadership"])


def sign_in(page: Any) -> None:
    page.goto("/login?next=/dashboard")
    page.get_by_label("Email").fill(STAFF_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Dashboard")


def test_form_errors_are_summarised_and_linked(page: Any) -> None:
    sign_in(page)
    page.get_by_role("link", name=re.compile("^New microcredential")).first.click()
    page.get_by_label("Notional workload (hours)").fill("40")
    page.get_by_role("button", name="Save draft and preview").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#title-error")).to_contain_text("Enter a value")
    expect(page.get_by_label("Notional workload (hours)")).to_have_value("40")
    summary.get_by_role("link", name=re.compile("^Title")).click()
    expect(page.locator("#title")).to_be_focused()


def test_staff_create_preview_publish_and_find(page: Any) -> None:
    sign_in(page)
    page.get_by_role("link", name=re.compile("^New microcredential")).first.click()
    expect(page.locator("h1")).to_have_text("New microcredential from Aurora University")

    page.get_by_label("Title", exact=True).fill("Browser-built Geospatial Mapping")
    page.get_by_label("Short description").fill("Make maps from open data with free tools.")
    page.get_by_label("Field of study").select_option("technology")
    page.get_by_label("Learning outcomes", exact=True).fill(
        "Load open geodata\nStyle a thematic map\nPublish an interactive map"
    )
    page.get_by_label("Notional workload (hours)").fill("45")
    page.get_by_label("ECTS credits").fill("1.5")
    page.get_by_label("EQF level").select_option("5")
    page.get_by_label("Duration (weeks)").fill("5")
    page.get_by_label("Type of assessment").select_option("project")
    page.get_by_label("Form of participation").select_option("online")
    page.get_by_label("Type of quality assurance").fill("Reviewed by the faculty board")
    page.get_by_label("English").check()
    page.get_by_label("Portuguese").check()
    page.get_by_label("Price", exact=True).fill("0")
    module = page.get_by_role("group", name="Module 1")
    module.get_by_label("Title").fill("Open geodata")
    module.get_by_label("Estimated hours").fill("15")
    page.get_by_role("textbox", name=re.compile("^Skills")).fill(next(iter(SKILLS)))
    page.get_by_role("button", name="Save draft and preview").click()

    expect(page).to_have_url(re.compile(r"/microcredentials/\d+\?latest=1&notice=created"))
    expect(page.get_by_text("Draft — not published")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Browser-built Geospatial Mapping")
    expect(page.get_by_label("Mandatory elements")).to_contain_text("45 hours (1.5 ECTS credits)")

    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_role("status")).to_contain_text("Published")
    expect(page.get_by_text("Draft — not published")).to_have_count(0)

    page.goto("/catalog")
    page.get_by_label("Search microcredentials").fill("geospatial")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".card h3")).to_have_text(["Browser-built Geospatial Mapping"])
    page.get_by_role("group", name="Price").get_by_label(re.compile("^Free only")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".card h3")).to_have_text(["Browser-built Geospatial Mapping"])
