"""The `tessera` CLI against a real (committed) database: happy paths and one-line errors."""

from __future__ import annotations

import json

import pytest
from tests.unit.cli.support import invoke


def test_orgs_users_tokens(cli_env: str) -> None:
    code, out = invoke("db", "upgrade")
    assert code == 0, out
    code, out = invoke(
        "orgs", "create", "aurora", "--name", "Aurora", "--kind", "university", "--country", "nl"
    )
    assert code == 0, out
    code, out = invoke(
        "users",
        "create",
        "ada@aurora.eu",
        "--password",
        "long-enough-pw",
        "--org",
        "aurora",
        "--role",
        "issuer_staff",
    )
    assert code == 0, out
    assert "issuer_staff of aurora" in out
    code, out = invoke("tokens", "create", "ada@aurora.eu")
    assert code == 0
    assert out.strip().startswith("tsr_")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("orgs", "create", "aurora", "--name", "A", "--kind", "university", "--country", "XX"),
            "country",
        ),
        (("users", "create", "not-an-email", "--password", "long-enough-pw"), "email"),
        (("users", "create", "a@b.eu", "--password", "short"), "password"),
        (
            ("users", "create", "a@b.eu", "--password", "long-enough-pw", "--role", "issuer_staff"),
            "--org",
        ),
        (
            (
                "users",
                "create",
                "a@b.eu",
                "--password",
                "long-enough-pw",
                "--org",
                "nope",
                "--role",
                "learner",
            ),
            "No organisation",
        ),
        (("tokens", "create", "ghost@b.eu"), "No user"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    cli_env: str, args: tuple[str, ...], message: str
) -> None:
    code, out = invoke(*args)
    assert code != 0
    assert message in out
    assert "Traceback" not in out
    # The failed command left no user behind.
    code, out = invoke("tokens", "create", "a@b.eu")
    assert code != 0


def test_unknown_enum_value_is_rejected_by_the_parser(cli_env: str) -> None:
    code, out = invoke(
        "orgs", "create", "x-org", "--name", "X", "--kind", "castle", "--country", "PT"
    )
    assert code == 2
    assert "castle" in out


def test_catalog_search_json_on_empty_catalog(cli_env: str) -> None:
    code, out = invoke("catalog", "search", "python", "--json")
    assert code == 0, out
    assert json.loads(out)["total"] == 0
    code, out = invoke("catalog", "search", "x" * 201)
    assert code != 0


def test_catalog_reindex_on_empty_catalog(cli_env: str) -> None:
    code, out = invoke("catalog", "reindex")
    assert code == 0, out
    assert "Indexed 0" in out
