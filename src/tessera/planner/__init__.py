"""Skill-gap planner: from a target (an occupation, a role profile or a job posting) and what
a learner already holds, the best set of published microcredentials that closes the gap, in an
order the learner can follow week by week, with a few meaningfully different alternatives.

The optimisation core is pure (no database, no web) and tested on its own. Entry point:
`planning.plan_skill_gap`; inputs and results: `model`. Inside: `validate` (bad input),
`prepare` (eligibility, relevance, dominance), `optimize` (the MILP), `milp` (a typed front
for SciPy's HiGHS), `timeline` (time to finish and the week-by-week schedule),
`alternatives`, `diagnose` (explaining limits that cannot all be met) and `extraction` (the
skills a job posting or CV mentions). `services`, `api`, `pages`, `charts` and `cli` wire it
to the catalog, the taxonomy and the credentials a learner holds.
"""
