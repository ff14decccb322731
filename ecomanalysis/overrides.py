"""Standard overrides and product categories, checked against ``data/standards.csv``.

Shop files (:mod:`ecomanalysis.shop`), the command line (``--set``) and the model
(:mod:`ecomanalysis.workload`) all validate overrides here, so the shop layer does not import
the model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ecomanalysis import catalog
from ecomanalysis.errors import InputError, suggest

#: Units whose values are rates: an override must lie in [0, 1].
FRACTION_UNITS = ("fraction", "fraction per month", "fraction of wage")
#: Units whose values must be whole numbers.
WHOLE_UNITS = ("chats",)
#: Units of times of day.
HOUR_UNITS = ("hour of day",)
HOURS_PER_DAY_CLOCK = 24

_RETURN = re.compile(r"^return_rate_(?P<cat>[a-z0-9_]+)$")


def standards_table(data_dir=None) -> pd.DataFrame:
    """``standards.csv`` validated by :mod:`ecomanalysis.catalog`, indexed by ``standard_id``."""
    return catalog.load_standards(data_dir=data_dir).set_index("standard_id", drop=False)


def categories(data_dir=None) -> list[str]:
    """Product categories: each ``return_rate_<category>`` standard defines one."""
    ids = catalog.load_standards(data_dir=data_dir)["standard_id"]
    return sorted(m["cat"] for m in map(_RETURN.match, ids) if m)


def check_overrides(overrides: Mapping[str, Any], where: str = "standard", data_dir=None) -> dict[str, float]:
    """Validate standard overrides: known id, a number, rates in [0, 1], whole counts, hours.

    ``where`` prefixes each message (e.g. ``"sample.yaml: key 'standards"``); problems are
    collected and raised together as one :class:`InputError`.
    """
    table = standards_table(data_dir)
    out: dict[str, float] = {}
    problems: list[str] = []

    close_quote = "'" if where.endswith("'standards") else ""
    for key, raw in overrides.items():
        label = f"{where}.{key}{close_quote}" if close_quote else f"{where} {key}"
        if key not in table.index:
            problems.append(
                f"{label}: unknown standard {key!r}{suggest(key, table.index)}; expected a "
                f"standard_id of standards.csv (list them with `ecomanalysis staff --list-standards`)"
            )
            continue
        if isinstance(raw, bool) or not isinstance(raw, (int, float, np.integer, np.floating)):
            try:
                value = float(str(raw).strip())
            except ValueError:
                problems.append(f"{label} has {raw!r}; expected a number (unit: {table.at[key, 'unit']})")
                continue
        else:
            value = float(raw)
        unit = table.at[key, "unit"]
        if not math.isfinite(value):
            problems.append(f"{label} has {raw!r}; expected a finite number")
        elif unit in FRACTION_UNITS and not 0.0 <= value <= 1.0:
            problems.append(f"{label} has {value:g}; expected a rate between 0 and 1 ({unit})")
        elif unit in HOUR_UNITS and not 0.0 <= value <= HOURS_PER_DAY_CLOCK:
            problems.append(f"{label} has {value:g}; expected an hour of day between 0 and 24")
        elif unit in WHOLE_UNITS and (value < 1 or value != int(value)):
            problems.append(f"{label} has {value:g}; expected a whole number >= 1 ({unit})")
        elif value < 0:
            problems.append(f"{label} has {value:g}; expected a number >= 0 ({unit})")
        elif value > (cap := _override_cap(table.at[key, "high"])):
            problems.append(f"{label} has {value:g}; expected at most {cap:g} ({unit}; "
                            f"{_override_factor():g} x the plausible high "
                            f"{table.at[key, 'high']:g} of standards.csv)")
        elif unit not in FRACTION_UNITS and 0 < value < (
                floor := float(table.at[key, "low"]) / _override_factor()):
            problems.append(f"{label} has {value:g}; expected at least {floor:g} ({unit}; "
                            f"1/{_override_factor():g} of the plausible low "
                            f"{table.at[key, 'low']:g} of standards.csv)")
        else:
            out[key] = value
    if problems:
        raise InputError("\n".join(problems), problems)
    return out


def _override_factor() -> float:
    from ecomanalysis.bounds import bound

    return bound("standard_override_factor").high


def _override_cap(high: float) -> float:
    """Largest override of a standard: a multiple of its plausible high (data/input_bounds.csv)."""
    return _override_factor() * max(float(high), 1.0)
