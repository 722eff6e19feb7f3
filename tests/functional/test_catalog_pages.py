"""The catalog's HTML pages end to end: search with facets, the microcredential page with every
EU element, providers, the dashboard, and the form (field messages, CSRF, create -> preview ->
publish -> public)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import PASSWORD, Person, microcredential_payload

from tessera.accounts.roles import OrgKind, Role
from tessera.catalog import services as catalog
from tessera.catalog.models import Microcredential, MicrocredentialVersion
from tessera.catalog.pages.browse import _page_links
from tessera.catalog.pages.forms import apply_problems, read_form
from tessera.config import Settings
from tessera.errors import FieldProblem
from tessera.taxonomy.models import Skill

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# --- helpers shared with test_page_authorization -------------------------------------------


def csrf_token(client: TestClient, path: str = "/login") -> str:
    found = CSRF.search(client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client: TestClient, email: str) -> None:
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def sign_out(client: TestClient) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client)}, follow_redirects=False)


def form_data(payload: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The microcredential form's fields for an API-style payload (as a browser posts them)."""
    payload = {**payload, **changes}
    data: dict[str, Any] = {
        name: "" if payload.get(name) is None else str(payload[name])
        for name in (
            "title", "short_description", "field", "workload_hours", "ects_credits", "eqf_level",
            "assessment_type", "assessment_description", "participation_mode", "pacing",
            "quality_assurance", "prerequisites", "supervision", "grading_scheme",
            "further_information", "price", "currency", "duration_weeks", "image_url",
            "country", "region",
        )
    }
    data["learning_outcomes"] = "\n".join(payload.get("learning_outcomes", []))
    data["stackable_towards"] = "\n".join(payload.get("stackable_towards", []))
    if payload.get("stackable"):
        data["stackable"] = "1"
    data["languages"] = list(payload.get("languages", []))
    data["skills"] = "\n".join(payload.get("skills", []))
    data["partners"] = ", ".join(payload.get("partners", []))
    modules = payload.get("modules", [])
    data["module_title"] = [m["title"] for m in modules] + ["", ""]
    data["module_summary"] = [m.get("summary", "") for m in modules] + ["", ""]
    data["module_hours"] = [str(m["estimated_hours"]) for m in modules] + ["", ""]
    data["module_outcomes"] = ["\n".join(m.get("learning_outcomes", [])) for m in modules] + [
        "",
        "",
    ]
    return data


def post_form(client: TestClient, path: str, data: dict[str, Any], token_from: str) -> Any:
    return client.post(
        path, data={**data, "csrf_token": csrf_token(client, token_from)}, follow_redirects=False
    )


def counts(db: Session) -> tuple[int, int]:
    return (
        db.scalar(select(func.count()).select_from(Microcredential)) or 0,
        db.scalar(select(func.count()).select_from(MicrocredentialVersion)) or 0,
    )


def text_of(html: str) -> str:
    """The page's text, tags removed and entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def staff(make_org: Any, make_person: Any) -> Person:
    make_org("aurora")
    person: Person = make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora")
    return person


@pytest.fixture
def published(db: Session, staff: Person, skill_uris: list[str]) -> dict[str, int]:
    """Three published microcredentials in different fields, one of them free."""
    ids = {}
    for title, field, price, hours in (
        ("Applied Data Analysis", "technology", "250.00", 60),
        ("Patient Safety Essentials", "healthcare", "0", 20),
        ("Leading Remote Teams", "business_management", "120.00", 30),
    ):
        version = catalog.create_microcredential(
            db, staff.actor,
            microcredential_payload(
                "aurora", skill_uris[:2], title=title, field=field, price=price,
                workload_hours=hours, modules=[],
            ),
        )
        catalog.publish_microcredential(db, staff.actor, version.microcredential_id)
        ids[field] = version.microcredential_id
    return ids


def full_payload(skill_uris: list[str], **changes: Any) -> dict[str, Any]:
    """Every field of the form filled in, the optional EU elements included."""
    values: dict[str, Any] = {
        "assessment_description": "A data project marked against a published rubric",
        "prerequisites": "Basic spreadsheet skills",
        "supervision": "supervised_with_identity_verification",
        "grading_scheme": "Pass / fail with distinction",
        "stackable": True,
        "stackable_towards": ["MSc Data Science"],
        "further_information": "Run twice a year; contact the faculty office.",
        "region": "Lisbon",
        "partners": ["acme-academy"],
        "modules": [
            {"title": "Cleaning data", "summary": "Tidy tables", "estimated_hours": 20,
             "learning_outcomes": ["Remove duplicates"]},
            {"title": "Modelling", "estimated_hours": 30},
        ],
    }
    return microcredential_payload("aurora", skill_uris, **{**values, **changes})


# --- catalog search ------------------------------------------------------------------------


def test_catalog_shows_results_facets_and_counts(
    client: TestClient, published: dict[str, int]
) -> None:
    page = client.get("/catalog")
    assert page.status_code == 200
    html = page.text
    assert html.count("<h1") == 1
    for title in ("Applied Data Analysis", "Patient Safety Essentials", "Leading Remote Teams"):
        assert title in html
    assert "3 microcredentials" in html
    # Facets are checkbox groups in fieldsets, with counts and a label per checkbox.
    assert "<legend>Field of study</legend>" in html
    assert re.search(r'name="field" value="healthcare"', html)
    assert "Healthcare <span class=\"count\">(1" in html
    assert 'name="free" value="1"' in html
    for control in ("q", "min_hours", "max_hours", "min_price", "max_price", "sort"):
        assert f'<label for="{control}">' in html, control


def test_catalog_filters_by_facet_and_text(client: TestClient, published: dict[str, int]) -> None:
    healthcare = client.get("/catalog?field=healthcare")
    assert healthcare.status_code == 200
    assert "Patient Safety Essentials" in healthcare.text
    assert "Applied Data Analysis" not in healthcare.text
    assert re.search(r'value="healthcare" checked', healthcare.text)
    assert "Clear filters" in healthcare.text

    text = client.get("/catalog", params={"q": "remote teams"})
    assert "Leading Remote Teams" in text.text
    assert "Patient Safety Essentials" not in text.text

    free = client.get("/catalog?free=1")
    assert "Patient Safety Essentials" in free.text
    assert "Applied Data Analysis" not in free.text

    hours = client.get("/catalog?min_hours=25&max_hours=40")
    assert "Leading Remote Teams" in hours.text
    assert "Patient Safety Essentials" not in hours.text

    none = client.get("/catalog?field=healthcare&provider_kind=employer")
    assert none.status_code == 200
    assert "No microcredentials match" in none.text
    # A ticked value stays on the page so it can be unticked, even with no hits left.
    assert re.search(r'name="provider_kind" value="employer" checked', none.text)


def test_catalog_skill_link_filters(
    client: TestClient, published: dict[str, int], skill_uris: list[str]
) -> None:
    response = client.get("/catalog", params={"skill": skill_uris[0]})
    assert response.status_code == 200
    assert "3 microcredentials" in response.text
    assert client.get("/catalog", params={"skill": skill_uris[2]}).text.count('class="card"') == 0


class TestPagination:
    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        return Settings(
            env="test", database_url=database_url, secret_key="x" * 40, search_page_size=2
        )

    def test_pages_keep_the_filters(self, client: TestClient, published: dict[str, int]) -> None:
        first = client.get("/catalog?sort=title&language=en")
        html = unescape(first.text)
        assert first.status_code == 200
        assert 'aria-current="page"' in html
        assert re.search(r'href="/catalog\?[^"]*language=en[^"]*sort=title[^"]*page=2"', html)
        assert first.text.count('class="card"') == 2
        second = client.get("/catalog?sort=title&language=en&page=2")
        assert second.text.count('class="card"') == 1
        assert 'rel="prev"' in second.text
        assert "Leading Remote Teams" in second.text or "Patient Safety" in second.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("eqf_level=9", "EQF levels run from 1 to 8"),
        ("page=abc", "The page must be a whole number"),
        ("page=0", "The page must be a whole number"),
        ("min_hours=-3", "Minimum hours must be a whole number"),
        ("max_price=lots", "Maximum price must be an amount"),
        ("sort=cheapest", "is not a way to sort"),
        ("field=astrology", "is not a field of study"),
        ("language=xx", "is not a supported language code"),
        ("skill=not-a-uri", "skill must be given by its http(s) URI"),
        ("free=maybe", "'free' must be on or off"),
        ("min_hours=50&max_hours=10", "Minimum hours is more than maximum hours"),
    ],
)
def test_bad_catalog_parameters_get_a_friendly_message(
    client: TestClient, query: str, message: str
) -> None:
    response = client.get(f"/catalog?{query}")
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert message in unescape(response.text)
    assert "Traceback" not in response.text
    assert 'id="q"' in response.text  # the search form is still there


def test_bad_values_are_dropped_and_the_rest_still_filter(
    client: TestClient, published: dict[str, int]
) -> None:
    response = client.get("/catalog?eqf_level=9&field=healthcare")
    assert response.status_code == 400
    assert "Patient Safety Essentials" in response.text
    assert "Applied Data Analysis" not in response.text


# --- the microcredential page --------------------------------------------------------------

EU_LABELS = (
    "Title", "Awarding body", "Country / region of the issuer", "Learning outcomes",
    "Notional workload", "EQF level", "Type of assessment", "Form of participation",
    "Type of quality assurance", "Prerequisites", "Supervision and identity verification",
    "Grading scheme", "Stackability", "Further information",
)


def test_detail_page_shows_every_eu_element(
    client: TestClient, db: Session, staff: Person, make_org: Any, make_person: Any,
    skill_uris: list[str],
) -> None:
    make_org("acme-academy", OrgKind.EMPLOYER)
    make_org("health-board", OrgKind.PROFESSIONAL_BODY)
    endorser = make_person("admin@board.eu", Role.ORG_ADMIN, "health-board")
    version = catalog.create_microcredential(db, staff.actor, full_payload(skill_uris))
    mc = version.microcredential_id
    catalog.publish_microcredential(db, staff.actor, mc)
    catalog.add_endorsement(
        db, endorser.actor, mc, {"endorser": "health-board", "comment": "Relevant to practice"}
    )

    response = client.get(f"/microcredentials/{mc}")
    assert response.status_code == 200
    html = response.text
    dts = re.findall(r"<dt>([^<]+)</dt>", html)
    for name in EU_LABELS:
        assert name in dts, name
    page = text_of(html)
    for expected in (
        "Applied Data Analysis", "Aurora", "Acme Academy", "PT, Lisbon", "Clean a messy data set",
        "60 hours (2.0 ECTS credits)", "Level 6", "Project", "marked against a published rubric",
        "Online, self-paced", "Internal QA reviewed", "Basic spreadsheet skills",
        "Supervised online or on-site, with identity verification", "Pass / fail with distinction",
        "MSc Data Science", "Run twice a year", "English", "250.00 EUR", "6 weeks",
        "Cleaning data", "Tidy tables", "Remove duplicates", "20 hours", "Python",
        "Health Board", "Relevant to practice", "Technology",
    ):
        assert expected in page, expected
    assert f'href="/catalog?skill={quote(skill_uris[0], safe="")}"' in html
    assert 'href="/providers/aurora"' in html
    assert html.count("<h1") == 1
    # The public sees no staff actions.
    assert "/publish" not in html
    assert "/edit" not in html


def test_text_fields_are_escaped(
    client: TestClient, db: Session, staff: Person, skill_uris: list[str]
) -> None:
    attack = "<script>alert(1)</script>"
    version = catalog.create_microcredential(
        db, staff.actor,
        microcredential_payload(
            "aurora", skill_uris, title=attack, short_description=f"Short {attack}",
            learning_outcomes=[f"Outcome {attack}"], quality_assurance='QA "><img src=x onerror=alert(1)>',
        ),
    )
    catalog.publish_microcredential(db, staff.actor, version.microcredential_id)
    for path in (f"/microcredentials/{version.microcredential_id}", "/catalog", "/providers/aurora"):
        html = client.get(path).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
        assert "<script>alert(1)" not in html, path
        assert "<img src=x" not in html, path


def test_drafts_are_hidden_from_the_public_and_previewed_for_staff(
    client: TestClient, db: Session, staff: Person, skill_uris: list[str]
) -> None:
    version = catalog.create_microcredential(
        db, staff.actor, microcredential_payload("aurora", skill_uris)
    )
    mc = version.microcredential_id
    assert client.get(f"/microcredentials/{mc}").status_code == 404
    assert client.get(f"/microcredentials/{mc}?latest=1").status_code == 404
    assert client.get(f"/microcredentials/{mc}?version=1").status_code == 404

    sign_in(client, staff.email)
    preview = client.get(f"/microcredentials/{mc}?latest=1")
    assert preview.status_code == 200
    assert "Draft — not published" in preview.text
    assert f'action="/microcredentials/{mc}/publish"' in preview.text
    assert f'href="/microcredentials/{mc}/edit"' in preview.text
    assert f'action="/microcredentials/{mc}/retire"' not in preview.text


def test_versions_and_retired_banner(
    client: TestClient, db: Session, staff: Person, skill_uris: list[str]
) -> None:
    version = catalog.create_microcredential(
        db, staff.actor, microcredential_payload("aurora", skill_uris)
    )
    mc = version.microcredential_id
    catalog.publish_microcredential(db, staff.actor, mc)
    catalog.update_microcredential(db, staff.actor, mc, {"title": "Applied Data Analysis II"})

    public = client.get(f"/microcredentials/{mc}").text
    assert "Applied Data Analysis II" not in public
    assert "Version 2" not in public  # the draft is not in the public history
    sign_in(client, staff.email)
    staff_view = client.get(f"/microcredentials/{mc}").text
    assert "Preview the draft" in staff_view
    assert f'href="/microcredentials/{mc}?version=2"' in staff_view
    assert "Applied Data Analysis II" in client.get(f"/microcredentials/{mc}?version=2").text

    catalog.retire_microcredential(db, staff.actor, mc)
    sign_out(client)
    retired = client.get(f"/microcredentials/{mc}")
    assert retired.status_code == 200
    assert "Retired" in retired.text
    assert "no longer offered" in retired.text


@pytest.mark.parametrize(
    "path",
    ["/microcredentials/abc", "/microcredentials/0", "/microcredentials/99999999999999999999",
     "/microcredentials/1?version=x", "/microcredentials/1?latest=perhaps"],
)
def test_bad_microcredential_addresses_are_friendly(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in {404, 422}
    assert "text/html" in response.headers["content-type"]
    assert "Traceback" not in response.text


def test_unknown_microcredential_is_404(client: TestClient) -> None:
    response = client.get("/microcredentials/424242")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text


# --- providers -----------------------------------------------------------------------------


def test_provider_list_and_profile(
    client: TestClient, db: Session, published: dict[str, int], staff: Person,
    skill_uris: list[str],
) -> None:
    draft = catalog.create_microcredential(
        db, staff.actor, microcredential_payload("aurora", skill_uris, title="Secret draft")
    )
    listing = client.get("/providers")
    assert listing.status_code == 200
    assert 'href="/providers/aurora"' in listing.text
    assert re.search(r"University</td>\s*<td>PT</td>\s*<td class=\"number\"><a [^>]*>3</a>", listing.text)

    profile = client.get("/providers/aurora")
    assert profile.status_code == 200
    assert "<h1>Aurora</h1>" in profile.text
    assert "Quality assurance" in profile.text
    assert "Patient Safety Essentials" in profile.text
    assert "Secret draft" not in profile.text
    assert "New microcredential" not in profile.text

    sign_in(client, staff.email)
    own = client.get("/providers/aurora").text
    assert "Secret draft" in own
    assert f"/microcredentials/{draft.microcredential_id}?latest=1" in own
    assert "New microcredential" in own
    assert client.get("/providers/nobody").status_code == 404


# --- dashboard -----------------------------------------------------------------------------


def test_dashboard_requires_sign_in(client: TestClient) -> None:
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/dashboard"


def test_dashboard_for_learners_is_friendly(client: TestClient, make_person: Any) -> None:
    make_person("learner@example.eu")
    sign_in(client, "learner@example.eu")
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert "nothing to manage" in response.text


def test_dashboard_lists_the_providers_microcredentials(
    client: TestClient, db: Session, published: dict[str, int], staff: Person,
    skill_uris: list[str],
) -> None:
    draft = catalog.create_microcredential(
        db, staff.actor, microcredential_payload("aurora", skill_uris, title="Work in progress")
    )
    sign_in(client, staff.email)
    html = client.get("/dashboard").text
    assert "<h2 id=\"provider-aurora\">Aurora</h2>" in html
    assert 'href="/dashboard/aurora/microcredentials/new"' in html
    assert "Work in progress" in html
    assert "Patient Safety Essentials" in html
    assert '<span class="status draft">Draft</span>' in html
    assert '<span class="status published">Published</span>' in html
    assert f'action="/microcredentials/{draft.microcredential_id}/publish"' in html
    assert f'action="/microcredentials/{published["healthcare"]}/retire"' in html


# --- the form ------------------------------------------------------------------------------


@pytest.fixture
def signed_in_staff(client: TestClient, staff: Person, make_org: Any) -> Person:
    make_org("acme-academy", OrgKind.EMPLOYER)
    sign_in(client, staff.email)
    return staff


NEW = "/dashboard/aurora/microcredentials/new"


def test_new_form_has_a_label_for_every_control(
    client: TestClient, signed_in_staff: Person
) -> None:
    response = client.get(NEW)
    assert response.status_code == 200
    html = response.text
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html)
    assert len(ids) > 40
    for control_id in ids:
        assert f'for="{control_id}"' in html, control_id
    assert "<legend>Languages of instruction</legend>" in html
    assert "<legend>Module 1</legend>" in html


def test_form_with_bad_input_shows_messages_beside_fields_and_saves_nothing(
    client: TestClient, db: Session, signed_in_staff: Person, skill_uris: list[str]
) -> None:
    before = counts(db)
    payload = full_payload(skill_uris)
    data = form_data(
        payload, title="", eqf_level="9",
        learning_outcomes=["Fine outcome", "x" * 501],
    )
    data["module_hours"][1] = "abc"
    data["languages"] = []
    response = post_form(client, NEW, data, NEW)
    assert response.status_code == 400
    html = response.text
    for control in ("title", "eqf_level", "learning_outcomes", "module_hours-1", "languages"):
        assert f'id="{control}-error"' in html, control
    assert re.search(r'id="title"[^>]*aria-describedby="title-error"', html)
    assert re.search(r'id="module_hours-1"[^>]*aria-describedby="module_hours-1-error"', html)
    error = re.search(r'id="learning_outcomes-error">(.*?)</p>', html, re.S)
    assert error
    assert "Line 2" in error.group(1)
    # The error summary links to the fields.
    assert 'class="error-summary"' in html
    for anchor in ("#title", "#eqf_level", "#learning_outcomes", "#module_hours-1"):
        assert f'href="{anchor}"' in html, anchor
    # What the person typed is still there.
    assert 'value="Clean, analyse and present data with Python and SQL."' in html
    assert "Cleaning data" in html
    assert "Fine outcome" in html
    assert counts(db) == before


def test_unknown_skill_and_partner_are_field_errors(
    client: TestClient, db: Session, signed_in_staff: Person, skill_uris: list[str]
) -> None:
    before = counts(db)
    data = form_data(
        full_payload(skill_uris),
        skills=[*skill_uris, "https://example.org/no-such-skill"],
        partners=["nobody-here", "aurora"],
    )
    response = post_form(client, NEW, data, NEW)
    assert response.status_code == 400
    skills = re.search(r'id="skills-error">(.*?)</p>', response.text, re.S)
    partners = re.search(r'id="partners-error">(.*?)</p>', response.text, re.S)
    assert skills
    assert "no-such-skill" in skills.group(1)
    assert partners
    assert "nobody-here" in unescape(partners.group(1))
    assert partners
    assert "own co-issuing partner" in partners.group(1)
    assert counts(db) == before


def test_skills_may_be_typed_by_name(
    client: TestClient, db: Session, signed_in_staff: Person, skill_uris: list[str]
) -> None:
    data = form_data(full_payload(skill_uris[:1]), skills=[skill_uris[0], "sql", "  Statistics "])
    created = post_form(client, NEW, data, NEW)
    assert created.status_code == 303, created.text
    mc = int(re.findall(r"/microcredentials/(\d+)", created.headers["location"])[0])
    version = db.scalars(
        select(MicrocredentialVersion).where(MicrocredentialVersion.microcredential_id == mc)
    ).one()
    assert {link.skill_id for link in version.skill_links} == set(
        db.scalars(select(Skill.id).where(Skill.uri.in_(skill_uris)))
    )


def test_unknown_or_shared_skill_names_are_field_errors(
    client: TestClient, db: Session, signed_in_staff: Person, skill_uris: list[str]
) -> None:
    twin = db.scalars(select(Skill).where(Skill.uri == skill_uris[1])).one()
    db.add(Skill(framework_id=twin.framework_id, uri="https://t.test/other-sql", label="SQL"))
    db.flush()
    before = counts(db)
    data = form_data(full_payload(skill_uris), skills=["Pythn", "Sql"], title="")
    response = post_form(client, NEW, data, NEW)
    assert response.status_code == 400
    skills = re.search(r'id="skills-error">(.*?)</p>', response.text, re.S)
    assert skills
    assert "No skill is called “Pythn”" in unescape(skills.group(1))
    assert "Several skills are called “Sql”: give its URI" in unescape(skills.group(1))
    assert 'id="title-error"' in response.text, "the service's problems come too"
    assert counts(db) == before


def test_cross_field_rules_are_placed_beside_a_field(
    client: TestClient, db: Session, signed_in_staff: Person, skill_uris: list[str]
) -> None:
    data = form_data(full_payload(skill_uris), workload_hours="10")
    response = post_form(client, NEW, data, NEW)
    assert response.status_code == 400
    error = re.search(r'id="modules-error">(.*?)</p>', response.text, re.S)
    assert error
    assert "Modules add up to 50 hours" in error.group(1)


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_form_posts_without_a_valid_csrf_token_are_refused(
    client: TestClient, db: Session, signed_in_staff: Person, skill_uris: list[str],
    published: dict[str, int], token: str | None,
) -> None:
    before = counts(db)
    data = form_data(full_payload(skill_uris))
    if token:
        data["csrf_token"] = token
    mc = published["technology"]
    for path in (NEW, f"/microcredentials/{mc}/edit", f"/microcredentials/{mc}/publish",
                 f"/microcredentials/{mc}/retire"):
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, path
        assert "form expired" in response.text
    assert counts(db) == before
    assert client.get(f"/microcredentials/{mc}").status_code == 200  # not retired


def test_create_preview_publish_then_public(
    client: TestClient, db: Session, signed_in_staff: Person, skill_uris: list[str]
) -> None:
    before = counts(db)
    data = form_data(full_payload(skill_uris, title="Form-made Analytics"))
    created = post_form(client, NEW, data, NEW)
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    match = re.fullmatch(r"/microcredentials/(\d+)\?latest=1&notice=created", location)
    assert match
    mc = int(match.group(1))
    assert counts(db) == (before[0] + 1, before[1] + 1)

    preview = client.get(location)
    assert "Draft saved" in preview.text
    assert "Draft — not published" in preview.text
    page = text_of(preview.text)
    for expected in ("Form-made Analytics", "Acme Academy", "MSc Data Science", "Remove duplicates"):
        assert expected in page

    publish_token = csrf_token(client, location)
    published = client.post(
        f"/microcredentials/{mc}/publish", data={"csrf_token": publish_token},
        follow_redirects=False,
    )
    assert published.status_code == 303
    assert published.headers["location"] == f"/microcredentials/{mc}?notice=published"

    sign_out(client)
    public = client.get(f"/microcredentials/{mc}")
    assert public.status_code == 200
    assert "Draft — not published" not in public.text
    assert "Form-made Analytics" in client.get("/catalog", params={"q": "form-made"}).text


def test_edit_form_is_prefilled_and_editing_published_starts_a_draft(
    client: TestClient, db: Session, signed_in_staff: Person, published: dict[str, int],
) -> None:
    mc = published["technology"]
    edit_path = f"/microcredentials/{mc}/edit"
    form = client.get(edit_path)
    assert form.status_code == 200
    assert 'value="Applied Data Analysis"' in form.text
    assert "creates version 2 as a draft" in text_of(form.text)

    current = catalog.to_public(db, catalog.access_microcredential(db, signed_in_staff.actor, mc))
    data = form_data(
        current.model_dump(mode="json"), title="Applied Data Analysis (2025)",
        skills=[s.uri for s in current.skills], partners=[],
    )
    saved = post_form(client, edit_path, data, edit_path)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/microcredentials/{mc}?latest=1&notice=saved"

    latest = catalog.access_microcredential(db, signed_in_staff.actor, mc, latest=True)
    assert (latest.number, latest.status.value, latest.title) == (
        2, "draft", "Applied Data Analysis (2025)"
    )
    sign_out(client)
    assert "Applied Data Analysis (2025)" not in client.get(f"/microcredentials/{mc}").text


def test_edit_with_bad_input_changes_nothing(
    client: TestClient, db: Session, signed_in_staff: Person, published: dict[str, int],
    skill_uris: list[str],
) -> None:
    mc = published["technology"]
    before = counts(db)
    edit_path = f"/microcredentials/{mc}/edit"
    data = form_data(full_payload(skill_uris), price="-1", duration_weeks="")
    response = post_form(client, edit_path, data, edit_path)
    assert response.status_code == 400
    assert 'id="price-error"' in response.text
    assert 'id="duration_weeks-error"' in response.text
    assert counts(db) == before
    version = catalog.access_microcredential(db, signed_in_staff.actor, mc, latest=True)
    assert (version.number, version.title) == (1, "Applied Data Analysis")


def test_publishing_without_skills_is_a_conflict_page(
    client: TestClient, db: Session, signed_in_staff: Person, skill_uris: list[str]
) -> None:
    version = catalog.create_microcredential(
        db, signed_in_staff.actor, microcredential_payload("aurora", [])
    )
    mc = version.microcredential_id
    response = client.post(
        f"/microcredentials/{mc}/publish",
        data={"csrf_token": csrf_token(client, f"/microcredentials/{mc}?latest=1")},
        follow_redirects=False,
    )
    assert response.status_code == 409
    assert "Add at least one skill" in response.text


def test_retire_from_the_dashboard_returns_there(
    client: TestClient, signed_in_staff: Person, published: dict[str, int]
) -> None:
    mc = published["healthcare"]
    response = client.post(
        f"/microcredentials/{mc}/retire",
        data={"csrf_token": csrf_token(client, "/dashboard"), "next": "/dashboard"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/dashboard?notice=retired#mc-{mc}"
    page = client.get("/dashboard?notice=retired").text
    assert "Retired: the microcredential no longer appears" in page
    assert "Patient Safety Essentials" not in client.get("/catalog").text
    # An unknown notice shows nothing (the address never carries text to display).
    assert 'class="notice"' not in client.get("/dashboard?notice=<b>hi</b>").text


def test_editing_with_an_empty_country_keeps_the_providers(
    client: TestClient, db: Session, signed_in_staff: Person, published: dict[str, int],
    skill_uris: list[str],
) -> None:
    mc = published["technology"]
    edit_path = f"/microcredentials/{mc}/edit"
    data = form_data(full_payload(skill_uris), partners=[], country="", region="")
    saved = post_form(client, edit_path, data, edit_path)
    assert saved.status_code == 303, saved.text
    latest = catalog.access_microcredential(db, signed_in_staff.actor, mc, latest=True)
    assert (latest.number, latest.country, latest.region) == (2, "PT", None)


# --- the pure helpers behind the pages -----------------------------------------------------


def test_page_links_keep_first_last_and_neighbours() -> None:
    assert _page_links(1, 1) == [1]
    assert _page_links(1, 3) == [1, 2, 3]
    assert _page_links(10, 20) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert _page_links(2, 9) == [1, 2, 3, 4, None, 9]


def test_form_reading_drops_blank_rows_and_maps_problems_to_controls() -> None:
    submission = read_form(
        {
            "title": ["  Spaced title  "],
            "learning_outcomes": ["First\n\n  Second  \n"],
            "skills": ["https://a.test/1, https://a.test/2\nhttps://a.test/1"],
            "partners": ["Acme-Academy, beta"],
            "module_title": ["", "Second row", ""],
            "module_hours": ["", "x", ""],
            "module_summary": ["", "", ""],
            "module_outcomes": ["", "one\ntwo", ""],
            "languages": ["en", "fr"],
            "country": ["pt"],
        }
    )
    payload = submission.payload
    assert payload["title"] == "Spaced title"
    assert payload["learning_outcomes"] == ["First", "Second"]
    assert payload["skills"] == ["https://a.test/1", "https://a.test/2"]
    assert payload["partners"] == ["acme-academy", "beta"]
    assert payload["modules"] == [
        {"title": "Second row", "summary": "", "estimated_hours": "x",
         "learning_outcomes": ["one", "two"]}
    ]
    assert (payload["country"], payload["ects_credits"], payload["stackable"]) == ("PT", None, False)
    # The blank first row is gone, so payload module 0 is the form's first row again.
    assert [row.title for row in submission.state.modules] == ["Second row", "", ""]

    state = apply_problems(
        submission.state,
        [
            FieldProblem("modules.0.estimated_hours", "Input should be a valid integer"),
            FieldProblem("modules.0.learning_outcomes.1", "String should have at most 500 characters"),
            FieldProblem("learning_outcomes.1", "must not repeat an entry"),
            FieldProblem("title", "Input should be less than or equal to 3"),
            FieldProblem("stackable_towards", "name qualifications only when the microcredential is stackable"),
            FieldProblem("provider", "something odd"),
        ],
    )
    assert state.errors["module_hours-0"] == ["Enter a whole number"]
    assert state.errors["module_outcomes-0"] == ["Line 2: Use at most 500 characters"]
    assert state.errors["learning_outcomes"] == ["Line 2: Must not repeat an entry"]
    assert state.errors["title"] == ["Must be at most 3"]
    assert state.errors["stackable_towards"] == ["Name qualifications only when the microcredential is stackable"]
    assert state.errors["form"] == ["Something odd"]
    # The summary follows the page, each entry linking to its control.
    assert [anchor for anchor, _ in state.summary] == [
        "form-errors", "title", "learning_outcomes", "stackable_towards", "module_hours-0",
        "module_outcomes-0",
    ]
    assert state.summary[4][1] == "Module 1 estimated hours: Enter a whole number"


# --- required microcredentials -------------------------------------------------------------


def _published_elsewhere(db: Session, make_org: Any, skill_uris: list[str]) -> int:
    """A microcredential published by another provider (Helix)."""
    from tessera.accounts.services import OPERATOR

    make_org("helix", OrgKind.EMPLOYER)
    version = catalog.create_microcredential(
        db, OPERATOR, microcredential_payload("helix", skill_uris[:1], title="Robot Safety")
    )
    catalog.publish_microcredential(db, OPERATOR, version.microcredential_id)
    return version.microcredential_id


def test_required_microcredentials_problems_show_beside_the_field_and_save_nothing(
    client: TestClient, db: Session, signed_in_staff: Person, published: dict[str, int],
    skill_uris: list[str],
) -> None:
    form = client.get(NEW).text
    # The provider's own microcredentials are offered as labelled checkboxes.
    for mc in published.values():
        assert re.search(rf'id="required-{mc}" name="required_microcredentials" type="checkbox" value="{mc}"', form)
        assert f'for="required-{mc}"' in form
    assert '<label for="required_other">' in form

    before = counts(db)
    data = form_data(full_payload(skill_uris, partners=[]))
    data["required_microcredentials"] = [str(published["technology"])]
    data["required_other"] = "999999, abc"
    response = post_form(client, NEW, data, NEW)
    assert response.status_code == 400
    html = response.text
    error = re.search(r'id="required_microcredentials-error">(.*?)</p>', html, re.S)
    assert error
    assert "No published microcredential 999999" in unescape(error.group(1))
    assert "“abc” is not the number of a microcredential" in unescape(error.group(1))
    assert re.search(r'id="required_microcredentials"[^>]*aria-describedby="[^"]*required_microcredentials-error', html)
    assert 'href="#required_microcredentials"' in html  # from the error summary
    # What the person chose is still there.
    assert 'value="999999, abc"' in html
    assert re.search(rf'value="{published["technology"]}" checked', html)
    assert counts(db) == before


def test_required_microcredentials_chosen_in_the_form_show_as_requires(
    client: TestClient, db: Session, signed_in_staff: Person, published: dict[str, int],
    make_org: Any, skill_uris: list[str],
) -> None:
    own = published["technology"]
    elsewhere = _published_elsewhere(db, make_org, skill_uris)
    data = form_data(full_payload(skill_uris, partners=[], title="Advanced Data Analysis"))
    data["required_microcredentials"] = [str(own)]
    data["required_other"] = f"http://testserver/microcredentials/{elsewhere}"  # a pasted address
    saved = post_form(client, NEW, data, NEW)
    assert saved.status_code == 303, saved.text
    mc = int(saved.headers["location"].split("/")[2].split("?")[0])

    preview = client.get(f"/microcredentials/{mc}?latest=1").text
    assert "Requires" in text_of(preview)
    assert f'<a href="/microcredentials/{own}">Applied Data Analysis</a>' in preview
    assert f'<a href="/microcredentials/{elsewhere}">Robot Safety</a>' in preview
    assert "Basic spreadsheet skills" in preview  # the free text stays beside it

    # Editing shows the own one ticked and the other provider's by number and name.
    edit = client.get(f"/microcredentials/{mc}/edit").text
    assert re.search(rf'value="{own}" checked', edit)
    assert f'id="required_other" name="required_other" type="text" value="{elsewhere}"' in edit
    assert f'<a href="/microcredentials/{elsewhere}">Robot Safety</a> ({elsewhere})' in edit
    assert f'id="required-{mc}"' not in edit  # never itself

    catalog.publish_microcredential(db, signed_in_staff.actor, mc)
    sign_out(client)
    public = client.get(f"/microcredentials/{mc}").text
    assert f'<a href="/microcredentials/{elsewhere}">Robot Safety</a>' in public
    # A microcredential requiring nothing says nothing about it.
    assert "Requires" not in text_of(client.get(f"/microcredentials/{own}").text)


def test_form_reading_merges_ticked_and_typed_required_microcredentials() -> None:
    submission = read_form({
        "required_microcredentials": ["3", "5"],
        "required_other": ["#5, https://tessera.example/microcredentials/12?latest=1 abc 0"],
    })  # fmt: skip
    assert submission.payload["required_microcredentials"] == [3, 5, 12, "abc", 0]
    problems = [
        FieldProblem("required_microcredentials.3", "Input should be a valid integer"),
        FieldProblem("required_microcredentials.4", "Input should be greater than or equal to 1"),
        FieldProblem("required_microcredentials.2", "no published microcredential 12"),
    ]
    state = apply_problems(submission.state, problems)
    assert state.errors["required_microcredentials"] == [
        "“abc” is not the number of a microcredential",
        "“0” is not the number of a microcredential",
        "No published microcredential 12",
    ]
