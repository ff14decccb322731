"""Shift templates (``data/shift_templates.csv``) and the shift variants the solver chooses from.

A template is a start, an end, paid hours and a meal-break window; a *variant* is one way of
working it on the interval grid: the break placed at one allowed position, and for full-time
staff optionally lengthened by overtime before the start or after the end.  Variants are plain
numpy arrays (one row per variant) so the model and the checker can use them alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecomanalysis import config
from ecomanalysis.errors import InputError

CONTRACTS = ("full_time", "part_time", "temp")
MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
TEMPLATE_COLUMNS = ["template_id", "contracts", "start", "end", "paid_h", "break_min",
                    "break_earliest_after_h", "break_latest_after_h"]


def hhmm_to_min(value, where: str) -> int:
    """``"09:30"`` -> 570; ``"24:00"`` is the end of the day."""
    text = str(value).strip()
    hh, sep, mm = text.partition(":")
    if not (sep and hh.isdigit() and mm.isdigit() and len(mm) == 2):
        raise InputError(f"{where} has {text!r}; expected a time HH:MM such as 09:00 or 24:00")
    minutes = int(hh) * MINUTES_PER_HOUR + int(mm)
    if int(mm) >= MINUTES_PER_HOUR or minutes > MINUTES_PER_DAY:
        raise InputError(f"{where} has {text!r}; expected a time between 00:00 and 24:00")
    return minutes


def min_to_hhmm(minutes) -> str:
    m = int(minutes)
    return f"{m // MINUTES_PER_HOUR:02d}:{m % MINUTES_PER_HOUR:02d}"


def load_templates(path=None, *, queue_kind: str | None = "cs") -> pd.DataFrame:
    """The shift templates, validated.

    Parameters
    ----------
    path
        A CSV like ``data/shift_templates.csv`` (default), or a DataFrame with its columns.
    queue_kind
        Keep the rows of this kind (``cs`` or ``warehouse``); None keeps all.

    Returns
    -------
    pandas.DataFrame
        ``template_id, contracts`` (a tuple of contract names), ``start_min, end_min, paid_h,
        break_min, break_earliest_min, break_latest_min, late`` and the names.
    """
    if isinstance(path, pd.DataFrame):
        df, name = path.copy(), "templates"
    else:
        p = path or config.DATA_DIR / "shift_templates.csv"
        name = getattr(p, "name", str(p))
        try:
            df = pd.read_csv(p, dtype={"start": str, "end": str})
        except FileNotFoundError as exc:
            raise InputError(f"{p}: file not found; expected a shift-template CSV") from exc
    missing = [c for c in TEMPLATE_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"{name}: missing column(s) {', '.join(missing)}; expected {', '.join(TEMPLATE_COLUMNS)}")
    if queue_kind is not None and "queue_kind" in df.columns:
        df = df[df["queue_kind"] == queue_kind]
    if df.empty:
        raise InputError(f"{name}: no shift template{' of kind ' + repr(queue_kind) if queue_kind else ''}")
    rows = []
    for i, r in enumerate(df.itertuples(index=False), start=2):
        at = f"{name} row {i}"
        contracts = tuple(c.strip() for c in str(r.contracts).split(";") if c.strip())
        bad = [c for c in contracts if c not in CONTRACTS]
        if bad or not contracts:
            raise InputError(f"{at}: column 'contracts' has {r.contracts!r}; expected some of "
                             f"{', '.join(CONTRACTS)} separated by ';'")
        start = hhmm_to_min(r.start, f"{at}: column 'start'")
        end = hhmm_to_min(r.end, f"{at}: column 'end'")
        if end <= start:
            raise InputError(f"{at}: column 'end' has {r.end!r}, not after start {r.start!r}; "
                             "shifts end on the day they start (24:00 at the latest)")
        brk = float(r.break_min)
        span_h = (end - start) / MINUTES_PER_HOUR
        if abs(span_h - brk / MINUTES_PER_HOUR - float(r.paid_h)) > 1e-9:
            raise InputError(f"{at}: column 'paid_h' has {r.paid_h!r}; expected the span {span_h:g} h "
                             f"minus the unpaid break {brk:g} min")
        lo = float(r.break_earliest_after_h) * MINUTES_PER_HOUR
        hi = float(r.break_latest_after_h) * MINUTES_PER_HOUR
        if brk > 0 and not (0 < lo <= hi and start + hi + brk <= end):
            raise InputError(f"{at}: break window {r.break_earliest_after_h}-{r.break_latest_after_h} h "
                             "after the start does not fit inside the shift")
        rows.append({
            "template_id": str(r.template_id), "contracts": contracts, "start_min": start,
            "end_min": end, "paid_h": float(r.paid_h), "break_min": int(brk),
            "break_earliest_min": int(lo), "break_latest_min": int(hi),
            "late": bool(int(getattr(r, "late", 0) or 0)),
            "name_zh": getattr(r, "name_zh", r.template_id), "name_en": getattr(r, "name_en", r.template_id),
        })
    out = pd.DataFrame(rows)
    dup = out["template_id"][out["template_id"].duplicated()]
    if len(dup):
        raise InputError(f"{name}: template_id {dup.iloc[0]!r} appears twice")
    return out


@dataclass(frozen=True)
class Variants:
    """Every way of working the templates on an interval grid (one row per variant).

    ``cover[v, t]`` is 1 where variant ``v`` has the person on seat in interval ``t``.
    ``ot_min`` is the overtime (minutes beyond the template's paid time, full-time only).
    """

    template_id: np.ndarray
    contracts: tuple
    start_min: np.ndarray
    end_min: np.ndarray
    break_start_min: np.ndarray  # -1 where none
    break_end_min: np.ndarray
    paid_min: np.ndarray
    ot_min: np.ndarray
    late: np.ndarray
    cover: np.ndarray
    base: np.ndarray  # index of the plain variant an overtime variant lengthens (itself if plain)

    def __len__(self) -> int:
        return len(self.template_id)

    def allows(self, contract: str) -> np.ndarray:
        return np.array([contract in c for c in self.contracts], dtype=bool)

    def plain(self) -> Variants:
        """The variants without overtime (each is its own base)."""
        keep = np.nonzero(self.ot_min == 0)[0]
        return Variants(template_id=self.template_id[keep],
                        contracts=tuple(self.contracts[i] for i in keep),
                        start_min=self.start_min[keep], end_min=self.end_min[keep],
                        break_start_min=self.break_start_min[keep],
                        break_end_min=self.break_end_min[keep], paid_min=self.paid_min[keep],
                        ot_min=self.ot_min[keep], late=self.late[keep], cover=self.cover[keep],
                        base=np.arange(len(keep)))


def build_variants(templates: pd.DataFrame, interval_min: int, *, overtime_max_min: int = 0,
                   overtime_step_min: int | None = None) -> Variants:
    """Expand templates into variants on a grid of ``interval_min`` minutes.

    Breaks move in whole intervals within each template's window; full-time templates get
    overtime variants (the shift lengthened by 1..``overtime_max_min`` in whole intervals before
    the start or after the end, within the day).  Templates whose times are off the grid are
    an :class:`InputError`.
    """
    n_t = MINUTES_PER_DAY // interval_min
    rows = []
    for r in templates.itertuples(index=False):
        for col in ("start_min", "end_min", "break_min", "break_earliest_min", "break_latest_min"):
            if getattr(r, col) % interval_min:
                raise InputError(f"shift template {r.template_id!r}: {col.replace('_min', '')} "
                                 f"{getattr(r, col)} min is not a multiple of the {interval_min}-minute interval")
        breaks = ([(-1, -1)] if r.break_min == 0 else
                  [(r.start_min + a, r.start_min + a + r.break_min)
                   for a in range(r.break_earliest_min, r.break_latest_min + 1, interval_min)])
        paid = int(round(r.paid_h * MINUTES_PER_HOUR))
        extensions = [(0, 0)]
        if "full_time" in r.contracts and overtime_max_min > 0:
            step = max(interval_min, overtime_step_min or interval_min)
            step -= step % interval_min
            steps = range(step, overtime_max_min + 1, step)
            extensions += [(0, k) for k in steps if r.end_min + k <= MINUTES_PER_DAY]
            extensions += [(k, 0) for k in steps if r.start_min - k >= 0]
        plain = {}
        for before, after in extensions:
            contracts = r.contracts if before == after == 0 else ("full_time",)
            for b0, b1 in breaks:
                if before == after == 0:
                    plain[b0] = len(rows)
                rows.append((r.template_id, contracts, r.start_min - before, r.end_min + after,
                             b0, b1, paid + before + after, before + after, r.late, plain[b0]))
    # the same shift reached from two templates (10-19 begun an hour early = 09-18 ended an hour
    # late) is one variant: duplicates only slow the solver down
    seen: dict[tuple, int] = {}
    kept, where = [], []
    for x in rows:
        key = (x[2], x[3], x[4], x[5], x[6], x[1])
        if key in seen:
            j = seen[key]
            kept[j] = kept[j][:8] + (kept[j][8] or x[8],) + kept[j][9:]
        else:
            seen[key] = j = len(kept)
            kept.append(x)
        where.append(j)
    rows = [x[:9] + (where[x[9]],) for x in kept]
    start = np.array([x[2] for x in rows])
    end = np.array([x[3] for x in rows])
    b0 = np.array([x[4] for x in rows])
    b1 = np.array([x[5] for x in rows])
    t0 = np.arange(n_t) * interval_min
    on = (t0[None, :] >= start[:, None]) & (t0[None, :] < end[:, None])
    in_break = (t0[None, :] >= b0[:, None]) & (t0[None, :] < b1[:, None])
    return Variants(
        template_id=np.array([x[0] for x in rows], dtype=object),
        contracts=tuple(x[1] for x in rows),
        start_min=start, end_min=end, break_start_min=b0, break_end_min=b1,
        paid_min=np.array([x[6] for x in rows]), ot_min=np.array([x[7] for x in rows]),
        late=np.array([x[8] for x in rows], dtype=bool),
        cover=(on & ~in_break).astype(np.int8),
        base=np.array([x[9] for x in rows]),
    )
