"""The learner's own record: skills they declare (unverified), plans they save, and the
microcredentials they enrol in. Planning for a signed-in learner goes through here too
(`services.plan_for_learner`): it adds their stored skills, and resolves a role profile of
their employer as the target, with the employer's access rules."""
