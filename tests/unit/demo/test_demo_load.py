"""Loading the demo into a database: everything arrives once, and a second load adds nothing."""

from __future__ import annotations

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from tessera.accounts import services as accounts
from tessera.accounts.roles import Actor
from tessera.catalog import services as catalog
from tessera.credentials import services as credentials
from tessera.credentials.models import IssuedCredential
from tessera.credentials.services import Issuing
from tessera.demo.services import demo_catalog, load_demo
from tessera.employers import services as employers


def test_the_demo_loads_once_with_verifiable_credentials(db: Session, issuing: Issuing) -> None:
    first = load_demo(db, issuing)
    data = demo_catalog()
    assert first.organisations == len(data["organisations"])
    assert first.microcredentials == len(data["microcredentials"])
    assert first.credentials == len(data["credentials"]) > 0

    again = load_demo(db, issuing)
    assert (again.organisations, again.users, again.microcredentials, again.credentials) == (
        0, 0, 0, 0,
    )  # fmt: skip

    issued = list(db.scalars(select(IssuedCredential)))
    assert {row.recipient_name for row in issued} == {
        entry["recipient_name"] for entry in data["credentials"]
    }
    for row in issued:
        report = credentials.verify_credential(db, issuing, orjson.loads(row.document))
        assert report.verified, report.to_dict()


def test_the_demo_links_required_microcredentials(db: Session, issuing: Issuing) -> None:
    load_demo(db, issuing)
    offers = {offer.title: offer for offer in catalog.published_offers(db)}
    assert offers["Deep Learning for Computer Vision"].prerequisites == {
        offers["Applied Machine Learning with Python"].id
    }
    assert offers["Lean Six Sigma Green Belt"].prerequisites == {
        offers["Lean Six Sigma Yellow Belt"].id
    }
    assert offers["Health Data Analytics with Real-World Evidence"].prerequisites == {
        offers["Introduction to Epidemiology and Public Health Data"].id
    }
    assert offers["Fundamentals of Acute Nursing Care"].prerequisites == {
        offers["Basic Life Support and First Aid"].id
    }
    assert offers["Audio Post-Production and Sound Design"].prerequisites == {
        offers["Podcast and Audio Storytelling"].id
    }
    assert sum(1 for offer in offers.values() if offer.prerequisites) == 5


def _actor(db: Session, email: str) -> Actor:
    return accounts.actor_for_user(db, accounts.get_user_by_email(db, email).id)


def test_the_employer_demo_loads_once_with_a_team_to_report_on(
    db: Session, issuing: Issuing
) -> None:
    first = load_demo(db, issuing)
    data = demo_catalog()
    assert first.role_profiles == len(data["role_profiles"]) >= 3
    assert first.team_members == sum(len(team["members"]) for team in data["teams"]) >= 3
    again = load_demo(db, issuing)
    assert (again.role_profiles, again.team_members) == (0, 0)

    verifier = _actor(db, "verifier.kestrel@tessera-demo.org")
    profiles = {p.name: p for p in employers.list_role_profiles(db, verifier, "kestrel-financial")}
    assert set(profiles) == {"Risk Data Analyst", "Compliance Officer"}
    assert profiles["Risk Data Analyst"].min_eqf_level == 5
    team = {m.email: m for m in employers.list_team(db, verifier, "kestrel-financial")}
    assert {email: m.status for email, m in team.items()} == {
        "ana.ferreira@tessera-demo.org": "consented",
        "jonas.bergstrom@tessera-demo.org": "invited",
    }
    assert team["jonas.bergstrom@tessera-demo.org"].name is None  # not before consent

    # Only Ana consented: the report shows her gap and a plan that closes it.
    report = employers.team_report(
        db, issuing, verifier, "kestrel-financial", profiles["Risk Data Analyst"].id
    )
    (ana,) = report.members
    assert ana.name == "Ana Ferreira"
    # Her Applied Machine Learning and Health Data Analytics credentials prove these.
    assert {s.label for s in ana.held} >= {"Python programming", "Statistical analysis", "GDPR"}
    assert {s.label for s in ana.gap if s.essential} == {
        "SQL", "Data visualisation tools", "Business intelligence",
    }  # fmt: skip
    assert ana.plan is not None
    assert ana.plan.items
    assert report.totals.essential_missing == 0

    compliance = employers.team_report(
        db, issuing, verifier, "kestrel-financial", profiles["Compliance Officer"].id
    )
    assert compliance.totals.members == 1
    assert compliance.totals.essential_missing == 0

    # Ana may plan towards the roles of the employer whose team she joined.
    ana_actor = _actor(db, "ana.ferreira@tessera-demo.org")
    assert {p.name for p in employers.plannable_role_profiles(db, ana_actor)} == set(profiles)

    admin = _actor(db, "admin.nordlicht@tessera-demo.org")
    (platform,) = employers.list_role_profiles(db, admin, "nordlicht-academy")
    nordlicht = employers.team_report(db, issuing, admin, "nordlicht-academy", platform.id)
    assert [m.name for m in nordlicht.members] == ["Katharina Weiß"]
    assert nordlicht.totals.essential_missing == 0
