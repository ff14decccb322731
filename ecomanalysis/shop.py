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

Every problem raises :class:`~ecomanalysis.errors.InputError` naming the file, the key, the bad
value and the allowed values (the CLI turns it into exit status 2).  YAML is read with
``yaml.safe_load`` only.
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
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ecomanalysis.errors import InputError

PLATFORMS = ("taobao", "tmall", "jd", "pinduoduo", "douyin", "kuaishou", "amazon", "shopify",
             "ebay", "shopee", "lazada", "mercadolivre", "other")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
CITY_TIERS = ("tier1", "tier2", "tier3")
_HHMM = re.compile(r"^\s*(\d{1,2}):([0-5]\d)\s*-\s*(\d{1,2}):([0-5]\d)\s*$")

NonNegative = Annotated[float, Field(ge=0, strict=True)]
Positive = Annotated[float, Field(gt=0, strict=True)]
Rate = Annotated[float, Field(ge=0, le=1, strict=True)]
Count = Annotated[int, Field(ge=0, strict=True)]


def suggest(value: str, allowed) -> str:
    """``" (did you mean 'x'?)"`` for a close match among ``allowed``, else ``""``."""
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _allowed_list(allowed, limit: int = 30) -> str:
    allowed = sorted(allowed)
    text = ", ".join(allowed[:limit])
    return text + (f", ... ({len(allowed)} in all)" if len(allowed) > limit else "")


class ShopFiles(BaseModel):
    """Optional exports of the shop (paths relative to the YAML file)."""

    model_config = ConfigDict(extra="forbid")

    orders: Path | None = None
    chats: Path | None = None
    preset: str | None = None


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
        platform's market (``taobao`` -> ``CN``, ``mercadolivre`` -> ``BR``); none for
        ``other`` or a multi-country market (``shopify``: its market's events only).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1)]
    platform: Literal[PLATFORMS] = "taobao"  # type: ignore[valid-type]
    category: str = "general"
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

    def standard_overrides(self) -> dict[str, float]:
        """Standards this profile sets: its ``standards:`` block plus the fields that are
        standards in disguise (conversion, average order value, opening hours, campaigns)."""
        out: dict[str, float] = {}
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
        from ecomanalysis.forecast import settings as fs

        if self.country:
            return list(self.country)
        m = fs.markets()
        hit = m[m["platforms"].map(lambda ps: self.platform in ps)]
        if not len(hit):
            return []
        countries = hit["countries"].iloc[0]
        return [countries[0]] if len(countries) == 1 else [str(hit["market_id"].iloc[0])]

    def file_path(self, kind: str) -> Path | None:
        """Absolute path of the ``orders`` or ``chats`` file, or None."""
        p = getattr(self.files, kind)
        if p is None:
            return None
        base = self.source_path.parent if self.source_path is not None else Path.cwd()
        return (base / p).resolve()

    @cached_property
    def label(self) -> str:
        return self.name


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
    problems: list[str] = []
    shop = None
    try:
        shop = ShopProfile.model_validate(
            {**data, "source_path": Path(source_path).resolve()} if source_path is not None else data
        )
    except ValidationError as exc:
        problems += [_describe(e, where) for e in exc.errors()]
    problems += _check_references(data, shop, where, data_dir)
    if problems:
        raise InputError("\n".join(problems), problems)
    return shop


def _check_references(data: dict, shop: ShopProfile | None, where: str, data_dir=None) -> list[str]:
    """Checks against the reference tables, on the raw mapping so they run even when a type
    check failed elsewhere."""
    from ecomanalysis import catalog, workload

    problems: list[str] = []
    category = data.get("category")
    if isinstance(category, str):
        categories = workload.categories(data_dir)
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
        overrides = shop.standard_overrides()
    else:
        raw = data.get("standards")
        overrides = {k: v for k, v in raw.items()} if isinstance(raw, dict) else {}
    try:
        workload.check_overrides(overrides, where=f"{where}: key 'standards", data_dir=data_dir)
    except InputError as exc:
        problems += exc.problems
    if shop is not None:
        for kind in ("orders", "chats"):
            path = shop.file_path(kind)
            if path is not None and not path.exists():
                problems.append(
                    f"{where}: key 'files.{kind}' is {str(getattr(shop.files, kind))!r} but {path} "
                    "does not exist; expected a path relative to the YAML file"
                )
    return problems


def load_shop(path: str | os.PathLike, data_dir=None) -> ShopProfile:
    """Read and validate a shop YAML file (``yaml.safe_load``).

    Raises
    ------
    InputError
        For a missing file, a YAML syntax error (with line and column), an unknown key, a value
        of the wrong type or out of range, an unknown role, category or standard.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: shop file not found; expected a YAML file such as data/shops/sample.yaml")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not UTF-8 ({exc.reason}); save the YAML as UTF-8") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{path.name}{at}: not valid YAML ({problem})") from None
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


def _channel_kind(name: str) -> str | None:
    low = str(name).lower()
    for kind, words in CHANNEL_WORDS.items():
        if any(w in low for w in words):
            return kind
    return None


@lru_cache(maxsize=8)
def _read_files(orders: str | None, orders_mtime: int, chats: str | None, chats_mtime: int,
                preset: str | None) -> dict:
    """Aggregates of the shop's files through :mod:`ecomanalysis.intake` (cached by mtime)."""
    from ecomanalysis import intake

    out: dict = {}
    if orders is not None:
        ev = intake.read_orders(orders, preset=preset)
        try:
            daily = ev.daily()
            out["daily_orders"] = pd.Series(
                daily["orders"].to_numpy(dtype=float), index=pd.to_datetime(daily["date"]), name="orders"
            )
            hs = ev.hour_shares()
            out["hour_orders"] = hs.sort_values("hour")["share"].to_numpy(dtype=float)
        finally:
            ev.close()
    if chats is not None:
        ch = intake.read_chats(chats)
        try:
            frame = ch.frame()
        finally:
            ch.close()
        frame["kind"] = frame["channel"].map(_channel_kind)
        frame["date"] = pd.to_datetime(frame["start"]).dt.normalize()
        frame["hour"] = pd.to_datetime(frame["start"]).dt.hour
        for kind in CHANNEL_WORDS:
            part = frame[frame["kind"] == kind]
            if len(part):
                counts = np.bincount(part["hour"].to_numpy(dtype=int), minlength=24).astype(float)
                out[f"hour_{kind}"] = counts / counts.sum()
                out[f"daily_{kind}"] = part.groupby("date").size().astype(float)
    return out


def shop_files(shop: ShopProfile) -> dict:
    """What the shop's files say (empty without files): ``daily_orders`` (Series by date),
    ``hour_orders``/``hour_presale``/``hour_aftersale`` (24 shares), ``daily_presale`` and
    ``daily_aftersale`` (chats per day by date)."""
    o, c = shop.file_path("orders"), shop.file_path("chats")
    if o is None and c is None:
        return {}
    return _read_files(
        str(o) if o else None, o.stat().st_mtime_ns if o else 0,
        str(c) if c else None, c.stat().st_mtime_ns if c else 0, shop.files.preset,
    )


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
