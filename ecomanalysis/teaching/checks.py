"""Exercise checks for the teaching notebooks: specific feedback, not just right or wrong.

Every check recomputes the expected answer from the data tables or the package models, then
compares the student's answer with it *and* with the answers that typical mistakes give
("your conversion is a percentage, not a fraction", "you sized for the daily average, look at
21:00").  It returns a :class:`CheckResult`:

- ``.ok`` (also its truth value), ``.code`` (a stable name of the feedback, e.g.
  ``"percentage_not_fraction"``, used by tests) and ``.message`` (in ``lang``);
- shown in Jupyter as a green ✓ or red ✗ box with the message.

A check never raises on a bad answer: an unanswered stub (``...``), a wrong type or a wrong
value each give a result with feedback.  Bad *check arguments* (the lesson's own data) raise
:class:`~ecomanalysis.errors.InputError` as usual.

Checks by lesson:

- L1 roles and duties: :func:`check_roles_per_group`, :func:`check_duties_per_group`,
  :func:`check_duty_quiz`, :func:`check_role_match`
- L2 growth stages: :func:`check_orders_range`, :func:`check_conversion`,
  :func:`check_stage_consistency`, :func:`check_team_size`
- L3 queueing: :func:`check_peak_traffic`, :func:`check_agents`,
  :func:`check_concurrency_gain`
- L4 Double 11: :func:`check_peak_orders`, :func:`check_extra_staff`,
  :func:`check_temp_cost`, :func:`check_budget_plan`
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ecomanalysis import config
from ecomanalysis.errors import InputError
from ecomanalysis.i18n import N_, translator

#: Relative tolerance of numeric answers (students round; 1 % is "the same number").
RTOL = 0.01
#: Absolute tolerance for small numbers (0.5 of an order, a person, a yuan...).
ATOL = 1e-9

#: Feedback texts by code: English message ids, translated by the catalogs (``{name}`` fields
#: filled per call, numbers formatted before).
MESSAGES: dict[str, str] = {
    "ok": N_("Correct! {detail}"),
    "not_answered": N_(
        "Not answered yet: replace the `...` in `{name} = ...` with your answer and run the cell."),
    "wrong_type": N_("{name} should be {expected}; you gave {got}."),
    # L1
    "counted_duties": N_(
        "You counted duties (rows of duties.csv), not roles: count each role once, from roles.csv"
        " grouped by group_id."),
    "counted_roles": N_(
        "You counted roles, not duties: merge duties with roles on role_id first, then count rows"
        " per group_id."),
    "missing_groups": N_("These role groups are missing: {groups}."),
    "unknown_groups": N_("These are not role-group ids: {groups}; expected one of {expected}."),
    "wrong_counts": N_("Some numbers are off: {detail}"),
    "wrong_length": N_("Give {expected} answers (one per duty); you gave {got}."),
    "quiz_wrong": N_("{n_wrong} of {n} duties are in another group: {detail}"),
    "no_keywords": N_(
        "The keyword list is empty: first write a few words for your strengths (e.g. 'data', "
        "'customer')."),
    "counted_not_share": N_(
        "You counted matching duties, so big groups win just by being big; divide by each group's"
        " number of duties and compare shares."),
    "percent_share": N_(
        "Your shares are percentages (0-100); give fractions (0-1): divide by 100."),
    # L2
    "percentage_not_fraction": N_("Your conversion is a percentage, not a fraction: 4 % is 0.04."),
    "answer_in_percent": N_(
        "Your answer is a percentage: write {got} as the fraction {value} (conversion = orders / "
        "visitors, a number between 0 and 1)."),
    "crossed_bounds": N_(
        "The bounds are crossed: fewest orders = fewest visitors x lowest conversion, most orders"
        " = most visitors x highest conversion."),
    "forgot_conversion": N_(
        "You gave visitors, not orders: multiply the visitors by the conversion rate."),
    "inverted": N_("You divided the wrong way round: {formula}."),
    "not_consistent_answer": N_("Look again: {detail}"),
    "summed_fte": N_(
        "You summed FTE (full-time equivalents), not people: people come whole, use the headcount"
        " column."),
    # L3
    "daily_average": N_(
        "You sized for the daily average, look at {hour}:00: the peak hour has {ratio} x the "
        "average volume."),
    "seconds_not_hours": N_(
        "Units: AHT is in seconds and an hour has 3600 s; traffic = chats per hour x AHT / 3600."),
    "arrivals_not_traffic": N_(
        "That is chats per hour, not traffic in Erlangs: multiply by AHT and divide by 3600 s."),
    "traffic_rounded_up": N_(
        "You rounded the traffic up: that is 100 % occupancy and the queue never clears. With {n}"
        " agents only {sl} are answered within {t} s."),
    "naive_concurrency": N_(
        "Concurrency {c} does not divide the team by {c}: each extra chat slows every chat "
        "(+{inc} per extra chat). The model needs {expected}."),
    "too_few": N_(
        "Too few: with {n} agents only {sl} are answered within {t} s (target {target})."),
    "too_many": N_(
        "More than needed: {n1} agents already answer {sl} within {t} s (target {target}). Find "
        "the smallest number."),
    "no_slowdown": N_(
        "That assumes chats do not slow down when juggled; each extra chat adds {inc} to every "
        "chat's handling time, so capacity grows only {value} x."),
    "wrong_value": N_("Not quite: {detail}"),
    # L4
    "added_not_multiplied": N_(
        "A ratio multiplies, it does not add: Double 11 orders = normal orders x {ratio}."),
    "ratio_as_percent": N_(
        "{ratio} is a ratio (the day is {ratio} x a normal day), not a percentage."),
    "peak_not_extra": N_(
        "That is the whole team the peak day needs, not the extra people: subtract the team you "
        "already have on a normal day."),
    "negative_extra": N_(
        "Some values are negative: {roles}. Temporary hiring never removes people; clip at 0 "
        "(clip(lower=0))."),
    "wrong_roles": N_("These roles are off: {detail}"),
    "whole_month": N_(
        "You paid a whole month for a {days}-day hire: monthly cost / workdays per month "
        "({workdays}) x days."),
    "missing_oncost": N_(
        "The employer on-cost is missing (social insurance etc., {oncost} of wages): use the "
        "monthly cost per person from labour_cost, which includes it."),
    "over_budget": N_(
        "Over budget by {over} CNY (plan {cost}, budget {budget}). The most expensive: {detail}"),
    "outside_range": N_(
        "These standards are outside the ranges in standards.csv: {detail}. A plan must stay "
        "between low and high."),
    "unknown_standard": N_("These are not standards in standards.csv: {detail}."),
}

def _lang(lang: str) -> str:
    if lang not in config.LANGS:
        raise InputError(f"parameter 'lang' is {lang!r}; expected one of {', '.join(config.LANGS)}")
    return lang


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes
    ----------
    ok
        True when the answer is right.
    code
        Stable name of the feedback (``"ok"``, ``"not_answered"``, ``"daily_average"``...).
    message
        The feedback in ``lang``.
    exercise
        Exercise label, e.g. ``"2.1"``.
    lang
        ``"zh"`` or ``"en"``.
    """

    ok: bool
    code: str
    message: str
    exercise: str = ""
    lang: str = "zh"

    def __bool__(self) -> bool:
        return self.ok

    @property
    def mark(self) -> str:
        return "✓" if self.ok else "✗"

    def _head(self) -> str:
        _ = translator(self.lang)
        title = _("Exercise")
        return f"{title} {self.exercise}".strip()

    def __str__(self) -> str:
        return f"{self.mark} {self._head()}: {self.message}"

    def _repr_markdown_(self) -> str:
        return f"**{self.mark} {self._head()}** — {self.message}"

    def _repr_html_(self) -> str:
        colour, bg = ("#1a7f37", "#e6f4ea") if self.ok else ("#b42318", "#fdecea")
        text = html.escape(self.message)
        text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
        return (
            f'<div class="ecomanalysis-check" style="border-left:4px solid {colour};'
            f'background:{bg};padding:6px 10px;margin:4px 0">'
            f'<b style="color:{colour}">{self.mark} {html.escape(self._head())}</b> {text}</div>'
        )


def _result(ok: bool, code: str, lang: str, exercise: str, **fields: Any) -> CheckResult:
    fields.setdefault("detail", "")
    return CheckResult(ok, code, translator(lang)(MESSAGES[code], **fields).strip(), exercise, lang)


# --------------------------------------------------------------------------- answer parsing
def _missing(answer: Any) -> bool:
    return answer is ... or answer is None


def _number(answer: Any) -> float | None:
    """A float from a number-like answer (numpy scalars, 1-element arrays/Series), else None."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)) and np.size(answer) == 1:
        answer = np.asarray(answer).ravel()[0]
    if isinstance(answer, (int, float, np.integer, np.floating)):
        value = float(answer)
        return value if math.isfinite(value) else None
    return None


def _pair(answer: Any) -> tuple[float, float] | None:
    if isinstance(answer, (str, bytes, Mapping)):
        return None
    try:
        values = list(np.asarray(answer, dtype=float).ravel())
    except (TypeError, ValueError):
        return None
    if len(values) != 2 or not all(math.isfinite(v) for v in values):
        return None
    return values[0], values[1]


def _series(answer: Any) -> pd.Series | None:
    """A Series from a Series, dict or one-column DataFrame (index as str), else None."""
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] != 1:
            return None
        answer = answer.iloc[:, 0]
    if isinstance(answer, Mapping):
        answer = pd.Series(dict(answer))
    if not isinstance(answer, pd.Series):
        return None
    try:
        s = pd.to_numeric(answer, errors="raise").astype(float)
    except (TypeError, ValueError):
        return None
    s.index = s.index.map(str)
    return s


def _close(a: float, b: float, rtol: float = RTOL, atol: float = ATOL) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


def _same(s: pd.Series, expected: pd.Series, rtol: float = RTOL, atol: float = ATOL) -> bool:
    if set(s.index) != set(expected.index):
        return False
    a = s.reindex(expected.index).to_numpy(float)
    return bool(np.allclose(a, expected.to_numpy(float), rtol=rtol, atol=atol))


def _type_name(answer: Any) -> str:
    return type(answer).__name__


def _wrong_type(name: str, expected: str, answer: Any, lang: str, ex: str) -> CheckResult:
    """``expected``: an ``N_()`` message id saying what the answer should be."""
    exp = translator(lang)(expected)
    return _result(False, "wrong_type", lang, ex, name=name, expected=exp, got=_type_name(answer))


def _fmt(x: float) -> str:
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _diff_list(s: pd.Series, expected: pd.Series, names: Mapping[str, str], limit: int = 4) -> str:
    rows = []
    for key in expected.index:
        got = s.get(key)
        if got is None or not _close(float(got), float(expected[key]), atol=0.5):
            rows.append(f"{names.get(key, key)}: {_fmt(float(got)) if got is not None else '–'} "
                        f"≠ {_fmt(float(expected[key]))}")
    more = len(rows) - limit
    return "; ".join(rows[:limit]) + (f"; … (+{more})" if more > 0 else "")


# --------------------------------------------------------------------------- L1 roles
def _group_names(lang: str, data_dir=None) -> dict[str, str]:
    from ecomanalysis import catalog

    g = catalog.load_role_groups(lang, data_dir)
    return dict(zip(g["group_id"], g["name"], strict=True))


def _group_lookup(data_dir=None) -> dict[str, str]:
    """Role-group id by id, Chinese name or lower-case English name."""
    from ecomanalysis import catalog

    g = catalog.load_role_groups(None, data_dir)
    lookup = {gid: gid for gid in g["group_id"]}
    lookup.update(dict(zip(g["name_zh"], g["group_id"], strict=True)))
    lookup.update({n.lower(): gid for n, gid in zip(g["name_en"], g["group_id"], strict=True)})
    return lookup


def _group_id(label: Any, lookup: Mapping[str, str]) -> str | None:
    text = str(label).strip()
    return lookup.get(text, lookup.get(text.lower()))


def _normalise_groups(s: pd.Series, data_dir=None) -> tuple[pd.Series, list[str]]:
    """Map role-group names (zh or en) in the index to ids; return unknown labels too."""
    lookup = _group_lookup(data_dir)
    keys = [_group_id(k, lookup) for k in s.index]
    unknown = [str(k) for k, v in zip(s.index, keys, strict=True) if v is None]
    known = [k is not None for k in keys]
    out = pd.Series(s.to_numpy()[known], index=[k for k in keys if k is not None], dtype=float)
    return out.groupby(level=0).sum(), unknown


def _duties_with_groups(lang: str | None = None, data_dir=None) -> pd.DataFrame:
    from ecomanalysis import catalog

    roles = catalog.load_roles(None, data_dir)[["role_id", "group_id"]]
    return catalog.load_duties(lang, data_dir).merge(roles, on="role_id", how="left")


def _check_group_counts(answer, expected, other, other_code, name, lang, ex, data_dir, ok_detail):
    if _missing(answer):
        return _result(False, "not_answered", lang, ex, name=name)
    s = _series(answer)
    if s is None:
        return _wrong_type(name, N_("a Series (or dict) indexed by role group"), answer, lang, ex)
    s, unknown = _normalise_groups(s, data_dir)
    if unknown:
        return _result(False, "unknown_groups", lang, ex, groups=", ".join(unknown),
                       expected=", ".join(expected.index))
    if _same(s, expected, atol=0.5):
        total = int(expected.sum())
        detail = translator(lang)(ok_detail, groups=len(expected), n=total)
        return _result(True, "ok", lang, ex, detail=detail)
    if _same(s, other, atol=0.5):
        return _result(False, other_code, lang, ex)
    missing = [g for g in expected.index if g not in s.index]
    if missing:
        return _result(False, "missing_groups", lang, ex, groups=", ".join(missing))
    return _result(False, "wrong_counts", lang, ex,
                   detail=_diff_list(s, expected, _group_names(lang, data_dir)))


def check_roles_per_group(answer: Any, *, lang: str = "zh", data_dir=None,
                          exercise: str = "1.1") -> CheckResult:
    """Exercise: number of roles in each role group (a Series indexed by group_id or name).

    Typical mistake caught: counting duties instead of roles.
    """
    from ecomanalysis import catalog

    lang = _lang(lang)
    expected = catalog.load_roles(None, data_dir).groupby("group_id").size().astype(float)
    other = _duties_with_groups(None, data_dir).groupby("group_id").size().astype(float)
    return _check_group_counts(answer, expected, other, "counted_duties", "roles_per_group",
                               lang, exercise, data_dir,
                               N_("{groups} groups, {n} roles in all."))


def check_duties_per_group(answer: Any, *, lang: str = "zh", data_dir=None,
                           exercise: str = "1.2") -> CheckResult:
    """Exercise: number of duties in each role group (duties merged with roles on role_id).

    Typical mistake caught: counting roles instead of duties.
    """
    from ecomanalysis import catalog

    lang = _lang(lang)
    expected = _duties_with_groups(None, data_dir).groupby("group_id").size().astype(float)
    other = catalog.load_roles(None, data_dir).groupby("group_id").size().astype(float)
    return _check_group_counts(answer, expected, other, "counted_roles", "duties_per_group",
                               lang, exercise, data_dir,
                               N_("{groups} groups, {n} duties in all."))


def check_duty_quiz(answer: Any, quiz: pd.DataFrame, *, lang: str = "zh", data_dir=None,
                    exercise: str = "1.3") -> CheckResult:
    """Exercise: the role group of each duty in ``quiz`` (a list of group ids or names).

    ``quiz`` needs ``role_id`` and ``duty`` (or ``duty_zh``/``duty_en``) columns.  Feedback names
    each misplaced duty, its role and the group the data put it in.
    """
    from ecomanalysis import catalog

    lang = _lang(lang)
    if "role_id" not in quiz.columns:
        raise InputError("check_duty_quiz: quiz has no 'role_id' column; expected the quiz table")
    name = "quiz_answer"
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    if isinstance(answer, (str, bytes, Mapping)) or not isinstance(answer, (Sequence, pd.Series, np.ndarray)):
        return _wrong_type(name, N_("a list of role-group ids"), answer, lang, exercise)
    given = [str(a) for a in list(answer)]
    if len(given) != len(quiz):
        return _result(False, "wrong_length", lang, exercise, expected=len(quiz), got=len(given))
    roles = catalog.load_roles(lang, data_dir).set_index("role_id")
    groups = _group_names(lang, data_dir)
    lookup = _group_lookup(data_dir)
    text_col = "duty" if "duty" in quiz.columns else f"duty_{lang}"
    _ = translator(lang)
    wrong = []
    for i, (row, label) in enumerate(zip(quiz.itertuples(index=False), given, strict=True), 1):
        truth = roles.at[row.role_id, "group_id"]
        if _group_id(label, lookup) != truth:
            duty = str(getattr(row, text_col, ""))[:24]
            role = roles.at[row.role_id, "name"]
            wrong.append(_("no. {i} '{duty}...' is a duty of {role}, in {group} (you said {label})",
                           i=i, duty=duty, role=role, group=groups[truth], label=label))
    if not wrong:
        detail = _("Every duty is in the right group.")
        return _result(True, "ok", lang, exercise, detail=detail)
    return _result(False, "quiz_wrong", lang, exercise, n_wrong=len(wrong), n=len(quiz),
                   detail="; ".join(wrong))


def keyword_match(keywords: Sequence[str], *, lang: str = "zh", data_dir=None) -> pd.DataFrame:
    """Per role group: duties, duties mentioning any of ``keywords`` (case-insensitive) and
    their share.  The reference computation of :func:`check_role_match`."""
    lang = _lang(lang)
    d = _duties_with_groups(lang, data_dir)
    words = [str(k).strip().lower() for k in keywords if str(k).strip()]
    if words:
        pattern = "|".join(re.escape(w) for w in words)
        hit = d["duty"].str.lower().str.contains(pattern, regex=True)
    else:
        hit = pd.Series(False, index=d.index)
    out = d.assign(hit=hit).groupby("group_id").agg(duties=("hit", "size"), matches=("hit", "sum"))
    out["share"] = out["matches"] / out["duties"]
    return out.sort_values(["share", "matches"], ascending=False)


def check_role_match(answer: Any, keywords: Sequence[str], *, lang: str = "zh", data_dir=None,
                     exercise: str = "1.4") -> CheckResult:
    """Exercise: for each role group, the share of its duties that mention your keywords.

    Typical mistake caught: raw counts (big groups win by size), percentages.
    """
    lang = _lang(lang)
    name = "match_share"
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    if not [k for k in keywords if str(k).strip()]:
        return _result(False, "no_keywords", lang, exercise)
    s = _series(answer)
    if s is None:
        return _wrong_type(name, N_("a Series indexed by role group"),
                           answer, lang, exercise)
    s, unknown = _normalise_groups(s, data_dir)
    ref = keyword_match(keywords, lang=lang, data_dir=data_dir)
    if unknown:
        return _result(False, "unknown_groups", lang, exercise, groups=", ".join(unknown),
                       expected=", ".join(ref.index))
    groups = _group_names(lang, data_dir)
    share = ref["share"]
    nonzero = share[share > 0]
    # groups with no match may be left out of the answer
    s_full = s.reindex(share.index).fillna(0.0)
    if _same(s_full, share, rtol=1e-3, atol=1e-3) and set(nonzero.index) <= set(s.index):
        best = share.index[0]
        _ = translator(lang)
        detail = _("Your best match is {group}: {share} of its duties mention your keywords.",
                   group=groups[best], share=f"{share.iloc[0]:.0%}")
        return _result(True, "ok", lang, exercise, detail=detail)
    if _same(s_full, ref["matches"].astype(float), atol=0.5):
        return _result(False, "counted_not_share", lang, exercise)
    if _same(s_full, share * 100, rtol=1e-3, atol=0.1):
        return _result(False, "percent_share", lang, exercise)
    return _result(False, "wrong_counts", lang, exercise,
                   detail=_diff_list_share(s_full, share, groups))


def _diff_list_share(s: pd.Series, expected: pd.Series, names: Mapping[str, str]) -> str:
    rows = [f"{names.get(k, k)}: {s[k]:.2f} ≠ {expected[k]:.2f}" for k in expected.index
            if not _close(float(s[k]), float(expected[k]), rtol=1e-3, atol=1e-3)]
    return "; ".join(rows[:4]) + (f"; … (+{len(rows) - 4})" if len(rows) > 4 else "")


# --------------------------------------------------------------------------- L2 stages
def check_orders_range(answer: Any, visitors: Sequence[float], conversion: Sequence[float], *,
                       lang: str = "zh", exercise: str = "2.1") -> CheckResult:
    """Exercise: (min, max) orders per day from (min, max) visitors x (min, max) conversion.

    Typical mistakes caught: conversion as a percentage, crossed bounds, visitors only.
    """
    lang = _lang(lang)
    name = "orders_range"
    v, c = _pair(visitors), _pair(conversion)
    if v is None or c is None:
        raise InputError("check_orders_range: visitors and conversion must be (min, max) pairs")
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    a = _pair(answer)
    if a is None:
        return _wrong_type(name, N_("a (min, max) tuple"), answer, lang, exercise)
    expected = (v[0] * c[0], v[1] * c[1])

    def same(x, y):
        return _close(x[0], y[0], atol=0.5) and _close(x[1], y[1], atol=0.5)

    _ = translator(lang)
    low, high = f"{expected[0]:,.0f}", f"{expected[1]:,.0f}"
    if same(a, expected):
        detail = _("{low}-{high} orders per day.", low=low, high=high)
        return _result(True, "ok", lang, exercise, detail=detail)
    if same(a, (expected[0] * 100, expected[1] * 100)):
        return _result(False, "percentage_not_fraction", lang, exercise)
    if same(a, (v[0] * c[1], v[1] * c[0])) or same(a, (v[1] * c[0], v[0] * c[1])):
        return _result(False, "crossed_bounds", lang, exercise)
    if same(a, v):
        return _result(False, "forgot_conversion", lang, exercise)
    if same(a, (expected[1], expected[0])):
        return _result(False, "crossed_bounds", lang, exercise)
    detail = _("expected {low}-{high}, you gave {got_low}-{got_high}.", low=low, high=high,
               got_low=f"{a[0]:,.4g}", got_high=f"{a[1]:,.4g}")
    return _result(False, "wrong_value", lang, exercise, detail=detail)


def check_conversion(answer: Any, orders: float, visitors: float, *, lang: str = "zh",
                     exercise: str = "2.2") -> CheckResult:
    """Exercise: conversion rate = orders / visitors, as a fraction.

    Typical mistakes caught: a percentage, visitors / orders.
    """
    lang = _lang(lang)
    name = "conversion"
    if visitors <= 0 or orders < 0:
        raise InputError(f"check_conversion: orders {orders!r} and visitors {visitors!r}; expected orders >= 0, visitors > 0")
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    x = _number(answer)
    if x is None:
        return _wrong_type(name, N_("a number"), answer, lang, exercise)
    expected = orders / visitors
    _ = translator(lang)
    if _close(x, expected, atol=5e-4):
        detail = _("{fraction}, i.e. {percent}.", fraction=f"{expected:.4f}", percent=f"{expected:.2%}")
        return _result(True, "ok", lang, exercise, detail=detail)
    if _close(x, expected * 100, atol=0.05):
        return _result(False, "answer_in_percent", lang, exercise, got=f"{x:g}",
                       value=f"{expected:.4g}")
    if orders > 0 and _close(x, visitors / orders, atol=0.05):
        formula = _("conversion = orders / visitors, not visitors / orders")
        return _result(False, "inverted", lang, exercise, formula=formula)
    detail = _("{orders} orders / {visitors} visitors ≠ {got}.", orders=f"{orders:g}",
               visitors=f"{visitors:g}", got=f"{x:g}")
    return _result(False, "wrong_value", lang, exercise, detail=detail)


def check_stage_consistency(answer: Any, stage_id: int = 4, *, lang: str = "zh", data_dir=None,
                            exercise: str = "2.3") -> CheckResult:
    """Exercise: does the stage's stated order range fit its visitors x conversion? (True/False)

    The feedback shows the numbers either way (from :func:`ecomanalysis.catalog.stage_funnel`).
    """
    from ecomanalysis import catalog

    lang = _lang(lang)
    name = "consistent"
    f = catalog.stage_funnel(None, data_dir).set_index("stage_id")
    if stage_id not in f.index or pd.isna(f.at[stage_id, "consistent"]):
        raise InputError(f"check_stage_consistency: stage {stage_id!r} has no funnel to test; "
                         f"expected one of {', '.join(map(str, f.index[f['consistent'].notna()]))}")
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    if not isinstance(answer, (bool, np.bool_)):
        return _wrong_type(name, N_("True or False"), answer, lang, exercise)
    r = f.loc[stage_id]
    truth = bool(r["consistent"])
    _ = translator(lang)
    detail = _(
        "stage {stage}: {visitors_min}-{visitors_max} visitors x {conversion_min}-{conversion_max} = "
        "{implied_min}-{implied_max} orders, but the seed says {orders_min}-{orders_max}.",
        stage=stage_id, visitors_min=f"{r.visitors_min:,.0f}", visitors_max=f"{r.visitors_max:,.0f}",
        conversion_min=f"{r.conversion_min:.0%}", conversion_max=f"{r.conversion_max:.0%}",
        implied_min=f"{r.implied_orders_min:,.0f}", implied_max=f"{r.implied_orders_max:,.0f}",
        orders_min=f"{r.orders_min:,.0f}", orders_max=f"{r.orders_max:,.0f}")
    if bool(answer) == truth:
        return _result(True, "ok", lang, exercise, detail=detail)
    return _result(False, "not_consistent_answer", lang, exercise, detail=detail)


def check_team_size(answer: Any, orders_per_day: float, *, lang: str = "zh",
                    exercise: str = "2.4", **overrides: Any) -> CheckResult:
    """Exercise: the model's whole team (headcount) at ``orders_per_day``
    (:func:`ecomanalysis.staffing.requirements`).

    Typical mistake caught: summing FTE instead of headcount.
    """
    from ecomanalysis import staffing

    lang = _lang(lang)
    name = "team_size"
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    x = _number(answer)
    if x is None:
        return _wrong_type(name, N_("a number"), answer, lang, exercise)
    req = staffing.requirements(orders_per_day, **overrides)
    expected = float(req["headcount"].sum())
    _ = translator(lang)
    if _close(x, expected, rtol=0, atol=0.5):
        detail = _("{n} people at {orders} orders per day.", n=f"{expected:.0f}",
                   orders=f"{orders_per_day:g}")
        return _result(True, "ok", lang, exercise, detail=detail)
    if _close(x, float(req["fte"].sum()), atol=0.05):
        return _result(False, "summed_fte", lang, exercise)
    detail = _("the model gives {n}, you gave {got}.", n=f"{expected:.0f}", got=f"{x:g}")
    return _result(False, "wrong_value", lang, exercise, detail=detail)


# --------------------------------------------------------------------------- L3 queueing
SECONDS_PER_HOUR = 3600.0


def check_peak_traffic(answer: Any, chats_per_day: float, hour_shares: Sequence[float],
                       aht_s: float, *, hour: int = 21, lang: str = "zh",
                       exercise: str = "3.1") -> CheckResult:
    """Exercise: offered load in Erlangs in the hour starting at ``hour``.

    ``traffic = chats_per_day x share[hour] x aht_s / 3600``.  Typical mistakes caught: the
    daily average, forgetting the /3600, chats per hour instead of traffic.
    """
    lang = _lang(lang)
    name = "traffic_peak"
    shares = np.asarray(hour_shares, dtype=float)
    if shares.shape != (24,) or not 0.99 < shares.sum() < 1.01:
        raise InputError(f"check_peak_traffic: hour_shares has shape {shares.shape} and sum "
                         f"{shares.sum():.3f}; expected 24 shares summing to 1")
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    x = _number(answer)
    if x is None:
        return _wrong_type(name, N_("a number (Erlangs)"), answer, lang, exercise)
    arrivals = chats_per_day * shares[hour]
    expected = arrivals * aht_s / SECONDS_PER_HOUR
    average = chats_per_day / 24 * aht_s / SECONDS_PER_HOUR
    _ = translator(lang)
    if _close(x, expected, atol=0.005):
        detail = _("{chats} chats/hour x {aht} s / 3600 = {traffic} Erlangs.", chats=f"{arrivals:.1f}",
                   aht=f"{aht_s:g}", traffic=f"{expected:.2f}")
        return _result(True, "ok", lang, exercise, detail=detail)
    open_hours = int((shares > 0).sum())
    for avg in (average, chats_per_day / max(open_hours, 1) * aht_s / SECONDS_PER_HOUR):
        if _close(x, avg, atol=0.005):
            return _result(False, "daily_average", lang, exercise, ratio=f"{expected / avg:.1f}",
                           hour=hour)
    if _close(x, arrivals * aht_s, atol=0.5) or _close(x, arrivals * aht_s / 60, atol=0.05):
        return _result(False, "seconds_not_hours", lang, exercise)
    if _close(x, arrivals, atol=0.05):
        return _result(False, "arrivals_not_traffic", lang, exercise)
    detail = _("expected {traffic} Erlangs, you gave {got}.", traffic=f"{expected:.2f}", got=f"{x:.4g}")
    return _result(False, "wrong_value", lang, exercise, detail=detail)


def check_agents(answer: Any, chats_per_hour: float, aht_s: float, *, sl_target: float = 0.8,
                 answer_within_s: float = 30, concurrency: int = 1,
                 aht_increase_per_extra_chat: float = 0.0,
                 chats_per_hour_average: float | None = None, hour: int = 21, lang: str = "zh",
                 exercise: str = "3.2") -> CheckResult:
    """Exercise: the fewest agents answering ``sl_target`` of the hour's chats within
    ``answer_within_s`` (:func:`ecomanalysis.queueing.required_agents`).

    Typical mistakes caught: rounding the traffic up (100 % occupancy), sizing for
    ``chats_per_hour_average``, dividing the single-chat team by the concurrency; too many or
    too few, with the service level the answer gives.  ``hour`` only names the peak hour in
    the feedback.
    """
    from ecomanalysis import queueing

    lang = _lang(lang)
    name = "agents"
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    x = _number(answer)
    if x is None or x < 0 or x != int(x):
        return _wrong_type(name, N_("a whole number of agents"), answer, lang, exercise)
    n = int(x)
    profile = queueing.linear_aht_profile(aht_s, concurrency, aht_increase_per_extra_chat)
    kw = dict(sl_target=sl_target, answer_within_s=answer_within_s, concurrency=concurrency,
              aht_by_concurrency=profile)
    need = int(queueing.required_agents(chats_per_hour, aht_s, SECONDS_PER_HOUR, **kw)["agents"].iloc[0])
    traffic = chats_per_hour * aht_s / SECONDS_PER_HOUR

    def sl(k: int) -> float:
        m = queueing.queue_metrics(traffic, k, aht_s, answer_within_s, concurrency=concurrency,
                                   aht_by_concurrency=profile)
        return float(np.asarray(m.service_level).ravel()[0])

    fields = dict(t=f"{answer_within_s:g}", target=f"{sl_target:.0%}")
    if n == need:
        _ = translator(lang)
        detail = _("{n} agents answer {sl} within {t} s.", n=need,
                   sl=f"{sl(need):.0%}", t=fields["t"])
        return _result(True, "ok", lang, exercise, detail=detail)
    if chats_per_hour_average is not None and chats_per_hour_average < chats_per_hour:
        avg_need = int(queueing.required_agents(chats_per_hour_average, aht_s, SECONDS_PER_HOUR,
                                                **kw)["agents"].iloc[0])
        if n == avg_need and n < need:
            return _result(False, "daily_average", lang, exercise,
                           ratio=f"{chats_per_hour / chats_per_hour_average:.1f}", hour=hour)
    if concurrency > 1:
        single = int(queueing.required_agents(chats_per_hour, aht_s, SECONDS_PER_HOUR,
                                              sl_target=sl_target,
                                              answer_within_s=answer_within_s)["agents"].iloc[0])
        if n == math.ceil(single / concurrency) and n < need:
            return _result(False, "naive_concurrency", lang, exercise, c=concurrency,
                           inc=f"{aht_increase_per_extra_chat:.0%}", expected=need)
    if n < need and n == math.ceil(traffic / concurrency) and concurrency == 1:
        return _result(False, "traffic_rounded_up", lang, exercise, n=n, sl=f"{sl(n):.0%}", **fields)
    if n < need:
        return _result(False, "too_few", lang, exercise, n=n, sl=f"{sl(n):.0%}", **fields)
    return _result(False, "too_many", lang, exercise, n1=n - 1, sl=f"{sl(n - 1):.0%}", **fields)


def concurrency_gain(concurrency: int, aht_increase_per_extra_chat: float) -> float:
    """Chats per hour of an agent at full concurrency / at one chat: ``c / (1 + r (c - 1))``."""
    return concurrency / (1.0 + aht_increase_per_extra_chat * (concurrency - 1))


def check_concurrency_gain(answer: Any, concurrency: int, aht_increase_per_extra_chat: float, *,
                           lang: str = "zh", exercise: str = "3.3") -> CheckResult:
    """Exercise: how many times more chats per hour an agent finishes at full concurrency.

    Typical mistake caught: answering the concurrency itself (no slow-down).
    """
    lang = _lang(lang)
    name = "capacity_gain"
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    x = _number(answer)
    if x is None:
        return _wrong_type(name, N_("a number (a ratio)"), answer, lang, exercise)
    expected = concurrency_gain(concurrency, aht_increase_per_extra_chat)
    inc = aht_increase_per_extra_chat
    _ = translator(lang)
    if _close(x, expected, atol=0.01):
        aht_c = 1 + inc * (concurrency - 1)
        detail = _("{c} / {aht} = {gain} x, not {c} x.", c=concurrency, aht=f"{aht_c:g}",
                   gain=f"{expected:.2f}")
        return _result(True, "ok", lang, exercise, detail=detail)
    if _close(x, float(concurrency), atol=0.01):
        return _result(False, "no_slowdown", lang, exercise, inc=f"{inc:.0%}", value=f"{expected:.2f}")
    if x > 0 and _close(1 / x, expected, atol=0.01):
        formula = _("gain = concurrency / (handling time at full concurrency / single-chat time)")
        return _result(False, "inverted", lang, exercise, formula=formula)
    detail = _("expected {value}, you gave {got}.", value=f"{expected:.2f}", got=f"{x:.4g}")
    return _result(False, "wrong_value", lang, exercise, detail=detail)


# --------------------------------------------------------------------------- L4 Double 11
def check_peak_orders(answer: Any, orders_per_day: float, ratio: float, *, lang: str = "zh",
                      exercise: str = "4.1") -> CheckResult:
    """Exercise: Double 11 orders = normal orders x the measured day ratio.

    Typical mistakes caught: adding the ratio, reading it as a percentage.
    """
    lang = _lang(lang)
    name = "peak_orders"
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    x = _number(answer)
    if x is None:
        return _wrong_type(name, N_("a number (orders per day)"), answer, lang, exercise)
    expected = orders_per_day * ratio
    _ = translator(lang)
    if _close(x, expected, atol=1.0):
        detail = _("{orders} x {ratio} ≈ {peak} orders.", orders=f"{orders_per_day:g}",
                   ratio=f"{ratio:g}", peak=f"{expected:,.0f}")
        return _result(True, "ok", lang, exercise, detail=detail)
    if _close(x, orders_per_day + ratio, atol=1.0):
        return _result(False, "added_not_multiplied", lang, exercise, ratio=f"{ratio:g}")
    if _close(x, orders_per_day * ratio / 100, atol=1.0) or _close(x, orders_per_day * (1 + ratio / 100), atol=1.0):
        return _result(False, "ratio_as_percent", lang, exercise, ratio=f"{ratio:g}")
    detail = _("expected about {value}, you gave {got}.", value=f"{expected:,.0f}", got=f"{x:,.4g}")
    return _result(False, "wrong_value", lang, exercise, detail=detail)


def extra_staff(normal: pd.DataFrame, peak: pd.DataFrame, roles: Sequence[str]) -> pd.Series:
    """People to add per role: peak headcount - normal headcount, at least 0, for ``roles``
    (two :func:`ecomanalysis.staffing.requirements` tables)."""
    n = normal.set_index("role_id")["headcount"].reindex(list(roles)).fillna(0)
    p = peak.set_index("role_id")["headcount"].reindex(list(roles)).fillna(0)
    return (p - n).clip(lower=0).astype(float)


def check_extra_staff(answer: Any, normal: pd.DataFrame, peak: pd.DataFrame,
                      roles: Sequence[str], *, lang: str = "zh",
                      exercise: str = "4.2") -> CheckResult:
    """Exercise: extra people per role for the peak day (a Series indexed by role_id).

    Typical mistakes caught: the whole peak team, negative values, FTE instead of headcount.
    """
    from ecomanalysis import catalog

    lang = _lang(lang)
    name = "extra"
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    s = _series(answer)
    if s is None:
        return _wrong_type(name, N_("a Series indexed by role_id"),
                           answer, lang, exercise)
    expected = extra_staff(normal, peak, roles)
    names = dict(zip(*catalog.load_roles(lang)[["role_id", "name"]].to_numpy().T, strict=True))
    s = s.reindex(expected.index)
    if s.isna().any():
        missing = [names.get(r, r) for r in expected.index[s.isna()]]
        return _result(False, "wrong_roles", lang, exercise, detail=", ".join(missing) + " –")
    if _same(s, expected, atol=0.01):
        total = int(expected.sum())
        _ = translator(lang)
        detail = _("{n} extra people in all.", n=total)
        return _result(True, "ok", lang, exercise, detail=detail)
    if (s < 0).any():
        return _result(False, "negative_extra", lang, exercise,
                       roles=", ".join(names.get(r, r) for r in s.index[s < 0]))
    peak_hc = peak.set_index("role_id")["headcount"].reindex(expected.index).astype(float)
    if _same(s, peak_hc, atol=0.01):
        return _result(False, "peak_not_extra", lang, exercise)
    pf = peak.set_index("role_id")["fte"].reindex(expected.index)
    nf = normal.set_index("role_id")["fte"].reindex(expected.index)
    if _same(s, (pf - nf).astype(float), atol=0.01) or _same(s, (pf - nf).clip(lower=0).astype(float), atol=0.01):
        return _result(False, "summed_fte", lang, exercise)
    return _result(False, "wrong_roles", lang, exercise, detail=_diff_list(s, expected, names))


def temp_cost_cny(extra: pd.Series, cost_month_per_person: pd.Series, workdays_per_month: float,
                  days: float) -> float:
    """Cost of ``extra`` people (by role) for ``days`` days: monthly employer cost per person
    / workdays per month x days."""
    cost = cost_month_per_person.reindex(extra.index)
    if cost.isna().any():
        raise InputError("temp_cost_cny: no monthly cost for roles "
                         + ", ".join(extra.index[cost.isna()]))
    return float((extra * cost).sum() / workdays_per_month * days)


def check_temp_cost(answer: Any, extra: pd.Series, cost_month_per_person: pd.Series, *,
                    workdays_per_month: float, days: float, oncost_share: float,
                    lang: str = "zh", exercise: str = "4.3") -> CheckResult:
    """Exercise: cost in CNY of the extra people for ``days`` days.

    ``cost_month_per_person`` includes the employer on-cost.  Typical mistakes caught: a whole
    month's pay, the wage without on-cost.
    """
    lang = _lang(lang)
    name = "temp_cost"
    if _missing(answer):
        return _result(False, "not_answered", lang, exercise, name=name)
    x = _number(answer)
    if x is None:
        return _wrong_type(name, N_("a number (CNY)"), answer, lang, exercise)
    expected = temp_cost_cny(extra, cost_month_per_person, workdays_per_month, days)
    _ = translator(lang)
    if _close(x, expected, atol=1.0):
        detail = _("about {cost} CNY.", cost=f"{expected:,.0f}")
        return _result(True, "ok", lang, exercise, detail=detail)
    month = float((extra * cost_month_per_person.reindex(extra.index)).sum())
    if _close(x, month, atol=1.0) or _close(x, month * days, atol=1.0):
        return _result(False, "whole_month", lang, exercise, days=f"{days:g}",
                       workdays=f"{workdays_per_month:g}")
    if _close(x, expected / (1 + oncost_share), atol=1.0):
        return _result(False, "missing_oncost", lang, exercise, oncost=f"{oncost_share:.0%}")
    detail = _("expected about {cost} CNY, you gave {got}.", cost=f"{expected:,.0f}", got=f"{x:,.0f}")
    return _result(False, "wrong_value", lang, exercise, detail=detail)


def plan_cost_cny(plan: Mapping[str, float], orders_per_day: float, peak_orders: float,
                  roles: Sequence[str], days: float) -> tuple[float, pd.Series]:
    """Cost of the temporary team under ``plan`` (standard overrides) and the cost by role.

    The reference computation of :func:`check_budget_plan`: extra people per role (peak -
    normal, at least 0) x monthly cost per person / workdays per month x ``days``.
    """
    from ecomanalysis import staffing

    std = staffing.standards(**dict(plan))
    req = staffing.requirements([orders_per_day, peak_orders], std=std)
    normal = req[req["orders_per_day"] == orders_per_day]
    peak = req[req["orders_per_day"] == peak_orders]
    extra = extra_staff(normal, peak, roles)
    cost = staffing.labour_cost(None, std=std, req=peak, by_role=True).set_index("role_id")
    per_role = extra * cost["cost_cny_month_per_person"].reindex(extra.index) / std["workdays_per_month"] * days
    return float(per_role.sum()), per_role


def check_budget_plan(plan: Any, *, orders_per_day: float, peak_orders: float,
                      roles: Sequence[str], days: float, budget_cny: float, lang: str = "zh",
                      exercise: str = "4.4") -> CheckResult:
    """Exercise: a plan (``{standard_id: value}`` overrides) whose temporary team fits the budget.

    Every override must be a standard of ``standards.csv`` within its [low, high] range; the
    check computes the plan's cost (:func:`plan_cost_cny`) and compares it with the budget,
    naming the most expensive roles when it is over.
    """
    from ecomanalysis import catalog

    lang = _lang(lang)
    if _missing(plan):
        return _result(False, "not_answered", lang, exercise, name="plan")
    if not isinstance(plan, Mapping):
        return _wrong_type("plan", N_("a dict {standard_id: value}"),
                           plan, lang, exercise)
    table = catalog.load_standards(lang).set_index("standard_id")
    unknown = [k for k in plan if k not in table.index]
    if unknown:
        return _result(False, "unknown_standard", lang, exercise, detail=", ".join(map(str, unknown)))
    bad = []
    for key, value in plan.items():
        v = _number(value)
        lo, hi = float(table.at[key, "low"]), float(table.at[key, "high"])
        if v is None or not lo - 1e-12 <= v <= hi + 1e-12:
            bad.append(f"{key} = {value!r} ∉ [{lo:g}, {hi:g}] {table.at[key, 'unit']}")
    if bad:
        return _result(False, "outside_range", lang, exercise, detail="; ".join(bad))
    cost, per_role = plan_cost_cny(plan, orders_per_day, peak_orders, roles, days)
    if cost > budget_cny + 1e-6:
        names = dict(zip(*catalog.load_roles(lang)[["role_id", "name"]].to_numpy().T, strict=True))
        top = per_role.sort_values(ascending=False).head(2)
        detail = ", ".join(f"{names.get(r, r)} {c:,.0f}" for r, c in top.items())
        return _result(False, "over_budget", lang, exercise, over=f"{cost - budget_cny:,.0f}",
                       cost=f"{cost:,.0f}", budget=f"{budget_cny:,.0f}", detail=detail)
    _ = translator(lang)
    detail = _("the plan costs {cost} CNY, within the {budget} CNY budget.",
               cost=f"{cost:,.0f}", budget=f"{budget_cny:,.0f}")
    return _result(True, "ok", lang, exercise, detail=detail)
