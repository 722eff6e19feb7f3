"""What the planner takes and what it gives back: frozen dataclasses, no behaviour.

Money is a Decimal in one currency (the caller converts); workload is in whole hours and
durations in whole weeks, as the catalog stores them. Skills are opaque strings (ESCO URIs in
practice). Sets are frozensets so requests are hashable and order never matters on input;
results list things in a stable order (schedule order, then sorted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

# The catalog's participation modes (tessera.catalog.vocab.ParticipationMode values), repeated
# here because a pure module of one feature does not import another feature.
PARTICIPATION_MODES = frozenset({"online", "onsite", "blended"})
EQF_LEVELS = range(1, 9)

LimitName = Literal["budget", "max_hours", "deadline_weeks"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A published microcredential the plan may choose."""

    id: int
    title: str
    skills: frozenset[str]
    price: Decimal
    hours: int  # notional workload
    weeks: int  # minimum calendar length: it cannot be finished faster than this
    languages: frozenset[str]
    mode: str  # one of PARTICIPATION_MODES
    provider: str  # provider slug
    eqf: int | None = None
    ects: Decimal | None = None
    # All of these must be in the plan too, or already held by the learner.
    prerequisites: frozenset[int] = frozenset()
    # Stackable pathways (qualifications) this microcredential counts towards.
    pathways: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class GapSkill:
    """One skill of the target. An essential skill must be covered whenever some eligible
    microcredential covers it; a nice-to-have one earns `weight` in the objective."""

    skill: str
    essential: bool = True
    weight: float = 1.0  # used for nice-to-have skills only


@dataclass(frozen=True, slots=True)
class Target:
    """The skills to reach and what the learner holds. A held credential that is among the
    candidates satisfies prerequisites, is never planned again, and its skills count as held
    too."""

    skills: tuple[GapSkill, ...]
    held_skills: frozenset[str] = frozenset()  # count as covered
    held_credentials: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Constraints:
    """The learner's limits. Empty sets and None mean "no limit"."""

    weekly_hours: Decimal | int  # study capacity; parallel study is allowed up to it
    budget: Decimal | None = None
    max_hours: int | None = None
    deadline_weeks: int | None = None
    languages: frozenset[str] = frozenset()  # a candidate must be offered in one of these
    modes: frozenset[str] = frozenset()
    max_eqf: int | None = None  # candidates without a level pass
    # A role's minimum level (EQF): a microcredential below it covers none of the target's
    # skills, though it may still be taken as a prerequisite.  One without a stated level
    # counts: the EU elements make the level optional ("if applicable"), so a missing level
    # says nothing about it, and leaving those out would hide most short, practical courses.
    min_eqf: int | None = None
    providers: frozenset[str] = frozenset()  # only these providers
    exclude_providers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Objective:
    """Minimise cost·price + hours·workload + weeks·time to finish - nice_to_have·(weight of
    the nice-to-have skills covered).

    `nice_to_have` is an exchange rate in objective units: with least cost, 50 means "worth
    paying up to 50 for a nice-to-have skill of weight 1". Zero ignores nice-to-have skills.
    """

    cost: float = 1.0
    hours: float = 0.0
    weeks: float = 0.0
    nice_to_have: float = 0.0

    @classmethod
    def least_cost(cls, nice_to_have: float = 0.0) -> Objective:
        return cls(cost=1.0, nice_to_have=nice_to_have)

    @classmethod
    def least_hours(cls, nice_to_have: float = 0.0) -> Objective:
        return cls(cost=0.0, hours=1.0, nice_to_have=nice_to_have)

    @classmethod
    def least_time(cls, nice_to_have: float = 0.0) -> Objective:
        return cls(cost=0.0, weeks=1.0, nice_to_have=nice_to_have)


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One chosen microcredential and when to study it: weeks are numbered from 1 and both
    ends are included; the workload is spread evenly, `hours / (end_week - start_week + 1)`
    hours a week."""

    candidate: Candidate
    stage: int  # 1 for no outstanding prerequisites, else 1 + the latest prerequisite's stage
    start_week: int
    end_week: int
    covers: tuple[str, ...]  # the gap skills it covers (essential and nice-to-have), sorted

    @property
    def hours_per_week(self) -> float:
        return self.candidate.hours / (self.end_week - self.start_week + 1)


@dataclass(frozen=True, slots=True)
class Plan:
    items: tuple[PlanItem, ...]  # in schedule order
    price: Decimal
    hours: int
    weeks: int  # time to finish, see tessera.planner.timeline
    ects: Decimal | None  # sum over the items that state ECTS credits; None if none does
    essential_covered: tuple[str, ...]
    # Coverable essential skills left out: empty except in a partial plan.
    essential_missing: tuple[str, ...]
    nice_to_have_covered: tuple[str, ...]
    pathways: tuple[str, ...]  # stackable pathways the items advance
    objective: float
    optimal: bool  # False when the solver stopped at its time limit with a feasible plan

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(item.candidate.id for item in self.items)


@dataclass(frozen=True, slots=True)
class BindingLimit:
    """A limit that no plan covering the coverable essential skills can meet.

    `needed` is the least amount such a plan requires when this is the only limit;
    `needed_within_other_limits` the least when the other limits hold too (None: not even
    then, because another limit is also out of reach).
    """

    limit: LimitName
    value: Decimal | int
    needed: Decimal | int
    needed_within_other_limits: Decimal | int | None
    message: str


@dataclass(frozen=True, slots=True)
class Explanation:
    message: str
    binding: tuple[BindingLimit, ...]


@dataclass(frozen=True, slots=True)
class PlanStats:
    candidates: int  # given
    eligible: int  # pass the learner's filters and are not held
    relevant: int  # cover a useful gap skill, or are needed by one that does; attainable
    modelled: int  # relevant and not dominated: the MILP's variables


@dataclass(frozen=True, slots=True)
class PlanResult:
    """The outcome of one planning request; never an exception for contradictory limits.

    `plan` is the optimum, or None when the limits contradict each other: then `explanation`
    says which limit binds and `partial` is the best plan within the limits that covers as
    many essential skills as possible.
    """

    plan: Plan | None
    alternatives: tuple[Plan, ...]
    uncoverable: tuple[GapSkill, ...]  # no eligible microcredential covers them
    already_held: tuple[str, ...]  # target skills the learner holds
    explanation: Explanation | None = None
    partial: Plan | None = None
    stats: PlanStats = field(default_factory=lambda: PlanStats(0, 0, 0, 0))
