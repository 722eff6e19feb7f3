"""`tessera keys list | rotate | retire` against a real (committed) database."""

from __future__ import annotations

import re

from tests.unit.cli.support import invoke


def test_rotate_list_and_retire(cli_env: str) -> None:
    assert invoke("db", "upgrade")[0] == 0
    code, out = invoke(
        "orgs", "create", "keyco", "--name", "KeyCo", "--kind", "university", "--country", "nl"
    )
    assert code == 0, out
    code, out = invoke("keys", "list", "keyco")
    assert code == 0
    assert "no key yet" in out
    code, out = invoke("keys", "rotate", "keyco")
    assert code == 0, out
    public_key = re.search(r"#(z6Mk\w+)", out)
    assert public_key is not None
    code, out = invoke("keys", "list", "keyco")
    assert "signs new credentials" in out
    assert public_key.group(1) in out

    code, out = invoke("keys", "retire", "keyco", public_key.group(1), "--reason", "x")
    assert code == 1
    assert out.count("\n") == 1
    code, out = invoke(
        "keys", "retire", "keyco", public_key.group(1), "--reason", "Backup tape lost",
        "--at", "2026-01-01T00:00:00Z",
    )  # fmt: skip
    assert code == 0, out
    assert "retired 2026-01-01" in invoke("keys", "list", "keyco")[1]
    code, out = invoke("keys", "retire", "keyco", "z6MkNope", "--reason", "no such key")
    assert code == 1
    assert "no key" in out
    code, out = invoke("keys", "rotate", "nobody")
    assert code == 1
    assert "nobody" in out
