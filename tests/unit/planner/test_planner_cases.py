"""The planner on hand-made requests: uncoverable skills, explanations of contradictory limits,
bad input, filters, alternatives, reductions and what a plan reports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from planner_reference import check_plan

from tessera.errors import InvalidInput
from tessera.planner.milp import LinearModel, Solution
from tessera.planner.model import Candidate, Constraints, GapSkill, Objective, Target
from tessera.planner.planning import plan_skill_gap

TEN_A_WEEK = Constraints(weekly_hours=10)


def course(
    i: int,
    skills: str,
    price: int | str = 100,
    hours: int = 20,
    weeks: int = 2,
    needs: tuple[int, ...] = (),
    **details: object,
) -> Candidate:
    values: dict[str, object] = {
        "languages": frozenset({"en"}),
        "mode": "online",
        "provider": "uni",
        **details,
    }
    return Candidate(
        id=i,
        title=f"course {i}",
        skills=frozenset(skills.split()),
        price=Decimal(price),
        hours=hours,
        weeks=weeks,
        prerequisites=frozenset(needs),
        **values,  # type: ignore[arg-type]
    )


def target(essential: str, nice: str = "", **held: frozenset[object]) -> Target:
    skills = [GapSkill(s) for s in essential.split()]
    skills += [GapSkill(s, essential=False, weight=2.0) for s in nice.split()]
    return Target(tuple(skills), **held)  # type: ignore[arg-type]


CATALOG = [
    course(1, "python sql", 300, 40, 4),
    course(2, "statistics", 200, 30, 3),
    course(3, "machine-learning", 500, 60, 6, needs=(1, 2)),
    course(4, "python statistics machine-learning", 1500, 150, 8),
    course(5, "visualisation", 100, 10, 1),
    course(6, "sql", 50, 10, 1),
]


def test_the_optimum_covers_every_essential_skill_in_prerequisite_order() -> None:
    goal = target("python sql statistics machine-learning")
    result = plan_skill_gap(CATALOG, goal, TEN_A_WEEK, Objective.least_cost())
    plan = result.plan
    assert plan is not None
    assert plan.optimal
    assert plan.ids == {1, 2, 3}
    assert plan.price == Decimal(1000)
    assert plan.hours == 130
    # Stage 1: courses 1 and 2 (70 h at 10 h/week: 7 weeks); stage 2: course 3 (6 weeks).
    assert plan.weeks == 13
    assert [(i.candidate.id, i.stage) for i in plan.items] == [(1, 1), (2, 1), (3, 2)]
    assert plan.items[-1].start_week == 8
    assert plan.items[-1].end_week == 13
    assert plan.essential_covered == ("machine-learning", "python", "sql", "statistics")
    check_plan(plan, CATALOG, goal, TEN_A_WEEK)


def test_least_time_prefers_one_stage_to_a_prerequisite_chain() -> None:
    goal = target("python sql statistics machine-learning")
    limits = Constraints(weekly_hours=20)
    result = plan_skill_gap(CATALOG, goal, limits, Objective.least_time())
    assert result.plan is not None
    # 1 and 2 (4 weeks), then 3 (6 weeks): 10 weeks. Course 4 and course 6 for sql: one
    # stage of max(8 weeks, 160 h at 20 h/week) = 8 weeks.
    assert result.plan.ids == {4, 6}
    assert result.plan.weeks == 8
    check_plan(result.plan, CATALOG, goal, limits)


def test_uncoverable_skills_are_reported_and_the_rest_is_planned() -> None:
    goal = target("sql quantum-computing", nice="knitting")
    result = plan_skill_gap(CATALOG, goal, TEN_A_WEEK)
    assert [g.skill for g in result.uncoverable] == ["quantum-computing", "knitting"]
    assert result.uncoverable[0].essential
    assert not result.uncoverable[1].essential
    assert result.plan is not None
    assert result.plan.ids == {6}
    assert result.explanation is None


def test_a_target_entirely_held_gives_an_empty_plan() -> None:
    goal = target("sql", held_skills=frozenset({"sql"}))
    result = plan_skill_gap(CATALOG, goal, TEN_A_WEEK)
    assert result.already_held == ("sql",)
    assert result.plan is not None
    assert result.plan.items == ()
    assert result.plan.weeks == 0
    assert result.alternatives == ()


def test_held_credentials_satisfy_prerequisites_and_are_never_planned_again() -> None:
    goal = target("python machine-learning", held_credentials=frozenset({1, 2}))
    result = plan_skill_gap(CATALOG, goal, TEN_A_WEEK, Objective.least_cost())
    assert result.plan is not None
    # Course 1 is held but covers python only as a credential: the skill is not held, so
    # course 4 is the only way to python that is not course 1 itself.
    assert 1 not in result.plan.ids
    assert 3 in result.plan.ids
    assert next(i for i in result.plan.items if i.candidate.id == 3).stage == 1


def test_a_budget_below_the_cheapest_cover_is_explained_with_a_partial_plan() -> None:
    goal = target("python sql statistics machine-learning")
    limits = Constraints(weekly_hours=10, budget=Decimal(800))
    result = plan_skill_gap(CATALOG, goal, limits, Objective.least_cost())
    assert result.plan is None
    assert result.alternatives == ()
    assert result.explanation is not None
    assert result.explanation.message == (
        "The cheapest way to cover the essential skills costs 1,000; your budget is 800."
    )
    (binding,) = result.explanation.binding
    assert (binding.limit, binding.value, binding.needed) == ("budget", 800, 1000)
    partial = result.partial
    assert partial is not None
    assert partial.price <= 800
    assert partial.essential_missing
    assert len(partial.essential_covered) == 3
    check_plan(partial, CATALOG, goal, limits, partial=True)


def test_a_deadline_too_close_names_the_quickest_time_and_the_pace() -> None:
    goal = target("python sql statistics machine-learning")
    limits = Constraints(weekly_hours=Decimal("7.5"), deadline_weeks=10)
    result = plan_skill_gap(CATALOG, goal, limits)
    assert result.explanation is not None
    (binding,) = result.explanation.binding
    # 1 and 2: 70 h at 7.5 h/week, 10 weeks; then 3: 60 h, 8 weeks.
    assert binding.limit == "deadline_weeks"
    assert binding.needed == 18
    assert result.explanation.message == (
        "The quickest way to cover the essential skills takes 18 weeks at 7.5 hours a week; "
        "your deadline is 10 weeks."
    )


def test_limits_that_conflict_only_together_are_explained_within_the_others() -> None:
    goal = target("python sql statistics machine-learning")
    # At 20 h/week 1,000 buys 1, 2 then 3 in 10 weeks; 8 weeks costs 1,550 (4 and 6).
    limits = Constraints(weekly_hours=20, budget=Decimal(1200), deadline_weeks=9)
    result = plan_skill_gap(CATALOG, goal, limits)
    assert result.explanation is not None
    by_limit = {b.limit: b for b in result.explanation.binding}
    assert set(by_limit) == {"budget", "deadline_weeks"}
    assert (by_limit["budget"].needed, by_limit["budget"].needed_within_other_limits) == (
        1000,
        1550,
    )
    assert (
        by_limit["deadline_weeks"].needed,
        by_limit["deadline_weeks"].needed_within_other_limits,
    ) == (8, 10)
    assert result.explanation.message == (
        "Within your other limits, the cheapest way to cover the essential skills costs 1,550; "
        "your budget is 1,200. Within your other limits, the quickest way to cover the "
        "essential skills takes 10 weeks at 20 hours a week; your deadline is 9 weeks."
    )


def test_a_total_hours_limit_is_explained() -> None:
    goal = target("statistics visualisation")
    result = plan_skill_gap(CATALOG, goal, Constraints(weekly_hours=10, max_hours=35))
    assert result.explanation is not None
    assert result.explanation.message == (
        "The way to cover the essential skills with the fewest study hours needs 40 hours; "
        "your limit is 35 hours."
    )


@pytest.mark.parametrize(
    ("goal", "limits", "objective", "fields"),
    [
        (target("sql"), Constraints(weekly_hours=10, budget=Decimal(-1)), None,
         ["constraints.budget"]),
        (target("sql"), Constraints(weekly_hours=0), None, ["constraints.weekly_hours"]),
        (target("sql"), Constraints(weekly_hours=Decimal("0.001")), None,
         ["constraints.weekly_hours"]),
        (target("sql"), Constraints(weekly_hours=200), None, ["constraints.weekly_hours"]),
        (Target(()), TEN_A_WEEK, None, ["target.skills"]),
        (target("sql sql"), TEN_A_WEEK, None, ["target.skills.1.skill"]),
        (Target((GapSkill("sql", essential=False, weight=0),)), TEN_A_WEEK, None,
         ["target.skills.0.weight"]),
        (target("sql"), Constraints(weekly_hours=10, deadline_weeks=0, max_hours=-5,
                                    max_eqf=9, modes=frozenset({"telepathy"})), None,
         ["constraints.max_hours", "constraints.deadline_weeks", "constraints.max_eqf",
          "constraints.modes"]),
        (target("sql"), Constraints(weekly_hours=10, min_eqf=0), None,
         ["constraints.min_eqf"]),
        (target("sql"), Constraints(weekly_hours=10, min_eqf=6, max_eqf=5), None,
         ["constraints.min_eqf"]),
        (target("sql"), Constraints(weekly_hours=10, providers=frozenset({"uni"}),
                                    exclude_providers=frozenset({"uni"})), None,
         ["constraints.exclude_providers"]),
        (target("sql"), TEN_A_WEEK, Objective(cost=0), ["objective"]),
        (target("sql"), TEN_A_WEEK, Objective(cost=-1), ["objective.cost"]),
        (target("sql"), TEN_A_WEEK, Objective(weeks=float("nan")), ["objective.weeks"]),
    ],
)
def test_bad_requests_are_refused_with_every_problem_named(
    goal: Target, limits: Constraints, objective: Objective | None, fields: list[str]
) -> None:
    with pytest.raises(InvalidInput) as raised:
        plan_skill_gap(CATALOG, goal, limits, objective)
    assert [p.field for p in raised.value.problems] == fields
    assert raised.value.detail.startswith("Invalid planning request: ")


def test_bad_candidates_are_refused() -> None:
    bad = [
        course(1, "sql", price=-5),
        course(1, "sql", hours=-1, weeks=0, needs=(1,), mode="by-pigeon", eqf=0),
    ]
    with pytest.raises(InvalidInput) as raised:
        plan_skill_gap(bad, target("sql"), TEN_A_WEEK)
    assert [p.field for p in raised.value.problems] == [
        "candidates.0.price",
        "candidates.1.id",
        "candidates.1.hours",
        "candidates.1.weeks",
        "candidates.1.mode",
        "candidates.1.eqf",
        "candidates.1.prerequisites",
    ]


def test_bad_solver_settings_are_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        plan_skill_gap(
            CATALOG, target("sql"), TEN_A_WEEK, alternatives=11, min_replaced=0, time_limit=0
        )
    assert [p.field for p in raised.value.problems] == [
        "alternatives",
        "min_replaced",
        "time_limit",
    ]


def test_a_solver_out_of_time_gives_a_message_not_an_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(LinearModel, "solve", lambda self, time_limit: Solution("failed"))
    result = plan_skill_gap(CATALOG, target("sql"), TEN_A_WEEK, time_limit=2)
    assert result.plan is None
    assert result.explanation is not None
    assert result.explanation.message == "No plan was found within the time limit of 2 s."


def test_a_plan_found_at_the_time_limit_is_not_called_optimal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    solve = LinearModel.solve

    def stopped_early(self: LinearModel, time_limit: float) -> Solution:
        solution = solve(self, time_limit)
        return Solution("feasible", solution.values) if solution.found else solution

    monkeypatch.setattr(LinearModel, "solve", stopped_early)
    result = plan_skill_gap(CATALOG, target("sql statistics"), TEN_A_WEEK)
    assert result.plan is not None
    assert result.plan.ids == {2, 6}
    assert not result.plan.optimal


def test_filters_leave_out_courses_and_their_dependants() -> None:
    catalog = [
        course(1, "a", languages=frozenset({"de"})),
        course(2, "b", needs=(1,)),
        course(3, "c", mode="onsite"),
        course(4, "d", eqf=7),
        course(5, "e", provider="bootcamp"),
        course(6, "f", provider="academy"),
        course(7, "a b c d e f", price=5000, eqf=None),
    ]
    limits = Constraints(
        weekly_hours=10,
        languages=frozenset({"en", "fr"}),
        modes=frozenset({"online", "blended"}),
        max_eqf=6,
        providers=frozenset({"uni"}),
    )
    result = plan_skill_gap(catalog, target("a b c d e f"), limits)
    assert result.plan is not None
    assert result.plan.ids == {7}
    # Course 2 passes the filters but needs course 1, which does not.
    assert (result.stats.eligible, result.stats.relevant) == (2, 1)
    narrower = Constraints(weekly_hours=10, exclude_providers=frozenset({"uni"}))
    result = plan_skill_gap(catalog, target("a e f"), narrower)
    assert [g.skill for g in result.uncoverable] == ["a"]
    assert result.plan is not None
    assert result.plan.ids == {5, 6}


def test_below_a_minimum_level_courses_teach_nothing_but_still_serve_as_prerequisites() -> None:
    catalog = [
        course(1, "sql", 50, eqf=4),
        course(2, "sql", 200, eqf=6),
        course(3, "sql", 100),  # no level stated
        course(4, "statistics", 10, eqf=5),
        course(5, "machine-learning", 300, needs=(4,), eqf=7),
    ]
    goal = target("sql")
    cheapest = plan_skill_gap(catalog, goal, TEN_A_WEEK).plan
    assert cheapest is not None
    assert cheapest.ids == {1}
    level_6 = Constraints(weekly_hours=10, min_eqf=6)
    result = plan_skill_gap(catalog, goal, level_6)
    assert result.plan is not None
    assert result.plan.ids == {3}, "a course without a level stays eligible"
    check_plan(result.plan, catalog, goal, level_6)
    # Course 5 meets the level; its prerequisite does not, but is taken first all the same.
    result = plan_skill_gap(catalog, target("machine-learning statistics"), level_6)
    assert result.plan is not None
    assert result.plan.ids == {4, 5}
    assert [g.skill for g in result.uncoverable] == ["statistics"], "taught below the level"
    check_plan(result.plan, catalog, target("machine-learning statistics"), level_6)
    by_id = {item.candidate.id: item for item in result.plan.items}
    assert by_id[4].covers == ()
    assert by_id[4].end_week < by_id[5].start_week
    both = Constraints(weekly_hours=10, min_eqf=5, max_eqf=6)
    result = plan_skill_gap(catalog, target("sql statistics"), both)
    assert result.plan is not None
    assert result.plan.ids == {3, 4}


def test_prerequisite_cycles_and_unknown_prerequisites_make_courses_ineligible() -> None:
    catalog = [course(1, "a", needs=(2,)), course(2, "b", needs=(1,)), course(3, "c", needs=(42,))]
    result = plan_skill_gap(catalog, target("a b c"), TEN_A_WEEK)
    assert [g.skill for g in result.uncoverable] == ["a", "b", "c"]
    assert result.plan is not None
    assert result.plan.ids == frozenset()
    held = plan_skill_gap(catalog, target("a c", held_credentials=frozenset({2, 42})), TEN_A_WEEK)
    assert held.plan is not None
    assert held.plan.ids == {1, 3}


def test_alternatives_differ_are_feasible_and_come_in_order_of_objective() -> None:
    catalog = [
        course(1, "a b", 100),
        course(2, "a", 60),
        course(3, "b", 70),
        course(4, "a b", 150, hours=10),  # dearer than 1 but shorter: not dominated
        course(5, "a b", 400, hours=15, weeks=1),
    ]
    goal = target("a b")
    result = plan_skill_gap(catalog, goal, TEN_A_WEEK, Objective.least_cost(), alternatives=3)
    assert result.plan is not None
    assert result.plan.ids == {1}
    assert [a.ids for a in result.alternatives] == [{2, 3}, {4}, {5}]
    objectives = [result.plan.objective, *(a.objective for a in result.alternatives)]
    assert objectives == sorted(objectives) == [100, 130, 150, 400]
    for alternative in result.alternatives:
        check_plan(alternative, catalog, goal, TEN_A_WEEK)

    fewer = plan_skill_gap(catalog, goal, TEN_A_WEEK, Objective.least_cost(), alternatives=0)
    assert fewer.alternatives == ()
    capped = Constraints(weekly_hours=10, budget=Decimal(140))
    assert [a.ids for a in plan_skill_gap(catalog, goal, capped).alternatives] == [{2, 3}]


def test_min_replaced_asks_alternatives_to_leave_out_more_of_each_plan() -> None:
    # Dearer courses take fewer hours, so none is dominated.
    catalog = [
        course(1, "a", 10, 30), course(2, "b", 10, 30), course(3, "a", 20, 20),
        course(4, "b", 20, 20), course(5, "a", 30, 10), course(6, "b", 30, 10),
    ]
    one = plan_skill_gap(catalog, target("a b"), TEN_A_WEEK, alternatives=1)
    assert one.plan is not None
    assert one.plan.ids == {1, 2}
    assert [a.ids for a in one.alternatives] in ([{1, 4}], [{2, 3}])  # a tie
    two = plan_skill_gap(catalog, target("a b"), TEN_A_WEEK, alternatives=2, min_replaced=2)
    assert [a.ids for a in two.alternatives] == [{3, 4}, {5, 6}]


def test_dominated_courses_are_not_modelled_and_do_not_change_the_optimum() -> None:
    catalog = [
        course(1, "a b", 100, 20, 2),
        course(2, "a", 120, 20, 2),  # dominated by 1
        course(3, "a b", 100, 20, 2),  # a tie with 1: the lower id stays
        course(4, "b", 10, 40, 2),  # cheaper, but more hours: kept
    ]
    result = plan_skill_gap(catalog, target("a b"), TEN_A_WEEK, Objective.least_cost())
    assert result.stats.modelled == 2
    assert result.plan is not None
    assert result.plan.ids == {1}


def test_courses_that_add_nothing_are_pruned_from_the_plan() -> None:
    catalog = [course(1, "a", 0, 10, 1), course(2, "a b", 0, 20, 2), course(3, "c", 0, 5, 1)]
    # Least cost: every plan costs 0, so only pruning keeps course 1 out.
    result = plan_skill_gap(catalog, target("a b", nice="c"), TEN_A_WEEK, Objective.least_cost())
    assert result.plan is not None
    assert result.plan.ids == {2}


def test_nice_to_have_skills_are_bought_when_worth_their_cost() -> None:
    catalog = [course(1, "a", 100), course(2, "n", 30)]
    goal = target("a", nice="n")  # weight 2
    ignored = plan_skill_gap(catalog, goal, TEN_A_WEEK, Objective.least_cost())
    worth = plan_skill_gap(catalog, goal, TEN_A_WEEK, Objective.least_cost(nice_to_have=20))
    cheap = plan_skill_gap(catalog, goal, TEN_A_WEEK, Objective.least_cost(nice_to_have=10))
    assert ignored.plan is not None
    assert ignored.plan.ids == {1}
    assert worth.plan is not None
    assert worth.plan.ids == {1, 2}
    assert worth.plan.nice_to_have_covered == ("n",)
    assert worth.plan.objective == 90
    assert cheap.plan is not None
    assert cheap.plan.ids == {1}


def test_a_plan_reports_pathways_credits_and_what_each_course_covers() -> None:
    catalog = [
        course(1, "a b", ects=Decimal("2.5"), pathways=frozenset({"data-analyst"})),
        course(2, "c", ects=Decimal(5), pathways=frozenset({"data-analyst", "ml-engineer"})),
        course(3, "d"),
    ]
    result = plan_skill_gap(catalog, target("a c d", held_skills=frozenset({"b"})), TEN_A_WEEK)
    plan = result.plan
    assert plan is not None
    assert plan.ects == Decimal("7.5")
    assert plan.pathways == ("data-analyst", "ml-engineer")
    assert {i.candidate.id: i.covers for i in plan.items} == {1: ("a",), 2: ("c",), 3: ("d",)}
    assert plan.items[0].hours_per_week > 0
