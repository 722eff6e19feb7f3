"""Settings, read from TESSERA_* environment variables (and a `.env` file if present)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./var/tessera.db"
# Only ever used outside production: production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"  # noqa: S105


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class ConfigurationError(RuntimeError):
    """The settings cannot be used to start Tessera."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TESSERA_", env_file=".env", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Public origin used in absolute links (credential ids, DIDs, emails).
    base_url: str = ""
    session_max_age_seconds: int = 14 * 24 * 3600
    search_page_size: int = Field(default=20, ge=1, le=100)
    # Fetch other issuers' did:web documents when verifying (never in the test environment).
    fetch_did_documents: bool | None = None
    # Read the search snapshot when a process starts rather than on its first search (not in
    # the test environment, where each test builds its own database).
    warm_up: bool | None = None

    @model_validator(mode="after")
    def _check_production(self) -> Settings:
        if self.env is Environment.PRODUCTION:
            problems = []
            if len(self.secret_key) < 32:
                problems.append("TESSERA_SECRET_KEY must be set to at least 32 random characters")
            if self.database_url == DEFAULT_DATABASE_URL:
                problems.append("TESSERA_DATABASE_URL must name the production database")
            if self.base_url and not self.base_url.startswith("https://"):
                problems.append("TESSERA_BASE_URL must be an https:// URL in production")
            if problems:
                raise ConfigurationError("; ".join(problems))
        return self

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def fetches_did_documents(self) -> bool:
        if self.fetch_did_documents is None:
            return self.env is not Environment.TEST
        return self.fetch_did_documents

    @property
    def warms_up(self) -> bool:
        if self.warm_up is None:
            return self.env is not Environment.TEST
        return self.warm_up

    @property
    def effective_secret_key(self) -> str:
        return self.secret_key or DEVELOPMENT_SECRET_KEY

    @property
    def effective_base_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    def sqlite_path(self) -> Path | None:
        """The database file for a SQLite URL, so callers can create its folder."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix) :])
        return None
