"""Input checks: every problem of a planning request at once, as InvalidInput field problems.

Contradictory limits are not bad input (they get an explanation); values that cannot mean
anything are: a negative budget, no weekly study time, an empty target.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from tessera.errors import FieldProblem, InvalidInput
from tessera.planner.model import (
    EQF_LEVELS,
    PARTICIPATION_MODES,
    Candidate,
    Constraints,
    Objective,
    Target,
)
from tessera.planner.timeline import capacity_of

HOURS_IN_A_WEEK = 168
MAX_ALTERNATIVES = 10


def check_request(
    candidates: Sequence[Candidate],
    target: Target,
    constraints: Constraints,
    objective: Objective,
    alternatives: int,
    min_replaced: int,
    time_limit: float,
) -> None:
    problems = [
        *_target_problems(target),
        *_constraint_problems(constraints),
        *_objective_problems(objective),
        *_candidate_problems(candidates),
    ]
    if not 0 <= alternatives <= MAX_ALTERNATIVES:
        problems.append(FieldProblem("alternatives", f"must be 0 to {MAX_ALTERNATIVES}"))
    if min_replaced < 1:
        problems.append(FieldProblem("min_replaced", "must be at least 1"))
    if not (_finite(time_limit) and time_limit > 0):
        problems.append(FieldProblem("time_limit", "must be a positive number of seconds"))
    if problems:
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems[:5])
        raise InvalidInput(f"Invalid planning request: {summary}", problems)


def _finite(value: Decimal | float | int) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return math.isfinite(value)


def _target_problems(target: Target) -> list[FieldProblem]:
    if not target.skills:
        return [FieldProblem("target.skills", "name at least one skill")]
    problems = []
    seen: set[str] = set()
    for index, gap in enumerate(target.skills):
        where = f"target.skills.{index}"
        if not gap.skill.strip():
            problems.append(FieldProblem(f"{where}.skill", "must not be empty"))
        elif gap.skill in seen:
            problems.append(FieldProblem(f"{where}.skill", f"{gap.skill} is listed twice"))
        seen.add(gap.skill)
        if not gap.essential and not (_finite(gap.weight) and gap.weight > 0):
            problems.append(FieldProblem(f"{where}.weight", "must be a positive number"))
    return problems


def _constraint_problems(limits: Constraints) -> list[FieldProblem]:
    problems = []
    weekly = limits.weekly_hours
    if not _finite(weekly) or capacity_of(weekly) <= 0:
        problems.append(FieldProblem("constraints.weekly_hours", "must be at least 0.01 hours"))
    elif weekly > HOURS_IN_A_WEEK:
        problems.append(
            FieldProblem("constraints.weekly_hours", f"a week has only {HOURS_IN_A_WEEK} hours")
        )
    if limits.budget is not None and not (_finite(limits.budget) and limits.budget >= 0):
        problems.append(FieldProblem("constraints.budget", "must not be negative"))
    if limits.max_hours is not None and limits.max_hours < 0:
        problems.append(FieldProblem("constraints.max_hours", "must not be negative"))
    if limits.deadline_weeks is not None and limits.deadline_weeks < 1:
        problems.append(FieldProblem("constraints.deadline_weeks", "must be at least 1 week"))
    if limits.max_eqf is not None and limits.max_eqf not in EQF_LEVELS:
        problems.append(FieldProblem("constraints.max_eqf", "must be an EQF level, 1 to 8"))
    if limits.min_eqf is not None and limits.min_eqf not in EQF_LEVELS:
        problems.append(FieldProblem("constraints.min_eqf", "must be an EQF level, 1 to 8"))
    elif (
        limits.min_eqf is not None
        and limits.max_eqf is not None
        and limits.min_eqf > limits.max_eqf
    ):
        problems.append(
            FieldProblem("constraints.min_eqf", f"is above the highest level, {limits.max_eqf}")
        )
    unknown = sorted(limits.modes - PARTICIPATION_MODES)
    if unknown:
        problems.append(
            FieldProblem("constraints.modes", f"unknown participation modes: {', '.join(unknown)}")
        )
    both = sorted(limits.providers & limits.exclude_providers)
    if both:
        problems.append(
            FieldProblem(
                "constraints.exclude_providers",
                f"both required and excluded: {', '.join(both)}",
            )
        )
    return problems


def _objective_problems(objective: Objective) -> list[FieldProblem]:
    weights = {
        "cost": objective.cost,
        "hours": objective.hours,
        "weeks": objective.weeks,
        "nice_to_have": objective.nice_to_have,
    }
    problems = [
        FieldProblem(f"objective.{name}", "must be a number, zero or more")
        for name, value in weights.items()
        if not (_finite(value) and value >= 0)
    ]
    if not problems and objective.cost + objective.hours + objective.weeks <= 0:
        problems.append(
            FieldProblem("objective", "give a positive weight to cost, hours or weeks")
        )
    return problems


def _candidate_problems(candidates: Sequence[Candidate]) -> list[FieldProblem]:
    problems = []
    seen: set[int] = set()
    for index, candidate in enumerate(candidates):
        if candidate.id not in seen and _plainly_valid(candidate):
            seen.add(candidate.id)
            continue  # the common case, checked fast: catalogs have thousands
        where = f"candidates.{index}"
        if candidate.id in seen:
            problems.append(FieldProblem(f"{where}.id", f"{candidate.id} is listed twice"))
        seen.add(candidate.id)
        if not (_finite(candidate.price) and candidate.price >= 0):
            problems.append(FieldProblem(f"{where}.price", "must not be negative"))
        if candidate.hours < 0:
            problems.append(FieldProblem(f"{where}.hours", "must not be negative"))
        if candidate.weeks < 1:
            problems.append(FieldProblem(f"{where}.weeks", "must be at least 1 week"))
        if candidate.mode not in PARTICIPATION_MODES:
            problems.append(
                FieldProblem(f"{where}.mode", f"unknown participation mode {candidate.mode!r}")
            )
        if candidate.eqf is not None and candidate.eqf not in EQF_LEVELS:
            problems.append(FieldProblem(f"{where}.eqf", "must be an EQF level, 1 to 8"))
        if candidate.ects is not None and not (_finite(candidate.ects) and candidate.ects >= 0):
            problems.append(FieldProblem(f"{where}.ects", "must not be negative"))
        if candidate.id in candidate.prerequisites:
            problems.append(
                FieldProblem(f"{where}.prerequisites", "cannot be its own prerequisite")
            )
    return problems


def _plainly_valid(candidate: Candidate) -> bool:
    return (
        candidate.price.is_finite()
        and candidate.price >= 0
        and candidate.hours >= 0
        and candidate.weeks >= 1
        and candidate.mode in PARTICIPATION_MODES
        and (candidate.eqf is None or candidate.eqf in EQF_LEVELS)
        and (candidate.ects is None or (candidate.ects.is_finite() and candidate.ects >= 0))
        and candidate.id not in candidate.prerequisites
    )
