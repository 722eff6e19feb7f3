"""Required microcredentials (structured prerequisites): what a version may require, cycles,
publishing, copying into new drafts, and what the planner is given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import Person, microcredential_payload

from tessera.accounts.roles import Role
from tessera.catalog import services as catalog
from tessera.catalog.models import Microcredential, MicrocredentialVersion, VersionPrerequisite
from tessera.catalog.prerequisites import find_path
from tessera.catalog.vocab import VersionStatus
from tessera.errors import Conflict, InvalidInput


@dataclass
class Providers:
    db: Session
    aurora: Person
    helix: Person
    skills: list[str]

    def create(self, who: Person, title: str, **changes: Any) -> int:
        provider = "aurora" if who is self.aurora else "helix"
        version = catalog.create_microcredential(
            self.db, who.actor,
            microcredential_payload(provider, self.skills[:1], title=title, **changes),
        )  # fmt: skip
        return version.microcredential_id

    def publish(self, who: Person, title: str, **changes: Any) -> int:
        mc = self.create(who, title, **changes)
        catalog.publish_microcredential(self.db, who.actor, mc)
        return mc


@pytest.fixture
def two(db: Session, make_org: Any, make_person: Any, skill_uris: list[str]) -> Providers:
    """Staff of two providers, Aurora and Helix."""
    make_org("aurora")
    make_org("helix")
    return Providers(
        db=db,
        aurora=make_person("staff@aurora.eu", Role.ISSUER_STAFF, "aurora"),
        helix=make_person("staff@helix.eu", Role.ISSUER_STAFF, "helix"),
        skills=skill_uris,
    )


def _problems(error: pytest.ExceptionInfo[InvalidInput]) -> dict[str, str]:
    return {p.field: p.message for p in error.value.problems}


def _counts(db: Session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        db.scalar(select(func.count()).select_from(table)) or 0
        for table in (Microcredential, MicrocredentialVersion, VersionPrerequisite)
    )


def test_a_published_microcredential_of_any_provider_can_be_required(
    db: Session, two: Providers
) -> None:
    intro = two.publish(two.aurora, "Intro to data")
    elsewhere = two.publish(two.helix, "Robot safety")
    mc = two.create(two.aurora, "Advanced data", required_microcredentials=[intro, elsewhere])
    public = catalog.to_public(db, catalog.access_microcredential(db, two.aurora.actor, mc))
    assert [(r.id, r.title) for r in public.required_microcredentials] == [
        (intro, "Intro to data"), (elsewhere, "Robot safety"),
    ]  # fmt: skip


def test_unknown_and_other_providers_drafts_are_refused_alike_and_nothing_is_written(
    db: Session, two: Providers
) -> None:
    hidden = two.create(two.helix, "Helix draft")
    before = _counts(db)
    with pytest.raises(InvalidInput) as error:
        two.create(two.aurora, "Advanced", required_microcredentials=[hidden, 999_999])
    # The same words for both: another provider's draft is not revealed.
    assert _problems(error) == {
        "required_microcredentials.0": f"no published microcredential {hidden}",
        "required_microcredentials.1": "no published microcredential 999999",
    }
    assert _counts(db) == before


def test_duplicates_too_many_and_bad_ids_are_field_problems(two: Providers) -> None:
    intro = two.publish(two.aurora, "Intro to data")
    for value, field in (
        ([intro, intro], "required_microcredentials"),
        (list(range(1, 22)), "required_microcredentials"),
        ([0], "required_microcredentials.0"),
        (["abc"], "required_microcredentials.0"),
        ("12", "required_microcredentials"),
    ):
        with pytest.raises(InvalidInput) as error:
            two.create(two.aurora, "Advanced", required_microcredentials=value)
        assert field in _problems(error), value


def test_problems_of_other_fields_are_reported_together(two: Providers) -> None:
    with pytest.raises(InvalidInput) as error:
        two.create(two.aurora, "Advanced", eqf_level=12, required_microcredentials=[424242])
    assert {"eqf_level", "required_microcredentials.0"} <= _problems(error).keys()


def test_a_microcredential_cannot_require_itself(db: Session, two: Providers) -> None:
    mc = two.create(two.aurora, "Loop")
    with pytest.raises(InvalidInput) as error:
        catalog.update_microcredential(
            db, two.aurora.actor, mc, {"required_microcredentials": [mc]}
        )
    assert _problems(error) == {
        "required_microcredentials.0": "a microcredential cannot require itself"
    }


def test_cycles_are_refused_and_never_published(db: Session, two: Providers) -> None:
    a = two.publish(two.aurora, "A")
    b = two.publish(two.aurora, "B", required_microcredentials=[a])
    with pytest.raises(InvalidInput) as error:
        catalog.update_microcredential(db, two.aurora.actor, a, {"required_microcredentials": [b]})
    assert _problems(error) == {
        "required_microcredentials.0": (
            f"“B” ({b}) already requires this microcredential; requiring it back would make a cycle"
        )
    }
    # Another provider's draft links are not followed: refusing would reveal them. Helix's
    # draft of D requires its draft C, which requires A; Aurora may still make A require D...
    c = two.create(two.helix, "C", required_microcredentials=[a])
    d = two.publish(two.helix, "D")
    catalog.update_microcredential(db, two.helix.actor, d, {"required_microcredentials": [c]})
    catalog.update_microcredential(db, two.aurora.actor, a, {"required_microcredentials": [d]})
    catalog.publish_microcredential(db, two.aurora.actor, a)
    # ...and the cycle is refused when Helix would make it public, every step of it named
    # (all are public or Helix's own).
    with pytest.raises(Conflict) as refused:
        catalog.publish_microcredential(db, two.helix.actor, c)
    assert f"“A” ({a}) already requires this microcredential through {d};" in str(refused.value)


def test_an_indirect_cycle_names_the_way_round(db: Session, two: Providers) -> None:
    a = two.publish(two.aurora, "A")
    b = two.publish(two.aurora, "B", required_microcredentials=[a])
    c = two.publish(two.aurora, "C", required_microcredentials=[b])
    d = two.create(two.aurora, "D", required_microcredentials=[c])
    with pytest.raises(InvalidInput) as error:
        catalog.update_microcredential(db, two.aurora.actor, a, {"required_microcredentials": [d]})
    (message,) = _problems(error).values()
    assert message.startswith(f"“D” ({d}) already requires this microcredential through {c} → {b};")


def test_replacing_a_drafts_links_is_no_cycle(db: Session, two: Providers) -> None:
    """A's own published links are being replaced by its draft: they do not count."""
    b = two.publish(two.aurora, "B")
    a = two.publish(two.aurora, "A", required_microcredentials=[b])
    # B may now require A only if A stops requiring B: A's new draft drops it first.
    catalog.update_microcredential(db, two.aurora.actor, a, {"required_microcredentials": []})
    with pytest.raises(InvalidInput):  # A's published version still requires B
        catalog.update_microcredential(db, two.aurora.actor, b, {"required_microcredentials": [a]})
    catalog.publish_microcredential(db, two.aurora.actor, a)
    updated = catalog.update_microcredential(
        db, two.aurora.actor, b, {"required_microcredentials": [a]}
    )
    assert [link.required_id for link in updated.prerequisite_links] == [a]


def test_own_drafts_may_be_required_but_must_be_published_first(
    db: Session, two: Providers
) -> None:
    intro = two.create(two.aurora, "Intro (draft)")
    advanced = two.create(two.aurora, "Advanced", required_microcredentials=[intro])
    with pytest.raises(Conflict) as refused:
        catalog.publish_microcredential(db, two.aurora.actor, advanced)
    assert f"“Intro (draft)” ({intro}) is not published: publish it first" in refused.value.detail
    catalog.publish_microcredential(db, two.aurora.actor, intro)
    published = catalog.publish_microcredential(db, two.aurora.actor, advanced)
    assert published.status is VersionStatus.PUBLISHED


def test_retired_ones_cannot_be_required(db: Session, two: Providers) -> None:
    old = two.publish(two.helix, "Old course")
    catalog.retire_microcredential(db, two.helix.actor, old)
    with pytest.raises(InvalidInput) as error:
        two.create(two.aurora, "Advanced", required_microcredentials=[old])
    assert _problems(error) == {"required_microcredentials.0": f"“Old course” ({old}) is retired"}


def test_editing_a_published_version_copies_its_links_into_the_new_draft(
    db: Session, two: Providers
) -> None:
    intro = two.publish(two.aurora, "Intro")
    other = two.publish(two.helix, "Other")
    mc = two.publish(two.aurora, "Advanced", required_microcredentials=[other, intro])
    draft = catalog.update_microcredential(db, two.aurora.actor, mc, {"workload_hours": 80})
    assert draft.number == 2
    assert [link.required_id for link in draft.prerequisite_links] == [other, intro]
    # Changing the draft's list leaves the published version as it was.
    catalog.update_microcredential(db, two.aurora.actor, mc, {"required_microcredentials": None})
    public = catalog.access_microcredential(db, two.aurora.actor, mc)
    assert public.number == 1
    assert [link.required_id for link in public.prerequisite_links] == [other, intro]
    latest = catalog.access_microcredential(db, two.aurora.actor, mc, latest=True)
    assert latest.prerequisite_links == []


def test_published_offers_carry_the_published_versions_requirements(
    db: Session, two: Providers
) -> None:
    intro = two.publish(two.aurora, "Intro")
    other = two.publish(two.helix, "Other")
    mc = two.publish(two.aurora, "Advanced", required_microcredentials=[intro])
    # A draft's links are not offered until it is published.
    catalog.update_microcredential(
        db, two.aurora.actor, mc, {"required_microcredentials": [intro, other]}
    )
    offers = {offer.id: offer for offer in catalog.published_offers(db)}
    assert offers[mc].prerequisites == {intro}
    assert offers[intro].prerequisites == frozenset()


def test_requirable_lists_the_providers_own_but_itself_and_retired_ones(
    db: Session, two: Providers
) -> None:
    live = two.publish(two.aurora, "Live")
    draft = two.create(two.aurora, "Draft")
    gone = two.publish(two.aurora, "Gone")
    catalog.retire_microcredential(db, two.aurora.actor, gone)
    two.publish(two.helix, "Helix's")
    offered = catalog.requirable_microcredentials(db, two.aurora.actor, "aurora", exclude=draft)
    assert [(ref.id, ref.title, live_) for ref, live_ in offered] == [(live, "Live", True)]


def test_find_path_is_a_shortest_way_along_the_links() -> None:
    graph = {1: {2, 3}, 2: {4}, 3: {4}, 4: {5}}
    assert find_path(graph, 1, 5) == [1, 2, 4, 5]
    assert find_path(graph, 4, 1) is None
    assert find_path(graph, 7, 7) == [7]
