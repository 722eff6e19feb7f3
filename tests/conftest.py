"""Test fixtures: a database per test worker built by the real migrations, each test inside a
rolled-back transaction, and an app whose requests share that transaction.

Set TESSERA_DATABASE_URL to a PostgreSQL URL to run the suite on PostgreSQL; each worker then
gets its own database next to the one named.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tessera import migrate
from tessera.accounts import services as accounts
from tessera.accounts.roles import Actor, OrgKind, Role
from tessera.app import create_app
from tessera.config import Environment, Settings
from tessera.credentials.keystore import KeyVault
from tessera.credentials.services import Issuing
from tessera.db import make_engine
from tessera.web.deps import get_db

SHARED = Path(__file__).resolve().parents[2] / "shared"
PASSWORD = "correct-horse-battery"


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (TESSERA_FAIL_ON_SKIP=1) a skipped test means a missing install step: fail."""
    if os.environ.get("TESSERA_FAIL_ON_SKIP") == "1" and _skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nTESSERA_FAIL_ON_SKIP: {len(_skipped)} test(s) skipped: {_skipped[:10]}")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at production cost takes ~50 ms a hash; tests create hundreds of users."""
    from argon2 import PasswordHasher

    from tessera.accounts import services as accounts_services

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts_services, "_hasher", cheap)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = os.environ.get("TESSERA_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'tessera.db'}"
        return
    url = make_url(base)
    name = f"tessera_test_{_worker()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def committed_database_url(tmp_path: Path, database_url: str) -> Iterator[str]:
    """A separate, migrated database for code that commits (CLI commands, live servers).

    Same backend as the suite; dropped afterwards, so nothing leaks into other tests.
    """
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'committed.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
        return
    base = make_url(database_url)
    name = f"tessera_commit_{_worker()}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (commits become savepoints)."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(env=Environment.TEST, database_url=database_url, secret_key="x" * 40)


@pytest.fixture
def client(settings: Settings, db: Session) -> Iterator[TestClient]:
    app = create_app(settings)

    def shared_session() -> Iterator[Session]:
        # Like the real get_db: a request's writes are undone if it fails.
        savepoint = db.begin_nested()
        try:
            yield db
        except BaseException:
            if savepoint.is_active:
                savepoint.rollback()
            raise
        if savepoint.is_active:
            savepoint.commit()

    app.dependency_overrides[get_db] = shared_session
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def issuing() -> Issuing:
    """What issuing services need, for tests that call them directly (nothing is fetched)."""
    return Issuing(base_url="https://tessera.test", vault=KeyVault("v" * 40))


@dataclass
class Person:
    """A test user: their actor (for service calls), email and API token."""

    actor: Actor
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_org(db: Session):  # type: ignore[no-untyped-def]
    def make(slug: str, kind: OrgKind = OrgKind.UNIVERSITY, country: str = "PT"):  # type: ignore[no-untyped-def]
        return accounts.create_organisation(
            db,
            accounts.OPERATOR,
            {
                "slug": slug,
                "name": slug.replace("-", " ").title(),
                "kind": kind,
                "country": country,
            },
        )

    return make


@pytest.fixture
def make_person(db: Session):  # type: ignore[no-untyped-def]
    def make(
        email: str,
        role: Role | None = None,
        org_slug: str | None = None,
        *,
        platform_admin: bool = False,
    ) -> Person:
        accounts.create_user(
            db,
            accounts.OPERATOR,
            {"email": email, "password": PASSWORD, "display_name": email.split("@")[0]},
            platform_admin=platform_admin,
        )
        if role is not None and org_slug is not None:
            accounts.add_membership(
                db,
                accounts.OPERATOR,
                {"email": email, "organisation_slug": org_slug, "role": role},
            )
        token, _ = accounts.create_api_token(db, accounts.OPERATOR, email, "test")
        user = accounts.get_user_by_email(db, email)
        return Person(actor=accounts.actor_for_user(db, user.id), email=email, token=token)

    return make


@pytest.fixture
def skill_uris(db: Session) -> list[str]:
    """Three skills in a small test framework."""
    from tessera.taxonomy.models import Skill, SkillFramework

    framework = SkillFramework(slug="test", name="Test skills", version="1", uri="https://t.test/")
    db.add(framework)
    db.flush()
    uris = [f"https://tessera.eu/skills/test-{n}" for n in ("python", "sql", "statistics")]
    for uri in uris:
        db.add(Skill(framework_id=framework.id, uri=uri, label=uri.rsplit("-", 1)[1].title()))
    db.flush()
    return uris


def microcredential_payload(
    provider: str, skills: list[str], **changes: object
) -> dict[str, object]:
    """A complete, valid create payload; tests change one thing at a time."""
    payload: dict[str, object] = {
        "provider": provider,
        "title": "Applied Data Analysis",
        "short_description": "Clean, analyse and present data with Python and SQL.",
        "learning_outcomes": ["Clean a messy data set", "Explain a regression model"],
        "workload_hours": 60,
        "ects_credits": "2.0",
        "eqf_level": 6,
        "assessment_type": "project",
        "participation_mode": "online",
        "pacing": "self_paced",
        "quality_assurance": "Internal QA reviewed by the faculty board",
        "field": "technology",
        "languages": ["en"],
        "price": "250.00",
        "currency": "EUR",
        "duration_weeks": 6,
        "modules": [
            {"title": "Cleaning data", "estimated_hours": 20},
            {"title": "Modelling", "estimated_hours": 30},
        ],
        "skills": skills,
    }
    payload.update(changes)
    return payload
