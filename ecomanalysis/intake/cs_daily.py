"""The 客服绩效 (customer-service performance) daily report: one row per agent and day.

Qianniu / 生意参谋 / 赤兔 write it with 日期, 客服, 咨询人数, 接待人数, 询单人数, 询单转化率,
平均响应时长 (and more); the column names are in the ``cs_daily_presets`` of
``data/intake_presets.yaml``.  :func:`read_cs_daily` returns one row per day (agents summed), which
calibrates the shop's pre-sale inquiries per order (询单人数 / orders) and shows its measured
response time and inquiry conversion.

Values as the exports write them are accepted: rates as ``62.5%`` or ``0.625``; times as ``25``,
``25秒``, ``25s`` or ``1分20秒``; summary rows (汇总, 平均值 ...) are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ecomanalysis.errors import InputError
from ecomanalysis.intake import presets as P
from ecomanalysis.intake import readers as R
from ecomanalysis.intake import timestamps as T
from ecomanalysis.intake._duck import connect, q_ident

KIND = "cs_daily"
#: Labels of summary rows in the date column (not days).
SUMMARY_LABELS = ("汇总", "汇总值", "合计", "总计", "平均", "平均值", "均值", "全店汇总值",
                  "同行同层均值", "total", "average", "sum")
_MIN_SEC = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(?:分钟|分|min|m)\s*)?(?:(\d+(?:\.\d+)?)\s*(?:秒|s|sec)?)?\s*$",
                      re.IGNORECASE)


def _seconds(text: object) -> float:
    """``25``, ``25秒``, ``25s``, ``1分20秒`` -> seconds; NaN for empty, None if unreadable."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return np.nan
    t = str(text).strip()
    if not t or t in ("-", "--"):
        return np.nan
    m = _MIN_SEC.match(t)
    if not m or (m.group(1) is None and m.group(2) is None):
        return None  # type: ignore[return-value]
    return float(m.group(1) or 0) * 60 + float(m.group(2) or 0)


def _rate(text: object) -> float:
    """``62.5%`` -> 0.625, ``0.625`` -> 0.625; NaN for empty, None if unreadable."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return np.nan
    t = str(text).strip()
    if not t or t in ("-", "--"):
        return np.nan
    pct = t.endswith("%")
    try:
        v = float(t.rstrip("%").replace(",", ""))
    except ValueError:
        return None  # type: ignore[return-value]
    return v / 100 if pct or v > 1 else v


def _count(text: object) -> float:
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return np.nan
    t = str(text).strip().replace(",", "")
    if not t or t in ("-", "--"):
        return np.nan
    try:
        return float(t)
    except ValueError:
        return None  # type: ignore[return-value]


def read_cs_daily(
    path: str | Path,
    preset: str | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    order: str | None = None,
) -> pd.DataFrame:
    """Read a 客服绩效 daily report.

    Returns
    -------
    DataFrame
        One row per day (``date``, naive midnight): ``inquiries`` (询单人数, summed over agents),
        ``received`` (接待人数), ``consultations`` (咨询人数), ``avg_response_s`` (mean of the agents'
        mean response times weighted by customers received), ``first_response_s`` (same),
        ``inquiry_conversion`` (weighted by inquiries) and ``agents`` (rows that day).  Columns
        the report lacks are NaN.  ``attrs["report"]`` says what was read.

    Raises
    ------
    InputError
        No date or 询单人数 column, a date or number that does not read (file, row, column,
        value and what was expected).
    """
    mapping = dict(mapping or {})
    con = connect(1)
    try:
        known = P.known_columns(KIND, mapping.values())
        time_names = [a for p in P.load_presets(KIND).values() for a in p.columns["date"]]
        with R.open_source(path, con, known, sheet=sheet, time_names=time_names) as src:
            cmap = P.resolve(src.columns, KIND, preset, mapping, None, src.path.name)
            f = cmap.fields
            name = src.path.name
            if "inquiries" not in f:
                raise InputError(
                    f"{name}: no 询单人数 column (pre-sale inquirers); columns found: "
                    f"{', '.join(src.columns)}; name it with map: {{inquiries: COLUMN}}"
                )
            cols = ", ".join(f"CAST({q_ident(c)} AS VARCHAR) AS {q_ident(k)}" for k, c in f.items())
            raw = con.execute(f"SELECT {cols} FROM {src.from_sql}").df()
            labels = [src.row_label(i) for i in range(len(raw))]
            notes = src.notes
    finally:
        con.close()
    dcol = f["date"]
    text = raw["date"].fillna("").astype(str).str.strip()
    empty = raw.isna().all(axis=1) | (raw.fillna("").astype(str).apply(lambda c: c.str.strip()) == "").all(axis=1)
    summary = text.str.casefold().isin([s.casefold() for s in SUMMARY_LABELS])
    keep = ~(empty | summary)
    raw, text = raw[keep].reset_index(drop=True), text[keep].reset_index(drop=True)
    labels = [lab for lab, k in zip(labels, keep, strict=True) if k]
    if raw.empty:
        raise InputError(f"{name} has no data rows; expected one row per agent (or day) and day")
    fmt = T.infer_format(text.tolist(), order, dcol, lambda i: labels[i], name)
    if T.needs_order(fmt):
        if not order:
            raise InputError(f"{name}: column '{dcol}' has dates like {fmt.example!r}; say "
                             "date_order: dayfirst or monthfirst")
        fmt = T.with_order(fmt, order, inferred=False)
    dates = _parse_dates(text, fmt)
    problems = [f"{name} {labels[i]}: column '{dcol}' has {text[i]!r} which is not a date; "
                f"expected e.g. 2025-11-11" for i in np.flatnonzero(dates.isna().to_numpy())[:5]]
    values = {}
    parsers = {"inquiries": _count, "received": _count, "consultations": _count,
               "avg_response_s": _seconds, "first_response_s": _seconds,
               "inquiry_conversion": _rate}
    expect = {_count: "a count of customers", _seconds: "seconds such as 25 or 25秒",
              _rate: "a rate such as 62.5% or 0.625"}
    for fld, parse in parsers.items():
        if fld not in raw:
            values[fld] = np.full(len(raw), np.nan)
            continue
        got = [parse(v) for v in raw[fld]]
        bad = [i for i, v in enumerate(got) if v is None]
        problems += [f"{name} {labels[i]}: column '{f[fld]}' has {raw[fld][i]!r}; expected "
                     f"{expect[parse]}" for i in bad[:5]]
        values[fld] = np.array([np.nan if v is None else v for v in got], dtype=float)
    if problems:
        raise InputError("\n".join(problems), problems)
    rows = pd.DataFrame({"date": dates.dt.normalize(), **values})
    w_recv = rows["received"].fillna(rows["inquiries"]).fillna(0)
    out = rows.groupby("date").apply(lambda g: pd.Series({
        "inquiries": g["inquiries"].sum(min_count=1),
        "received": g["received"].sum(min_count=1),
        "consultations": g["consultations"].sum(min_count=1),
        "avg_response_s": _wmean(g["avg_response_s"], w_recv[g.index]),
        "first_response_s": _wmean(g["first_response_s"], w_recv[g.index]),
        "inquiry_conversion": _wmean(g["inquiry_conversion"], g["inquiries"]),
        "agents": float(len(g)),
    }), include_groups=False).reset_index()
    out.attrs["report"] = {"file": str(path), "source": notes, "preset": cmap.preset,
                           "preset_detected": cmap.auto, "columns": f, "days": int(len(out)),
                           "rows_read": int(len(rows))}
    return out


def _wmean(values: pd.Series, weights: pd.Series) -> float:
    ok = values.notna() & weights.notna() & (weights > 0)
    if not ok.any():
        return float(values.mean()) if values.notna().any() else np.nan
    return float(np.average(values[ok], weights=weights[ok]))


def _parse_dates(text: pd.Series, fmt: T.TimeFormat) -> pd.Series:
    if fmt.kind == "text":
        out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        for f in fmt.formats:
            miss = out.isna()
            fmt_py = f.replace("%z", "").rstrip()
            out[miss] = pd.to_datetime(text[miss].str.replace(r"\s*[+-]\d{2}:?\d{2}$", "", regex=True),
                                       format=fmt_py, errors="coerce")
        return out
    return pd.to_datetime(text, errors="coerce")


def summary(days: pd.DataFrame) -> dict[str, float]:
    """Totals over the report: days, inquiries per day (median), the mean response time and the
    inquiry conversion (weighted)."""
    return {
        "days": float(len(days)),
        "inquiries_per_day": float(days["inquiries"].median()),
        "avg_response_s": _wmean(days["avg_response_s"], days["received"].fillna(days["inquiries"])),
        "inquiry_conversion": _wmean(days["inquiry_conversion"], days["inquiries"]),
    }
