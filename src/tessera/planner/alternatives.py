"""Meaningfully different alternative plans.

"Meaningfully different" means: an alternative leaves out at least `min_replaced` of the
microcredentials of the optimal plan and of every alternative before it (all of them, if a
plan has fewer), so it is never the same plan with something added or merely reordered, and it
is never empty. Each alternative is the best plan under that rule (a no-good cut per earlier
plan, Σ_{i in P} x_i ≤ |P| - min_replaced), so they come in order of objective, each no better
than the optimum. Fewer come back when no other feasible plan exists.
"""

from __future__ import annotations

from tessera.planner.optimize import Limits, Request, Selection, select
from tessera.planner.prepare import Problem


def find_alternatives(
    problem: Problem,
    limits: Limits,
    best: Selection,
    count: int,
    min_replaced: int,
    time_limit: float,
) -> list[Selection]:
    if not best.ids:
        return []  # nothing to learn: any other plan would only add cost
    plans = [best.ids]
    found: list[Selection] = []
    while len(found) < count:
        request = Request(cuts=tuple(plans), min_replaced=min_replaced, non_empty=True)
        outcome = select(problem, limits, request, time_limit)
        if not isinstance(outcome, Selection) or not outcome.ids:
            break  # none left, or only plans padded with items that add nothing
        found.append(outcome)
        plans.append(outcome.ids)
    return found
