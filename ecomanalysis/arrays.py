"""Numbers in, arrays out: the one conversion rule of the model modules.

:mod:`ecomanalysis.queueing` and :mod:`ecomanalysis.simulate` both turn their parameters into
float arrays here (queueing's ``method="simulate"`` calls the simulation, so the shared rule
lives below both of them and each pair imports one way only).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ecomanalysis.errors import InputError


def as_array(value: Any, name: str) -> np.ndarray:
    """``value`` as a float array; InputError naming the parameter ``name`` if it is not numeric."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"parameter '{name}' has {value!r}; expected a number or an array of numbers"
        ) from None
    return arr
