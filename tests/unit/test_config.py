"""Settings: production refuses unsafe configuration."""

from __future__ import annotations

import pytest

from tessera.config import ConfigurationError, Environment, Settings


def test_production_needs_secret_and_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TESSERA_DATABASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="TESSERA_SECRET_KEY"):
        Settings(env=Environment.PRODUCTION, database_url="postgresql+psycopg://db/tessera")
    with pytest.raises(ConfigurationError, match="TESSERA_DATABASE_URL"):
        Settings(env=Environment.PRODUCTION, secret_key="s" * 40)
    with pytest.raises(ConfigurationError, match="https"):
        Settings(
            env=Environment.PRODUCTION,
            secret_key="s" * 40,
            database_url="postgresql+psycopg://db/tessera",
            base_url="http://tessera.eu",
        )
    ok = Settings(
        env=Environment.PRODUCTION,
        secret_key="s" * 40,
        database_url="postgresql+psycopg://db/tessera",
        base_url="https://tessera.eu",
    )
    assert ok.is_production
    assert ok.effective_base_url == "https://tessera.eu"


def test_port_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSERA_PORT", "8123")
    assert Settings().port == 8123
    monkeypatch.setenv("TESSERA_PORT", "99999")
    with pytest.raises(ValueError, match="port"):
        Settings()
