"""REST API of the skills taxonomy: /api/v1/skills and /api/v1/occupations."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["skills"])
