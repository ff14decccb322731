"""History + event calendar (Double 11, 618, ...) -> expected daily volume with intervals.

Public API::

    from ecomanalysis.forecast import forecast_daily, fit_forecast, backtest

    frame = forecast_daily(series, horizon_days=90, events="CN")   # China: events + holidays
    # date, forecast, lower, upper, event; frame.attrs["messages"] says which model ran
    result = fit_forecast(series, 90, events=["cn", "campaigns.csv"])
    result.effects        # uplift per event: estimated from the history or the default
    verdict(result)       # {winner, wape, seasonal_naive_wape, beats_naive, ...}: the plan's flag
    load_events(shop.event_calendar())   # the shop's markets: ["CN"], ["US", "BR"], ["global"]
    bt = backtest(series)  # rolling origin; WAPE / MAPE of model and seasonal naive
    bt.metrics
    plan = peak_plan(shop, event="double11")  # temps, hire-by dates, overtime, service level
    next_peak(shop)                           # the next Double 11 / 618 / ... day

Modules: :mod:`.events` (calendars per market, public holidays and Spring Festival from the
``holidays`` library, user campaigns), :mod:`.model` (input cleaning, the default automatic model
and the statsmodels state-space model), :mod:`.auto` (candidates chosen by the shop's own
backtest, event multipliers that follow the shop, conformal intervals), :mod:`.settings`
(``data/forecast_settings.csv``, ``data/markets.csv``), :mod:`.backtest` (rolling origin),
:mod:`.peak` (the staffing plan of a promotion peak).
"""

from ecomanalysis.forecast.auto import verdict
from ecomanalysis.forecast.backtest import (
    BacktestResult,
    backtest,
    error_table,
    mape,
    wape,
)
from ecomanalysis.forecast.events import (
    COLUMNS as EVENT_COLUMNS,
)
from ecomanalysis.forecast.events import (
    calendar_for,
    components,
    country_events,
    event_labels,
    event_matrix,
    load_events,
    measure_uplift,
    spring_festival_dates,
)
from ecomanalysis.forecast.model import (
    FRAME_COLUMNS,
    ForecastResult,
    calendar_terms,
    fit_forecast,
    forecast_daily,
    prepare_series,
    seasonal_naive,
)
from ecomanalysis.forecast.peak import NextPeak, PeakPlan, next_peak, peak_plan

__all__ = [
    "BacktestResult",
    "calendar_for",
    "country_events",
    "verdict",
    "backtest",
    "error_table",
    "mape",
    "wape",
    "EVENT_COLUMNS",
    "FRAME_COLUMNS",
    "ForecastResult",
    "calendar_terms",
    "components",
    "event_labels",
    "event_matrix",
    "fit_forecast",
    "forecast_daily",
    "load_events",
    "measure_uplift",
    "NextPeak",
    "PeakPlan",
    "next_peak",
    "peak_plan",
    "prepare_series",
    "seasonal_naive",
    "spring_festival_dates",
]
