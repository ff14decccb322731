"""A shop's profile: what the staffing model needs to know about one shop, loaded from YAML.

A profile names the shop, its platform, category and city tier, its traffic (daily visitors,
conversion) or orders, its average order value, catalogue (SKUs, new listings, campaigns), its
customer-service opening hours, its current team per role, optional order/chat export files and
overrides of any standard in ``data/standards.csv``.  ``data/shops/sample.yaml`` is the bundled
sample.  Example::

    name: 示例女装店
    platform: taobao
    category: womens_apparel          # a category with a return_rate_<category> standard
    city_tier: tier2                  # tier1, tier2, tier3
    daily_visitors: 6000
    conversion: 0.04                  # orders = visitors x conversion
    average_order_value_cny: 150
    opening_hours: "09:00-24:00"
    team: {owner: 1, customer_service_specialist: 2, warehouse_keeper: 1}
    files: {orders: sample/orders.csv, chats: sample/chats.csv}   # relative to this file
    standards: {presale_aht_s: 200}

``files`` also carries how to read the exports (``ecomanalysis init`` writes these)::

    files:
      orders:                         # one path, a glob, or a list (one export per platform/month)
        - {path: exports/taobao_*.csv, platform: taobao}
        - {path: exports/jd.xlsx, platform: jd, sheet: 订单}
      chats: exports/qianniu.csv      # sessions (千牛 接待记录)
      cs_daily: exports/客服绩效.xlsx  # the 客服绩效 daily report
      preset: taobao                  # column preset (detected when omitted)
      time_column: 订单创建时间
      time_zone: Asia/Shanghai
      date_order: dayfirst            # only for dates like 11/02/2025
      map: {amount: 实付金额}
      keep_all: false                 # keep cancelled and unpaid orders
      dedupe: false                   # keep the first row of a repeated order id

A category outside the standards falls back to the cross-category defaults
(:data:`FALLBACK_CATEGORY`) and :func:`shop_flags` says so.

Every problem raises :class:`~ecomanalysis.errors.InputError` naming the file, the key, the bad
value and the allowed values (the CLI turns it into exit status 2).  YAML is read with
``ecomanalysis._io.read_yaml`` only (safe_load with size and alias limits, GBK/UTF-16 detected).
"""

from __future__ import annotations

import difflib
import os
import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ecomanalysis.errors import InputError, suggest
from ecomanalysis.errors import allowed_list as _allowed_list
from ecomanalysis.i18n import N_, translator

#: Every platform of a preset in data/intake_presets.yaml, ``generic`` and ``other``
#: (tests/test_intake_platforms.py checks the list against the preset file).
PLATFORMS = ("taobao", "tmall", "jd", "pinduoduo", "douyin", "kuaishou", "shopify", "woocommerce",
             "generic", "other")
#: The category whose standards apply to a category without its own return-rate standard
#: (``return_rate_general``: "other categories" in data/standards.csv).
FALLBACK_CATEGORY = "general"
#: A category this close to a known one (difflib ratio) is taken as a typo and refused.
CATEGORY_TYPO_RATIO = 0.8
DATE_ORDERS = ("dayfirst", "monthfirst")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
CITY_TIERS = ("tier1", "tier2", "tier3")
_HHMM = re.compile(r"^\s*(\d{1,2}):([0-5]\d)\s*-\s*(\d{1,2}):([0-5]\d)\s*$")

NonNegative = Annotated[float, Field(ge=0, strict=True)]
Positive = Annotated[float, Field(gt=0, strict=True)]
Rate = Annotated[float, Field(ge=0, le=1, strict=True)]
Count = Annotated[int, Field(ge=0, strict=True)]


class FileEntry(BaseModel):
    """One export (or glob of exports) with options of its own; unset options come from
    :class:`ShopFiles`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Annotated[str, Field(min_length=1)]
    platform: Literal[PLATFORMS] | None = None  # type: ignore[valid-type]
    preset: str | None = None
    time_column: str | None = None
    date_order: Literal[DATE_ORDERS] | None = None  # type: ignore[valid-type]
    map: dict[str, str] = Field(default_factory=dict)
    keep_all: bool | None = None
    dedupe: bool | None = None
    sheet: str | None = None
    columns: list[str] | None = None


FileSpec = str | FileEntry | list[str | FileEntry]


class ShopFiles(BaseModel):
    """Optional exports of the shop (paths relative to the YAML file) and how to read them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    orders: FileSpec | None = None
    chats: FileSpec | None = None
    cs_daily: FileSpec | None = None
    preset: str | None = None
    chat_preset: str | None = None
    time_column: str | None = None
    time_zone: str | None = None
    date_order: Literal[DATE_ORDERS] | None = None  # type: ignore[valid-type]
    map: dict[str, str] = Field(default_factory=dict)
    keep_all: bool = False
    dedupe: bool = False
    sheet: str | None = None
    columns: list[str] | None = None
    #: Let the shop's own records replace default standards (handle times, inquiry conversion).
    measure_standards: bool = False

    def entries(self, kind: str) -> list[FileEntry]:
        """The ``orders``, ``chats`` or ``cs_daily`` files as entries (globs not expanded)."""
        spec = getattr(self, kind)
        if spec is None:
            return []
        items = spec if isinstance(spec, list) else [spec]
        return [FileEntry(path=i) if isinstance(i, str) else i for i in items]


class ShopProfile(BaseModel):
    """One shop, as the staffing model sees it.  Build it with :func:`load_shop`.

    Attributes
    ----------
    name
        Shop name (free text, shown in reports).
    platform
        One of :data:`PLATFORMS`.
    category
        Product category; selects the ``return_rate_<category>`` standard.
    city_tier
        ``tier1``, ``tier2`` or ``tier3``; selects the wage bands.
    days_since_launch
        Age of the shop in days (places it among seed 002's stages when orders do not).
    daily_visitors, conversion, daily_orders
        Traffic: give the orders, or visitors and conversion (orders = visitors x conversion),
        or all three when consistent; with an order file and none of these, orders come from
        the file.
    average_order_value_cny
        Average order value, CNY.
    skus, new_listings_per_month, campaigns_per_month
        Catalogue and campaign drivers (default: from the standards).
    opening_hours
        Customer-service hours, ``"HH:MM-HH:MM"`` (``24:00`` allowed as the end).
    team
        Current headcount per ``role_id`` of ``roles.csv``.
    files
        Optional order and chat exports.
    standards
        Overrides of ``standards.csv`` values, by ``standard_id``.
    country
        Where the shop sells: an ISO 3166 code (``CN``, ``US``, ``BR``, ``SG``...) or a list
        of them for a shop selling abroad; selects the shopping events of each country's market
        (``data/markets.csv``) and its public holidays.  Default: the home country of the
        platform's market (``taobao`` -> ``CN``, ``shopify`` -> the ``global`` events); none for
        ``other`` or a multi-country market (``shopify``: its market's events only).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1)]
    platform: Literal[PLATFORMS] = "taobao"  # type: ignore[valid-type]
    category: str = "general"
    #: The category the YAML named when it had no standards of its own (then ``category`` is
    #: :data:`FALLBACK_CATEGORY`); set by :func:`parse_shop`.
    category_given: str | None = None
    city_tier: Literal[CITY_TIERS] = "tier2"  # type: ignore[valid-type]
    days_since_launch: Count | None = None
    daily_visitors: NonNegative | None = None
    conversion: Rate | None = None
    daily_orders: NonNegative | None = None
    average_order_value_cny: Positive | None = None
    skus: Count | None = None
    new_listings_per_month: NonNegative | None = None
    campaigns_per_month: NonNegative | None = None
    opening_hours: str | None = None
    team: dict[str, Count] = Field(default_factory=dict)
    files: ShopFiles = Field(default_factory=ShopFiles)
    standards: dict[str, float | int] = Field(default_factory=dict)
    country: list[str] | None = None
    #: The YAML file the profile came from (not a YAML key).
    source_path: Path | None = Field(default=None, exclude=True)

    # ------------------------------------------------------------------ validation
    @field_validator("opening_hours")
    @classmethod
    def _hours(cls, v: str | None) -> str | None:
        if v is None:
            return v
        m = _HHMM.match(v)
        if not m:
            raise ValueError("opening_hours: expected 'HH:MM-HH:MM', e.g. '09:00-24:00'")
        a = int(m[1]) + int(m[2]) / 60
        b = int(m[3]) + int(m[4]) / 60
        if not (0 <= a < 24 and 0 < b <= 24 and a < b):
            raise ValueError(
                "opening_hours: expected opening before closing within one day, 00:00-24:00, "
                "e.g. '09:00-24:00'"
            )
        return v

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, v):
        if v is None:
            return v
        items = [v] if isinstance(v, str) else v
        if not isinstance(items, list) or not items:
            raise ValueError("country: expected a country code such as CN or a list such as "
                             "[CN, SG]")
        out = []
        for c in items:
            code = c.strip().upper() if isinstance(c, str) else c
            if not isinstance(code, str) or not _COUNTRY_CODE.match(code):
                raise ValueError("country: expected ISO 3166 codes of two letters such as CN, "
                                 "US, BR, SG")
            out.append(code)
        return list(dict.fromkeys(out))

    @model_validator(mode="after")
    def _traffic(self) -> ShopProfile:
        v, c, o = self.daily_visitors, self.conversion, self.daily_orders
        if v is not None and c is not None and o is not None:
            implied = v * c
            if abs(implied - o) > max(1.0, 0.05 * o):
                raise ValueError(
                    f"daily_orders: {o:g} disagrees with daily_visitors x conversion = {v:g} x "
                    f"{c:g} = {implied:g}; give two of the three"
                )
        return self

    # ------------------------------------------------------------------ derived values
    @property
    def open_close_hours(self) -> tuple[float, float] | None:
        """``(open, close)`` as hours of day, or None."""
        if self.opening_hours is None:
            return None
        m = _HHMM.match(self.opening_hours)
        return int(m[1]) + int(m[2]) / 60, int(m[3]) + int(m[4]) / 60

    def standard_overrides(self, measured: bool = True) -> dict[str, float]:
        """Standards this profile sets: what its files measure (handle times, inquiry
        conversion; see :func:`measured_standards`), the fields that are standards in disguise
        (conversion, average order value, opening hours, campaigns) and its ``standards:`` block,
        later ones winning."""
        out: dict[str, float] = {}
        if measured:
            out.update({k: v["value"] for k, v in measured_standards(self).items()})
        if self.conversion is not None:
            out["conversion_rate"] = self.conversion
        elif self.daily_visitors and self.daily_orders is not None:
            out["conversion_rate"] = self.daily_orders / self.daily_visitors
        if self.average_order_value_cny is not None:
            out["average_order_value_cny"] = self.average_order_value_cny
        if self.campaigns_per_month is not None:
            out["campaigns_per_month"] = self.campaigns_per_month
        hours = self.open_close_hours
        if hours is not None:
            out["cs_open_hour"], out["cs_close_hour"] = hours
        out.update({k: float(v) for k, v in self.standards.items()})
        return out

    def stated_orders_per_day(self) -> float | None:
        """Orders per day from the profile itself (orders, or visitors x conversion)."""
        if self.daily_orders is not None:
            return float(self.daily_orders)
        if self.daily_visitors is not None and self.conversion is not None:
            return float(self.daily_visitors * self.conversion)
        return None

    def event_calendar(self) -> list[str]:
        """Event sources for :func:`ecomanalysis.forecast.load_events`: the countries given, or
        the platform's home country, or its market's events (never China by default for a
        shop whose platform is not Chinese)."""
        import csv

        from ecomanalysis import config

        if self.country:
            return list(self.country)
        # data/markets.csv read here, not through ecomanalysis.forecast (the shop layer does
        # not import the model)
        with open(config.DATA_DIR / "markets.csv", encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                if self.platform in row["platforms"].split():
                    countries = row["countries"].split()
                    return countries[:1] if len(countries) == 1 else [row["market_id"]]
        return []

    @property
    def base_dir(self) -> Path:
        """The folder file paths are relative to (the YAML file's)."""
        return self.source_path.parent if self.source_path is not None else Path.cwd()

    def file_paths(self, kind: str) -> list[Path]:
        """Absolute paths of the ``orders``, ``chats`` or ``cs_daily`` files, globs expanded."""
        return [p for e in self.files.entries(kind) for p in _expand(self.base_dir, e.path)]

    def file_path(self, kind: str) -> Path | None:
        """Absolute path of the (first) ``orders`` or ``chats`` file, or None."""
        paths = self.file_paths(kind)
        return paths[0] if paths else None

    def order_entries(self) -> list[dict]:
        """Keyword sets for :func:`ecomanalysis.intake.read_order_files`, one per file."""
        f = self.files
        out = []
        for e in f.entries("orders"):
            mapping = {**f.map, **e.map}
            for path in _expand(self.base_dir, e.path):
                out.append({
                    "path": path,
                    "preset": e.preset or f.preset,
                    "mapping": mapping,
                    "time_col": e.time_column or f.time_column,
                    "order": e.date_order or f.date_order,
                    "dedupe": f.dedupe if e.dedupe is None else e.dedupe,
                    "keep_all": f.keep_all if e.keep_all is None else e.keep_all,
                    "sheet": e.sheet or f.sheet,
                    "names": e.columns or f.columns,
                    "platform": e.platform,
                })
        return out

    @property
    def time_zone(self) -> str:
        from ecomanalysis.intake.timestamps import DEFAULT_TZ

        return self.files.time_zone or DEFAULT_TZ

    @cached_property
    def label(self) -> str:
        return self.name


def _expand(base: Path, pattern: str) -> list[Path]:
    """``pattern`` relative to ``base``: the sorted matches of a glob, or the one path."""
    if any(ch in pattern for ch in "*?["):
        p = Path(pattern)
        root = p if p.is_absolute() else base / p
        anchor = Path(root.anchor)
        return sorted(q.resolve() for q in anchor.glob(str(root.relative_to(anchor))) if q.is_file())
    return [(base / pattern).resolve()]


# ---------------------------------------------------------------------- error messages
def _key(loc: tuple) -> str:
    return ".".join(str(p) for p in loc if p not in ("function-after",)) or "(top level)"


def _describe(err: dict, where: str) -> str:
    """One readable line for one pydantic error."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "constrained-"))))
    key = _key(loc)
    typ, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    field = loc[0] if loc else None
    if typ == "extra_forbidden":
        parent = ShopFiles if field == "files" else ShopProfile
        allowed = [k for k in parent.model_fields if k != "source_path"]
        name = loc[-1]
        return (f"{where}: unknown key {name!r}{suggest(name, allowed)}; expected one of "
                f"{', '.join(allowed)}")
    if typ == "missing":
        return f"{where}: key {key!r} is missing; it is required"
    if typ == "literal_error":
        return f"{where}: key {key!r} has {value!r}; expected one of {ctx.get('expected', '')}"
    expected = {
        "greater_than_equal": f"a number >= {ctx.get('ge', 0):g}",
        "greater_than": f"a number > {ctx.get('gt', 0):g}",
        "less_than_equal": f"a number <= {ctx.get('le', 0):g}",
        "float_type": "a number",
        "float_parsing": "a number",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "string_type": "text",
        "string_too_short": "non-empty text",
        "dict_type": "a mapping of key: value lines",
        "model_type": "a mapping of key: value lines",
        "path_type": "a file path",
    }.get(typ)
    if field == "conversion" and typ in ("greater_than_equal", "less_than_equal"):
        expected = "a rate between 0 and 1 (e.g. 0.04 for 4 %)"
    if expected is not None:
        return f"{where}: key {key!r} has {value!r}; expected {expected}"
    msg = err["msg"].removeprefix("Value error, ")
    if msg.startswith(f"{field}:"):
        return f"{where}: key {key!r} has {value!r}" + msg[len(str(field)) + 1:].replace(
            " expected", "; expected", 1) if isinstance(value, str) else f"{where}: {msg}"
    if ":" in msg and msg.split(":", 1)[0] in ShopProfile.model_fields:
        return f"{where}: key {msg.split(':', 1)[0]!r}:{msg.split(':', 1)[1]}"
    return f"{where}: key {key!r}: {msg}"


# ---------------------------------------------------------------------- loading
def parse_shop(data: Any, where: str = "shop", source_path: str | os.PathLike | None = None,
               data_dir=None) -> ShopProfile:
    """Validate a mapping (e.g. parsed YAML) into a :class:`ShopProfile`.

    Checks beyond the types: ``category`` has a return-rate standard, every ``team`` key is a
    role of ``roles.csv``, every ``standards`` key is a standard (rates within [0, 1]), files
    exist.  All problems are reported together.
    """
    if not isinstance(data, dict):
        raise InputError(
            f"{where}: expected a mapping of key: value lines at the top level, got "
            f"{type(data).__name__}"
        )
    if "source_path" in data:
        raise InputError(f"{where}: unknown key 'source_path'; it is set from the file's location")
    if "category_given" in data:
        raise InputError(f"{where}: unknown key 'category_given'; write the category as 'category'")
    data = _category_fallback(data, data_dir)
    problems: list[str] = []
    shop = None
    try:
        shop = ShopProfile.model_validate(
            {**data, "source_path": Path(source_path).resolve()} if source_path is not None else data
        )
    except ValidationError as exc:
        problems += [_describe(e, where) for e in exc.errors()]
    problems += _check_references(data, shop, where, data_dir, source_path)
    if problems:
        raise InputError("\n".join(problems), problems)
    return shop


#: Suffixes a shop's ``files`` may have: the exports the intake reads (not any local file).
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet", ".pq")


def _category_fallback(data: dict, data_dir=None) -> dict:
    """A category without standards of its own -> :data:`FALLBACK_CATEGORY`, unless it looks like
    a typo of a known one (then the check below refuses it with a suggestion)."""
    from ecomanalysis import overrides

    category = data.get("category")
    if not isinstance(category, str) or not category.strip():
        return data
    categories = overrides.categories(data_dir)
    if category in categories or difflib.get_close_matches(
            category, categories, n=1, cutoff=CATEGORY_TYPO_RATIO):
        return data
    return {**data, "category": FALLBACK_CATEGORY, "category_given": category}


def _check_references(data: dict, shop: ShopProfile | None, where: str, data_dir=None,
                      source_path=None) -> list[str]:
    """Checks against the reference tables, on the raw mapping so they run even when a type
    check failed elsewhere."""
    from ecomanalysis import catalog, overrides

    problems: list[str] = []
    category = data.get("category")
    if isinstance(category, str):
        categories = overrides.categories(data_dir)
        if category not in categories:
            problems.append(
                f"{where}: key 'category' has {category!r}{suggest(category, categories)}; "
                f"expected one of {', '.join(categories)} (each has a return_rate_<category> standard)"
            )
    team = data.get("team")
    if isinstance(team, dict):
        roles = set(catalog.load_roles(data_dir=data_dir)["role_id"])
        for role in team:
            if role not in roles:
                problems.append(
                    f"{where}: key 'team.{role}' is not a role{suggest(role, roles)}; expected a "
                    f"role_id of roles.csv: {_allowed_list(roles, 60)}"
                )
    if shop is not None:
        overrides_ = shop.standard_overrides(measured=False)
    else:
        raw = data.get("standards")
        overrides_ = {k: v for k, v in raw.items()} if isinstance(raw, dict) else {}
    try:
        overrides.check_overrides(overrides_, where=f"{where}: key 'standards", data_dir=data_dir)
    except InputError as exc:
        problems += exc.problems
    if shop is not None:
        problems += _check_files(shop.files, shop.base_dir, where)
    elif isinstance(data.get("files"), dict):  # the files block on its own, if it is valid
        try:
            files = ShopFiles.model_validate(data["files"])
        except ValidationError:
            files = None
        if files is not None:
            base = Path(source_path).resolve().parent if source_path is not None else Path.cwd()
            problems += _check_files(files, base, where)
    return problems


def _check_files(f: ShopFiles, base_dir: Path, where: str) -> list[str]:
    """Files exist (globs match), presets and the time zone are known."""
    from ecomanalysis.intake import presets as P
    from ecomanalysis.intake.timestamps import check_tz

    problems: list[str] = []
    for kind in ("orders", "chats", "cs_daily"):
        for i, e in enumerate(f.entries(kind)):
            key = f"files.{kind}" + (f"[{i}]" if isinstance(getattr(f, kind), list) else "")
            paths = _expand(base_dir, e.path)
            if not paths:
                problems.append(f"{where}: key '{key}' is {e.path!r}, a pattern no file matches in "
                                f"{base_dir}; expected a path relative to the YAML file")
            for path in paths:
                if path.suffix.lower() not in TABLE_SUFFIXES:  # never read /etc/passwd into a message
                    problems.append(f"{where}: key '{key}' is {e.path!r}; expected an export ending "
                                    f"in {', '.join(TABLE_SUFFIXES)}")
                elif not path.is_file():
                    problems.append(
                        f"{where}: key '{key}' is {e.path!r} but {path} "
                        + ("is a folder" if path.is_dir() else "does not exist")
                        + "; expected a file, relative to the YAML file")
            if e.preset is not None and e.preset not in P.load_presets(kind):
                problems.append(f"{where}: key '{key}.preset' has {e.preset!r}; expected one of "
                                f"{', '.join(P.load_presets(kind))}")
    for key, kind, value in (("preset", "orders", f.preset), ("chat_preset", "chats", f.chat_preset)):
        presets = P.load_presets(kind)
        if value is not None and value not in presets:
            problems.append(f"{where}: key 'files.{key}' has {value!r}{suggest(value, presets)}; "
                            f"expected one of {', '.join(presets)}")
    if f.time_zone is not None:
        try:
            check_tz(f.time_zone)
        except InputError as exc:
            problems.append(f"{where}: key 'files.time_zone': " + exc.problems[0].split(": ", 1)[1])
    return problems


def load_shop(path: str | os.PathLike, data_dir=None) -> ShopProfile:
    """Read and validate a shop YAML file (``yaml.safe_load``).

    Raises
    ------
    InputError
        For a missing file, a YAML syntax error (with line and column), an unknown key, a value
        of the wrong type or out of range, an unknown role, category or standard.
    """
    from ecomanalysis._io import read_yaml

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: shop file not found; expected a YAML file such as data/shops/sample.yaml")
    data = read_yaml(path, "shop file")
    if data is None:
        raise InputError(f"{path.name}: the file is empty; expected at least 'name: ...'")
    return parse_shop(data, where=path.name, source_path=path, data_dir=data_dir)


def sample_shop_path() -> Path:
    """Path of the bundled sample shop, ``data/shops/sample.yaml``."""
    from ecomanalysis import config

    return config.SHOPS_DIR / "sample.yaml"


def load_sample_shop() -> ShopProfile:
    """The bundled sample shop."""
    return load_shop(sample_shop_path())


# ---------------------------------------------------------------------- the shop's own files
CHANNEL_WORDS = {"presale": ("pre", "售前", "presale"), "aftersale": ("after", "post", "售后", "aftersale")}
#: Each queue's name in notes (msgids).
CHANNEL_NAMES = {"presale": N_("pre-sale"), "aftersale": N_("after-sale")}


def _channel_kind(name: str) -> str | None:
    low = str(name).lower()
    for kind, words in CHANNEL_WORDS.items():
        if any(w in low for w in words):
            return kind
    return None


def _stamp(paths: list[Path]) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in paths)


def _freeze(obj):
    if isinstance(obj, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in obj.items()))
    if isinstance(obj, list | tuple):
        return tuple(_freeze(v) for v in obj)
    return str(obj) if isinstance(obj, Path) else obj


@lru_cache(maxsize=8)
def _read_files_cached(key: tuple) -> dict:
    """In memory by the files' mtimes, and on disk by their content and the intake options
    (:mod:`ecomanalysis.cache`), so a new report on the same export (another scenario) does
    not read it again."""
    from ecomanalysis import cache

    spec = _SPECS.pop(key)
    paths = [str(e["path"]) for e in spec["orders"]] + [str(p) for p in spec["chats"]] \
        + [str(p) for p in spec["cs_daily"]]
    return cache.cached_shop_files(paths, key[0], lambda: _read_files(spec))


_SPECS: dict[tuple, dict] = {}


def _read_files(spec: dict) -> dict:
    """Aggregates of the shop's files through :mod:`ecomanalysis.intake`."""
    from ecomanalysis import intake
    from ecomanalysis.intake.cs_daily import read_cs_daily

    out: dict = {"reports": {}}
    tz = spec["tz"]
    if spec["orders"]:
        ev = intake.read_order_files(spec["orders"], tz=tz)
        try:
            daily = ev.daily()
            out["daily_orders"] = pd.Series(
                daily["orders"].to_numpy(dtype=float), index=pd.to_datetime(daily["date"]), name="orders"
            )
            if ev.has_time_of_day():
                hs = ev.hour_shares()
                out["hour_orders"] = hs.sort_values("hour")["share"].to_numpy(dtype=float)
            out["reports"]["orders"] = ev.report.as_dict()
            out["orders_time_of_day"] = ev.has_time_of_day()
            if ev.has_platforms():
                out["platforms"] = ev.platform_shares()
        finally:
            ev.close()
    frames = []
    for path in spec["chats"]:
        ch = intake.read_chats(path, spec["chat_preset"], None, None, tz, spec["order"])
        try:
            frames.append(ch.frame())
            conc = ch.agent_concurrency()
            out.setdefault("chat_concurrency", []).append(conc)
            out["reports"].setdefault("chats", []).append(ch.report.as_dict())
        finally:
            ch.close()
    if frames:
        frame = pd.concat(frames, ignore_index=True)
        frame["kind"] = frame["channel"].map(_channel_kind)
        frame["date"] = pd.to_datetime(frame["start"]).dt.normalize()
        frame["hour"] = pd.to_datetime(frame["start"]).dt.hour
        conc = pd.concat(out.pop("chat_concurrency"), ignore_index=True)
        out["chat_mean_concurrency"] = (
            float(np.average(conc["mean_concurrent"].fillna(1.0), weights=conc["sessions"]))
            if len(conc) and conc["sessions"].sum() else float("nan"))
        for kind in CHANNEL_WORDS:
            part = frame[frame["kind"] == kind]
            if len(part):
                counts = np.bincount(part["hour"].to_numpy(dtype=int), minlength=24).astype(float)
                out[f"hour_{kind}"] = counts / counts.sum()
                out[f"daily_{kind}"] = part.groupby("date").size().astype(float)
                # abandoned sessions (no agent) are demand, not handling
                served = part[part["agent"].notna()] if part["agent"].notna().any() else part
                out[f"handle_{kind}"] = (float(served["handle_s"].mean()), int(len(served)))
                out[f"calibration_{kind}"] = _calibration(part)
    cs = [read_cs_daily(p, order=spec["order"]) for p in spec["cs_daily"]]
    if cs:
        days = pd.concat(cs, ignore_index=True).groupby("date", as_index=False).agg(
            inquiries=("inquiries", "sum"), avg_response_s=("avg_response_s", "mean"),
            inquiry_conversion=("inquiry_conversion", "mean"), received=("received", "sum"))
        out["cs_daily"] = days
        if "daily_presale" not in out and days["inquiries"].notna().any():
            out["daily_presale"] = pd.Series(days["inquiries"].to_numpy(dtype=float),
                                             index=pd.to_datetime(days["date"]), name="presale")
        out["reports"]["cs_daily"] = [c.attrs["report"] for c in cs]
    return out


def _calibration(sessions: pd.DataFrame) -> dict:
    """What a chat export measures for the simulation (:mod:`ecomanalysis.intake.calibrate`):
    the handle-time CV, the abandoned share and, when the export gives answer times for every
    session an agent took, the mean patience and the share of on-duty time agents are
    available (NaN where the export cannot tell), as plain values for the cache.
    ``unanswered`` counts the sessions with an agent but no answer time (then the waits are
    unknown and neither is measured)."""
    from ecomanalysis.intake.calibrate import calibrate

    taken = sessions["agent"].notna()
    answer = sessions["answer"] if "answer" in sessions else pd.Series(pd.NaT, sessions.index)
    unanswered = int((taken & answer.isna()).sum()) if answer.notna().any() else 0
    cols = ["start", "end", "agent"] + (["answer"] if answer.notna().any() and not unanswered
                                       else [])
    try:
        c = calibrate(sessions[cols])
    except InputError:
        return {}
    return {"handle_time_cv": float(c.handle_time_cv),
            "aht_s": float(c.aht_s), "aht_increase_per_extra_chat": float(c.aht_increase_per_extra_chat),
            "concurrency": int(c.concurrency), "mean_chats_held": float(c.mean_chats_held),
            "availability_share": float(c.availability_share),
            "patience_s": float(c.patience_s), "abandoned_share": float(c.abandoned_share),
            "answered": "answer" in cols, "unanswered": unanswered, "sessions": int(c.sessions)}


def shop_files(shop: ShopProfile) -> dict:
    """What the shop's files say (empty without files): ``daily_orders`` (Series by date),
    ``hour_orders``/``hour_presale``/``hour_aftersale`` (24 shares), ``daily_presale`` and
    ``daily_aftersale`` (chats per day by date; pre-sale also from the 客服绩效 report's 询单人数),
    ``handle_presale``/``handle_aftersale`` (mean session length s, sessions), ``cs_daily``
    (the report per day), ``platforms`` (per-platform shares) and ``reports`` (what each intake
    read and dropped)."""
    orders = shop.order_entries()
    chats = shop.file_paths("chats")
    cs_daily = shop.file_paths("cs_daily")
    if not orders and not chats and not cs_daily:
        return {}
    spec = {"orders": orders, "chats": chats, "cs_daily": cs_daily, "tz": shop.time_zone,
            "order": shop.files.date_order, "chat_preset": shop.files.chat_preset}
    key = (_freeze({k: v for k, v in spec.items()}),
           _stamp([e["path"] for e in orders] + chats + cs_daily))
    _SPECS[key] = spec
    try:
        return _read_files_cached(key)
    except InputError as exc:  # options of the shop YAML, not of a command line
        raise _shop_hint(exc, shop) from None
    finally:
        _SPECS.pop(key, None)


def _shop_hint(exc: InputError, shop: ShopProfile) -> InputError:
    """``exc`` with the intake's command-line hint for naming the time column (``--time-col``,
    which the commands reading a shop do not take) replaced by the shop YAML's own key."""
    where = shop.source_path.name if shop.source_path is not None else "the shop YAML"
    problems = [
        f"name the time column with time_column: COLUMN under files: in {where} (or "
        f"map: {{order_time: COLUMN}}; a list entry takes its own time_column)"
        if p.startswith("name the time column with --time-col") else p
        for p in exc.problems]
    return exc if problems == exc.problems else InputError("\n".join(problems), problems)


def measured_standards(shop: ShopProfile) -> dict[str, dict]:
    """Standards the shop's own records measure, each ``{"value", "source", "default"}``:

    - ``presale_aht_s`` / ``aftersale_aht_s`` from chat sessions, once a channel has
      ``min_sessions_per_channel``: the calibration's work per chat with one chat open (fitted
      with the slowdown per extra chat, :mod:`ecomanalysis.intake.calibrate`), or where it
      could not be calibrated the mean session length divided by ``1 +
      chat_aht_increase_per_extra_chat x (mean concurrency - 1)``;
    - ``presale_concurrency`` / ``aftersale_concurrency`` (the most chats an agent of that
      queue holds, median over its agents), ``chat_aht_increase_per_extra_chat``,
      ``cs_handle_time_cv`` and, when the export gives answer times, ``cs_availability_share``
      and ``cs_patience_s`` from the calibration of the chat sessions (these entries also carry
      ``sessions``); a value outside its standard's low..high is left out (the flags name it);
    - ``inquiry_order_conversion`` from the 客服绩效 report (询单转化率, weighted by 询单人数),
      once it covers ``min_cs_daily_days``.

    Only with ``files.measure_standards: true`` (``ecomanalysis init`` writes it).  The
    profile's own ``standards:`` block wins over these (:meth:`ShopProfile.standard_overrides`).
    The pre-sale inquiry rate is calibrated from chats (or 询单人数) per order by
    :func:`measured_rates`.
    """
    from ecomanalysis import catalog
    from ecomanalysis.intake import presets as P

    if not shop.files.measure_standards:
        return {}
    files = shop_files(shop)
    if not files:
        return {}
    table = catalog.load_standards().set_index("standard_id")
    limits = P._table()["measure_limits"]
    out: dict[str, dict] = {}
    inc = float(table.at["chat_aht_increase_per_extra_chat", "value"])
    conc = files.get("chat_mean_concurrency", float("nan"))
    factor = 1 + inc * (max(conc, 1.0) - 1) if conc == conc else 1.0
    for kind, sid in (("presale", "presale_aht_s"), ("aftersale", "aftersale_aht_s")):
        got = files.get(f"handle_{kind}")
        cal = files.get(f"calibration_{kind}") or {}
        if not (got and got[1] >= limits["min_sessions_per_channel"]["value"] and got[0] > 0):
            continue
        entry = {"default": float(table.at[sid, "value"]), "unit": str(table.at[sid, "unit"])}
        if cal.get("aht_s", 0) > 0 and cal.get("sessions", 0) >= got[1]:
            # one estimator: the work the calibration fits with its slowdown per extra chat
            out[sid] = {**entry, "value": round(cal["aht_s"], 1), "sessions": int(cal["sessions"])}
        else:
            out[sid] = {**entry, "value": round(got[0] / factor, 1),
                        "source": f"chat sessions ({got[1]:,} {kind}, mean concurrency {conc:.2f})"}
    out.update(_chat_measures(files, table, limits)[0])
    cs = files.get("cs_daily")
    if cs is not None and len(cs) >= limits["min_cs_daily_days"]["value"]:
        from ecomanalysis.intake.cs_daily import summary

        summ = summary(cs)
        if summ["inquiry_conversion"] == summ["inquiry_conversion"]:
            sid = "inquiry_order_conversion"
            out[sid] = {"value": round(summ["inquiry_conversion"], 4),
                        "default": float(table.at[sid, "value"]), "unit": str(table.at[sid, "unit"]),
                        "source": f"客服绩效 report ({len(cs)} days)"}
    return out


def _chat_measures(files: dict, table: pd.DataFrame, limits: dict) -> tuple[dict, dict]:
    """The simulation's figures measured by the chat export's calibration, from the queue with
    the most sessions: the handle-time spread and, with answer times, the availability and the
    patience.  Returns ``(used, implausible)``: an availability or patience outside its
    standard's low..high does not replace the default (e.g. an availability of 0.004 when a few
    stray overlaps of an agent's sessions make its limit look one chat higher than it is, and
    the simulated check would then ask for hundreds of agents); the notes name it."""
    cals = {k: files.get(f"calibration_{k}") or {} for k in ("presale", "aftersale")}
    best = max(cals.values(), key=lambda c: c.get("sessions", 0))
    enough = limits["min_sessions_per_channel"]["value"]
    used: dict[str, dict] = {}
    implausible: dict[str, dict] = {}
    # shop-wide figures from the queue with the most sessions; each queue's own concurrency
    measures = [(best, "cs_handle_time_cv", "handle_time_cv", 3),
                (best, "chat_aht_increase_per_extra_chat", "aht_increase_per_extra_chat", 3),
                (best, "cs_availability_share", "availability_share", 3),
                (best, "cs_patience_s", "patience_s", 0)]
    measures += [(cals[k], f"{k}_concurrency", "concurrency", 0) for k in cals]
    for cal, sid, key, digits in measures:
        n = cal.get("sessions", 0)
        v = cal.get(key, float("nan"))
        if n < enough or v != v:  # patience and availability need answer times in the export
            continue
        row = table.loc[sid]
        entry = {"value": round(float(v), digits), "default": float(row["value"]),
                 "unit": str(row["unit"]), "sessions": n}
        low = limits["min_measured_patience_s"]["value"] if sid == "cs_patience_s" else row["low"]
        if key == "concurrency" and np.isnan(cal.get("availability_share", np.nan)):
            # the most chats agents held tells their limit only where customers waited for
            # them (answer times, availability measured); on a quiet export it is the load
            implausible[sid] = {**entry, "why": "no_waits"}
        elif sid == "cs_handle_time_cv" or low <= entry["value"] <= row["high"]:
            used[sid] = entry
        else:
            implausible[sid] = {**entry, "low": float(low), "high": float(row["high"])}
    return used, implausible


def _messages(lang: str) -> dict[str, str]:
    from ecomanalysis.intake import presets as P

    lang = lang if lang in ("zh", "en") else "en"
    return {k: v[lang] for k, v in P._table()["flag_messages"].items()}


def shop_flags(shop: ShopProfile, lang: str = "zh") -> list[str]:
    """What was assumed or measured for this shop, one line each, in ``lang`` (zh/en): a
    category without standards, how each export was read (preset, time column, time zone, date
    order, rows left out, empty rows), platforms merged, standards measured from its records.
    The plan shows these as its flags."""
    from ecomanalysis import catalog
    from ecomanalysis.intake import presets as P

    m = _messages(lang)
    _ = translator(lang)
    flags: list[str] = []
    if shop.category_given is not None:
        table = catalog.load_standards().set_index("standard_id")
        flags.append(m["category_fallback"].format(
            given=shop.category_given, fallback=shop.category,
            return_rate=float(table.at[f"return_rate_{shop.category}", "value"])))
    files = shop_files(shop)
    rep = files.get("reports", {}).get("orders")
    if rep:
        parts = rep.get("parts") or [rep]
        presets = P.load_presets("orders")
        tz_note = False
        for r in parts:
            name = Path(r["file"]).name
            if r["preset_detected"]:
                flags.append(m["preset_detected"].format(file=name, preset=r["preset"],
                                                         time_column=r["columns"]["order_time"]))
            p = presets.get(r["preset"])
            if p is not None and not p.verified:
                flags.append(m["preset_unverified"].format(preset=r["preset"]))
            if "inferred from the data" in r["time_format"]:
                order = "dayfirst" if "dayfirst" in r["time_format"] else "monthfirst"
                example = r["time_format"].rsplit("e.g. ", 1)[-1].rstrip(")")
                flags.append(m["date_order_inferred"].format(file=name, example=example, order=order))
            for d in r["dropped"]:  # reason: cancelled / unpaid, in the flags' language
                flags.append(m["rows_dropped"].format(file=name, **{**d, "reason": _(d["reason"])}))
            if r.get("empty_rows"):
                flags.append(m["empty_rows"].format(file=name, rows=r["empty_rows"]))
            tz_note = tz_note or not r.get("offsets")
        if tz_note:
            flags.append(m["time_zone_default"].format(tz=shop.time_zone))
        if not files.get("orders_time_of_day", True):
            flags.append(m["no_time_of_day"].format(file=Path(parts[0]["file"]).name))
    if "platforms" in files:
        pl = files["platforms"]
        flags.append(m["platforms"].format(n=len(pl), shares=", ".join(
            f"{p} {s:.0%}" for p, s in zip(pl["platform"], pl["share"], strict=True))))
    explicit = set(shop.standards)
    for sid, v in measured_standards(shop).items():
        if sid in explicit:
            continue
        if "sessions" in v:  # the chat export's calibration
            flags.append(_(MEASURED_FROM_CHATS, standard=sid, sessions=f"{v['sessions']:,}",
                           value=f"{v['value']:.4g}", unit=v["unit"],
                           default=f"{v['default']:.4g}"))
        else:
            flags.append(m["measured"].format(standard=sid, **v))
    if shop.files.measure_standards and files:
        table = catalog.load_standards().set_index("standard_id")
        limits = P._table()["measure_limits"]
        for sid, v in _chat_measures(files, table, limits)[1].items():
            if sid in explicit:
                continue
            if v.get("why") == "no_waits":
                flags.append(_(MEASURED_NO_WAITS, standard=sid, sessions=f"{v['sessions']:,}",
                               value=f"{v['value']:.4g}", default=f"{v['default']:.4g}"))
            else:
                flags.append(_(MEASURED_IMPLAUSIBLE, standard=sid, sessions=f"{v['sessions']:,}",
                               value=f"{v['value']:.4g}", unit=v["unit"], low=f"{v['low']:.4g}",
                               high=f"{v['high']:.4g}", default=f"{v['default']:.4g}"))
    flags += _chat_wait_notes(files, lang)
    cs = files.get("cs_daily")
    if cs is not None and len(cs):
        from ecomanalysis.intake.cs_daily import summary

        summ = summary(cs)
        if summ["avg_response_s"] == summ["avg_response_s"]:
            flags.append(m["measured_info"].format(
                what="mean response time" if lang == "en" else "平均响应时长",
                source="客服绩效 report" if lang == "en" else "客服绩效报表",
                value=f"{summ['avg_response_s']:.0f} s"))
    return flags


#: The note of a standard measured from the shop's chat export (issue 14, calibration).
MEASURED_FROM_CHATS = N_("{standard} measured from {sessions} chat sessions: {value} {unit} "
                         "(default {default})")
MEASURED_IMPLAUSIBLE = N_("{standard} measured from {sessions} chat sessions: {value} {unit}, "
                          "outside the plausible {low}-{high}: the default {default} is kept "
                          "(set it under standards: in the shop file to use the measured value)")
MEASURED_NO_WAITS = N_("{standard}: in {sessions} chat sessions agents held at most {value} chats "
                       "at once (median over the agents); the standard {default} is kept: the "
                       "export shows no customer waiting for an agent, so the limit agents work "
                       "to cannot be told from the load of a quiet day")


def _chat_wait_notes(files: dict, lang: str) -> list[str]:
    """What the chat export says about waiting, per queue: the abandoned share (sessions
    without an agent; shown when the export has answer times or any such session) and why the
    waits (patience, availability) could not be measured."""
    _ = translator(lang)
    out = []
    for kind in CHANNEL_WORDS:
        c = files.get(f"calibration_{kind}") or {}
        if not c.get("sessions"):
            continue
        queue = _(CHANNEL_NAMES[kind])
        if c.get("answered") or c.get("abandoned_share", 0) > 0:
            out.append(_("{queue}: {share} of {sessions} chat sessions were abandoned before "
                         "an agent took them (measured from the export).", queue=queue,
                         share=f"{c['abandoned_share']:.1%}", sessions=f"{c['sessions']:,}"))
        if c.get("unanswered"):
            out.append(_("{queue}: {n} of {sessions} chat sessions with an agent have no answer "
                         "time, so patience and availability are not measured.", queue=queue,
                         n=f"{c['unanswered']:,}", sessions=f"{c['sessions']:,}"))
    return out


def measured_hour_shares(shop: ShopProfile) -> dict[str, np.ndarray]:
    """Hour-of-day shares measured in the shop's files, by driver (``orders``, ``presale``,
    ``aftersale``); only those present."""
    f = shop_files(shop)
    return {k: f[f"hour_{k}"] for k in ("orders", "presale", "aftersale") if f"hour_{k}" in f}


def _recent_level(series: pd.Series, days: int, end=None) -> float:
    """Median per day over the last ``days`` days up to ``end`` (missing days count as 0): a
    peak day such as Double 12 does not move it."""
    if series is None or not len(series):
        return float("nan")
    end = series.index.max() if end is None else end
    window = pd.date_range(end - pd.Timedelta(days=int(days) - 1), end, freq="D")
    return float(series.reindex(window, fill_value=0.0).median())


def current_orders_per_day(shop: ShopProfile, recent_days: int) -> tuple[float, str]:
    """The shop's current orders per day and where the figure comes from.

    The profile's own figure (orders, or visitors x conversion) wins; otherwise the median day
    of the last ``recent_days`` days of its order file.
    """
    stated = shop.stated_orders_per_day()
    if stated is not None:
        return stated, "profile"
    files = shop_files(shop)
    if "daily_orders" in files:
        return _recent_level(files["daily_orders"], recent_days), f"orders file (median of the last {recent_days} days)"
    if shop.daily_visitors is not None:
        return float("nan"), "visitors"  # conversion from the standards, resolved by the caller
    raise InputError(
        f"{shop.source_path.name if shop.source_path else 'shop'}: no orders per day; give "
        "'daily_orders', or 'daily_visitors' (and 'conversion'), or 'files.orders'"
    )


def measured_rates(shop: ShopProfile, recent_days: int) -> dict[str, float]:
    """Chats per order measured from the files over the last ``recent_days`` days (median day
    of chats / median day of orders): ``presale_per_order`` and ``aftersale_per_order`` (only
    those measurable)."""
    files = shop_files(shop)
    if "daily_orders" not in files:
        return {}
    end = files["daily_orders"].index.max()
    orders = _recent_level(files["daily_orders"], recent_days)
    out = {}
    if orders > 0:
        for kind in ("presale", "aftersale"):
            s = files.get(f"daily_{kind}")
            if s is not None and len(s):
                out[f"{kind}_per_order"] = _recent_level(s, recent_days, end) / orders
    return out
