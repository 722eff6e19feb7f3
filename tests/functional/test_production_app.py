"""The app in production mode: secure cookies and HSTS; health check; problem details."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tessera.app import create_app
from tessera.config import Environment, Settings


def test_production_cookies_are_secure_and_hsts_is_sent(database_url: str) -> None:
    settings = Settings(
        env=Environment.PRODUCTION,
        secret_key="s" * 40,
        database_url=database_url,
        base_url="https://tessera.eu",
    )
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        response = client.get("/login")
        assert response.status_code == 200
        cookie = response.headers["set-cookie"].lower()
        for attribute in ("secure", "httponly", "samesite=lax"):
            assert attribute in cookie
        assert "max-age=63072000" in response.headers["strict-transport-security"]


def test_health_and_unknown_routes(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    page = client.get("/nothing-here", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "Traceback" not in page.text


def test_security_headers(client: TestClient) -> None:
    response = client.get("/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_openapi_lists_the_catalog(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/microcredentials" in paths
    assert "/api/v1/microcredentials/{microcredential_id}/publish" in paths
