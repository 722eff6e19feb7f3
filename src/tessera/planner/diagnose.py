"""Explaining limits that no plan can meet together, and the best plan within them.

For each limit the learner set (budget, total hours, deadline) two optima are computed over
plans that cover every coverable essential skill: the least amount of that resource any such
plan needs with no limits at all, and with the other limits in force. A limit binds when
either exceeds it; the explanation names each binding limit with the numbers, e.g. "The
cheapest way to cover the essential skills costs 1,240; your budget is 800."

With one or two limits, at least one always binds (a plan meeting the others within this
limit would meet them all). With three, each may be reachable alone yet every pair conflict;
the explanation then says so and lists all three.

The partial plan covers as many essential skills as the limits allow (first optimum), then is
the best such plan under the learner's objective (second optimum).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from tessera.planner.model import BindingLimit, Explanation, LimitName
from tessera.planner.optimize import Limits, Request, Selection, select, weeks_of
from tessera.planner.prepare import Problem

_GOALS: dict[LimitName, Literal["price", "hours", "weeks"]] = {
    "budget": "price",
    "max_hours": "hours",
    "deadline_weeks": "weeks",
}


def explain(problem: Problem, limits: Limits, time_limit: float) -> Explanation:
    found = []
    for name, goal in _GOALS.items():
        value: Decimal | int | None = getattr(limits, name)
        if value is None:
            continue
        needed = _least(problem, Limits(), goal, time_limit)
        if needed is None:
            continue  # the solver gave up: say nothing rather than something wrong
        within = _least(problem, limits.without(name), goal, time_limit)
        message = _message(problem, name, value, needed, within)
        found.append(BindingLimit(name, value, needed, within, message))
    binding = [
        b
        for b in found
        if b.needed > b.value
        or (b.needed_within_other_limits is not None and b.needed_within_other_limits > b.value)
    ]
    if binding:
        return Explanation(" ".join(b.message for b in binding), tuple(binding))
    if len(found) < 3:
        return Explanation("No plan covers the essential skills within all your limits.", ())
    # Three limits, each reachable alone, none of which can be dropped: every pair conflicts.
    return Explanation(
        "Each of your limits can be met on its own, but no two together: "
        + " ".join(b.message for b in found),
        tuple(found),
    )


def partial_plan(problem: Problem, limits: Limits, time_limit: float) -> Selection | None:
    most = select(problem, limits, Request("coverage", cover_essentials=False), time_limit)
    if not isinstance(most, Selection):
        return None
    count = len(_covered_essentials(problem, most.ids))
    if count == 0:
        return None
    best = select(
        problem,
        limits,
        Request("objective", cover_essentials=False, min_essentials=count),
        time_limit,
    )
    if not isinstance(best, Selection):
        return most
    return best


def _covered_essentials(problem: Problem, ids: frozenset[int]) -> set[str]:
    skills: set[str] = set()
    for i in ids:
        skills |= problem.candidates[i].skills
    return skills & set(problem.essential)


def _least(
    problem: Problem, limits: Limits, goal: Literal["price", "hours", "weeks"], time_limit: float
) -> Decimal | int | None:
    outcome = select(problem, limits, Request(goal), time_limit)
    if not isinstance(outcome, Selection):
        return None
    if goal == "price":
        return sum((problem.candidates[i].price for i in outcome.ids), Decimal(0))
    if goal == "hours":
        return sum(problem.candidates[i].hours for i in outcome.ids)
    return weeks_of(problem, outcome.ids)


def money(value: Decimal | int) -> str:
    """1,240 for a whole amount, 1,240.50 otherwise."""
    amount = Decimal(value)
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


def _message(
    problem: Problem,
    name: LimitName,
    value: Decimal | int,
    needed: Decimal | int,
    within: Decimal | int | None,
) -> str:
    alone = needed > value or within is None
    amount = needed if alone else within
    lead = "The" if alone else "Within your other limits, the"
    if name == "budget":
        return (
            f"{lead} cheapest way to cover the essential skills costs {money(amount or 0)}; "
            f"your budget is {money(value)}."
        )
    if name == "max_hours":
        return (
            f"{lead} way to cover the essential skills with the fewest study hours needs "
            f"{amount:,} hours; your limit is {value:,} hours."
        )
    pace = f"{float(problem.capacity):g}"
    return (
        f"{lead} quickest way to cover the essential skills takes {amount:,} weeks at {pace} "
        f"hours a week; your deadline is {value:,} weeks."
    )
