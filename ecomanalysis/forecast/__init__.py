"""History + event calendar (Double 11, 618, ...) -> expected daily volume with intervals.

Modules: :mod:`.events` (calendar, Spring Festival dates, user campaigns); the model and the
backtest follow.
"""

from ecomanalysis.forecast.events import (
    COLUMNS as EVENT_COLUMNS,
)
from ecomanalysis.forecast.events import (
    components,
    event_labels,
    event_matrix,
    load_events,
    measure_uplift,
    spring_festival_dates,
)

__all__ = [
    "EVENT_COLUMNS",
    "components",
    "event_labels",
    "event_matrix",
    "load_events",
    "measure_uplift",
    "spring_festival_dates",
]
