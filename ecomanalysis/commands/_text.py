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


def print_table(df, lang: str, names: dict[str, str] | None = None) -> None:
    """``df`` on the terminal, headers in ``lang``, every row, no index."""
    import pandas as pd

    with pd.option_context("display.max_rows", None, "display.max_colwidth", 40,
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
