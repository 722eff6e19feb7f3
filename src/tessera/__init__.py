"""Tessera: a microcredential platform (EU-standard catalog, Open Badges 3.0, skills)."""

__version__ = "0.1.0"
