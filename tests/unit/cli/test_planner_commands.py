"""`tessera plan` and `tessera skills extract` against the demo in a real (committed) database."""

from __future__ import annotations

import json
from pathlib import Path

from tests.unit.cli.support import invoke

POSTING = (
    "Junior data analyst wanted. You will write SQL queries against our warehouse, clean data "
    "with pandas and present findings in dashboards to stakeholders."
)


def test_extract_and_plan_from_a_posting(demo_cli_env: str, tmp_path: Path) -> None:
    posting = tmp_path / "posting.txt"
    posting.write_text(POSTING, "utf-8")
    code, out = invoke("skills", "extract", str(posting), "--json")
    assert code == 0, out
    labels = {skill["label"] for skill in json.loads(out)}
    assert "SQL" in labels

    code, out = invoke("plan", "--posting", str(posting), "--budget", "2000", "--json")
    assert code == 0, out
    result = json.loads(out)
    assert result["target"]["source"] == "posting"
    plan = result["plan"] or result["partial"]
    assert plan["items"]
    assert float(plan["price"]) <= 2000
    code, out = invoke("plan", "--posting", str(posting), "--budget", "2000")
    assert code == 0
    assert "Total:" in out


BAD = [
    (("plan", "--occupation", "data analyst", "--budget", "-5"), "budget"),
    (("plan", "--occupation", "astronaut on mars"), "No occupation matches"),
    (("plan",), "exactly one target"),
    (("plan", "--occupation", "data analyst", "--objective", "fun"), "objective"),
    (("skills", "extract", "/no/such/file.txt"), "cannot read"),
]


def test_bad_input_is_one_line(demo_cli_env: str) -> None:
    for args, message in BAD:
        code, out = invoke(*args)
        assert code == 1, (args, out)
        assert message in out, (args, out)
        assert out.strip().count("\n") == 0, (args, out)
