"""Required microcredentials: the structured side of the EU "prerequisites" element.

A version lists other microcredentials a learner must hold (or take first). The rules:

* each one exists and is offered: it has a published version, or it is a draft of the same
  provider (a provider often designs a series together). Another provider's draft is
  reported as unknown, so its existence is not revealed; a retired one is refused.
* a version can be published only once everything it requires is published;
* never the microcredential itself, and no cycle (A requires B requires A) through the links
  the provider's staff can see: those of published versions and of the provider's own drafts.
  Another provider's draft links are not followed (a refusal would reveal them); a cycle
  through them is refused when that draft is published, where every link on the way round is
  public. So no cycle is ever published, and the planner never meets one.

Only the catalog services call this module; it reads, never writes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from tessera.catalog.models import Microcredential, MicrocredentialVersion, VersionPrerequisite
from tessera.catalog.schemas import MicrocredentialRef
from tessera.catalog.vocab import VersionStatus
from tessera.errors import FieldProblem

FIELD = "required_microcredentials"
_OF_VERSION = MicrocredentialVersion.id == VersionPrerequisite.version_id


@dataclass(frozen=True, slots=True)
class Standing:
    """What the rules need to know of a microcredential."""

    provider_id: int
    title: str  # of the version the public sees, else of the latest
    published: bool
    retired: bool

    def known_to(self, provider_id: int) -> bool:
        """Whether staff of the provider may learn of it: public, or their own."""
        return self.published or self.retired or self.provider_id == provider_id


def standings(db: Session, ids: Iterable[int]) -> dict[int, Standing]:
    """The standing of each existing microcredential among `ids`, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.execute(
        select(
            MicrocredentialVersion.microcredential_id,
            Microcredential.provider_id,
            MicrocredentialVersion.status,
            MicrocredentialVersion.title,
        )
        .join(Microcredential, Microcredential.id == MicrocredentialVersion.microcredential_id)
        .where(MicrocredentialVersion.microcredential_id.in_(wanted))
        .order_by(MicrocredentialVersion.microcredential_id, MicrocredentialVersion.number)
    ).all()
    versions: dict[int, list[tuple[int, VersionStatus, str]]] = {}
    for mc_id, provider_id, status, title in rows:
        versions.setdefault(mc_id, []).append((provider_id, status, title))
    result = {}
    for mc_id, found in versions.items():
        by_status = {status: title for _provider, status, title in found}
        public = by_status.get(VersionStatus.PUBLISHED) or by_status.get(VersionStatus.RETIRED)
        result[mc_id] = Standing(
            provider_id=found[0][0],
            title=public or found[-1][2],
            published=VersionStatus.PUBLISHED in by_status,
            retired=VersionStatus.RETIRED in by_status and VersionStatus.PUBLISHED not in by_status,
        )
    return result


def refs(db: Session, ids: Sequence[int]) -> list[MicrocredentialRef]:
    """`{id, title}` of each microcredential, in the given order."""
    found = standings(db, ids)
    return [MicrocredentialRef(id=i, title=found[i].title) for i in ids if i in found]


def check(
    db: Session,
    *,
    provider_id: int,
    microcredential_id: int | None,
    required: Sequence[int | None],
    for_publishing: bool = False,
) -> list[FieldProblem]:
    """Every problem with the list of required microcredentials of a version of
    `microcredential_id` (None while it is being created) from `provider_id`. A None entry
    is a malformed one, reported elsewhere: it keeps the others' positions."""
    problems: list[FieldProblem] = []
    found = standings(db, (i for i in required if i is not None))
    acceptable = []
    for index, required_id in enumerate(required):
        if required_id is None:
            continue
        where = f"{FIELD}.{index}"
        standing = found.get(required_id)
        if required_id == microcredential_id:
            problems.append(FieldProblem(where, "a microcredential cannot require itself"))
        elif standing is None or not standing.known_to(provider_id):
            problems.append(FieldProblem(where, f"no published microcredential {required_id}"))
        elif standing.retired:
            problems.append(
                FieldProblem(where, f"“{standing.title}” ({required_id}) is retired")
            )
        elif for_publishing and not standing.published:
            problems.append(
                FieldProblem(
                    where, f"“{standing.title}” ({required_id}) is not published: publish it first"
                )
            )
        else:
            acceptable.append((index, required_id))
    if microcredential_id is None or not acceptable:
        return problems  # nothing can require a microcredential that does not exist yet
    graph = _reachable_links(db, [i for _, i in acceptable], microcredential_id, provider_id)
    for index, required_id in acceptable:
        path = find_path(graph, required_id, microcredential_id)
        if path is not None:
            problems.append(
                FieldProblem(
                    f"{FIELD}.{index}",
                    f"“{found[required_id].title}” ({required_id}) already requires this "
                    f"microcredential{_via(path[1:-1])}; requiring it back "
                    "would make a cycle",
                )
            )
    return problems


def _via(between: list[int]) -> str:
    """The way round a cycle: every step on it is public or the provider's own (see
    `_reachable_links`), so naming them reveals nothing."""
    if not between:
        return ""
    return " through " + " → ".join(str(i) for i in between)


def _reachable_links(
    db: Session, start: Collection[int], stop: int, provider_id: int
) -> dict[int, frozenset[int]]:
    """What each microcredential reachable from `start` requires in its published version,
    or in its draft if it is `provider_id`'s own, one query per level of the chain. `stop`
    (the one being edited) is not followed: its links are the ones being replaced."""
    graph: dict[int, frozenset[int]] = {}
    frontier = set(start) - {stop}
    while frontier:
        rows = db.execute(
            select(MicrocredentialVersion.microcredential_id, VersionPrerequisite.required_id)
            .join(MicrocredentialVersion, _OF_VERSION)
            .join(Microcredential, Microcredential.id == MicrocredentialVersion.microcredential_id)
            .where(
                MicrocredentialVersion.microcredential_id.in_(frontier),
                or_(
                    MicrocredentialVersion.status == VersionStatus.PUBLISHED,
                    and_(
                        MicrocredentialVersion.status == VersionStatus.DRAFT,
                        Microcredential.provider_id == provider_id,
                    ),
                ),
            )
        ).all()
        found: dict[int, set[int]] = {i: set() for i in frontier}
        for mc_id, required_id in rows:
            found[mc_id].add(required_id)
        graph.update((i, frozenset(links)) for i, links in found.items())
        frontier = {r for links in found.values() for r in links} - graph.keys() - {stop}
    return graph


def find_path(graph: Mapping[int, Collection[int]], start: int, goal: int) -> list[int] | None:
    """A shortest path of requirements from `start` to `goal` (both included), or None."""
    previous: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while (before := previous[path[-1]]) is not None:
                path.append(before)
            return path[::-1]
        for following in sorted(graph.get(node, ())):
            if following not in previous:
                previous[following] = node
                queue.append(following)
    return None


def published_requirements(db: Session) -> dict[int, frozenset[int]]:
    """Published version id -> the microcredentials it requires, for the whole catalog."""
    rows = db.execute(
        select(VersionPrerequisite.version_id, VersionPrerequisite.required_id)
        .join(MicrocredentialVersion, _OF_VERSION)
        .where(MicrocredentialVersion.status == VersionStatus.PUBLISHED)
    ).all()
    links: dict[int, set[int]] = {}
    for version_id, required_id in rows:
        links.setdefault(version_id, set()).add(required_id)
    return {version_id: frozenset(ids) for version_id, ids in links.items()}
