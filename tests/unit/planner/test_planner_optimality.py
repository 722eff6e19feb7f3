"""The MILP against brute force on hundreds of small random requests: same optimum, and every
plan it returns (alternatives and partial plans too) is feasible and scheduled correctly."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st
from planner_reference import Reference, check_plan, close, solve, value, within

from tessera.planner.model import (
    BindingLimit,
    Candidate,
    Constraints,
    GapSkill,
    Objective,
    Plan,
    Target,
)
from tessera.planner.planning import plan_skill_gap

SKILLS = ("s1", "s2", "s3", "s4", "s5")
PROVIDERS = ("p1", "p2", "p3")


# Strategies built once at import: building them inside the draw dominates the run time.
_ROW = st.tuples(
    st.frozensets(st.sampled_from(SKILLS), min_size=1, max_size=2),
    st.integers(0, 40),  # price in steps of 5
    st.booleans(),  # and 50 cents
    st.integers(0, 40),  # hours
    st.integers(1, 5),  # weeks
    st.sampled_from([frozenset({"en"}), frozenset({"de"}), frozenset({"en", "de"})]),
    st.sampled_from(["online", "onsite", "blended"]),
    st.sampled_from(PROVIDERS),
    st.none() | st.integers(3, 7),
    st.sampled_from([None, Decimal(1), Decimal("2.5")]),
    st.frozensets(st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8]), max_size=2),
    st.integers(0, 9),  # 0: later ids may be prerequisites too (cycles); 1: also an unknown one
    st.sampled_from([frozenset(), frozenset({"data"}), frozenset({"care"})]),
)
_CANDIDATES = st.lists(_ROW, min_size=2, max_size=9)
_GAP = st.lists(
    st.tuples(
        st.sampled_from([*SKILLS, "unknown"]),
        st.sampled_from([True, True, True, False]),  # essential
        st.sampled_from([1.0, 2.5]),
    ),
    min_size=2,
    max_size=5,
    unique_by=lambda row: row[0],
)
# Each filter is off half the time, so that filtered requests still have something to plan.
_FILTERS = st.tuples(
    st.sampled_from([frozenset(), frozenset({"en"}), frozenset({"de"}), frozenset({"en", "de"})]),
    st.sampled_from([frozenset(), frozenset(), frozenset({"online", "blended"})]),
    # (lowest, highest) EQF level: candidates have levels 3 to 7 or none.
    st.sampled_from([(None, None), (None, None), (None, 4), (None, 6), (5, None), (4, 6), (5, 5)]),
    st.sampled_from([frozenset(), frozenset({"p1", "p2"})]),
    st.sampled_from([frozenset(), frozenset({"p3"})]),
)
_LIMITS = st.tuples(
    st.sampled_from([Decimal(5), Decimal("7.5"), 10, 20]),
    st.none() | st.integers(0, 300).map(Decimal),
    st.none() | st.integers(0, 100),
    st.none() | st.integers(1, 12),
    st.sampled_from([False, False, True]).flatmap(lambda on: _FILTERS if on else st.none()),
)
_OBJECTIVES = st.builds(
    Objective,
    cost=st.sampled_from([0.0, 1.0]),
    hours=st.sampled_from([0.0, 1.0, 2.0]),
    weeks=st.sampled_from([1.0, 10.0]),  # never all zero
    nice_to_have=st.sampled_from([0.0, 5.0, 30.0]),
) | st.sampled_from([Objective.least_cost(), Objective.least_hours(), Objective.least_cost(20.0)])


def _candidate(i: int, count: int, row: tuple) -> Candidate:  # type: ignore[type-arg]
    skills, price, cents, hours, weeks, languages, mode, provider, eqf, ects, raw, any_id, paths = (
        row
    )
    prerequisites = frozenset(
        p for p in raw if p != i and p <= count and (p < i or any_id == 0)
    ) | ({99} if any_id == 1 else set())
    return Candidate(
        id=i,
        title=f"course {i}",
        skills=skills,
        price=Decimal(price * 5) + (Decimal("0.50") if cents else Decimal(0)),
        hours=hours,
        weeks=weeks,
        languages=languages,
        mode=mode,
        provider=provider,
        eqf=eqf,
        ects=ects,
        prerequisites=prerequisites,
        pathways=paths,
    )


@st.composite
def requests(draw: st.DrawFn) -> tuple[list[Candidate], Target, Constraints, Objective]:
    rows = draw(_CANDIDATES)
    offered = [_candidate(i, len(rows), row) for i, row in enumerate(rows, start=1)]
    held_skills, held_credential = draw(
        st.tuples(st.sampled_from([None, *SKILLS]), st.integers(0, 2 * len(offered)))
    )
    target = Target(
        skills=tuple(GapSkill(s, essential, weight) for s, essential, weight in draw(_GAP)),
        held_skills=frozenset({held_skills} if held_skills else ()),
        # Half the time nothing is held.
        held_credentials=frozenset({held_credential} if held_credential <= len(offered) else ()),
    )
    weekly, budget, max_hours, deadline, filters = draw(_LIMITS)
    languages, modes, (min_eqf, max_eqf), providers, excluded = filters or (
        frozenset(), frozenset(), (None, None), frozenset(), frozenset()
    )
    limits = Constraints(
        weekly_hours=weekly,
        budget=budget,
        max_hours=max_hours,
        deadline_weeks=deadline,
        languages=languages,
        modes=modes,
        max_eqf=max_eqf,
        min_eqf=min_eqf,
        providers=providers,
        exclude_providers=excluded,
    )
    return offered, target, limits, draw(_OBJECTIVES)


@settings(max_examples=300, deadline=None)
@given(requests())
def test_the_milp_finds_the_brute_force_optimum(
    request: tuple[list[Candidate], Target, Constraints, Objective],
) -> None:
    offered, target, limits, objective = request
    result = plan_skill_gap(offered, target, limits, objective, alternatives=2)
    ref = solve(offered, target, limits)
    limit_values = (limits.budget, limits.max_hours, limits.deadline_weeks)
    feasible = [o for o in ref.covering() if within(o, *limit_values)]

    assert {g.skill for g in result.uncoverable} == ref.uncoverable
    if not feasible:
        event("contradictory limits")
        assert result.plan is None
        assert not result.alternatives
        assert result.explanation is not None
        assert result.explanation.binding
        _check_explanation(result.explanation.binding, ref, limits)
        _check_partial(result.partial, ref, offered, target, limits)
        return

    optimum = min(value(o, objective) for o in feasible)
    event(f"plan of {min(len(result.plan.ids), 3) if result.plan else 0}+ items")
    if result.plan and not result.plan.ids:
        event(f"empty: {len(ref.essential)} essentials, nice {objective.nice_to_have}")
    event(f"{len(result.alternatives)} alternatives")
    assert result.plan is not None
    assert result.explanation is None
    assert result.plan.optimal
    assert close(result.plan.objective, optimum), (result.plan.objective, optimum)
    check_plan(result.plan, offered, target, limits)

    earlier = [result.plan.ids]
    for alternative in result.alternatives:
        check_plan(alternative, offered, target, limits)
        assert alternative.objective >= optimum - 1e-5
        assert alternative.items, "never an empty alternative"
        for plan in earlier:
            assert len(plan - alternative.ids) >= 1, "leaves out one of each earlier plan"
        earlier.append(alternative.ids)
    if not result.plan.ids:
        assert not result.alternatives


def _check_explanation(
    binding: tuple[BindingLimit, ...], ref: Reference, limits: Constraints
) -> None:
    limits_by_name = {
        "budget": limits.budget,
        "max_hours": limits.max_hours,
        "deadline_weeks": limits.deadline_weeks,
    }
    amounts = {"budget": "price", "max_hours": "hours", "deadline_weeks": "weeks"}
    for limit in binding:
        amount = amounts[limit.limit]
        assert limit.value == limits_by_name[limit.limit]
        assert limit.needed == min(getattr(o, amount) for o in ref.covering())
        others = {n: v for n, v in limits_by_name.items() if n != limit.limit}
        fitting = [
            getattr(o, amount)
            for o in ref.covering()
            if within(o, others.get("budget"), others.get("max_hours"),
                      others.get("deadline_weeks"))
        ]
        assert limit.needed_within_other_limits == (min(fitting) if fitting else None)


def _check_partial(
    partial: Plan | None,
    ref: Reference,
    offered: list[Candidate],
    target: Target,
    limits: Constraints,
) -> None:
    limit_values = (limits.budget, limits.max_hours, limits.deadline_weeks)
    best = max((len(o.essentials) for o in ref.options if within(o, *limit_values)), default=0)
    if best == 0:
        assert partial is None
        return
    assert partial is not None
    check_plan(partial, offered, target, limits, partial=True)
    assert len(partial.essential_covered) == best
