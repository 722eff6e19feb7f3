"""The microcredential catalog: EU-standard descriptions, versions, modules, skills, search."""
