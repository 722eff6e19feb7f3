"""From a request to the problem the optimiser sees: eligibility, relevance and dominance.

1. Eligible: passes the learner's filters (language, mode, highest EQF level, providers), is
   not held already, and every prerequisite is held or eligible itself (no cycle, nothing
   unknown).  Below a role's minimum EQF level a microcredential covers no skill of the
   target (it does not teach them at the level the role asks for), but it stays eligible as
   a prerequisite of one that does: a level-7 course may well build on a level-4 one.
   Prerequisites are only followed from candidates covering a gap skill: the rest of the
   catalog cannot matter.
2. Coverable gap skills are those some eligible microcredential covers; the others are
   reported as uncoverable and play no further part.
3. Relevant: covers a gap skill worth something (an essential one, or a nice-to-have one when
   the objective rewards them), or is a prerequisite, however indirect, of one that does.
4. Dominated ones are dropped where that is safe: X goes when nothing relevant needs X and
   some Y of the same stage, needing no prerequisite X does not need, covers every useful
   skill X covers for no more money, hours and weeks. Swapping X for Y in any plan keeps it
   feasible and no worse under every objective and limit (Y's stage only gets lighter), so
   the optimum is unchanged. Exact ties keep the lowest id.

Limits (budget, hours, deadline) are not applied here: the optimiser drops what cannot fit
them per solve, so the same problem also serves to explain contradictory limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from tessera.planner.model import Candidate, Constraints, GapSkill, Objective, Target
from tessera.planner.timeline import capacity_of, finish_weeks, stage_numbers


@dataclass(frozen=True, slots=True)
class Problem:
    candidates: dict[int, Candidate]  # the modelled ones, by id, in id order
    stages: dict[int, int]
    needs: dict[int, tuple[int, ...]]  # prerequisites not held (all modelled)
    closure_price: dict[int, Decimal]  # of the candidate and all it needs, however indirectly
    closure_hours: dict[int, int]
    closure_weeks: dict[int, int]
    capacity: Fraction
    objective: Objective
    gap: frozenset[str]  # target skills not held
    essential: tuple[str, ...]  # coverable essential skills, sorted
    nice: dict[str, float]  # coverable nice-to-have skill -> weight
    uncoverable: tuple[GapSkill, ...]
    already_held: tuple[str, ...]
    given: int
    passing: int  # the learner's filters
    relevant: int


def prepare(
    candidates: Sequence[Candidate],
    target: Target,
    limits: Constraints,
    objective: Objective,
) -> Problem:
    held = target.held_credentials
    held_skills = target.held_skills.union(*(c.skills for c in candidates if c.id in held))
    gap = {g.skill: g for g in target.skills if g.skill not in held_skills}
    candidates = [_at_level(c, limits.min_eqf) for c in candidates]
    passing = {c.id: c for c in candidates if _passes_filters(c, limits, held)}
    # Only what covers a gap skill, and what that needs, can matter: stages (and with them
    # whether prerequisites can be met) are worked out on that part of the catalog alone.
    covering = {i for i, c in passing.items() if not c.skills.isdisjoint(gap)}
    considered = _with_prerequisites(covering, passing, held)
    stages = stage_numbers({i: passing[i] for i in considered}, held)
    eligible = {i: passing[i] for i in sorted(stages)}

    offered = set().union(*(c.skills for c in eligible.values())) if eligible else set()
    coverable = {skill: g for skill, g in gap.items() if skill in offered}
    essential = tuple(sorted(s for s, g in coverable.items() if g.essential))
    nice = {s: g.weight for s, g in coverable.items() if not g.essential}
    useful = set(essential) | (set(nice) if objective.nice_to_have > 0 else set())

    relevant = _with_prerequisites(
        {i for i, c in eligible.items() if not c.skills.isdisjoint(useful)}, eligible, held
    )
    needs = {
        i: tuple(sorted(p for p in eligible[i].prerequisites if p not in held)) for i in relevant
    }
    kept = relevant - _dominated(relevant, eligible, stages, needs, useful)

    modelled = {i: eligible[i] for i in sorted(kept)}
    capacity = capacity_of(limits.weekly_hours)
    closures = _closures(modelled, stages, needs)
    return Problem(
        candidates=modelled,
        stages={i: stages[i] for i in modelled},
        needs={i: needs[i] for i in modelled},
        closure_price={
            i: sum((eligible[j].price for j in s), Decimal(0)) for i, s in closures.items()
        },
        closure_hours={i: sum(eligible[j].hours for j in s) for i, s in closures.items()},
        closure_weeks={
            i: finish_weeks((eligible[j] for j in s), stages, capacity)
            for i, s in closures.items()
        },
        capacity=capacity,
        objective=objective,
        gap=frozenset(gap),
        essential=essential,
        nice=nice,
        uncoverable=tuple(g for s, g in gap.items() if s not in coverable),
        already_held=tuple(g.skill for g in target.skills if g.skill in held_skills),
        given=len(candidates),
        passing=len(passing),
        relevant=len(relevant),
    )


def _passes_filters(candidate: Candidate, limits: Constraints, held: frozenset[int]) -> bool:
    return not (
        candidate.id in held
        or (limits.languages and not candidate.languages & limits.languages)
        or (limits.modes and candidate.mode not in limits.modes)
        or (
            limits.max_eqf is not None
            and candidate.eqf is not None
            and candidate.eqf > limits.max_eqf
        )
        or (limits.providers and candidate.provider not in limits.providers)
        or candidate.provider in limits.exclude_providers
    )


def _at_level(candidate: Candidate, min_eqf: int | None) -> Candidate:
    """The candidate as the target sees it: below the minimum level it teaches none of its
    skills (a course without a stated level is taken at its word, see Constraints)."""
    if min_eqf is None or candidate.eqf is None or candidate.eqf >= min_eqf:
        return candidate
    return replace(candidate, skills=frozenset())


def _with_prerequisites(
    ids: set[int], pool: dict[int, Candidate], held: frozenset[int]
) -> set[int]:
    """`ids` and every prerequisite in `pool` they need, however indirectly."""
    found = set(ids)
    todo = list(ids)
    while todo:
        for prerequisite in pool[todo.pop()].prerequisites:
            if prerequisite in pool and prerequisite not in found and prerequisite not in held:
                found.add(prerequisite)
                todo.append(prerequisite)
    return found


def _closures(
    modelled: dict[int, Candidate], stages: dict[int, int], needs: dict[int, tuple[int, ...]]
) -> dict[int, frozenset[int]]:
    closures: dict[int, frozenset[int]] = {}
    # A prerequisite's stage is lower, so it is done first.
    for i in sorted(modelled, key=lambda i: stages[i]):
        closures[i] = frozenset({i}).union(*(closures[p] for p in needs[i]))
    return closures


def _dominated(
    relevant: set[int],
    eligible: dict[int, Candidate],
    stages: dict[int, int],
    needs: dict[int, tuple[int, ...]],
    useful: set[str],
) -> set[int]:
    needed = {p for i in relevant for p in needs[i]}
    covering: dict[str, list[int]] = {}
    for i in relevant:
        for skill in eligible[i].skills & useful:
            covering.setdefault(skill, []).append(i)

    def rank(i: int) -> tuple[Decimal, int, int, int, int]:
        c = eligible[i]
        return (c.price, c.hours, c.weeks, -len(c.skills & useful), i)

    dropped = set()
    for i in relevant - needed:
        mine = eligible[i]
        skills = mine.skills & useful
        if not skills:
            continue
        rarest = min(skills, key=lambda s: len(covering[s]))
        for j in covering[rarest]:
            other = eligible[j]
            if (
                j != i
                and other.price <= mine.price
                and other.hours <= mine.hours
                and other.weeks <= mine.weeks
                and stages[j] == stages[i]
                and rank(j) < rank(i)
                and skills <= other.skills
                and set(needs[j]) <= set(needs[i])
            ):
                dropped.add(i)
                break
    return dropped
