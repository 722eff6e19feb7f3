"""Alembic migrations; `tessera db upgrade` applies them (see tessera.migrate)."""
