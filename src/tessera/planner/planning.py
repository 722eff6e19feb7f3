"""The planner's entry point: check, prepare, optimise, schedule, find alternatives."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from tessera.planner.alternatives import find_alternatives
from tessera.planner.diagnose import explain, partial_plan
from tessera.planner.model import (
    Candidate,
    Constraints,
    Explanation,
    Objective,
    Plan,
    PlanItem,
    PlanResult,
    PlanStats,
    Target,
)
from tessera.planner.optimize import (
    Limits,
    Request,
    Selection,
    covered,
    objective_value,
    select,
    weeks_of,
)
from tessera.planner.prepare import Problem, prepare
from tessera.planner.timeline import schedule
from tessera.planner.validate import check_request

DEFAULT_TIME_LIMIT_S = 10.0


def plan_skill_gap(
    candidates: Sequence[Candidate],
    target: Target,
    constraints: Constraints,
    objective: Objective | None = None,
    *,
    alternatives: int = 3,
    min_replaced: int = 1,
    time_limit: float = DEFAULT_TIME_LIMIT_S,
) -> PlanResult:
    """The optimal plan closing the target's skill gap within the constraints, with up to
    `alternatives` meaningfully different ones (see tessera.planner.alternatives).

    Raises InvalidInput for input that cannot mean anything; contradictory limits give a
    result with an explanation instead. `time_limit` bounds each solver call (seconds); a
    plan found when it runs out is returned with `optimal` False.
    """
    objective = objective or Objective()
    check_request(
        candidates, target, constraints, objective, alternatives, min_replaced, time_limit
    )
    problem = prepare(candidates, target, constraints, objective)
    limits = Limits.of(constraints)
    stats = PlanStats(problem.given, problem.passing, problem.relevant, len(problem.candidates))

    best = select(problem, limits, Request(), time_limit)
    if best == "timeout":
        message = f"No plan was found within the time limit of {time_limit:g} s."
        return _result(problem, stats, explanation=Explanation(message, ()))
    if best == "infeasible":
        partial = partial_plan(problem, limits, time_limit)
        return _result(
            problem,
            stats,
            explanation=explain(problem, limits, time_limit),
            partial=build_plan(problem, partial) if partial is not None else None,
        )
    others = find_alternatives(problem, limits, best, alternatives, min_replaced, time_limit)
    return _result(
        problem,
        stats,
        plan=build_plan(problem, best),
        alternatives=tuple(build_plan(problem, other) for other in others),
    )


def _result(
    problem: Problem,
    stats: PlanStats,
    plan: Plan | None = None,
    alternatives: tuple[Plan, ...] = (),
    explanation: Explanation | None = None,
    partial: Plan | None = None,
) -> PlanResult:
    return PlanResult(
        plan=plan,
        alternatives=alternatives,
        uncoverable=problem.uncoverable,
        already_held=problem.already_held,
        explanation=explanation,
        partial=partial,
        stats=stats,
    )


def build_plan(problem: Problem, selection: Selection) -> Plan:
    chosen = [problem.candidates[i] for i in sorted(selection.ids)]
    items = tuple(
        PlanItem(
            candidate=candidate,
            stage=stage,
            start_week=start,
            end_week=end,
            covers=tuple(sorted(candidate.skills & problem.gap)),
        )
        for candidate, stage, start, end in schedule(chosen, problem.stages, problem.capacity)
    )
    skills = covered(problem, selection.ids)
    credits = [c.ects for c in chosen if c.ects is not None]
    return Plan(
        items=items,
        price=sum((c.price for c in chosen), Decimal(0)),
        hours=sum(c.hours for c in chosen),
        weeks=weeks_of(problem, selection.ids),
        ects=sum(credits, Decimal(0)) if credits else None,
        essential_covered=tuple(s for s in problem.essential if s in skills),
        essential_missing=tuple(s for s in problem.essential if s not in skills),
        nice_to_have_covered=tuple(sorted(s for s in problem.nice if s in skills)),
        pathways=tuple(sorted(set().union(*(c.pathways for c in chosen)))),
        objective=objective_value(problem, selection.ids),
        optimal=selection.optimal,
    )
