"""Issuing in a real browser: staff issue a credential from a microcredential's page, the
learner's page shows it verified with its badge, and anyone verifies the downloaded badge."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.test_catalog_browser import expect, sign_in

pytestmark = pytest.mark.browser


def test_issue_then_verify_the_baked_badge(page: Any, tmp_path: Any) -> None:
    sign_in(page)
    page.goto("/catalog")
    page.get_by_role("link", name="Applied Data Analysis").first.click()
    page.get_by_role("link", name="Issue a credential").click()
    expect(page.locator("h1")).to_contain_text("Issue a credential")

    page.get_by_role("button", name="Issue credential").click()  # empty: refused
    expect(page.get_by_role("alert")).to_contain_text("Learner's name")
    page.get_by_label("Learner's name").fill("Inês Martins")
    page.get_by_label("Learner's email address").fill("ines@example.org")
    page.get_by_role("button", name="Issue credential").click()

    expect(page).to_have_url(re.compile(r"/credentials/[0-9a-f-]{36}\?notice=issued"))
    expect(page.locator("#verification-heading")).to_have_text("Verified")
    expect(page.locator(".lead")).to_contain_text("Inês Martins")
    badge = page.locator("img.badge")
    expect(badge).to_be_visible()
    # Visible is not loaded: wait for the image itself before measuring it.
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=badge.element_handle())
    assert page.evaluate("img => img.naturalWidth", badge.element_handle()) == 256

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("baked in \\(PNG\\)")).click()
    png = tmp_path / "badge.png"
    info.value.save_as(png)

    page.get_by_role("link", name="Verify", exact=True).click()
    page.get_by_label(re.compile("^Or upload a file")).set_input_files(str(png))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#result-heading")).to_have_text("Verified")
    expect(page.locator(".checks")).to_contain_text("belongs to the issuer")
