"""Text a command prints, in the language of its ``--lang``: tables with headers (and units)
from the message catalogs, and the intake's notes (encodings, dropped rows) in words.

Column names of files a command writes (``-o``) never change; only what is printed does.
"""

from __future__ import annotations

import re

from ecomanalysis.i18n import N_, translator

#: Why rows of an export were dropped (preset ``drop_status`` reasons) -> msgid.
DROP_REASONS = {"cancelled": N_("cancelled"), "unpaid": N_("unpaid")}
#: Why rows were merged (ecomanalysis.intake.orders) -> msgid with ``{rows}``.
MERGE_REASONS = (
    (re.compile(r"^line-item rows merged into their order \((?P<col>.+) repeats per item\)$"),
     N_("{rows} line-item rows merged into their order ({col} repeats per item)")),
    (re.compile(r"^repeated order ids removed \(--dedupe kept the first row of each\)$"),
     N_("{rows} repeated order ids removed (dedupe kept the first row of each)")),
    (re.compile(r"^line-item or repeated rows merged into their order$"),
     N_("{rows} line-item or repeated rows merged into their order")),
)
#: Notes of the intake readers (ecomanalysis.intake.readers) -> msgid with the same fields.
SOURCE_NOTES = (
    (re.compile(r"^encoding (?P<enc>\S+) \(transcoded to UTF-8\)$"),
     N_("encoding {enc} (transcoded to UTF-8)")),
    (re.compile(r"^encoding (?P<enc>\S+)$"), N_("encoding {enc}")),
    (re.compile(r"^delimiter (?P<d>.+)$"), N_("delimiter {d}")),
    (re.compile(r"^header on line (?P<line>\d+) \(skipped (?P<n>\d+) title line\(s\)\)$"),
     N_("header on line {line} ({n} title lines skipped)")),
    (re.compile(r"^header on row (?P<row>\d+)$"), N_("header on row {row}")),
    (re.compile(r"^no header row \(column names given\)$"),
     N_("no header row (column names given)")),
    (re.compile(r"^sheet (?P<sheet>.+)$"), N_("sheet {sheet}")),
    (re.compile(r"^parquet$"), N_("Parquet file")),
)
#: Product categories with standards of their own (data/standards.csv return_rate_<id>).
CATEGORIES = {"general": N_("general merchandise"), "apparel": N_("apparel"),
              "womens_apparel": N_("women's apparel"), "beauty": N_("beauty"),
              "electronics": N_("electronics")}


def category(cat: str, lang: str) -> str:
    """A category id in words (an id without a name of its own stays as it is: data)."""
    return translator(lang)(CATEGORIES[cat]) if cat in CATEGORIES else cat


def city_tier(tier: str, lang: str) -> str:
    from ecomanalysis.render import TIERS

    return translator(lang)(TIERS[tier]) if tier in TIERS else tier


#: ``TimeFormat.describe()`` pieces (ecomanalysis.intake.timestamps) -> msgid.
TIME_WORDS = (
    (re.compile(r"\(e\.g\. (?P<x>'.*?')\)"), N_("(e.g. {x})")),
    (re.compile(r"\(inferred from the data\)"), N_("(inferred from the data)")),
    (re.compile(r"\bdayfirst\b"), N_("day first")),
    (re.compile(r"\bmonthfirst\b"), N_("month first")),
)


def headers(df, lang: str, names: dict[str, str] | None = None):
    """``df`` with its columns named in ``lang``: ``names`` (column -> msgid) first, then the
    headers of :data:`ecomanalysis.render.COLUMNS`, else the column id unchanged."""
    from ecomanalysis.render import COLUMNS, header

    _ = translator(lang)
    names = names or {}
    return df.rename(columns={c: _(names[c]) if c in names else header(c, lang)
                              for c in df.columns if c in names or c in COLUMNS})


def print_table(df, lang: str, names: dict[str, str] | None = None, colwidth: int = 40) -> None:
    """``df`` on the terminal, headers in ``lang``, every row, no index."""
    import pandas as pd

    with pd.option_context("display.max_rows", None, "display.max_colwidth", colwidth,
                           "display.width", 200, "display.unicode.east_asian_width", True):
        shown = df.astype(object).where(df.notna(), "")  # an empty cell, not NaN
        print(headers(shown, lang, names).to_string(index=False))


def source_note(note: str, lang: str) -> str:
    """One note of the intake reader (``encoding utf-8``) in ``lang``."""
    _ = translator(lang)
    for rx, msgid in SOURCE_NOTES:
        m = rx.match(note)
        if m:
            return _(msgid, **m.groupdict())
    return note


def time_format(text: str, lang: str) -> str:
    """The time layout the intake found (``%Y-%m-%d %H:%M:%S (e.g. '...')``) in ``lang``."""
    _ = translator(lang)
    for rx, msgid in TIME_WORDS:
        text = rx.sub(lambda m, msgid=msgid: _(msgid, **m.groupdict()), text)
    return text


def drop_reason(reason: str, lang: str) -> str:
    return translator(lang)(DROP_REASONS[reason]) if reason in DROP_REASONS else reason


def drop_lines(report, lang: str) -> list[str]:
    """:meth:`ecomanalysis.intake.IntakeReport.drop_lines` in ``lang``."""
    _ = translator(lang)
    lines = [_("{rows} {reason} ({column} = {value})", rows=f"{d['rows']:,}",
               reason=drop_reason(d["reason"], lang), column=d["column"],
               value=_("(any value)") if d["value"] == "(any value)" else d["value"])
             for d in report.dropped]
    if report.merged:
        lines.append(merge_line(report.merged, lang))
    if report.empty_rows:
        lines.append(_("{rows} empty rows skipped", rows=f"{report.empty_rows:,}"))
    return lines


def merge_line(merged: dict, lang: str) -> str:
    """``IntakeReport.merged`` (rows merged into their order) as one line in ``lang``."""
    _ = translator(lang)
    for rx, msgid in MERGE_REASONS:
        m = rx.match(merged["reason"])
        if m:
            return _(msgid, rows=f"{merged['rows']:,}", **m.groupdict())
    return f"{merged['rows']:,} {merged['reason']}"


# --------------------------------------------------------------------------- library messages
#: The diagnostics of the forecast and peak models (ecomanalysis.forecast), written in English
#: there: (pattern, msgid, groups translated again as fragments).  A message no pattern knows
#: is printed as it is.
_DATES = r"(?P<dates>\d{4}-\d{2}-\d{2}.*)"
LIBRARY_MESSAGES = tuple((re.compile(rx), msgid, nested) for rx, msgid, nested in (
    (r"^history: (?P<basis>.+); peak planned as of (?P<today>\S+) \((?P<why>[^()]+)\)$",
     N_("history: {basis}; peak planned as of {today} ({why})"), ("basis", "why")),
    (r"^the shop's order file: (?P<n>\d+) days (?P<a>\S+) \.\. (?P<b>\S+?)(?P<rest>(?:,.*)?)$",
     N_("the shop's order file: {n} days {a} .. {b}{rest}"), ("rest",)),
    (r"^history given: (?P<n>\d+) days (?P<a>\S+) \.\. (?P<b>\S+?)(?P<rest>(?:,.*)?)$",
     N_("history given: {n} days {a} .. {b}{rest}"), ("rest",)),
    (r"^, scaled x(?P<x>\S+) to (?P<n>\S+) orders/day$",
     N_(", scaled x{x} to {n} orders/day"), ()),
    (r"^no order history: a flat baseline at the shop's current (?P<n>\S+) orders/day "
     r"\(profile\) x the event calendar's default uplifts$",
     N_("no order history: a flat baseline at the shop's current {n} orders/day (profile) x "
        "the event calendar's default uplifts"), ()),
    (r"^the history runs into the plan's days: (?P<a>\S+) \.\. (?P<b>\S+) are the shop's own "
     r"orders, the days after forecast$",
     N_("the history runs into the plan's days: {a} .. {b} are the shop's own orders, the days "
        "after forecast"), ()),
    (r"^the day after the order history ends$", N_("the day after the order history ends"), ()),
    (r"^the computer's date$", N_("the computer's date"), ()),
    (r"^given$", N_("given"), ()),
    (r"^(?P<name>[^:]+): " + _DATES + r": event days without a calibrated interval \(event not "
     r"in the history, or too few event days in the shop's backtest\); their range is the "
     r"default: the normal-day range widened by the calendar's uplift range$",
     N_("{name}: {dates}: event days without a calibrated interval (event not in the history, "
        "or too few event days in the shop's backtest); their range is the default: the "
        "normal-day range widened by the calendar's uplift range"), ("dates",)),
    (r"^(?P<event>[^:]+): not in the history; default uplift (?P<u>\S+)x \((?P<lo>[^-]+)-"
     r"(?P<hi>[^)]+)\) from the events table on " + _DATES + "$",
     N_("{event}: not in the history; default uplift {u}x ({lo}-{hi}) from the events table "
        "on {dates}"), ("dates",)),
    (r"^(?P<event>[^:]+): not in the history and no default uplift in the events table; "
     r"forecast without its effect$",
     N_("{event}: not in the history and no default uplift in the events table; forecast "
        "without its effect"), ()),
    (r"^(?P<name>[^:]+): model (?P<model>\S+) chosen by the shop's own backtest \((?P<n>\d+) "
     r"origins\): WAPE (?P<w>\S+) against seasonal naive (?P<sn>[^;]+)$",
     N_("{name}: model {model} chosen by the shop's own backtest ({n} origins): WAPE {w} "
        "against seasonal naive {sn}"), ()),
    (r"^(?P<name>[^:]+): model (?P<model>\S+) chosen by the shop's own backtest \((?P<n>\d+) "
     r"origins\): WAPE (?P<w>\S+) against seasonal naive (?P<sn>[^;]+); it does NOT beat "
     r"seasonal naive$",
     N_("{name}: model {model} chosen by the shop's own backtest ({n} origins): WAPE {w} "
        "against seasonal naive {sn}; it does NOT beat seasonal naive"), ()),
    (r"^(?P<name>[^:]+): (?P<n>\d+) days of history is too short for the shop's own backtest "
     r"\(needs (?P<train>\d+) days plus (?P<o>\d+) origins (?P<step>\d+) days apart\); model "
     r"(?P<model>\S+) by default, interval = default range \(in-sample spread and the "
     r"calendar's uplift ranges\), not calibrated$",
     N_("{name}: {n} days of history is too short for the shop's own backtest (needs {train} "
        "days plus {o} origins {step} days apart); model {model} by default, interval = "
        "default range (in-sample spread and the calendar's uplift ranges), not calibrated"),
     ()),
    (r"^(?P<name>[^:]+): (?P<n>\d+) missing day\(s\) filled with 0: " + _DATES + "$",
     N_("{name}: {n} missing day(s) filled with 0: {dates}"), ("dates",)),
    (r"^(?P<name>[^:]+): (?P<n>\d+) empty value\(s\) taken as 0 on " + _DATES + "$",
     N_("{name}: {n} empty value(s) taken as 0 on {dates}"), ("dates",)),
    (r"^(?P<name>[^:]+): (?P<n>\d+) date\(s\) appeared more than once and were summed "
     r"\((?P<rows>\d+) rows\): " + _DATES + "$",
     N_("{name}: {n} date(s) appeared more than once and were summed ({rows} rows): {dates}"),
     ("dates",)),
    (r"^(?P<name>[^:]+): (?P<n>\d+) days of history, fewer than the (?P<min>\d+) needed for "
     r"yearly seasonality; fallback model without yearly seasonality \(weekdays \+ events \+ "
     r"ARIMA\)$",
     N_("{name}: {n} days of history, fewer than the {min} needed for yearly seasonality; "
        "fallback model without yearly seasonality (weekdays + events + ARIMA)"), ()),
    (r"^(?P<name>[^:]+): (?P<n>\d+) days of history, fewer than the (?P<min>\d+) needed for "
     r"weekly seasonality; fallback model: mean of the non-event days \+ default event "
     r"multipliers$",
     N_("{name}: {n} days of history, fewer than the {min} needed for weekly seasonality; "
        "fallback model: mean of the non-event days + default event multipliers"), ()),
    (r"^(?P<name>[^:]+): the optimiser did not report convergence; the forecast may be less "
     r"reliable$",
     N_("{name}: the optimiser did not report convergence; the forecast may be less "
        "reliable"), ()),
    (r"^permanent team: the shop's current team$",
     N_("permanent team: the shop's current team"), ()),
    (r"^permanent team: the requirement on normal days \(largest day of the baseline window "
     r"(?P<a>\S+) \.\. (?P<b>\S+), median (?P<n>\S+) orders/day\)$",
     N_("permanent team: the requirement on normal days (largest day of the baseline window "
        "{a} .. {b}, median {n} orders/day)"), ()),
    (r"^permanent team: per role the larger of the current team and the requirement on normal "
     r"days \(largest day of (?P<a>\S+) \.\. (?P<b>\S+), median (?P<n>\S+) orders/day\)$",
     N_("permanent team: per role the larger of the current team and the requirement on "
        "normal days (largest day of {a} .. {b}, median {n} orders/day)"), ()),
    (r"^the current team is below the model's requirement on normal days before the event "
     r"\((?P<list>.+)\): permanent hires, counted in the temps here$",
     N_("the current team is below the model's requirement on normal days before the event "
        "({list}): permanent hires, counted in the temps here"), ("list",)),
    (r"^the current team is below the model's requirement on normal days before the event "
     r"\((?P<list>.+)\): permanent hires, counted in the permanent team here \(hire them "
     r"before the ramp-up\)$",
     N_("the current team is below the model's requirement on normal days before the event "
        "({list}): permanent hires, counted in the permanent team here (hire them before the "
        "ramp-up)"), ("list",)),
    (r"^not staffed with temps \(no \*_ramp_days standard lists them; the permanent team, "
     r"overtime or a backlog absorbs the peak\): (?P<list>.+)$",
     N_("not staffed with temps (no *_ramp_days standard lists them; the permanent team, "
        "overtime or a backlog absorbs the peak): {list}"), ("list",)),
    (r"^(?P<unit>[^:]+): hire-by (?P<date>\S+) is before the plan date (?P<today>\S+): too "
     r"late for the full ramp-up$",
     N_("{unit}: hire-by {date} is before the plan date {today}: too late for the full "
        "ramp-up"), ()),
    (r"^overtime: at most (?P<d>\S+) h per person per day and (?P<m>\S+) h per month \(PRC "
     r"Labour Law art\. 41\), assumed unused before the window; paid x(?P<pay>\S+); temps cost "
     r"x(?P<t>\S+) of a permanent employee per person-day \(days needed \+ ramp-up\)$",
     N_("overtime: at most {d} h per person per day and {m} h per month (PRC Labour Law art. "
        "41), assumed unused before the window; paid x{pay}; temps cost x{t} of a permanent "
        "employee per person-day (days needed + ramp-up)"), ()),
))
#: Names the models give their series (``{name}`` above).
SERIES_NAMES = {"orders": N_("orders"), "orders file": N_("orders file"),
                "history": N_("history")}
#: Pieces inside the messages above: date lists and role lists.
FRAGMENTS = (
    (re.compile(r" \.\.\. \((?P<n>\d+) days\)"), N_(" ... ({n} days)")),
    (re.compile(r" \.\.\. \((?P<n>\d+) in all\)"), N_(" ... ({n} in all)")),
    (re.compile(r"(?P<unit>\w+) (?P<n>\d+) on (?P<day>\d\d-\d\d) vs (?P<perm>\d+)"),
     N_("{unit} {n} on {day} vs {perm}")),
    (re.compile(r"(?P<unit>\w+): (?P<now>\d+) vs (?P<need>\d+)"), N_("{unit}: {now} vs {need}")),
)


def library_message(text: str, lang: str) -> str:
    """A diagnostic of the forecast or peak model in ``lang`` (English ones as they are)."""
    if lang == "en":
        return text
    _ = translator(lang)
    for rx, msgid, nested in LIBRARY_MESSAGES:
        m = rx.match(text)
        if m:
            fields = {k: (library_message(v, lang) if k in nested else v)
                      for k, v in m.groupdict(default="").items()}
            if fields.get("name") in SERIES_NAMES:
                fields["name"] = _(SERIES_NAMES[fields["name"]])
            return _(msgid, **fields)
    for rx, msgid in FRAGMENTS:
        text = rx.sub(lambda m, msgid=msgid: _(msgid, **m.groupdict()), text)
    return text
