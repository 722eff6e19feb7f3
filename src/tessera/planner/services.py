"""Use cases of the planner: extract skills from text, and plan a learner's path to a target.

The target comes from an occupation of the taxonomy (its essential and optional skills), a job
posting (the skills it mentions, all taken as essential) or an explicit list; a caller that
knows more (a role profile, resolved with its access rules by `learning.services`) passes the
target in. What the learner holds comes from the credentials issued to them here that verify
now (strong) and from the skills they declare, in the request or stored (weak, never
verified). The candidates are the published catalog, priced in the request's currency: offers
in other currencies are converted at the stored exchange rates (through the euro), and those
whose currency has no rate are left out and counted. `planning.plan_skill_gap` does the
optimisation, in one currency.

The skill extractor is built from the taxonomy once per process and rebuilt when the taxonomy
changes (`taxonomy.skills_stamp`), so any number of processes can serve it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from tessera.accounts.roles import Actor
from tessera.catalog import services as catalog
from tessera.catalog.schemas import PublishedOffer
from tessera.credentials import services as credentials
from tessera.errors import FieldProblem, InvalidInput, NotFound
from tessera.exchange import services as exchange
from tessera.planner.extraction import SkillEntry, SkillExtractor
from tessera.planner.model import (
    Candidate,
    Constraints,
    GapSkill,
    Objective,
    Plan,
    PlanResult,
    Target,
)
from tessera.planner.planning import plan_skill_gap
from tessera.planner.schemas import (
    ExplanationOut,
    ExtractedSkillOut,
    LimitOut,
    PlanItemOut,
    PlanOut,
    PlanRequest,
    PlanResultOut,
    SkillOut,
    TargetOut,
)
from tessera.taxonomy import services as taxonomy
from tessera.validation import CURRENCIES

_extractor_lock = threading.Lock()
_extractors: dict[tuple[str, int, int], SkillExtractor] = {}


def _extractor(db: Session) -> SkillExtractor:
    """The extractor for the database's current skills (built on first use, ~1 s)."""
    key = (str(db.get_bind().engine.url), *taxonomy.skills_stamp(db))
    with _extractor_lock:
        extractor = _extractors.get(key)
        if extractor is None:
            entries = [
                SkillEntry(uri, label, tuple(alt_labels))
                for uri, label, alt_labels in taxonomy.all_skill_labels(db)
            ]
            extractor = SkillExtractor(entries)
            _extractors.clear()  # only the current taxonomy is worth keeping
            _extractors[key] = extractor
    return extractor


def extract_skills(db: Session, text: str, field: str = "text") -> list[ExtractedSkillOut]:
    """The taxonomy skills a posting or CV mentions, most certain first."""
    return [
        ExtractedSkillOut(
            uri=found.uri, label=found.label, confidence=round(found.confidence, 3),
            phrase=found.phrase, start=found.start, end=found.end, method=found.method.value,
        )
        for found in _extractor(db).extract(text, field=field)
    ]


# --- the target ----------------------------------------------------------------------------


def _occupation_target(db: Session, reference: str) -> TargetOut:
    """By id, by URI, or the best match of a name."""
    key: int | str = int(reference) if reference.isdigit() else reference
    try:
        occupation = taxonomy.get_occupation(db, key)
    except NotFound:
        matches, _total = taxonomy.search_occupations(db, reference, page_size=1)
        if not matches:
            raise InvalidInput(
                f"No occupation matches '{reference}'",
                [FieldProblem("occupation", f"no occupation matches '{reference}'")],
            ) from None
        occupation = taxonomy.get_occupation(db, matches[0].id)
    skills = [SkillOut(uri=s.uri, label=s.label) for s in occupation.essential_skills]
    skills += [
        SkillOut(uri=s.uri, label=s.label, essential=False) for s in occupation.optional_skills
    ]
    return TargetOut(source="occupation", label=occupation.label, skills=skills)


def _labels(db: Session, uris: Iterable[str], field: str) -> dict[str, str]:
    """Labels by URI; InvalidInput naming `field` for an unknown skill."""
    return {skill.uri: skill.label for skill in taxonomy.skills_by_uri(db, uris, field)}


def build_target(db: Session, request: PlanRequest) -> TargetOut:
    if request.occupation is not None:
        return _occupation_target(db, request.occupation.strip())
    if request.posting is not None:
        found = extract_skills(db, request.posting, field="posting")
        if not found:
            raise InvalidInput(
                "No skill of the taxonomy was found in the posting",
                [FieldProblem("posting", "no skill of the taxonomy was found in it")],
            )
        return TargetOut(
            source="posting",
            label="Job posting",
            skills=[SkillOut(uri=s.uri, label=s.label) for s in found],
        )
    if request.role_profile is not None:
        # Role profiles belong to employers and have access rules: the learner's planning
        # service resolves them and passes the target to plan_path.
        raise InvalidInput(
            "A role profile is planned towards by a signed-in person",
            [FieldProblem("role_profile", "sign in to plan towards a role profile")],
        )
    assert request.skills is not None  # the request validates that one target is given
    labels = _labels(db, (s.uri for s in request.skills), "skills")
    return TargetOut(
        source="skills",
        label="Chosen skills",
        skills=[
            SkillOut(uri=s.uri, label=labels[s.uri], essential=s.essential)
            for s in request.skills
        ],
    )


# --- planning ------------------------------------------------------------------------------


def _candidate(offer: PublishedOffer, price: Decimal) -> Candidate:
    """The offer as the optimiser sees it, at `price` (in the plan's currency)."""
    return Candidate(
        id=offer.id,
        title=offer.title,
        skills=offer.skills,
        price=price,
        hours=offer.workload_hours,
        weeks=offer.duration_weeks,
        languages=offer.languages,
        mode=offer.participation_mode,
        provider=offer.provider,
        eqf=offer.eqf_level,
        ects=offer.ects_credits,
        pathways=offer.stackable_towards,
        prerequisites=offer.prerequisites,
    )


def _objective(request: PlanRequest) -> Objective:
    value = request.nice_to_have_value
    if request.objective == "hours":
        return Objective.least_hours(value)
    if request.objective == "time":
        return Objective.least_time(value)
    return Objective.least_cost(value)


def _constraints(request: PlanRequest) -> Constraints:
    return Constraints(
        weekly_hours=request.weekly_hours,
        budget=request.budget,
        max_hours=request.max_hours,
        deadline_weeks=request.deadline_weeks,
        languages=frozenset(request.languages),
        modes=frozenset(mode.value for mode in request.modes),
        max_eqf=request.max_eqf,
        min_eqf=request.min_eqf,
        providers=frozenset(request.providers),
        exclude_providers=frozenset(request.exclude_providers),
    )


def candidate_offers(db: Session) -> list[PublishedOffer]:
    """The published catalog as the planner reads it: load once to plan for many learners."""
    return catalog.published_offers(db)


@dataclass(frozen=True)
class PricedOffers:
    """The offers that can be priced in a plan's currency, at that price, and what the
    pricing took: the rates' (oldest) date and source when other currencies were converted."""

    offers: list[tuple[PublishedOffer, Decimal]]
    left_out: int  # offers in a currency without a rate
    converted: bool = False
    rates_as_of: date | None = None
    rates_source: str | None = None


def price_offers(
    offers: Sequence[PublishedOffer], currency: str, rates: exchange.RateTable
) -> PricedOffers:
    """Offers in `currency` as they are, others converted when their currency has a rate;
    InvalidInput on `currency` when it has none (the euro always has)."""
    if not rates.knows(currency):
        # Only those a request may name: the ECB also quotes currencies nothing is priced in.
        known = ", ".join(c for c in [exchange.BASE, *sorted(rates.rates)] if c in CURRENCIES)
        raise InvalidInput(
            f"No exchange rate is known for {currency}",
            [FieldProblem("currency", f"no exchange rate is known for {currency}; "
                                      f"plan in one of {known}")],
        )  # fmt: skip
    priced: list[tuple[PublishedOffer, Decimal]] = []
    converted: set[str] = set()
    left_out = 0
    for offer in offers:
        if offer.currency == currency:
            priced.append((offer, offer.price))
        elif rates.knows(offer.currency):
            priced.append((offer, rates.convert(offer.price, offer.currency, currency)))
            converted.add(offer.currency)
        else:
            left_out += 1
    if not converted:
        return PricedOffers(priced, left_out)
    used = {*converted, currency}
    return PricedOffers(
        priced, left_out, converted=True, rates_as_of=rates.oldest(used),
        rates_source=rates.sources(used),
    )  # fmt: skip


def plan_path(
    db: Session, issuing: credentials.Issuing, actor: Actor, request: PlanRequest,
    offers: Sequence[PublishedOffer] | None = None, *, target: TargetOut | None = None,
    declared: Iterable[str] = (), priced: PricedOffers | None = None,
) -> PlanResultOut:  # fmt: skip
    """The optimal plan (and alternatives) towards the request's target for the actor (an
    anonymous actor holds nothing but the skills they declare). `offers` (from
    `candidate_offers`) and `priced` (`price_offers` of them in the request's currency) save
    loading and converting them again when planning for several people.

    `target` replaces the request's own (a role profile, resolved by the caller); `declared`
    adds skills the learner declared earlier (stored) to the request's `declared_skills`.
    Target skills held only by declaration are also listed in `already_declared`."""
    target = target if target is not None else build_target(db, request)
    labels = {skill.uri: skill.label for skill in target.skills}
    labels.update(_labels(db, request.declared_skills, "declared_skills"))
    declared_now = set(request.declared_skills) | set(declared)
    held_ids: frozenset[int] = frozenset()
    proven: frozenset[str] = frozenset()
    everything = offers if offers is not None else candidate_offers(db)
    if priced is None:
        priced = price_offers(everything, request.currency, exchange.rate_table(db))
    if actor.user_id is not None:
        holdings = credentials.holdings_of(db, issuing, actor.user_id)
        held_ids, proven = holdings.microcredential_ids, holdings.skills
    # Whatever its price: a held credential's skills are the learner's.
    proven = proven.union(*(o.skills for o in everything if o.id in held_ids))
    result = plan_skill_gap(
        [_candidate(offer, price) for offer, price in priced.offers],
        Target(
            skills=tuple(GapSkill(s.uri, essential=s.essential) for s in target.skills),
            held_skills=frozenset(declared_now | proven),
            held_credentials=held_ids,
        ),
        _constraints(request),
        _objective(request),
        alternatives=request.alternatives,
    )
    naming = _Naming(
        labels,
        {o.provider: o.provider_name for o, _ in priced.offers},
        request.currency,
        {o.id: (o.price, o.currency) for o, _ in priced.offers},
    )
    out = _result_out(result, target, naming, len(priced.offers))
    out.already_declared = [s for s in out.already_held if s.uri not in proven]
    out.left_out_no_rate = priced.left_out
    out.converted = priced.converted
    out.rates_as_of, out.rates_source = priced.rates_as_of, priced.rates_source
    return out


def _skill(uri: str, labels: dict[str, str], essential: bool = True) -> SkillOut:
    return SkillOut(uri=uri, label=labels.get(uri, uri), essential=essential)


@dataclass(frozen=True)
class _Naming:
    """What a plan's output calls things: skills and providers by name, prices in currency."""

    skills: dict[str, str]  # label by URI
    providers: dict[str, str]  # name by slug
    currency: str
    listed: dict[int, tuple[Decimal, str]]  # the provider's own price and currency, by id


def _plan_out(plan: Plan, naming: _Naming) -> PlanOut:
    labels = naming.skills
    return PlanOut(
        items=[
            PlanItemOut(
                microcredential_id=item.candidate.id,
                title=item.candidate.title,
                provider=item.candidate.provider,
                provider_name=naming.providers.get(item.candidate.provider, ""),
                price=item.candidate.price,
                listed_price=naming.listed[item.candidate.id][0],
                listed_currency=naming.listed[item.candidate.id][1],
                hours=item.candidate.hours,
                weeks=item.candidate.weeks,
                start_week=item.start_week,
                end_week=item.end_week,
                stage=item.stage,
                covers=[_skill(uri, labels) for uri in item.covers],
            )
            for item in plan.items
        ],
        price=plan.price,
        currency=naming.currency,
        hours=plan.hours,
        weeks=plan.weeks,
        ects=plan.ects,
        essential_covered=[_skill(uri, labels) for uri in plan.essential_covered],
        essential_missing=[_skill(uri, labels) for uri in plan.essential_missing],
        nice_to_have_covered=[_skill(uri, labels, False) for uri in plan.nice_to_have_covered],
        pathways=list(plan.pathways),
        optimal=plan.optimal,
    )


def _result_out(
    result: PlanResult, target: TargetOut, naming: _Naming, considered: int
) -> PlanResultOut:
    labels = naming.skills
    explanation = None
    if result.explanation is not None:
        explanation = ExplanationOut(
            message=result.explanation.message,
            binding=[
                LimitOut(
                    limit=limit.limit, value=Decimal(limit.value), needed=Decimal(limit.needed),
                    message=limit.message,
                )
                for limit in result.explanation.binding
            ],
        )
    return PlanResultOut(
        target=target,
        already_held=[_skill(uri, labels) for uri in result.already_held],
        uncoverable=[_skill(g.skill, labels, g.essential) for g in result.uncoverable],
        plan=_plan_out(result.plan, naming) if result.plan else None,
        alternatives=[_plan_out(p, naming) for p in result.alternatives],
        explanation=explanation,
        partial=_plan_out(result.partial, naming) if result.partial else None,
        candidates_considered=considered,
    )
