"""A small typed front for `scipy.optimize.milp` (HiGHS): the only module that touches SciPy,
which ships no type information (hence the two `import-untyped` ignores)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
from scipy.sparse import csr_array  # type: ignore[import-untyped]

Status = Literal["optimal", "feasible", "infeasible", "failed"]
# scipy.optimize.milp's status codes: 0 optimal, 1 stopped at a limit, 2 infeasible,
# 3 unbounded, 4 other.
_OPTIMAL, _LIMIT, _INFEASIBLE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Solution:
    status: Status
    values: tuple[float, ...] = ()

    @property
    def found(self) -> bool:
        return self.status in ("optimal", "feasible")


@dataclass
class LinearModel:
    """Variables with bounds and costs, and rows ``lower <= sum(coefficient * var) <= upper``;
    minimised."""

    costs: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    _row_lower: list[float] = field(default_factory=list)
    _row_upper: list[float] = field(default_factory=list)
    _rows: list[int] = field(default_factory=list)
    _columns: list[int] = field(default_factory=list)
    _coefficients: list[float] = field(default_factory=list)

    def variable(
        self, cost: float = 0.0, lower: float = 0.0, upper: float = 1.0, integer: bool = True
    ) -> int:
        self.costs.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        return len(self.costs) - 1

    def row(
        self,
        terms: Iterable[tuple[int, float]],
        lower: float = -math.inf,
        upper: float = math.inf,
    ) -> None:
        index = len(self._row_lower)
        for column, coefficient in terms:
            self._rows.append(index)
            self._columns.append(column)
            self._coefficients.append(coefficient)
        self._row_lower.append(lower)
        self._row_upper.append(upper)

    def solve(self, time_limit: float) -> Solution:
        if not self.costs:
            # Nothing to choose (HiGHS wants at least one variable): rows are all 0.
            bounds = zip(self._row_lower, self._row_upper, strict=True)
            empty_fits = all(lower <= 0 <= upper for lower, upper in bounds)
            return Solution("optimal" if empty_fits else "infeasible")
        constraints = []
        if self._row_lower:
            matrix = csr_array(
                (self._coefficients, (self._rows, self._columns)),
                shape=(len(self._row_lower), len(self.costs)),
            )
            constraints.append(LinearConstraint(matrix, self._row_lower, self._row_upper))
        result = milp(
            np.asarray(self.costs, dtype=np.float64),
            integrality=np.asarray(self.integer, dtype=np.int8),
            bounds=Bounds(self.lower, self.upper),
            constraints=constraints,
            # Exact optimality: the planner promises the optimum, not one within 0.01 %.
            options={"mip_rel_gap": 0.0, "time_limit": time_limit, "presolve": True},
        )
        status: int = result.status
        values: npt.NDArray[np.float64] | None = result.x
        if values is None:
            return Solution("infeasible" if status == _INFEASIBLE else "failed")
        return Solution(
            "optimal" if status == _OPTIMAL else "feasible",
            tuple(float(v) for v in values),
        )
