"""Browser tests: Playwright (sync API) driving Debian's chromium against a live Tessera.

- The browser is `/usr/bin/chromium` (apt package `chromium`); a browser is never downloaded.
  Without it, or without the `playwright` package, every browser test is skipped with the
  reason (CI sets TESSERA_FAIL_ON_SKIP=1 so a missing install step fails there).
- The server is uvicorn in a background thread on a free 127.0.0.1 port, one per test session
  (per xdist worker), built by `create_app` like production.
- Its database is its own, separate from the rolled-back test database (a live server commits):
  a temporary SQLite file, or, when TESSERA_DATABASE_URL names PostgreSQL, a dedicated database
  `tessera_browser_<worker>` created next to the one named and dropped afterwards. Either way it
  is built by the real migrations and seeded through the services (see `seed`).
- Set TESSERA_BROWSER_SCREENSHOTS=/some/dir to keep a full-page screenshot of every test's
  last page (handy to look at the pages; never committed).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from tests.conftest import PASSWORD, microcredential_payload

from tessera import migrate
from tessera.accounts import services as accounts
from tessera.accounts.roles import OrgKind, Role
from tessera.catalog import services as catalog
from tessera.config import Environment, Settings
from tessera.db import make_engine

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STAFF_EMAIL = "staff@aurora.example"
LEARNER_EMAIL = "lee@learner.example"
SKILLS = {
    "https://tessera.example/skills/data-analysis": "Data analysis",
    "https://tessera.example/skills/patient-safety": "Patient safety",
    "https://tessera.example/skills/leadership": "Leadership",
}
SEEDED = {
    # title: (field, skill, price, hours)
    "Applied Data Analysis": ("technology", "data-analysis", "250.00", 60),
    "Patient Safety Essentials": ("healthcare", "patient-safety", "0", 20),
    "Data-Driven Leadership": ("business_management", "leadership", "120.00", 30),
}


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def browser_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = os.environ.get("TESSERA_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'tessera.db'}"
        return
    url = make_url(base)
    name = f"tessera_browser_{_worker()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed(db: Session) -> None:
    """An organisation, a staff member, a learner, three skills and three published
    microcredentials."""
    from tessera.taxonomy.models import Skill, SkillFramework

    operator = accounts.OPERATOR
    accounts.create_organisation(
        db, operator,
        {"slug": "aurora", "name": "Aurora University", "kind": OrgKind.UNIVERSITY,
         "country": "PT", "region": "Lisbon", "website": "https://aurora.example",
         "description": "A public university by the sea.",
         "quality_assurance": "Accredited by the national agency A3ES."},
    )
    accounts.create_user(
        db, operator, {"email": STAFF_EMAIL, "password": PASSWORD, "display_name": "Sam Staff"}
    )
    accounts.add_membership(
        db, operator,
        {"email": STAFF_EMAIL, "organisation_slug": "aurora", "role": Role.ISSUER_STAFF},
    )
    accounts.create_user(
        db, operator, {"email": LEARNER_EMAIL, "password": PASSWORD, "display_name": "Lee Learner"}
    )
    framework = SkillFramework(
        slug="browser", name="Browser test skills", version="1", uri="https://tessera.example/"
    )
    db.add(framework)
    db.flush()
    db.add_all(Skill(framework_id=framework.id, uri=u, label=t) for u, t in SKILLS.items())
    db.flush()
    staff = accounts.actor_for_user(db, accounts.get_user_by_email(db, STAFF_EMAIL).id)
    for title, (field, skill, price, hours) in SEEDED.items():
        version = catalog.create_microcredential(
            db, staff,
            microcredential_payload(
                "aurora", [f"https://tessera.example/skills/{skill}"], title=title, field=field,
                price=price, workload_hours=hours, modules=[],
                short_description=f"{title}: a short course with a project.",
                learning_outcomes=[f"Apply {title.lower()} at work", "Reflect on practice"],
            ),
        )
        catalog.publish_microcredential(db, staff, version.microcredential_id)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_server(browser_database_url: str) -> Iterator[str]:
    import uvicorn

    from tessera.app import create_app

    engine = make_engine(browser_database_url)
    migrate.upgrade(engine)
    with Session(engine) as db:
        seed(db)
        db.commit()
    engine.dispose()

    app = create_app(
        Settings(env=Environment.TEST, database_url=browser_database_url, secret_key="b" * 40)
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package (apt install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, live_server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        folder = os.environ.get("TESSERA_BROWSER_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            opened.screenshot(path=str(Path(folder) / f"{request.node.name}.png"), full_page=True)
        context.close()
