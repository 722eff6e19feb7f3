"""`tessera plan --learner/--role-profile/--save` and `tessera learner ...` against the demo
in a real (committed) database: the operator acts as the named learner, under the same rules."""

from __future__ import annotations

import json
from typing import Any

from tests.unit.cli.support import invoke

ANA = "ana.ferreira@tessera-demo.org"  # consented to Kestrel's team; holds issued credentials
JONAS = "jonas.bergstrom@tessera-demo.org"  # only invited to Kestrel's team
GHOST = "nobody@tessera-demo.org"


def as_json(*args: str) -> Any:
    code, out = invoke(*args, "--json")
    assert code == 0, out
    return json.loads(out)


def one_line_error(args: tuple[str, ...], message: str) -> None:
    code, out = invoke(*args)
    assert code == 1, (args, out)
    assert message in out, (args, out)
    assert out.strip().count("\n") == 0, (args, out)


def skill_uri(text: str) -> str:
    return str(as_json("skills", "search", text)["items"][0]["uri"])


def risk_data_analyst(email: str) -> int:
    profiles = as_json("learner", "role-profiles", email)
    return next(int(p["id"]) for p in profiles if p["name"] == "Risk Data Analyst")


def test_plan_as_a_learner_counts_what_they_hold(demo_cli_env: str) -> None:
    anonymous = as_json("plan", "--occupation", "data analyst")
    assert anonymous["already_held"] == []
    ana = as_json("plan", "--occupation", "data analyst", "--learner", ANA)
    assert ana["already_held"]  # her credentials prove some of the skills
    assert ana["already_declared"] == []

    # A declared skill counts as held, and is reported as only declared.
    sql = skill_uri("SQL")
    assert sql not in {
        s["uri"]
        for s in as_json("plan", "--occupation", "data analyst", "--learner", JONAS)["already_held"]
    }
    as_json("learner", "declare", JONAS, sql)
    jonas = as_json("plan", "--occupation", "data analyst", "--learner", JONAS.upper())
    assert sql in {s["uri"] for s in jonas["already_held"]}
    assert sql in {s["uri"] for s in jonas["already_declared"]}

    code, out = invoke("plan", "--occupation", "data analyst", "--learner", JONAS)
    assert code == 0, out
    assert "Already held:" in out
    assert "declared, no credential proves them" in out


def test_plan_towards_a_role_profile(demo_cli_env: str) -> None:
    profile = risk_data_analyst(ANA)
    result = as_json("plan", "--role-profile", str(profile), "--learner", ANA)
    assert result["target"]["source"] == "role_profile"
    assert result["target"]["label"] == "Risk Data Analyst at Kestrel Financial Services"
    assert [i["title"] for i in result["plan"]["items"]] == ["Data Visualisation and Dashboards"]
    # Jonas has not consented to join the team: the profile does not exist for him.
    assert as_json("learner", "role-profiles", JONAS) == []
    one_line_error(("plan", "--role-profile", str(profile), "--learner", JONAS),
                   f"No role profile {profile}")  # fmt: skip
    one_line_error(("plan", "--role-profile", "999999", "--learner", ANA),
                   "No role profile 999999")  # fmt: skip


def test_save_writes_a_plan_the_learner_can_list(demo_cli_env: str) -> None:
    assert as_json("learner", "plans", ANA) == []
    profile = risk_data_analyst(ANA)
    code, out = invoke("plan", "--role-profile", str(profile), "--learner", ANA,
                       "--save", "Towards risk data")  # fmt: skip
    assert code == 0, out
    saved = as_json("learner", "plans", ANA)
    assert len(saved) == 1
    plan = saved[0]
    assert plan["title"] == "Towards risk data"
    assert plan["target_label"] == "Risk Data Analyst at Kestrel Financial Services"
    assert plan["items"] == 1
    assert f"Saved plan {plan['id']}: /me/plans/{plan['id']}" in out

    result = as_json("plan", "--occupation", "data analyst", "--learner", ANA, "--save", "DA")
    second = result["saved_plan"]["id"]
    assert result["saved_plan"]["page"] == f"/me/plans/{second}"
    assert [p["id"] for p in as_json("learner", "plans", ANA)] == [second, plan["id"]]
    assert as_json("learner", "plans", JONAS) == []  # one learner's plans only

    code, out = invoke("learner", "plans", ANA)
    assert code == 0
    assert "Towards" in out  # the table may wrap the title

    # Enrolling, following the saved plan; listed, and idempotent.
    mc = as_json("catalog", "search", "Data Visualisation and Dashboards")
    mc_id = str(mc["items"][0]["id"])
    code, out = invoke("learner", "enrol", ANA, mc_id, "--plan", str(plan["id"]))
    assert code == 0, out
    assert "Enrolled" in out
    code, out = invoke("learner", "enrol", ANA, mc_id)
    assert code == 0, out
    assert "Already enrolled" in out
    enrolments = as_json("learner", "enrolments", ANA)
    assert [(e["microcredential_id"], e["saved_plan_id"]) for e in enrolments] == [
        (int(mc_id), plan["id"])
    ]
    one_line_error(("learner", "enrol", JONAS, mc_id, "--plan", str(plan["id"])),
                   f"No saved plan {plan['id']} of yours")  # fmt: skip
    assert as_json("learner", "enrolments", JONAS) == []


def test_declare_and_undeclare(demo_cli_env: str) -> None:
    sql, python = skill_uri("SQL"), skill_uri("Python programming")
    assert as_json("learner", "skills", JONAS) == []
    declared = as_json("learner", "declare", JONAS, sql, python, sql)
    assert [s["uri"] for s in declared] == [sql, python]
    assert declared[0]["label"] == "SQL"
    code, out = invoke("learner", "skills", JONAS)
    assert code == 0
    assert "SQL" in out

    one_line_error(
        ("learner", "declare", JONAS, "https://example.org/no-such-skill", sql),
        "unknown skill URI(s), nothing was changed: https://example.org/no-such-skill",
    )
    one_line_error(("learner", "undeclare", JONAS, sql, "https://example.org/nope"),
                   "https://example.org/nope")  # fmt: skip
    assert [s["uri"] for s in as_json("learner", "skills", JONAS)] == [sql, python]

    assert [s["uri"] for s in as_json("learner", "undeclare", JONAS, sql)] == [python]
    # A known skill that is not declared is no error, and changes nothing.
    assert [s["uri"] for s in as_json("learner", "undeclare", JONAS, sql)] == [python]
    assert as_json("learner", "skills", ANA) == []  # one learner's skills only


BAD = [
    (("plan", "--occupation", "data analyst", "--learner", GHOST), f"No user with email {GHOST}"),
    (("plan", "--role-profile", "1"), "--role-profile needs --learner"),
    (("plan", "--occupation", "data analyst", "--save", "x"), "--save needs --learner"),
    (
        ("plan", "--occupation", "data analyst", "--role-profile", "1", "--learner", ANA),
        "exactly one target",
    ),
    (("plan", "--occupation", "data analyst", "--learner", ANA, "--save", ""), "save:"),
    (("learner", "skills", GHOST), "No user with email"),
    (("learner", "declare", GHOST, "https://example.org/x"), "No user with email"),
    (("learner", "undeclare", GHOST, "https://example.org/x"), "No user with email"),
    (("learner", "plans", GHOST), "No user with email"),
    (("learner", "enrolments", GHOST), "No user with email"),
    (("learner", "role-profiles", GHOST), "No user with email"),
    (("learner", "enrol", ANA, "999999"), "No published microcredential 999999"),
]


def test_bad_input_is_one_line_and_writes_nothing(demo_cli_env: str) -> None:
    for args, message in BAD:
        one_line_error(args, message)
    assert as_json("learner", "plans", ANA) == []
    assert as_json("learner", "enrolments", ANA) == []
