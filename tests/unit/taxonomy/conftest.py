"""Fixtures building taxonomy directories (see taxonomy_files.py) under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from taxonomy_files import EscoBuilder, OnetBuilder, build_esco_dir, build_onet_dir


@pytest.fixture
def esco_dir(tmp_path: Path) -> EscoBuilder:
    """esco_dir(name="esco", sample=False, limit=None, hierarchy=True) builds an ESCO export."""

    def build(name: str = "esco", **options: object) -> Path:
        return build_esco_dir(tmp_path / name, **options)  # type: ignore[arg-type]

    return build


@pytest.fixture
def onet_dir(tmp_path: Path) -> OnetBuilder:
    """onet_dir(name="onet", occupations=None) builds O*NET files (a subset when a number)."""

    def build(name: str = "onet", occupations: int | None = None) -> Path:
        return build_onet_dir(tmp_path / name, occupations)

    return build
