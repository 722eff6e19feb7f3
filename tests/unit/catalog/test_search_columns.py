"""The in-memory index's column types and price comparisons (numpy only, no database)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from tessera.catalog.search.columns import Codes, Lists
from tessera.catalog.search.filters import Price


def _rows(*rows: int) -> np.ndarray:  # type: ignore[type-arg]
    return np.array(rows, dtype=np.intp)


def test_codes_filter_count_take_and_patch() -> None:
    codes = Codes.encode(["en", "de", "en", None, "fr"])
    assert codes.among({"en", None}).tolist() == [True, False, True, True, False]
    assert codes.having(lambda value: value is not None and value > "e").tolist() == [
        True, False, True, False, True
    ]
    assert codes.count(_rows(0, 2, 3)) == {"en": 2, None: 1}
    assert codes.count(_rows()) == {}
    taken = codes.take(_rows(4, 0))
    assert [taken.values[code] for code in taken.codes] == ["fr", "en"]
    keep = np.array([True, False, True, True, True])
    patched = codes.patch(keep, _rows(0, 4), ["es", "en"])  # before the 1st kept, at the end
    assert [patched.values[code] for code in patched.codes] == [
        "es", "en", "en", None, "fr", "en"
    ]
    assert patched.values[: len(codes.values)] == codes.values  # old codes keep their meaning


def test_lists_filter_count_take_extend_and_patch() -> None:
    lists = Lists.encode(np.array([2, 0, 3, 1]), [7, 8, 8, 9, 7, 9])
    # Entries: [7, 8], [], [8, 9, 7], [9]
    assert lists.having_any({7}).tolist() == [True, False, True, False]
    assert lists.having_any({9, 8}).tolist() == [True, False, True, True]
    assert lists.having_any(set()).tolist() == [False] * 4
    assert lists.count(_rows(0, 1, 2)) == {7: 2, 8: 2, 9: 1}
    assert lists.count(_rows(1)) == {}
    taken = lists.take(_rows(3, 1, 0))
    assert [[taken.values[c] for c in taken.codes[taken.starts[r]:taken.starts[r + 1]]]
            for r in range(3)] == [[9], [], [7, 8]]
    longer = lists.extend(np.array([0, 2]), [5, 7])
    assert longer.count(_rows(4, 5)) == {5: 1, 7: 1}
    assert longer.having_any({5}).tolist() == [False] * 5 + [True]
    # Drop [] and [8, 9, 7]; put [5] first, [] and [6, 6] between [7, 8] and [9].
    keep = np.array([True, False, False, True])
    patched = lists.patch(keep, _rows(0, 1, 1), np.array([1, 0, 2]), [5, 6, 6])
    assert [[patched.values[c] for c in patched.codes[patched.starts[r]:patched.starts[r + 1]]]
            for r in range(5)] == [[5], [7, 8], [], [6, 6], [9]]


def test_empty_columns() -> None:
    assert Codes.encode([]).count(_rows()) == {}
    lists = Lists.encode(np.zeros(0, np.int64), [])
    assert lists.having_any({1}).tolist() == []
    assert lists.count(_rows()) == {}


CENTS = np.array([0, 1999, 2000, 2001], dtype=np.int64)


@pytest.mark.parametrize(
    ("bound", "at_least", "at_most"),
    [
        (Decimal("19.99"), [False, True, True, True], [True, True, False, False]),
        (Decimal("19.991"), [False, False, True, True], [True, True, False, False]),
        (Decimal("19.999"), [False, False, True, True], [True, True, False, False]),
        (Decimal("20"), [False, False, True, True], [True, True, True, False]),
        (Decimal("19.990000000000000000000000000000001"),  # more digits than floats hold
         [False, False, True, True], [True, True, False, False]),
        (Decimal("0"), [True] * 4, [True, False, False, False]),
        (Decimal("-1"), [True] * 4, [False] * 4),
        (Decimal("1E+30"), [False] * 4, [True] * 4),
        (Decimal("Infinity"), [False] * 4, [True] * 4),
        (Decimal("-Infinity"), [True] * 4, [False] * 4),
        (Decimal("NaN"), [False] * 4, [True] * 4),  # NUMERIC NaN sorts above every number
    ],
)
def test_exact_prices_compare_like_numeric(
    bound: Decimal, at_least: list[bool], at_most: list[bool]
) -> None:
    price = Price(floats=False)
    assert price.at_least(CENTS, bound).tolist() == at_least
    assert price.at_most(CENTS, bound).tolist() == at_most


@pytest.mark.parametrize(
    ("bound", "at_least", "at_most"),
    [
        (Decimal("19.99"), [False, True, True, True], [True, True, False, False]),
        # A float has no room for the last digit: SQLite compares 19.99 with 19.99.
        (Decimal("19.990000000000000000000000000000001"),
         [False, True, True, True], [True, True, False, False]),
        (Decimal("NaN"), [False] * 4, [False] * 4),  # SQLite binds NaN as NULL
    ],
)
def test_float_prices_compare_like_sqlite(
    bound: Decimal, at_least: list[bool], at_most: list[bool]
) -> None:
    price = Price(floats=True)
    assert price.at_least(CENTS, bound).tolist() == at_least
    assert price.at_most(CENTS, bound).tolist() == at_most
