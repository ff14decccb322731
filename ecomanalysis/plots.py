"""One place for chart style, the CJK font and bilingual labels.

Chinese labels need a font with CJK glyphs.  We do not rely on whatever the machine has: the
``mplfonts`` package (a PyPI dependency) ships Noto Sans CJK SC, which :func:`use_style`
registers with matplotlib.  A font already installed on the system is used as a fallback.

Usage in a notebook::

    from ecomanalysis.plots import use_style, label
    use_style()
    ax.set_title(label("team_size", lang))
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

#: Families tried in order; the first one matplotlib can resolve wins.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)

#: Bundled font files registered from the mplfonts package.
_BUNDLED_FONT_FILES = ("NotoSansCJKsc-Regular.otf",)

PALETTE = "colorblind"

#: Axis and legend labels used across notebooks, in both languages.
LABELS: dict[str, dict[str, str]] = {
    "seed_max_or_min": {"zh": "无上限时取下限", "en": "the minimum where the seed gives no maximum"},
    "double11": {"zh": "双11", "en": "Double 11"},
    "double12": {"zh": "双12", "en": "Double 12"},
    "dates_only": {"zh": "无时刻信息", "en": "dates only: no time of day"},
    "mean_day": {"zh": "日均", "en": "mean day"},
    "orders_per_hour": {"zh": "订单/时", "en": "orders per hour"},
    "baseline_day_d27": {"zh": "基线日均 (D-27..D-6)", "en": "baseline day (D-27 .. D-6)"},
    "sessions_per_day": {"zh": "会话/天", "en": "sessions per day"},
    "purchases_per_day": {"zh": "购买/天", "en": "purchases per day"},
    "orders_per_day": {"zh": "日订单量 (单/天)", "en": "Orders per day"},
    "visitors_per_day": {"zh": "日访客数 (人/天)", "en": "Visitors per day"},
    "conversion": {"zh": "转化率", "en": "Conversion rate"},
    "headcount": {"zh": "人数", "en": "Headcount"},
    "fte": {"zh": "全职当量 (FTE)", "en": "FTE"},
    "team_size": {"zh": "团队人数", "en": "Team size"},
    "stage": {"zh": "阶段", "en": "Stage"},
    "role": {"zh": "岗位", "en": "Role"},
    "role_group": {"zh": "岗位群", "en": "Role group"},
    "department": {"zh": "部门", "en": "Department"},
    "duties": {"zh": "职责数", "en": "Number of duties"},
    "roles_count": {"zh": "岗位数", "en": "Number of roles"},
    "hour": {"zh": "时段 (时)", "en": "Hour of day"},
    "weekday": {"zh": "星期", "en": "Weekday"},
    "date": {"zh": "日期", "en": "Date"},
    "agents": {"zh": "客服人数", "en": "Agents"},
    "service_level": {"zh": "服务水平", "en": "Service level"},
    "arrivals": {"zh": "到达量", "en": "Arrivals"},
    "stated": {"zh": "种子文档给出", "en": "stated in the seed"},
    "derived": {"zh": "推算", "en": "derived"},
    "min": {"zh": "下限", "en": "min"},
    "max": {"zh": "上限", "en": "max"},
    "cost_cny_month": {"zh": "月人工成本 (元)", "en": "Labour cost (CNY / month)"},
    "cost_per_order_cny": {"zh": "单均人工成本 (元/单)", "en": "Labour cost per order (CNY)"},
}


def label(key: str, lang: str = "zh") -> str:
    """The label ``key`` in ``lang`` (falls back to the key itself)."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang, entry.get("en", key))


def bundled_font_paths() -> list[Path]:
    """Paths of the CJK font files shipped by the ``mplfonts`` package (empty if absent)."""
    try:
        import mplfonts
    except ImportError:  # pragma: no cover - it is a core dependency
        return []
    folder = Path(mplfonts.__file__).resolve().parent / "fonts"
    return [folder / name for name in _BUNDLED_FONT_FILES if (folder / name).exists()]


@functools.lru_cache(maxsize=1)
def cjk_font_family() -> str | None:
    """Register the bundled CJK font and return the first CJK family matplotlib can resolve."""
    for path in bundled_font_paths():
        font_manager.fontManager.addfont(str(path))
    available = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in available:
            return family
    return None


def use_style(context: str = "notebook") -> str | None:
    """Apply the project's chart style with a CJK-capable font; return the font family used."""
    import seaborn as sns

    family = cjk_font_family()
    sns.set_theme(context=context, style="whitegrid", palette=PALETTE)
    sans = [family] if family else []
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = sans + ["DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False  # CJK fonts often lack U+2212
    mpl.rcParams["figure.dpi"] = 100
    mpl.rcParams["savefig.bbox"] = "tight"
    return family


# --------------------------------------------------------------------------- fonts for HTML
#: CSS family name of the CJK subset embedded in HTML pages.
HTML_CJK_FAMILY = "ecomanalysis-cjk"


def _cjk_chars(text: str) -> str:
    """The distinct non-ASCII characters of ``text`` (sorted), i.e. what an HTML page needs."""
    return "".join(sorted({ch for ch in text if ord(ch) > 0x2000}))


@functools.lru_cache(maxsize=32)
def _subset_base64(chars: str) -> str:
    import base64
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    paths = bundled_font_paths()
    if not paths or not chars:
        return ""
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = [1, 2]
    options.notdef_outline = True
    font = TTFont(str(paths[0]), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def font_face_css(text: str) -> str:
    """CSS embedding a subset of the bundled CJK font holding the characters of ``text``.

    HTML reports carry their Chinese glyphs with them (a few KB), so a browser on a machine
    without Chinese fonts shows characters, not boxes.  Empty when ``text`` has none.
    """
    data = _subset_base64(_cjk_chars(text))
    if not data:
        return ""
    return (
        f"@font-face{{font-family:'{HTML_CJK_FAMILY}';"
        f"src:url(data:font/otf;base64,{data}) format('opentype');}}\n"
        # The subset holds only the page's non-Latin characters, so listing it first sends
        # exactly those to it and leaves Latin text to the page's own fonts.
        f"body,.jp-RenderedHTMLCommon,.jp-RenderedText,table,th,td,h1,h2,h3,p,li{{font-family:"
        f"'{HTML_CJK_FAMILY}',var(--jp-content-font-family,system-ui),sans-serif;}}\n"
        # code cells take their font from the editor box (.cm-editor), not from pre
        f"pre,code,.cm-editor,.jp-RenderedText pre,.jp-OutputArea-output pre{{font-family:'{HTML_CJK_FAMILY}',"
        f"var(--jp-code-font-family,monospace),monospace;}}\n"
    )


def embed_cjk_font(html: str) -> str:
    """Insert :func:`font_face_css` for the page's own characters before ``</head>``."""
    css = font_face_css(html)
    if not css or "</head>" not in html:
        return html
    return html.replace("</head>", f"<style>{css}</style>\n</head>", 1)


# --------------------------------------------------------------------------- plan charts
def _plan_t(plan):
    from ecomanalysis.i18n import translator

    return translator(plan.lang)


def team_chart(plan):
    """Bars per role: people now, needed and at the peak (linear axis)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    _ = _plan_t(plan)
    t = plan.team[(plan.team[["now", "needed", "peak"]].sum(axis=1) > 0)]
    long = t.melt(id_vars="name", value_vars=["now", "needed", "peak"], var_name="which",
                  value_name="people")
    names = {"now": _("now"), "needed": _("needed"), "peak": _("peak day")}
    long["which"] = long["which"].map(names)
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(t) + 1.4))
    sns.barplot(long, y="name", x="people", hue="which", ax=ax)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # people: 0, 1, 2 ..., never 0.5
    ax.set_xlabel(_("People"))
    ax.set_ylabel("")
    ax.legend(title="", loc="lower right")
    return fig


def cs_chart(plan):
    """Chats and agents on seat per hour, one line per queue."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from ecomanalysis.render import QUEUES

    _ = _plan_t(plan)
    h = plan.cs_hourly.assign(queue=plan.cs_hourly["queue"].map(lambda q: _(QUEUES[q])))
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 5.5), sharex=True)
    sns.lineplot(h, x="hour", y="chats", hue="queue", marker="o", ax=ax1)
    ax1.set_ylabel(_("Chats per hour"))
    sns.lineplot(h, x="hour", y="agents", hue="queue", drawstyle="steps-post", ax=ax2)
    ax2.set_ylabel(_("Agents on seat"))
    ax2.set_xlabel(_("Hour"))
    ax2.set_xticks(range(0, 25, 2))
    from matplotlib.ticker import MaxNLocator

    ax2.yaxis.set_major_locator(MaxNLocator(integer=True))  # people: whole numbers from 0
    for ax in (ax1, ax2):
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1))
        ax.legend(title="")
    fig.tight_layout()
    return fig


def peak_chart(plan):
    """Forecast orders around the peak with the 80 % interval (linear axis)."""
    import matplotlib.pyplot as plt

    _ = _plan_t(plan)
    pk = plan.peak
    fc = pk.forecast.set_index("date").loc[pk.baseline_window[0]:pk.peak_window[1]]
    fig, ax = plt.subplots(figsize=(9, 3.2))
    ax.fill_between(fc.index, fc["lower"], fc["upper"], alpha=0.2, label=_("80 % interval"))
    ax.plot(fc.index, fc[pk.scenario], lw=1.2, label=_("forecast"))
    ax.axvline(pk.peak_date, color="C3", lw=1, ls="--")
    ax.set_ylabel(_("Orders per day"))
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, loc="upper left")
    fig.autofmt_xdate()
    return fig


def cost_chart(plan):
    """Monthly cost per role now and needed."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    _ = _plan_t(plan)
    from ecomanalysis.render import cost_table  # the report's cost table: the same rows

    c = cost_table(plan)[["name", "cost_now_cny_month", "cost_needed_cny_month"]]
    c = c[(c[["cost_now_cny_month", "cost_needed_cny_month"]].sum(axis=1) > 0)]
    long = c.melt(id_vars="name", var_name="which", value_name="cny")
    long["which"] = long["which"].map({"cost_now_cny_month": _("now"),
                                       "cost_needed_cny_month": _("needed")})
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(c) + 1.4))
    sns.barplot(long, y="name", x="cny", hue="which", ax=ax)
    ax.set_xlabel(_("Cost (CNY/month)"))
    ax.set_ylabel("")
    ax.legend(title="")
    return fig
