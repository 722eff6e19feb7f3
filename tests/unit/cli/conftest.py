"""CLI commands run against a real, committed database of the suite's backend."""

from __future__ import annotations

import pytest
from tests.unit.cli.support import invoke


@pytest.fixture
def cli_env(committed_database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """`tessera` pointed at a migrated, empty database (its URL)."""
    monkeypatch.setenv("TESSERA_DATABASE_URL", committed_database_url)
    monkeypatch.setenv("TESSERA_ENV", "development")
    monkeypatch.setenv("TESSERA_SECRET_KEY", "k" * 40)  # signing keys are encrypted under it
    return committed_database_url


@pytest.fixture
def demo_cli_env(cli_env: str) -> str:
    """The same database with the demo loaded."""
    code, output = invoke("demo", "load")
    assert code == 0, output
    return cli_env
