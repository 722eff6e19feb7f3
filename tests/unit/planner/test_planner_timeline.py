"""Time to finish (stages) and the week-by-week schedule."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from planner_reference import finish_weeks as reference_finish_weeks

from tessera.planner.model import Candidate
from tessera.planner.timeline import (
    capacity_of,
    finish_weeks,
    schedule,
    stage_numbers,
)


def course(i: int, hours: int = 10, weeks: int = 1, needs: tuple[int, ...] = ()) -> Candidate:
    return Candidate(
        id=i,
        title=f"course {i}",
        skills=frozenset(),
        price=Decimal(0),
        hours=hours,
        weeks=weeks,
        languages=frozenset({"en"}),
        mode="online",
        provider="p",
        prerequisites=frozenset(needs),
    )


def by_id(*courses: Candidate) -> dict[int, Candidate]:
    return {c.id: c for c in courses}


def test_stages_count_the_prerequisites_still_needed() -> None:
    pool = by_id(course(1), course(2, needs=(1,)), course(3, needs=(2, 1)), course(4, needs=(9,)))
    assert stage_numbers(pool, held=frozenset()) == {1: 1, 2: 2, 3: 3}
    # A held prerequisite is no longer needed; an unknown one (9) blocks, unless held.
    assert stage_numbers(pool, held=frozenset({1, 9})) == {1: 1, 2: 1, 3: 2, 4: 1}


def test_cycles_block_their_members_and_everything_that_needs_them() -> None:
    pool = by_id(course(1, needs=(2,)), course(2, needs=(1,)), course(3, needs=(2,)), course(4))
    assert stage_numbers(pool, held=frozenset()) == {4: 1}
    # Holding one member breaks the cycle (leaving it out of plans is prepare's job).
    assert stage_numbers(pool, held=frozenset({2})) == {1: 1, 2: 2, 3: 1, 4: 1}


def test_a_long_prerequisite_chain_does_not_overflow_the_stack() -> None:
    pool = by_id(course(1), *(course(i, needs=(i - 1,)) for i in range(2, 5001)))
    assert stage_numbers(pool, held=frozenset())[5000] == 5000


def test_capacity_is_taken_to_the_hundredth_rounded_down() -> None:
    assert capacity_of(Decimal("7.339")) == Fraction(733, 100)
    assert capacity_of(10) == 10


def test_a_stage_lasts_its_longest_course_or_its_hours_at_capacity() -> None:
    stages = {1: 1, 2: 1}
    capacity = Fraction(10)
    assert finish_weeks([course(1, hours=5, weeks=4), course(2, hours=5)], stages, capacity) == 4
    assert finish_weeks([course(1, hours=25, weeks=2), course(2, hours=6)], stages, capacity) == 4
    assert finish_weeks([], stages, capacity) == 0


def test_stages_follow_each_other_where_the_chain_bound_would_be_infeasible() -> None:
    # A -> B and C -> D: A and C each fill a week at 10 h/week; B and D last two weeks.
    # max(ceil(hours / capacity), longest chain) would say 3 weeks, which no schedule meets:
    # A and C need two weeks of study together before B and D can start.
    a, c = course(1, hours=10), course(3, hours=10)
    b, d = course(2, hours=1, weeks=2, needs=(1,)), course(4, hours=1, weeks=2, needs=(3,))
    pool = by_id(a, b, c, d)
    stages = stage_numbers(pool, held=frozenset())
    assert finish_weeks(pool.values(), stages, Fraction(10)) == 4
    rows = schedule(pool.values(), stages, Fraction(10))
    assert [(row[0].id, row[2], row[3]) for row in rows] == [(1, 1, 2), (3, 1, 2), (2, 3, 4), (4, 3, 4)]


def _weekly_loads(rows: list[tuple[Candidate, int, int, int]]) -> dict[int, Fraction]:
    loads: dict[int, Fraction] = {}
    for candidate, _, start, end in rows:
        for week in range(start, end + 1):
            loads[week] = loads.get(week, Fraction(0)) + Fraction(
                candidate.hours, end - start + 1
            )
    return loads


_COURSES = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 6), st.integers(0, 3)), min_size=1, max_size=12
)


@settings(max_examples=200, deadline=None)
@given(_COURSES, st.sampled_from([Decimal(3), Decimal("7.5"), Decimal(10), Decimal("12.25")]))
def test_the_schedule_meets_capacity_durations_order_and_the_definition(
    rows: list[tuple[int, int, int]], weekly: Decimal
) -> None:
    # Each course needs an earlier one (by offset), building stages of any shape.
    courses = [
        course(i, hours, weeks, needs=(i - back,) if 0 < back < i else ())
        for i, (hours, weeks, back) in enumerate(rows, start=1)
    ]
    pool = by_id(*courses)
    capacity = capacity_of(weekly)
    stages = stage_numbers(pool, held=frozenset())
    placed = schedule(courses, stages, capacity)
    weeks = finish_weeks(courses, stages, capacity)

    assert weeks == reference_finish_weeks(pool, pool, frozenset(), capacity)
    assert max(end for *_, end in placed) == weeks
    assert all(load <= capacity for load in _weekly_loads(placed).values())
    ends = {c.id: end for c, _, _, end in placed}
    for candidate, stage, start, end in placed:
        assert start >= 1
        assert end - start + 1 >= candidate.weeks
        assert stage == stages[candidate.id]
        assert all(ends[p] < start for p in candidate.prerequisites)
