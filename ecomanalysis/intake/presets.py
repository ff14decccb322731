"""Column presets: which column of an export holds which field (``data/intake_presets.yaml``).

Order presets ship for ``generic`` (order_id, order_time, amount, status), ``taobao`` (Taobao and
Tmall: 订单编号, 订单创建时间, 买家实际支付金额, 订单状态 ...), ``jd``, ``pinduoduo``, ``douyin``,
``kuaishou``, ``shopify`` and ``woocommerce``, each with its source in the YAML file.  Chat exports
have ``generic``, ``zh`` and ``qianniu``; the 客服绩效 daily report has ``qianniu_performance``
(kind ``cs_daily``).  A user mapping
(``--map order_time=下单时间``) overrides or completes any preset; with no preset named, the
one matching most columns is used.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ecomanalysis import config
from ecomanalysis.errors import InputError

PRESETS_FILE = "intake_presets.yaml"
#: The field holding the arrival time, per kind of export.
TIME_FIELD = {"orders": "order_time", "chats": "start_time", "cs_daily": "date"}
#: Key prefix of each kind in the YAML file (``order_presets``, ``chat_fields`` ...).
_PREFIX = {"orders": "order", "chats": "chat", "cs_daily": "cs_daily"}
ANY_VALUE = "*"


@dataclass(frozen=True)
class Preset:
    """One column convention.

    Attributes
    ----------
    name
        Preset id (``generic``, ``taobao``, ``shopify``; ``generic``, ``zh`` for chats).
    columns
        Field -> column names that may hold it, in order of preference.
    drop_status
        Field -> reason (``cancelled``, ``unpaid``) -> values meaning that reason.
    line_items
        True if an export has one row per line item (rows sharing an order id are one order).
    """

    name: str
    kind: str
    description_zh: str
    description_en: str
    columns: dict[str, tuple[str, ...]]
    drop_status: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    line_items: bool = False
    platforms: tuple[str, ...] = ()
    time_zone: str | None = None
    source: str = ""
    verified: bool = True

    def match(self, columns: Sequence[str]) -> dict[str, str]:
        """Field -> column of ``columns`` for every field this preset finds (exact name first,
        then ignoring case and surrounding spaces)."""
        exact = {c: c for c in columns}
        folded: dict[str, str] = {}
        for c in columns:
            folded.setdefault(_fold(c), c)
        found: dict[str, str] = {}
        for fld, aliases in self.columns.items():
            for alias in aliases:
                hit = exact.get(alias) or folded.get(_fold(alias))
                if hit is not None and hit not in found.values():
                    found[fld] = hit
                    break
        return found


@dataclass(frozen=True)
class DropRule:
    """Rows whose ``column`` holds one of ``values`` are dropped for ``reason``."""

    field: str
    column: str
    reason: str
    values: tuple[str, ...]


@dataclass
class ColumnMap:
    """The outcome of matching an export's header against the presets.

    Attributes
    ----------
    preset
        The preset used.
    auto
        True if it was detected rather than named.
    fields
        Field -> column in the file.
    drop_rules
        Status filters that apply to this file.
    line_items
        Whether rows sharing an order id are line items of one order.
    """

    preset: str
    auto: bool
    fields: dict[str, str]
    drop_rules: list[DropRule]
    line_items: bool

    def describe(self) -> str:
        how = "detected" if self.auto else "given"
        cols = ", ".join(f"{k}={v}" for k, v in self.fields.items())
        return f"preset {self.preset} ({how}); columns {cols}"


def _fold(name: object) -> str:
    return str(name).replace("\ufeff", "").strip().casefold()


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: preset table missing") from exc


def _table(data_dir: Path | None = None) -> dict:
    return _load(str(Path(data_dir or config.DATA_DIR) / PRESETS_FILE))


def load_presets(kind: str = "orders", data_dir: Path | None = None) -> dict[str, Preset]:
    """The presets for ``kind`` (``orders`` or ``chats``), in file order."""
    raw = _table(data_dir)[f"{_PREFIX[kind]}_presets"]
    out = {}
    for name, spec in raw.items():
        out[name] = Preset(
            name=name,
            kind=kind,
            description_zh=spec.get("description_zh", ""),
            description_en=spec.get("description_en", ""),
            columns={k: tuple(str(a) for a in v) for k, v in spec["columns"].items()},
            drop_status={
                f: {r: tuple(str(v) for v in vals) for r, vals in reasons.items()}
                for f, reasons in (spec.get("drop_status") or {}).items()
            },
            line_items=bool(spec.get("line_items", False)),
            platforms=tuple(str(p) for p in spec.get("platforms") or ()),
            time_zone=spec.get("time_zone"),
            source=" ".join(str(spec.get("source", "")).split()),
            verified=bool(spec.get("verified", True)),
        )
    return out


def field_names(kind: str = "orders", data_dir: Path | None = None) -> list[str]:
    """The canonical fields of ``kind`` (``order_id``, ``order_time`` ...)."""
    return list(_table(data_dir)[f"{_PREFIX[kind]}_fields"])


def platform_presets(data_dir: Path | None = None) -> dict[str, str]:
    """Shop platform (``taobao``, ``tmall``, ``jd`` ... ``other``) -> its order preset."""
    out: dict[str, str] = {}
    for name, p in load_presets("orders", data_dir).items():
        for platform in p.platforms:
            out.setdefault(platform, name)
    return out


def intake_limit(name: str, data_dir: Path | None = None) -> float:
    """A rule of the intake from ``intake_limits`` (e.g. ``lone_time_gap_days``)."""
    return float(_table(data_dir)["intake_limits"][name]["value"])


def time_zone_candidates(data_dir: Path | None = None) -> list[str]:
    """Zones tried, in order, to name the zone of times written with UTC offsets."""
    return [str(z) for z in _table(data_dir)["time_zone_candidates"]]


def detect_zone(offsets: list[dict]) -> str | None:
    """The first candidate zone whose UTC offset matches every offset seen, at its instants."""
    import datetime as dt
    import zoneinfo

    def minutes(o: str) -> int:
        if o in ("Z", ""):
            return 0
        sign = -1 if o[0] == "-" else 1
        digits = o[1:].replace(":", "")
        return sign * (int(digits[:2]) * 60 + int(digits[2:4]))

    for name in time_zone_candidates():
        z = zoneinfo.ZoneInfo(name)
        ok = True
        for o in offsets:
            for t in (o["first_utc"], o["last_utc"]):
                at = dt.datetime.fromisoformat(t[:19]).replace(tzinfo=dt.UTC)
                if z.utcoffset(at.astimezone(z)) != dt.timedelta(minutes=minutes(o["offset"])):
                    ok = False
        if ok:
            return name
    return None


def channel_labels(data_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Canonical chat channel -> labels found in exports (``pre_sale`` -> 售前, pre-sale ...)."""
    return {k: tuple(str(v) for v in vals) for k, vals in _table(data_dir)["chat_channels"].items()}


def known_columns(kind: str = "orders", extra: Iterable[str] = ()) -> set[str]:
    """Every column name a preset knows (used to find the header row), plus ``extra``."""
    names = {a for p in load_presets(kind).values() for aliases in p.columns.values() for a in aliases}
    return names | {str(e) for e in extra if e}


def parse_map(items: Iterable[str] | None) -> dict[str, str]:
    """``["order_time=下单时间", ...]`` -> ``{"order_time": "下单时间"}``."""
    out: dict[str, str] = {}
    for item in items or ():
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(
                f"--map {item!r}: expected FIELD=COLUMN, e.g. --map order_time=下单时间"
            )
        out[key.strip()] = value.strip()
    return out


def _close(name: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=3, cutoff=0.5)
    return f"; did you mean {', '.join(map(repr, close))}?" if close else ""


def resolve(
    columns: Sequence[str],
    kind: str = "orders",
    preset: str | None = None,
    mapping: dict[str, str] | None = None,
    time_col: str | None = None,
    file_name: str = "the file",
    looks_like_time: Callable[[str], bool] | None = None,
) -> ColumnMap:
    """Decide which column holds which field.

    Parameters
    ----------
    columns
        Column names found in the file.
    kind
        ``orders`` or ``chats``.
    preset
        A preset name; ``None`` detects the best match.
    mapping
        Field -> column given by the user; wins over the preset.
    time_col
        Shortcut for ``mapping[order_time]`` (``start_time`` for chats).
    file_name
        Used in messages.
    looks_like_time
        Optional test run on each column when no time column is found, to suggest candidates.

    Raises
    ------
    InputError
        Unknown preset or field, a mapped column that is not in the file, or no time column.
    """
    presets = load_presets(kind)
    fields = field_names(kind)
    time_field = TIME_FIELD[kind]
    user = dict(mapping or {})
    if time_col:
        user[time_field] = time_col
    problems = []
    for fld, col in user.items():
        if fld not in fields:
            problems.append(
                f"--map {fld}={col}: unknown field {fld!r}; expected one of {', '.join(fields)}"
                + _close(fld, fields)
            )
        elif col not in columns:
            problems.append(
                f"{file_name}: no column {col!r} (given for {fld}); columns found: "
                + ", ".join(columns)
                + _close(col, columns)
            )
    if preset is not None and preset not in presets:
        problems.append(
            f"--preset {preset!r}: unknown preset; expected one of {', '.join(presets)}"
            + _close(preset, list(presets))
        )
    if problems:
        raise InputError("\n".join(problems), problems)

    matches = {name: p.match(columns) for name, p in presets.items()}
    auto = preset is None
    if auto:
        # the preset that finds the time column and the most fields; on a tie the one whose own
        # first names (its platform's spelling, e.g. JD's 订单号/下单时间 against Taobao's
        # 订单编号/订单创建时间) match the most columns; then the first
        def score(name: str) -> tuple[int, int, int]:
            m = matches[name]
            cols = presets[name].columns
            own = sum(1 for f, c in m.items() if cols[f] and _fold(cols[f][0]) == _fold(c))
            return (int(time_field in m or time_field in user), len(m), own)

        preset = max(presets, key=score)
    chosen = presets[preset]
    found = {**matches[preset], **user}
    if time_field not in found:
        raise _no_time_column(columns, kind, presets, matches, file_name, looks_like_time)
    rules = []
    for fld, reasons in chosen.drop_status.items():
        if fld in found:
            for reason, values in reasons.items():
                rules.append(DropRule(fld, found[fld], reason, values))
    ordered = {f: found[f] for f in fields if f in found}
    return ColumnMap(preset, auto, ordered, rules, chosen.line_items)


def _no_time_column(columns, kind, presets, matches, file_name, looks_like_time) -> InputError:
    time_field = TIME_FIELD[kind]
    lines = [
        f"{file_name}: no timestamp column found; columns found: {', '.join(map(str, columns))}"
    ]
    for name, p in presets.items():
        got = matches[name]
        wanted = " or ".join(p.columns.get(time_field, ()))
        part = f"preset {name} looks for {wanted}"
        if got:
            part += f" (this file matches its {', '.join(got)})"
        lines.append(part)
    if looks_like_time is not None:
        dates = [c for c in columns if looks_like_time(c)]
        if dates:
            lines.append("columns holding dates: " + ", ".join(dates))
    opt = "--time-col COLUMN" + (" (or --map order_time=COLUMN)" if kind == "orders" else "")
    lines.append(f"name the time column with {opt}, or with time_column: COLUMN under files: in "
                 "the shop YAML")
    return InputError("\n".join(lines), lines)
