"""The MILP: which microcredentials to choose.

Variables: x_i ∈ {0,1} per modelled microcredential; w_k ∈ integer >= 0, the weeks of stage k (only
when time matters: a deadline, or weeks in the objective); y_s ∈ [0,1] per nice-to-have skill
s when the objective rewards them (z_s likewise per essential skill for a partial plan).

    every coverable essential skill s:   Σ_{i covers s} x_i ≥ 1
    prerequisite p of i (not held):      x_i ≤ x_p
    budget / hours:                      Σ price_i x_i ≤ budget,  Σ hours_i x_i ≤ max_hours
    stage k (see timeline), i in k:      w_k ≥ weeks_i x_i,  cap·w_k ≥ Σ_{i in k} hours_i x_i
    deadline:                            Σ_k w_k ≤ deadline
    nice-to-have s:                      y_s ≤ Σ_{i covers s} x_i
    minimise  cost·Σ price_i x_i + hours·Σ hours_i x_i + weeks·Σ_k w_k - nice·Σ_s weight_s y_s

Minimising makes each w_k the stage length exactly: the smallest integer at least the longest
duration and hours / capacity. A candidate whose own prerequisites alone break a limit is left
out of the model. After solving, items that contribute nothing (no skill the plan would
otherwise miss, not needed by another) are pruned: that never worsens the objective, and keeps
free or zero-weight courses from riding along in a tie.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from tessera.planner.milp import LinearModel
from tessera.planner.model import Constraints
from tessera.planner.prepare import Problem
from tessera.planner.timeline import finish_weeks, stage_length

Goal = Literal["objective", "price", "hours", "weeks", "coverage"]


@dataclass(frozen=True, slots=True)
class Limits:
    budget: Decimal | None = None
    max_hours: int | None = None
    deadline_weeks: int | None = None

    @classmethod
    def of(cls, constraints: Constraints) -> Limits:
        return cls(constraints.budget, constraints.max_hours, constraints.deadline_weeks)

    def without(self, name: str) -> Limits:
        return replace(self, **{name: None})


@dataclass(frozen=True, slots=True)
class Selection:
    ids: frozenset[int]
    optimal: bool


@dataclass(frozen=True, slots=True)
class Request:
    """One solve: the goal, and what the chosen set must satisfy besides the limits."""

    goal: Goal = "objective"
    cover_essentials: bool = True  # False for a partial plan
    min_essentials: int = 0  # with cover_essentials False: cover at least this many
    cuts: Sequence[frozenset[int]] = ()  # earlier plans to differ from
    min_replaced: int = 1  # leave out at least this many items of each earlier plan
    non_empty: bool = False


Outcome = Selection | Literal["infeasible", "timeout"]


def select(problem: Problem, limits: Limits, request: Request, time_limit: float) -> Outcome:
    """The best set for the request, pruned; "infeasible" when there is none."""
    allowed = [i for i in problem.candidates if _fits(problem, limits, i)]
    covering = {
        skill: [i for i in allowed if skill in problem.candidates[i].skills]
        for skill in problem.essential
    }
    if request.cover_essentials and not all(covering.values()):
        return "infeasible"  # a limit rules out every course teaching some essential skill

    model = LinearModel()
    x = {i: model.variable(cost=_item_cost(problem, request.goal, i)) for i in allowed}
    for i in allowed:
        for p in problem.needs[i]:
            model.row([(x[i], 1.0), (x[p], -1.0)], upper=0.0)
    _add_essentials(model, x, covering, request)
    reward = problem.objective.nice_to_have if request.goal == "objective" else 0.0
    if reward > 0:
        _add_nice_to_have(problem, model, x, reward)
    _add_limits(problem, model, x, limits, _weeks_cost(problem, request.goal))
    for earlier in request.cuts:
        leave_out = min(request.min_replaced, len(earlier))
        model.row(((x[i], 1.0) for i in earlier if i in x), upper=len(earlier) - leave_out)
    if request.non_empty:
        model.row(((column, 1.0) for column in x.values()), lower=1.0)

    solution = model.solve(time_limit)
    if not solution.found:
        return "infeasible" if solution.status == "infeasible" else "timeout"
    chosen = {i for i, column in x.items() if solution.values[column] > 0.5}
    return Selection(prune(problem, chosen, keep_nice=reward > 0), solution.status == "optimal")


def _add_essentials(
    model: LinearModel, x: dict[int, int], covering: dict[str, list[int]], request: Request
) -> None:
    if request.cover_essentials:
        for ids in covering.values():
            model.row(((x[i], 1.0) for i in ids), lower=1.0)
        return
    # A partial plan: z_s in [0, 1] is at most the number of chosen courses teaching s, so
    # it is 1 only when s is covered. The coverage goal maximises their sum.
    covered = []
    for ids in covering.values():
        z = model.variable(cost=-1.0 if request.goal == "coverage" else 0.0, integer=False)
        model.row([(z, 1.0), *((x[i], -1.0) for i in ids)], upper=0.0)
        covered.append((z, 1.0))
    if request.min_essentials:
        model.row(covered, lower=float(request.min_essentials))


def _add_nice_to_have(
    problem: Problem, model: LinearModel, x: dict[int, int], reward: float
) -> None:
    for skill, weight in problem.nice.items():
        ids = [i for i in x if skill in problem.candidates[i].skills]
        if ids:
            y = model.variable(cost=-reward * weight, integer=False)
            model.row([(y, 1.0), *((x[i], -1.0) for i in ids)], upper=0.0)


def _add_limits(
    problem: Problem, model: LinearModel, x: dict[int, int], limits: Limits, weeks_cost: float
) -> None:
    items = problem.candidates
    if limits.budget is not None:
        model.row(((x[i], float(items[i].price)) for i in x), upper=float(limits.budget))
    if limits.max_hours is not None:
        model.row(((x[i], float(items[i].hours)) for i in x), upper=float(limits.max_hours))
    if limits.deadline_weeks is not None or weeks_cost:
        _add_stages(problem, model, x, weeks_cost, limits.deadline_weeks)


def _fits(problem: Problem, limits: Limits, i: int) -> bool:
    """Whether the candidate with everything it needs fits each limit on its own."""
    return not (
        (limits.budget is not None and problem.closure_price[i] > limits.budget)
        or (limits.max_hours is not None and problem.closure_hours[i] > limits.max_hours)
        or (
            limits.deadline_weeks is not None
            and problem.closure_weeks[i] > limits.deadline_weeks
        )
    )


def _item_cost(problem: Problem, goal: Goal, i: int) -> float:
    candidate = problem.candidates[i]
    if goal == "objective":
        weights = problem.objective
        return weights.cost * float(candidate.price) + weights.hours * candidate.hours
    if goal == "price":
        return float(candidate.price)
    if goal == "hours":
        return float(candidate.hours)
    return 0.0


def _weeks_cost(problem: Problem, goal: Goal) -> float:
    if goal == "objective":
        return problem.objective.weeks
    return 1.0 if goal == "weeks" else 0.0


def _add_stages(
    problem: Problem,
    model: LinearModel,
    x: dict[int, int],
    weeks_cost: float,
    deadline: int | None,
) -> None:
    members: dict[int, list[int]] = {}
    for i in x:
        members.setdefault(problem.stages[i], []).append(i)
    capacity = float(problem.capacity)
    totals = []
    for ids in members.values():
        # The stage can never be longer than with every member in it.
        longest = stage_length((problem.candidates[i] for i in ids), problem.capacity)
        upper = min(longest, deadline) if deadline is not None else longest
        w = model.variable(cost=weeks_cost, upper=float(upper))
        for i in ids:
            model.row([(w, 1.0), (x[i], -float(problem.candidates[i].weeks))], lower=0.0)
        model.row(
            [(w, capacity), *((x[i], -float(problem.candidates[i].hours)) for i in ids)],
            lower=0.0,
        )
        totals.append((w, 1.0))
    if deadline is not None:
        model.row(totals, upper=float(deadline))


def prune(problem: Problem, chosen: Iterable[int], keep_nice: bool) -> frozenset[int]:
    """Drop items until each is needed: for a skill no other item covers, or by another."""
    kept = set(chosen)
    wanted = set(problem.essential) | (set(problem.nice) if keep_nice else set())
    required = covered(problem, kept) & wanted
    changed = True
    while changed:
        changed = False
        order = sorted(kept, key=lambda i: _prune_rank(problem, i), reverse=True)
        for i in order:
            if any(i in problem.needs[j] for j in kept):
                continue
            rest = kept - {i}
            if required <= covered(problem, rest):
                kept = rest
                changed = True
    return frozenset(kept)


def _prune_rank(problem: Problem, i: int) -> tuple[Decimal, int, int, int]:
    c = problem.candidates[i]
    return (c.price, c.hours, c.weeks, i)


def covered(problem: Problem, ids: Iterable[int]) -> set[str]:
    skills: set[str] = set()
    for i in ids:
        skills |= problem.candidates[i].skills
    return skills & problem.gap


def weeks_of(problem: Problem, ids: Iterable[int]) -> int:
    return finish_weeks((problem.candidates[i] for i in ids), problem.stages, problem.capacity)


def objective_value(problem: Problem, ids: frozenset[int]) -> float:
    """The objective of a set of ids, computed from exact totals."""
    weights = problem.objective
    price = sum((problem.candidates[i].price for i in ids), Decimal(0))
    hours = sum(problem.candidates[i].hours for i in ids)
    nice = sum(problem.nice[s] for s in covered(problem, ids) if s in problem.nice)
    value = weights.cost * float(price) + weights.hours * hours - weights.nice_to_have * nice
    if weights.weeks:
        value += weights.weeks * weeks_of(problem, ids)
    return value if not math.isclose(value, 0.0, abs_tol=1e-12) else 0.0
