"""`tessera rates import FILE` and `tessera rates list` against a real (committed) database."""

from __future__ import annotations

import json
from pathlib import Path

from tests.unit.cli.support import invoke

FIXTURE = Path(__file__).parents[1] / "exchange" / "data" / "eurofxref.csv"


def test_import_and_list(cli_env: str) -> None:
    code, out = invoke("rates", "list")
    assert code == 0, out
    assert "No exchange rates" in out

    code, out = invoke("rates", "import", str(FIXTURE))
    assert code == 0, out
    assert "30 added" in out
    assert "RUB" in out
    code, out = invoke("rates", "import", str(FIXTURE))
    assert code == 0, out
    assert "0 added, 0 updated, 30 unchanged" in out

    code, out = invoke("rates", "list", "--json")
    assert code == 0, out
    rates = {rate["currency"]: rate for rate in json.loads(out)}
    assert rates["USD"]["per_euro"] == "1.056700"
    assert rates["USD"]["as_of"] == "2026-11-27"
    code, out = invoke("rates", "list")
    assert code == 0
    assert "USD" in out
    assert "1.0567" in out


def test_bad_input_is_one_line_and_writes_nothing(cli_env: str, tmp_path: Path) -> None:
    bad = tmp_path / "eurofxref.csv"
    bad.write_text("Date, USD, GBP, \n27 November 2026, 1.0567, lots, \n", "utf-8")
    binary = tmp_path / "rates.zip"
    binary.write_bytes(b"PK\x03\x04\xff\xfe")
    for args, message in (
        (("rates", "import", str(bad)), "line 2: GBP: not a number: 'lots'"),
        (("rates", "import", str(tmp_path / "none.csv")), "no such file"),
        (("rates", "import", str(binary)), "cannot read it"),
    ):
        code, out = invoke(*args)
        assert code == 1, (args, out)
        assert message in out, (args, out)
        assert out.strip().count("\n") == 0, (args, out)
    code, out = invoke("rates", "list", "--json")
    assert json.loads(out) == []


def test_a_huge_file_is_refused_unread(cli_env: str, tmp_path: Path) -> None:
    huge = tmp_path / "eurofxref.csv"
    with huge.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: 50 MiB of NULs
    code, out = invoke("rates", "import", str(huge))
    assert code != 0
    assert "too large" in out
    code, out = invoke("rates", "list")
    assert "No exchange rates" in out
