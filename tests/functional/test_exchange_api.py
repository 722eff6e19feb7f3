"""GET /api/v1/exchange-rates (public) and PUT (platform administrators: the ECB's CSV or a
JSON list); bad input is a 422 problem and writes nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.conftest import Person

FIXTURE = (Path(__file__).parents[1] / "unit" / "exchange" / "data" / "eurofxref.csv").read_bytes()
CSV = {"Content-Type": "text/csv"}


def _rates(client: TestClient) -> dict[str, str]:
    response = client.get("/api/v1/exchange-rates")
    assert response.status_code == 200
    return {rate["currency"]: rate["per_euro"] for rate in response.json()}


def test_anyone_reads_an_admin_puts(client: TestClient, db: Session, make_person) -> None:  # type: ignore[no-untyped-def]
    admin: Person = make_person("root@tessera.eu", platform_admin=True)
    assert _rates(client) == {}
    response = client.put("/api/v1/exchange-rates", content=FIXTURE, headers={**CSV, **admin.auth})
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 30
    assert response.json()["suspended"] == ["RUB"]
    assert _rates(client)["USD"] == "1.056700"

    body = [{"currency": "USD", "per_euro": "1.0600", "as_of": "2026-11-28"}]
    response = client.put("/api/v1/exchange-rates", json=body, headers=admin.auth)
    assert response.status_code == 200, response.text
    assert response.json()["updated"] == 1
    listed = {r["currency"]: r for r in client.get("/api/v1/exchange-rates").json()}
    assert listed["USD"]["per_euro"] == "1.060000"
    assert listed["USD"]["source"] == "Set by a platform administrator"


def test_only_platform_admins_put(client: TestClient, make_org, make_person) -> None:  # type: ignore[no-untyped-def]
    make_org("aurora")
    org_admin: Person = make_person("admin@aurora.eu", "org_admin", "aurora")
    response = client.put("/api/v1/exchange-rates", content=FIXTURE, headers=CSV)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    response = client.put(
        "/api/v1/exchange-rates", content=FIXTURE, headers={**CSV, **org_admin.auth}
    )
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/permission-denied"
    assert _rates(client) == {}


def test_bad_input_is_422_and_writes_nothing(client: TestClient, make_person) -> None:  # type: ignore[no-untyped-def]
    admin: Person = make_person("root@tessera.eu", platform_admin=True)
    bad_csv = b"Date, USD, GBP, \n27 November 2026, 1.0567, -3, \n"
    response = client.put("/api/v1/exchange-rates", content=bad_csv, headers={**CSV, **admin.auth})
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/malformed-import-file"
    assert problem["detail"] == "body, line 2: GBP: must be a positive number, not '-3'"
    assert problem["errors"] == [
        {"field": "line 2", "message": "GBP: must be a positive number, not '-3'"}
    ]
    for content, headers, field in (
        (b"\xff\xfe", CSV, "body"),
        (b"{not json", {"Content-Type": "application/json"}, "body"),
        (b'[{"currency": "USD", "per_euro": "x", "as_of": "2026-11-27"}]',
         {"Content-Type": "application/json"}, "0.per_euro"),
    ):  # fmt: skip
        response = client.put(
            "/api/v1/exchange-rates", content=content, headers={**headers, **admin.auth}
        )
        assert response.status_code == 422, response.text
        assert field in [e["field"] for e in response.json()["errors"]]
    assert _rates(client) == {}


def test_a_huge_body_is_refused(client: TestClient, make_person) -> None:  # type: ignore[no-untyped-def]
    """Refused by its Content-Length, or (sent chunked, without one) once past the limit."""
    admin: Person = make_person("root@tessera.eu", platform_admin=True)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(1000):
            yield b"x" * 16_384

    for content in (b"x" * (2 * 1024 * 1024), chunks()):
        response = client.put(
            "/api/v1/exchange-rates", content=content, headers={**CSV, **admin.auth}
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"] == [{"field": "body", "message": "at most 64 KiB"}]
    assert _rates(client) == {}


def test_a_csv_with_bare_carriage_returns_is_read(client: TestClient, make_person) -> None:  # type: ignore[no-untyped-def]
    admin: Person = make_person("root@tessera.eu", platform_admin=True)
    old_mac = b"Date, USD, \r27 November 2026, 1.0567, \r"
    response = client.put("/api/v1/exchange-rates", content=old_mac, headers={**CSV, **admin.auth})
    assert response.status_code == 200, response.text
    assert Decimal(_rates(client)["USD"]) == Decimal("1.0567")
