"""Time to finish, and the week-by-week schedule that achieves it.

Definition (the optimiser, the schedule and the tests all use this one):

* A microcredential's **stage** is 1 when it needs no prerequisite beyond those the learner
  holds, else 1 + the highest stage among the prerequisites it still needs. Every such
  prerequisite must be in the plan, so the stage depends on the microcredential alone, not on
  the rest of the plan.
* The plan is studied stage after stage. A stage lasts
  ``max(longest duration in it, ceil(total hours in it / weekly capacity))`` weeks: as long
  as its longest microcredential (its minimum calendar length), or longer if its workload
  does not fit the learner's weekly hours.
* **Time to finish** = the sum of the stage lengths (0 for an empty plan).

Why stages rather than "max(ceil(all hours / capacity), longest prerequisite chain)": the
latter is only a lower bound. With A → B and C → D, where A and C take a full week of the
learner's capacity each and B and D last two weeks, it gives 3 weeks, yet A and C cannot both
be done in week 1. Stages always have a schedule (below) that meets the weekly capacity, and
are what learners know as terms; the price is some slack when a stage mixes long and short
microcredentials.

Inside a stage of W weeks each microcredential gets a window of at least its duration and a
constant weekly load, placed greedily for the earliest end while keeping enough capacity in
every week for the ones not placed yet, spread over the whole stage (which always fits, since
the stage's hours are at most W times the capacity). So the weekly capacity is never exceeded
and the last stage ends exactly at the time to finish.

The weekly capacity is taken to the hundredth of an hour (rounded down), so the arithmetic is
exact and the optimiser's tolerances never blur a week boundary.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from tessera.planner.model import Candidate

HUNDREDTH = Decimal("0.01")
# Safety margin on the floating-point weekly loads when placing a window early; the fallback
# (the whole stage) is exact by construction, so the margin never makes a stage infeasible.
_MARGIN = 1e-9


def capacity_of(weekly_hours: Decimal | int) -> Fraction:
    """The weekly capacity used everywhere: hours a week, rounded down to the hundredth."""
    return Fraction(Decimal(weekly_hours).quantize(HUNDREDTH, rounding=ROUND_DOWN))


def weeks_for_hours(hours: int, capacity: Fraction) -> int:
    return math.ceil(Fraction(hours) / capacity)


def stage_length(members: Iterable[Candidate], capacity: Fraction) -> int:
    hours = 0
    longest = 0
    for candidate in members:
        hours += candidate.hours
        longest = max(longest, candidate.weeks)
    return max(longest, weeks_for_hours(hours, capacity))


def stage_lengths(
    chosen: Iterable[Candidate], stages: Mapping[int, int], capacity: Fraction
) -> dict[int, int]:
    """Stage number -> weeks, for the stages that hold at least one chosen microcredential."""
    grouped: dict[int, list[Candidate]] = {}
    for candidate in chosen:
        grouped.setdefault(stages[candidate.id], []).append(candidate)
    return {stage: stage_length(members, capacity) for stage, members in grouped.items()}


def finish_weeks(
    chosen: Iterable[Candidate], stages: Mapping[int, int], capacity: Fraction
) -> int:
    """Time to finish a plan, as defined in the module docstring."""
    return sum(stage_lengths(chosen, stages, capacity).values())


def stage_numbers(
    candidates: Mapping[int, Candidate], held: Collection[int]
) -> dict[int, int]:
    """The stage of every candidate whose prerequisites can all be met (each one held, or a
    candidate that can itself be met); candidates on a prerequisite cycle, or needing an
    unknown microcredential, or needing one of those, are left out.

    Kahn's topological order: a candidate gets its stage once all it needs have theirs; the
    blocked ones never get there.
    """
    needed = {
        i: [p for p in c.prerequisites if p not in held] for i, c in candidates.items()
    }
    waiting = {i: len(ps) for i, ps in needed.items()}
    dependants: dict[int, list[int]] = {}
    for i, ps in needed.items():
        for p in ps:
            dependants.setdefault(p, []).append(i)
    ready = [i for i, count in waiting.items() if count == 0]
    stages: dict[int, int] = {}
    while ready:
        i = ready.pop()
        stages[i] = 1 + max((stages[p] for p in needed[i]), default=0)
        for d in dependants.get(i, ()):
            waiting[d] -= 1
            if waiting[d] == 0:
                ready.append(d)
    return stages


def schedule(
    chosen: Iterable[Candidate], stages: Mapping[int, int], capacity: Fraction
) -> list[tuple[Candidate, int, int, int]]:
    """(candidate, stage, start week, end week) for each chosen one, in schedule order."""
    chosen = list(chosen)
    lengths = stage_lengths(chosen, stages, capacity)
    placed: list[tuple[Candidate, int, int, int]] = []
    first_week = 1
    for stage in sorted(lengths):
        members = [c for c in chosen if stages[c.id] == stage]
        for candidate, start, end in _place_stage(members, lengths[stage], capacity):
            placed.append((candidate, stage, first_week + start, first_week + end - 1))
        first_week += lengths[stage]
    placed.sort(key=lambda row: (row[2], row[3], row[0].id))
    return placed


def _place_stage(
    members: list[Candidate], length: int, capacity: Fraction
) -> list[tuple[Candidate, int, int]]:
    """(candidate, start offset, end offset exclusive) within one stage of `length` weeks."""
    cap = float(capacity)
    load = np.zeros(length)
    remaining = sum(c.hours for c in members)
    windows: list[tuple[Candidate, int, int]] = []
    for candidate in sorted(members, key=lambda c: (-c.weeks, -c.hours, c.id)):
        remaining -= candidate.hours
        reserve = remaining / length
        window = _earliest_window(candidate, load, cap - reserve - _MARGIN, capacity)
        start, end = window if window is not None else (0, length)
        load[start:end] += candidate.hours / (end - start)
        windows.append((candidate, start, end))
    return windows


def _earliest_window(
    candidate: Candidate, load: npt.NDArray[np.float64], room: float, capacity: Fraction
) -> tuple[int, int] | None:
    """The window ending earliest (then the shortest) where the candidate's even weekly load
    fits under `room` in every week; None to fall back on the whole stage.

    All spans at once: row r is span shortest + r; a window [s, s + span) fits when the
    running count of weeks that do not fit is the same at both ends.
    """
    length = len(load)
    if candidate.hours == 0:
        return (0, candidate.weeks)  # no load: as short and as early as it can be
    shortest = max(candidate.weeks, weeks_for_hours(candidate.hours, capacity), 1)
    if shortest > length:
        return None
    spans = np.arange(shortest, length + 1)
    misfits = np.zeros((spans.size, length + 1), dtype=np.int32)
    fits = load[np.newaxis, :] + (candidate.hours / spans)[:, np.newaxis] <= room
    np.cumsum(~fits, axis=1, out=misfits[:, 1:])
    starts = np.arange(length)[np.newaxis, :]
    ends = starts + spans[:, np.newaxis]
    inside = ends <= length
    rows = np.arange(spans.size)[:, np.newaxis]
    good = inside & (
        misfits[rows, np.minimum(ends, length)] == misfits[rows, starts]
    )
    if not good.any():
        return None
    # The earliest end over all good windows; argmin takes the first, i.e. the shortest span.
    end_weeks = np.where(good, ends, length + 1).min(axis=1)
    best = int(np.argmin(end_weeks))
    span = int(spans[best])
    return (int(end_weeks[best]) - span, int(end_weeks[best]))
