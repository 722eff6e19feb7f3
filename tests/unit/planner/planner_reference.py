"""A brute-force reference planner and an independent plan checker, for the planner's tests.

Written from the definitions in the planner's docstrings, not from its code: eligibility,
stages and time to finish (tessera.planner.timeline) are re-implemented here the plain way,
and every subset of the candidates is tried.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from tessera.planner.model import Candidate, Constraints, Objective, Plan, Target


def capacity(limits: Constraints) -> Fraction:
    return Fraction(Decimal(limits.weekly_hours).quantize(Decimal("0.01"), rounding=ROUND_DOWN))


def passes_filters(c: Candidate, target: Target, limits: Constraints) -> bool:
    if c.id in target.held_credentials:
        return False
    if limits.languages and not (c.languages & limits.languages):
        return False
    if limits.modes and c.mode not in limits.modes:
        return False
    if limits.max_eqf is not None and c.eqf is not None and c.eqf > limits.max_eqf:
        return False
    if limits.providers and c.provider not in limits.providers:
        return False
    return c.provider not in limits.exclude_providers


def counted_at_level(c: Candidate, limits: Constraints) -> Candidate:
    """Below the minimum level a course may still be taken (as a prerequisite), but none of
    its skills count."""
    if limits.min_eqf is not None and c.eqf is not None and c.eqf < limits.min_eqf:
        return dataclasses.replace(c, skills=frozenset())
    return c


def held_skills(candidates: Sequence[Candidate], target: Target) -> set[str]:
    """Skills given as held, and those of held credentials among the candidates."""
    skills = set(target.held_skills)
    for c in candidates:
        if c.id in target.held_credentials:
            skills |= c.skills
    return skills


def eligible(
    candidates: Sequence[Candidate], target: Target, limits: Constraints
) -> dict[int, Candidate]:
    """Candidates that pass the filters and whose prerequisites can all be met, recursively,
    without a cycle."""
    passing = {
        c.id: counted_at_level(c, limits) for c in candidates if passes_filters(c, target, limits)
    }

    def attainable(i: int, path: frozenset[int]) -> bool:
        if i in path or i not in passing:
            return False
        return all(
            p in target.held_credentials or attainable(p, path | {i})
            for p in passing[i].prerequisites
        )

    return {i: c for i, c in passing.items() if attainable(i, frozenset())}


def stage(i: int, pool: dict[int, Candidate], held: frozenset[int]) -> int:
    needed = [p for p in pool[i].prerequisites if p not in held]
    return 1 + max((stage(p, pool, held) for p in needed), default=0)


def finish_weeks(
    ids: Iterable[int], pool: dict[int, Candidate], held: frozenset[int], cap: Fraction
) -> int:
    stages: dict[int, list[Candidate]] = {}
    for i in ids:
        stages.setdefault(stage(i, pool, held), []).append(pool[i])
    return sum(
        max(max(c.weeks for c in members), math.ceil(Fraction(sum(c.hours for c in members)) / cap))
        for members in stages.values()
    )


@dataclass(frozen=True)
class Option:
    """One structurally valid set (prerequisites met) and its totals."""

    ids: frozenset[int]
    price: Decimal
    hours: int
    weeks: int
    essentials: frozenset[str]  # coverable essential skills it covers
    nice: float  # weight of the nice-to-have skills it covers


@dataclass(frozen=True)
class Reference:
    pool: dict[int, Candidate]
    essential: frozenset[str]  # coverable essential gap skills
    uncoverable: frozenset[str]
    options: tuple[Option, ...]  # every valid set, limits not applied

    def covering(self) -> list[Option]:
        return [o for o in self.options if o.essentials == self.essential]


def solve(candidates: Sequence[Candidate], target: Target, limits: Constraints) -> Reference:
    pool = eligible(candidates, target, limits)
    held = target.held_credentials
    cap = capacity(limits)
    gap = {g.skill: g for g in target.skills if g.skill not in held_skills(candidates, target)}
    offered = set().union(*(c.skills for c in pool.values())) if pool else set()
    essential = frozenset(s for s, g in gap.items() if g.essential and s in offered)
    nice = {s: g.weight for s, g in gap.items() if not g.essential and s in offered}
    options = []
    ids = sorted(pool)
    for size in range(len(ids) + 1):
        for chosen in itertools.combinations(ids, size):
            members = set(chosen)
            if not all(
                p in members or p in held for i in chosen for p in pool[i].prerequisites
            ):
                continue
            skills = set().union(*(pool[i].skills for i in chosen)) if chosen else set()
            options.append(
                Option(
                    ids=frozenset(chosen),
                    price=sum((pool[i].price for i in chosen), Decimal(0)),
                    hours=sum(pool[i].hours for i in chosen),
                    weeks=finish_weeks(chosen, pool, held, cap),
                    essentials=frozenset(skills & essential),
                    nice=sum(w for s, w in nice.items() if s in skills),
                )
            )
    return Reference(
        pool, essential, frozenset(s for s in gap if s not in offered), tuple(options)
    )


def within(option: Option, budget: Decimal | None, hours: int | None, deadline: int | None) -> bool:
    return (
        (budget is None or option.price <= budget)
        and (hours is None or option.hours <= hours)
        and (deadline is None or option.weeks <= deadline)
    )


def value(option: Option, objective: Objective) -> float:
    return (
        objective.cost * float(option.price)
        + objective.hours * option.hours
        + objective.weeks * option.weeks
        - objective.nice_to_have * option.nice
    )


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-5)


def check_plan(
    plan: Plan,
    candidates: Sequence[Candidate],
    target: Target,
    limits: Constraints,
    *,
    partial: bool = False,
) -> None:
    """Assert that the plan is feasible and that its schedule and totals are right."""
    ref = eligible(candidates, target, limits)
    held = target.held_credentials
    cap = capacity(limits)
    ids = plan.ids
    assert len(ids) == len(plan.items)
    assert ids <= set(ref), "only eligible candidates"
    gap = {g.skill for g in target.skills} - held_skills(candidates, target)
    by_id = {item.candidate.id: item for item in plan.items}
    for item in plan.items:
        c = item.candidate
        assert item.covers == tuple(sorted(c.skills & gap))
        span = item.end_week - item.start_week + 1
        assert item.start_week >= 1
        assert span >= c.weeks, "no faster than its duration"
        assert item.stage == stage(c.id, ref, held)
        for p in c.prerequisites:
            assert p in held or p in ids, "prerequisites met"
            if p not in held:
                assert by_id[p].end_week < item.start_week, "prerequisites come first"
    # The weekly capacity holds in every week, exactly.
    for week in range(1, plan.weeks + 1):
        load = sum(
            (
                Fraction(i.candidate.hours, i.end_week - i.start_week + 1)
                for i in plan.items
                if i.start_week <= week <= i.end_week
            ),
            Fraction(0),
        )
        assert load <= cap, f"week {week}: {float(load)} hours > {float(cap)}"
    assert plan.weeks == finish_weeks(ids, ref, held, cap), "time to finish as defined"
    assert plan.weeks == max((i.end_week for i in plan.items), default=0)
    assert plan.price == sum((i.candidate.price for i in plan.items), Decimal(0))
    assert plan.hours == sum(i.candidate.hours for i in plan.items)
    if limits.budget is not None:
        assert plan.price <= limits.budget
    if limits.max_hours is not None:
        assert plan.hours <= limits.max_hours
    if limits.deadline_weeks is not None:
        assert plan.weeks <= limits.deadline_weeks
    covered = set().union(*(i.candidate.skills for i in plan.items)) if plan.items else set()
    offered = set().union(*(c.skills for c in ref.values())) if ref else set()
    essential = {g.skill for g in target.skills if g.essential} & gap & offered
    assert set(plan.essential_covered) == essential & covered
    assert set(plan.essential_missing) == essential - covered
    if not partial:
        assert not plan.essential_missing, "every coverable essential skill is covered"
