"""Charts of the numbered notebooks (01-07): one function per figure, each returns the figure.

The notebooks stay thin (a call and ``plt.show()``); the drawing lives here and is tested in
``tests/test_charts.py``. Labels come from :func:`ecomanalysis.plots.label` in ``lang``.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator, MultipleLocator, PercentFormatter

from ecomanalysis.plots import label


def _name_column(lang: str) -> str:
    """The table column holding names in ``lang`` (``name_zh`` / ``name_en``)."""
    return f"name_{lang}" if lang in ("zh", "en") else "name_en"


# --------------------------------------------------------------------------- 01 roles
def roles_per_group_chart(roles: pd.DataFrame, lang: str):
    """Horizontal bars: number of roles in each role group."""
    per_group = roles.groupby("group_name").size().sort_values()
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(per_group) + 1))
    per_group.plot.barh(ax=ax, color=sns.color_palette()[0])
    ax.set_xlabel(label("roles_count", lang))
    ax.set_ylabel(label("role_group", lang))
    ax.set_title(label("roles_count", lang) + " · " + label("role_group", lang))
    return fig


def duties_per_role_chart(duties: pd.DataFrame, roles: pd.DataFrame, lang: str):
    """Horizontal bars: number of duties the seeds list per role."""
    counts = duties.merge(roles[["role_id", "name"]], on="role_id").groupby("name").size()
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(counts) + 1))
    counts.sort_values().plot.barh(ax=ax, color=sns.color_palette()[1])
    ax.set_xlabel(label("duties", lang))
    ax.set_ylabel(label("role", lang))
    return fig


def departments_with_roles(departments: pd.DataFrame, dept_roles: pd.DataFrame) -> pd.DataFrame:
    """``departments`` with a ``roles`` column: distinct roles each department holds (0 if none)."""
    roles_per_dept = dept_roles.groupby("department_id").size().rename("roles")
    depts = departments.merge(roles_per_dept, left_on="department_id", right_index=True, how="left")
    depts["roles"] = depts["roles"].fillna(0).astype(int)
    return depts


def department_chart(departments: pd.DataFrame, dept_roles: pd.DataFrame, lang: str):
    """One panel per structure: headcount range bars and a dot for the number of roles."""
    depts = departments_with_roles(departments, dept_roles)
    structures = list(depts["structure_id"].unique())
    fig, axes = plt.subplots(
        len(structures), 1, figsize=(8, 1.2 + 0.45 * len(depts)), squeeze=False,
        gridspec_kw={"height_ratios": [max(1, (depts["structure_id"] == s).sum())
                                       for s in structures]},
    )
    for ax, structure in zip(axes[:, 0], structures, strict=True):
        d = depts[depts["structure_id"] == structure].reset_index(drop=True)
        y = range(len(d))
        lo = d["headcount_min"].astype(float)
        hi = d["headcount_max"].astype(float)
        ax.barh(y, (hi - lo).fillna(0), left=lo.fillna(0), color=sns.color_palette()[2],
                alpha=0.6, label=label("headcount", lang))
        ax.scatter(d["roles"], y, color="black", zorder=3, label=label("roles_count", lang))
        ax.set_yticks(list(y), d["name"])
        ax.set_title(structure)
        ax.legend(loc="lower right", fontsize=8)
    axes[-1, 0].set_xlabel(label("headcount", lang) + " / " + label("roles_count", lang))
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- 02 stages
def funnel_chart(funnel: pd.DataFrame, lang: str):
    """Implied order range per stage (bars) against the table's range (filled: stated)."""
    fig, ax = plt.subplots(figsize=(8, 4))
    x = funnel["stage_id"].to_numpy()
    lo, hi = funnel["implied_orders_min"], funnel["implied_orders_max"]
    ax.bar(x, (hi - lo).fillna(0), bottom=lo.fillna(0), width=0.5, alpha=0.35,
           color=sns.color_palette()[0], label="visitors x conversion")
    derived = funnel["orders_derived"].to_numpy(bool)
    for col, marker in (("orders_min", "v"), ("orders_max", "^")):
        ax.scatter(x[~derived], funnel[col][~derived], marker=marker, color="black", zorder=3,
                   label=f"{col} · {label('stated', lang)}")
        ax.scatter(x[derived], funnel[col][derived], marker=marker, facecolors="none",
                   edgecolors="black", zorder=3, label=f"{col} · {label('derived', lang)}")
    ax.set_xticks(x, funnel["name"], rotation=15)
    ax.set_ylabel(label("orders_per_day", lang))
    top = funnel[["implied_orders_max", "orders_max"]].max().max()
    ax.set_ylim(0, top * 1.15)
    ax.legend(fontsize=8, loc="upper left")
    return fig


def stage_team_chart(team: pd.DataFrame, lang: str):
    """Team size range (min-max band) at each stage."""
    color = sns.color_palette()[1]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.fill_between(team["stage_id"], team["headcount_min"], team["headcount_max"], alpha=0.3,
                    color=color, label=f"{label('min', lang)} – {label('max', lang)}")
    ax.plot(team["stage_id"], team["headcount_min"], marker="o", color=color)
    ax.plot(team["stage_id"], team["headcount_max"], marker="o", color=color)
    ax.set_xticks(team["stage_id"], team["name"], rotation=15)
    ax.set_ylabel(label("team_size", lang))
    ax.legend()
    return fig


def stage_role_grid(stage_roles: pd.DataFrame) -> pd.DataFrame:
    """Role x stage headcount: the maximum, or the minimum where the seed gives no maximum."""
    upper = stage_roles["headcount_max"].fillna(stage_roles["headcount_min"])
    return (stage_roles.assign(headcount_upper=upper)
            .pivot_table(index="role", columns="stage_id", values="headcount_upper",
                         aggfunc="sum").astype(float).fillna(0))


def stage_roles_heatmap(stage_roles: pd.DataFrame, lang: str):
    """Heatmap of :func:`stage_role_grid`."""
    grid = stage_role_grid(stage_roles)
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(grid) + 1.5))
    sns.heatmap(grid, annot=True, fmt=".0f", cmap="Blues", cbar=False, ax=ax)
    ax.set_xlabel(label("stage", lang))
    ax.set_ylabel(label("role", lang))
    ax.set_title(label("headcount", lang) + " (max; " + label("seed_max_or_min", lang) + ")")
    return fig


# --------------------------------------------------------------------------- 03 shop data
def daily_orders_chart(daily: pd.DataFrame, peaks: pd.DataFrame, events: dict, lang: str):
    """Orders per day with festivals (``events``: name -> (month, day)) and the top 3 peaks."""
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.plot(daily["date"], daily["orders"], lw=1)
    names = {"double11": label("double11", lang),
             "double12": label("double12", lang), "618": "618"}
    first, last = daily["date"].min(), daily["date"].max()
    for name, (month, day) in events.items():
        for year in range(first.year, last.year + 1):
            d = pd.Timestamp(year=year, month=month, day=day)
            if first <= d <= last:
                ax.axvline(d, color="grey", ls=":", lw=1)
                ax.text(d, ax.get_ylim()[1] * 0.97, names.get(name, name), rotation=90,
                        va="top", ha="right", fontsize=8, color="grey")
    for _, p in peaks.head(3).iterrows():
        if p["ratio_to_baseline"] == p["ratio_to_baseline"]:
            ax.annotate(f"{p['ratio_to_baseline']:.1f}x", (p["date"], p["orders"]), fontsize=8,
                        xytext=(4, 0), textcoords="offset points")
    ax.set_xlabel(label("date", lang))
    ax.set_ylabel(label("orders_per_day", lang))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    return fig


def hour_weekday_chart(hours: pd.DataFrame | None, weekdays: pd.DataFrame, lang: str):
    """Share of orders per hour (left; a note when dates only) and the weekday index (right)."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.5), gridspec_kw={"width_ratios": [3, 1.3]})
    if hours is not None:
        axes[0].bar(hours["hour"], 100 * hours["share"])
        axes[0].set_xticks(range(0, 24, 2))
    else:
        axes[0].text(0.5, 0.5, label("dates_only", lang),
                     ha="center", transform=axes[0].transAxes)
    axes[0].set_xlabel(label("hour", lang))
    axes[0].set_ylabel("%")
    axes[1].bar(weekdays[_name_column(lang)], weekdays["index"])
    axes[1].axhline(1, color="grey", lw=0.8)
    axes[1].set_xlabel(label("weekday", lang))
    axes[1].set_ylabel("x " + label("mean_day", lang))
    return fig


def hour_weekday_heatmap(grid: pd.DataFrame, weekdays: pd.DataFrame, lang: str):
    """Mean orders per hour (columns) of each weekday (rows, named in ``lang``)."""
    grid = grid.copy()
    grid.index = weekdays[_name_column(lang)].to_list()
    fig, ax = plt.subplots(figsize=(11, 3.2))
    sns.heatmap(grid, cmap="rocket_r", ax=ax,
                cbar_kws={"label": label("orders_per_hour", lang)})
    ax.set_xlabel(label("hour", lang))
    ax.set_ylabel("")
    return fig


def peak_day_arrivals_chart(on_peak: pd.DataFrame, typical: pd.Series, day: pd.Timestamp,
                            freq: str, lang: str):
    """Arrivals per interval on ``day`` next to the typical baseline day (steps)."""
    fig, ax = plt.subplots(figsize=(10, 3.5))
    ax.step(range(len(on_peak)), on_peak["arrivals"], where="post", label=day.strftime("%Y-%m-%d"))
    ax.step(range(len(typical)), typical.to_numpy(), where="post",
            label=label("baseline_day_d27", lang))
    step = max(1, len(typical) // 12)
    ax.set_xticks(range(0, len(typical), step),
                  [t.strftime("%H:%M") for t in typical.index[::step]])
    ax.set_ylabel(label("arrivals", lang) + f" / {freq}")
    ax.legend()
    return fig


def chats_per_day_chart(per_day: pd.DataFrame, lang: str):
    """Chat sessions per day, one line per channel."""
    fig, ax = plt.subplots(figsize=(10, 3.5))
    for ch, part in per_day.groupby("channel"):
        ax.plot(part["interval_start"].dt.tz_localize(None), part["arrivals"], lw=1, label=ch)
    ax.set_ylabel(label("sessions_per_day", lang))
    ax.legend()
    return fig


def real_shop_chart(real: pd.DataFrame, real_peaks: pd.DataFrame, lang: str):
    """Daily purchases of a real shop with its busiest days annotated (date, x baseline)."""
    fig, ax = plt.subplots(figsize=(10, 3.5))
    ax.plot(real["date"], real["purchases"], lw=0.8, color=sns.color_palette()[2])
    for _, p in real_peaks.iterrows():
        ax.annotate(f"{p['date']:%Y-%m-%d}\n{p['ratio_to_baseline']:.1f}x",
                    (p["date"], p["count"]), fontsize=7, xytext=(3, -2),
                    textcoords="offset points")
    ax.set_ylabel(label("purchases_per_day", lang))
    return fig


# --------------------------------------------------------------------------- 04 workload
_T04 = {
    "zh": {"team": "团队人数(模型)", "seed": "种子002阶段团队(最少-最多)",
           "share": "人工成本占销售额", "band": "行业经验 8-15%",
           "tornado": "标准取低值/高值时的团队人数", "low": "低值", "high": "高值"},
    "en": {"team": "team (model)", "seed": "seed 002 stage team (min-max)",
           "share": "labour cost / sales", "band": "rule of thumb 8-15 %",
           "tornado": "team size with each standard at its low / high", "low": "low",
           "high": "high"},
}


def fte_chart(req: pd.DataFrame, stages: pd.DataFrame, max_orders: float, lang: str):
    """FTE per role against orders per day, the seed's stage order ranges shaded."""
    fte = req.pivot_table(index="orders_per_day", columns="name", values="fte", aggfunc="sum")
    fte = fte.loc[:, fte.max() > 0].sort_values(fte.index[-1], axis=1, ascending=False)
    fig, ax = plt.subplots(figsize=(10, 5.5))
    colors = sns.color_palette("tab20", fte.shape[1])
    for (name, col), c in zip(fte.items(), colors, strict=True):
        ax.plot(fte.index, col, label=name, color=c)
    for _, s in stages[stages["in_seed"]].iterrows():
        if s["orders_min"] <= max_orders:
            ax.axvspan(s["orders_min"], min(s["orders_max"], max_orders), color="grey", alpha=0.12)
            ax.text(s["orders_min"], ax.get_ylim()[1] * 0.97,
                    f" {label('stage', lang)} {s['stage_id']}", va="top", fontsize=8)
    ax.set_xlabel(label("orders_per_day", lang))
    ax.set_ylabel(label("fte", lang))
    ax.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig


def team_vs_stages_chart(size: pd.DataFrame, stages: pd.DataFrame, playbook: pd.DataFrame,
                         max_orders: float, lang: str):
    """Model team size (steps) beside the seed's team per stage (``playbook`` rows unit=team)."""
    t = _T04[lang]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.step(size["orders_per_day"], size["headcount"], where="post", label=t["team"])
    team = stages.merge(playbook.query("unit == 'team'")[["stage_id", "seed_min", "seed_max"]],
                        on="stage_id")
    for _, s in team.iterrows():
        hi = s["seed_max"] if np.isfinite(s["seed_max"]) else s["seed_min"]
        ax.fill_between([s["orders_min"], max(s["orders_max"], s["orders_min"] + 5)],
                        s["seed_min"], hi, color="C1", alpha=0.35,
                        label=t["seed"] if s["stage_id"] == 1 else None)
        ax.text(s["orders_min"], hi + 0.3, f"{s['stage_id']}", color="C1", fontsize=9)
    ax.set_xlim(0, max_orders)
    ax.set_xlabel(label("orders_per_day", lang))
    ax.set_ylabel(label("team_size", lang))
    ax.legend()
    return fig


def labour_cost_chart(cost: pd.DataFrame, share_band: tuple[float, float], lang: str):
    """Cost per order (left) and labour share of sales (right) per city tier; the rule-of-thumb
    band ``share_band`` (low, high) shaded."""
    t = _T04[lang]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    for tier, part in cost.groupby("city_tier"):
        a1.plot(part["orders_per_day"], part["cost_per_order_cny"], label=tier)
        a2.plot(part["orders_per_day"], part["labour_share"], label=tier)
    a2.axhspan(share_band[0], share_band[1], color="grey", alpha=0.15, label=t["band"])
    a1.set_ylabel(label("cost_per_order_cny", lang))
    a1.set_ylim(bottom=0)
    a2.set_ylabel(t["share"])
    a2.yaxis.set_major_locator(MultipleLocator(0.05))
    a2.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    a2.set_ylim(bottom=0)
    for a in (a1, a2):
        a.set_xlabel(label("orders_per_day", lang))
        a.legend(fontsize=8)
    return fig


def tornado_chart(sens: pd.DataFrame, focus_orders: float, lang: str):
    """Team size with each standard at its low / high end (rows in the order given, bottom up)."""
    t = _T04[lang]
    fig, ax = plt.subplots(figsize=(9, 5))
    y = np.arange(len(sens))
    base = sens["headcount_base"].iloc[0]
    ax.barh(y, sens["headcount_low"] - base, left=base, color="C0", label=t["low"])
    ax.barh(y, sens["headcount_high"] - base, left=base, color="C3", alpha=0.8, label=t["high"])
    ax.axvline(base, color="black", lw=1)
    ax.set_yticks(y, sens["standard_id"], fontsize=8)
    ax.set_xlabel(label("team_size", lang))
    ax.set_title(f"{t['tornado']} · {label('orders_per_day', lang)}: {focus_orders}", fontsize=10)
    ax.legend(fontsize=8)
    return fig


# --------------------------------------------------------------------------- 05 customer service
_T05 = {
    "zh": {
        "time": "时段", "chats": "咨询量(每时段)", "agents": "所需客服(在线)", "sl": "服务水平",
        "target": "目标", "heat": "不同在线人数下各时段的服务水平", "need": "所需人数",
        "flat": "全天按平均需求排班", "peakstaff": "全天按 21:00 需求排班",
        "chain": "会话模型(生灭链)", "naive_full": "简便算法: 满并发处理时长 / 并发数",
        "naive_single": "简便算法: 单会话处理时长 / 并发数", "n_agents": "在线客服人数",
        "peak": "高峰时段", "diff": "简便算法与会话模型的人数差", "erlang_c": "Erlang C(不放弃)",
        "erlang_a": "Erlang A(平均耐心 {p:g} 秒)", "abandon": "放弃率", "model": "模型",
        "agents_col": "所需在线人数", "sl_chain": "会话模型下的实际服务水平",
        "presale": "售前", "aftersale": "售后",
    },
    "en": {
        "time": "interval", "chats": "chats per interval", "agents": "agents needed (on line)",
        "sl": "service level", "target": "target", "heat": "service level by interval and agents",
        "need": "agents needed", "flat": "flat staffing at the average need",
        "peakstaff": "flat staffing at the 21:00 need", "chain": "chat model (birth-death chain)",
        "naive_full": "shortcut: AHT at full concurrency / concurrency",
        "naive_single": "shortcut: single-chat AHT / concurrency", "n_agents": "agents on line",
        "peak": "peak interval", "diff": "shortcut minus chat model, agents",
        "erlang_c": "Erlang C (nobody leaves)", "erlang_a": "Erlang A (mean patience {p:g} s)",
        "abandon": "abandonment", "model": "model", "agents_col": "agents needed",
        "sl_chain": "service level the chat model gives",
        "presale": "pre-sale", "aftersale": "after-sale",
    },
}


def cs_texts(lang: str) -> dict[str, str]:
    """Labels of notebook 05 (customer-service load) in ``lang``."""
    return dict(_T05[lang])


def _interval_ticks(ax, labels: list[str]) -> None:
    step = max(1, len(labels) // 12)
    ax.set_xticks(np.arange(0, len(labels), step), labels[::step])


def chats_and_agents_chart(day: pd.DataFrame, labels: list[str], peak: int, lang: str):
    """Chats per interval (bars) and agents needed (steps, right axis), the peak marked."""
    t = _T05[lang]
    x = np.arange(len(day))
    fig, ax = plt.subplots(figsize=(11, 4.5))
    ax.bar(x, day["chats"], color=sns.color_palette()[0], alpha=0.45, label=t["chats"])
    ax.set_ylabel(t["chats"])
    ax2 = ax.twinx()
    ax2.step(x, day["agents"], where="mid", color="C3", lw=2, label=t["agents"])
    ax2.set_ylabel(t["agents"])
    ax2.set_ylim(0, day["agents"].max() * 1.25)
    ax.axvline(peak, color="grey", ls=":")
    ax.text(peak, ax.get_ylim()[1] * 0.98, f" {t['peak']} {labels[peak]}", va="top", fontsize=9)
    _interval_ticks(ax, labels)
    ax.set_xlabel(t["time"])
    fig.legend(loc="upper left", bbox_to_anchor=(0.08, 0.86))
    return fig


def service_level_heatmap(heat: pd.DataFrame, agents_needed: np.ndarray, lang: str):
    """Service level per agents on line (rows, index) and interval (columns); the agents needed
    drawn as white steps along the lower edge of the first cell that meets the target."""
    t = _T05[lang]
    max_n = int(heat.index.max())
    fig, ax = plt.subplots(figsize=(11, 4.8))
    sns.heatmap(heat.iloc[::-1], cmap="RdYlGn", vmin=0, vmax=1, ax=ax,
                cbar_kws={"label": t["sl"], "format": PercentFormatter(1.0)})
    ax.step(np.arange(heat.shape[1]) + 0.5, max_n - np.asarray(agents_needed) + 1.0, where="mid",
            color="white", lw=2, label=t["need"])
    ax.set_xlabel(t["time"])
    ax.set_ylabel(t["n_agents"])
    ax.set_title(t["heat"])
    ax.legend(loc="upper left")
    return fig


def service_level_day_chart(curves: dict[str, np.ndarray], labels: list[str], sl_target: float,
                            lang: str):
    """Service level through the day, one line per named staffing (``curves``), the target."""
    t = _T05[lang]
    fig, ax = plt.subplots(figsize=(11, 3.8))
    for name, sl in curves.items():
        ax.plot(labels, sl, marker=".", label=name)
    ax.axhline(sl_target, color="grey", ls="--", label=t["target"])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    _interval_ticks(ax, labels)
    ax.set_xlabel(t["time"])
    ax.set_ylabel(t["sl"])
    ax.legend()
    return fig


def shortcut_chart(traffic: float, agents: np.ndarray, aht_s: float, naive_aht_s: dict,
                   target: dict, chat: dict, title: str, lang: str):
    """Service level at one interval against agents: the chat model (solid) and Erlang C with
    each shortcut handle time of ``naive_aht_s`` (dashed)."""
    from ecomanalysis import queueing

    t = _T05[lang]
    within = target["answer_within_s"]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    m = queueing.queue_metrics(traffic, agents, aht_s, within, **chat)
    ax.plot(agents, m.service_level, marker="o", lw=2.5, label=t["chain"])
    for name, aht_eff in naive_aht_s.items():
        ax.plot(agents, queueing.service_level(traffic * aht_eff / aht_s, agents, aht_eff, within),
                marker=".", ls="--", label=f"{name} ({aht_eff:g} s)")
    ax.axhline(target["sl_target"], color="grey", ls=":", label=t["target"])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(t["n_agents"])
    ax.set_ylabel(t["sl"])
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig


def shortcut_gap_chart(gaps: dict[str, np.ndarray], labels: list[str], lang: str):
    """Shortcut minus chat-model agents per interval, one step line per shortcut."""
    t = _T05[lang]
    fig, ax = plt.subplots(figsize=(11, 3.8))
    for name, d in gaps.items():
        ax.step(labels, d, where="mid", label=name)
    ax.axhline(0, color="grey", lw=1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _interval_ticks(ax, labels)
    ax.set_xlabel(t["time"])
    ax.set_ylabel(t["diff"])
    ax.legend()
    return fig


def erlang_a_chart(traffic: float, aht_s: float, patiences: list[float], target: dict,
                   title: str, lang: str):
    """Erlang C against Erlang A at several mean patiences: service level (left) and
    abandonment (right) against agents, around ``traffic`` Erlangs."""
    from ecomanalysis import queueing

    t = _T05[lang]
    within = target["answer_within_s"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.3))
    n_c = np.arange(max(1, int(traffic) - 2), int(traffic * 1.4) + 6)
    c = queueing.queue_metrics(traffic, n_c, aht_s, within)
    ax1.plot(n_c, c.service_level, lw=2.5, color="k", label=t["erlang_c"])
    for p in patiences:
        a = queueing.erlang_a(traffic, n_c, aht_s, p, within)
        ax1.plot(n_c, a.service_level, marker=".", label=t["erlang_a"].format(p=p))
        ax2.plot(n_c, a.abandon_probability, marker=".", label=t["erlang_a"].format(p=p))
    ax1.axhline(target["sl_target"], color="grey", ls=":", label=t["target"])
    for ax_, name in ((ax1, t["sl"]), (ax2, t["abandon"])):
        ax_.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax_.set_xlabel(t["n_agents"])
        ax_.set_ylabel(name)
    ax1.legend(fontsize=8)
    fig.suptitle(title)
    return fig


def cs_queues_chart(cs: pd.DataFrame, labels: list[str], title: str, lang: str):
    """Chats per interval stacked by queue (incl. deferred, top) and agents per queue (bottom)."""
    t = _T05[lang]
    x = np.arange(len(labels))
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True)
    bottom = np.zeros(len(labels))
    for i, (kind, part) in enumerate(cs.groupby("queue", sort=False)):
        v = part["volume"].to_numpy() + part["deferred"].to_numpy()
        ax1.bar(x, v, bottom=bottom, color=f"C{i}", alpha=0.6, label=t[kind])
        bottom += v
        ax2.step(x, part["agents"], where="mid", color=f"C{i}", lw=2, label=t[kind])
    ax1.set_ylabel(t["chats"])
    ax2.set_ylabel(t["agents"])
    ax2.yaxis.set_major_locator(MaxNLocator(integer=True))
    _interval_ticks(ax2, labels)
    ax2.set_xlabel(t["time"])
    ax1.legend()
    ax2.legend()
    fig.suptitle(title)
    return fig


def cs_heads_chart(by_hour: pd.DataFrame, lang: str):
    """Heads to schedule per hour (agents plus shrinkage), stacked pre-sale / after-sale."""
    t = _T05[lang]
    heads = by_hour.pivot_table(index="hour", columns="queue", values="staffed", aggfunc="sum")
    heads = heads[[q for q in ("presale", "aftersale") if q in heads]]
    colors = ["C0" if q == "presale" else "C1" for q in heads.columns]
    fig, ax = plt.subplots(figsize=(11, 3.8))
    heads.rename(columns={q: t[q] for q in heads.columns}).plot.bar(
        stacked=True, ax=ax, color=colors, alpha=0.8)
    ax.legend(title=None)
    ax.set_xlabel(t["time"])
    ax.set_ylabel(t["n_agents"])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def cs_rule_chart(rule: pd.DataFrame, stages: pd.DataFrame, lang: str):
    """Model customer-service headcount against orders, the 50-80 chats per agent-day rule of
    thumb (band) and the seed's 1-3 people; the seed's stage order ranges shaded."""
    t = _T05[lang]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    ax.step(rule["orders_per_day"], rule["model_headcount"], where="post", lw=2, label=t["model"])
    ax.fill_between(rule["orders_per_day"], rule["rule_low"], rule["rule_high"], alpha=0.25,
                    color="C2", label="50-80 / agent-day")
    ax.axhspan(rule["seed_min"].iloc[0], rule["seed_max"].iloc[0], color="C1", alpha=0.25,
               label="seed 002: 1-3")
    for _, s in stages[stages["in_seed"]].iterrows():
        ax.axvspan(s["orders_min"], s["orders_max"], color="grey", alpha=0.08)
        ax.text(s["orders_min"], ax.get_ylim()[1] * 0.95, f" {s['stage_id']}", fontsize=9)
    ax.set_xlim(0, rule["orders_per_day"].max())
    ax.set_xlabel(label("orders_per_day", lang))
    ax.set_ylabel(label("headcount", lang))
    ax.legend()
    return fig


# --------------------------------------------------------------------------- 06 peak planning
_T06 = {
    "zh": {"history": "历史订单", "forecast": "预测(中位数)", "interval": "80% 预测区间",
           "presale": "预售期", "core": "活动日", "baseline": "基准期(正常日)",
           "window": "高峰窗口", "current": "现有团队", "permanent": "正式团队(规划)",
           "peak": "高峰需求", "temps": "临时工", "recruit": "招聘", "ramp": "培训上手",
           "needed": "需要临时工", "today": "规划日", "range": "招聘开始日范围",
           "sl_perm": "仅正式团队", "sl_temps": "正式团队 + 临时工", "target": "目标",
           "cost_temps": "全部用临时工", "cost_ot": "先加班, 其余临时工", "cny": "成本 (元)",
           "required": "模型需要的人数", "dotted": "虚线: 正式团队", "overtime": "加班"},
    "en": {"history": "history", "forecast": "forecast (median)", "interval": "80 % interval",
           "presale": "pre-sale", "core": "event day(s)", "baseline": "baseline (normal days)",
           "window": "peak window", "current": "current team", "permanent": "permanent team",
           "peak": "peak need", "temps": "temps", "recruit": "recruit", "ramp": "ramp-up",
           "needed": "temps needed", "today": "plan date", "range": "hire-by range",
           "sl_perm": "permanent team only", "sl_temps": "permanent + temps", "target": "target",
           "cost_temps": "temps only", "cost_ot": "overtime first, then temps",
           "cny": "cost (CNY)", "required": "people the model asks",
           "dotted": "dotted: permanent team", "overtime": "overtime"},
}


def _event_day_spans(ax, f: pd.DataFrame, event_id: str, t: dict) -> None:
    """Shade each day of the planned event (core days and its pre-sale), one span a day."""
    is_pre = f["event"].str.contains("_presale", regex=False)
    kinds = (("core", (f["event"] == event_id).to_numpy(), "C3", 0.3),
             ("presale", (is_pre & f["event"].str.startswith(event_id)).to_numpy(), "C1", 0.12))
    for key, on, color, alpha in kinds:
        for i, d in enumerate(f.index[on]):
            ax.axvspan(d - pd.Timedelta(hours=12), d + pd.Timedelta(hours=12), color=color,
                       alpha=alpha, lw=0, label=t[key] if i == 0 else None)


def peak_forecast_chart(plan, lang: str):
    """History and forecast up to the end of the peak window (left), the plan's days on a log
    axis with the baseline window (right); the planned event's days shaded."""
    t = _T06[lang]
    fc = plan.forecast.set_index("date")
    hist = plan.history
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), gridspec_kw={"width_ratios": [1.6, 1]})
    for ax, start in ((axes[0], hist.index[0]), (axes[1], plan.baseline_window[0])):
        h = hist.loc[start:]
        f = fc.loc[start:plan.peak_window[1]]
        if len(h):
            ax.plot(h.index, h.to_numpy(), lw=0.8, color="C7", label=t["history"])
        ax.fill_between(f.index, f["lower"], f["upper"], color="C0", alpha=0.2,
                        label=t["interval"])
        ax.plot(f.index, f["forecast"], lw=1, color="C0", label=t["forecast"])
        _event_day_spans(ax, f, plan.event_id, t)
        ax.set_ylabel(label("orders_per_day", lang))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d" if ax is axes[1] else "%Y-%m"))
    axes[1].axvspan(*plan.baseline_window, color="C2", alpha=0.08, lw=0, label=t["baseline"])
    axes[1].set_yscale("log")
    axes[0].legend(fontsize=8, loc="upper left")
    axes[1].legend(fontsize=7, loc="upper left")
    axes[1].set_title(f"{plan.event_name} {plan.year}", fontsize=10)
    fig.autofmt_xdate()
    return fig


def peak_team_chart(temps: pd.DataFrame, lang: str):
    """Per unit: peak need (wide bar), permanent team (narrow bar), current team (tick) and the
    temps with their first day (text). ``temps`` is ``PeakPlan.temps``."""
    t = _T06[lang]
    d = temps[(temps["peak_required"] > 0) | (temps["permanent"] > 0)].sort_values("peak_required")
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(d) + 1.2))
    y = np.arange(len(d))
    ax.barh(y, d["peak_required"], color="C3", alpha=0.35, label=t["peak"])
    ax.barh(y, d["permanent"], color="C0", height=0.5, label=t["permanent"])
    ax.scatter(d["current_team"], y, color="black", marker="|", s=200, zorder=3,
               label=t["current"])
    for yi, (_, r) in zip(y, d.iterrows(), strict=True):
        if r["temps"] > 0:
            ax.text(r["peak_required"], yi,
                    f"  +{r['temps']} {t['temps']} ({r['peak_day']:%m-%d})", va="center",
                    fontsize=8)
    ax.set_yticks(y, d["name"], fontsize=8)
    ax.set_xlabel(label("headcount", lang))
    ax.legend(fontsize=8, loc="lower right")
    return fig


def peak_units_chart(plan, lang: str):
    """People the model asks per unit and day of the peak window; dotted: the permanent team."""
    t = _T06[lang]
    names = plan.temps.set_index("unit")["name"]
    fig, ax = plt.subplots(figsize=(10, 3.8))
    for i, (unit, u) in enumerate(plan.units.groupby("unit", sort=False)):
        ax.step(u["date"], u["required"], where="mid", color=f"C{i}", lw=1.2, label=names[unit])
        ax.axhline(u["permanent"].iloc[0], color=f"C{i}", ls=":", lw=1)
    ax.set_ylabel(t["required"])
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
    ax.set_title(f"{t['window']} ({t['dotted']})", fontsize=10)
    ax.legend(fontsize=8)
    return fig


def hiring_timeline_chart(hb: pd.DataFrame, today: pd.Timestamp, lang: str):
    """Gantt of the hire-by table: recruit, ramp up, needed; the hire-by range as a thin line;
    ``today`` (the plan date) dashed when in view."""
    t = _T06[lang]
    fig, ax = plt.subplots(figsize=(10, 0.7 * len(hb) + 1.4))
    for i, (_, r) in enumerate(hb.iterrows()):
        first = i == 0
        ax.barh(i, r["start_by"] - r["hire_by"], left=r["hire_by"], color="C1",
                label=t["recruit"] if first else None)
        ax.barh(i, r["first_day"] - r["start_by"], left=r["start_by"], color="C2",
                label=t["ramp"] if first else None)
        ax.barh(i, r["last_day"] - r["first_day"] + pd.Timedelta(days=1), left=r["first_day"],
                color="C3", label=t["needed"] if first else None)
        ax.plot([r["hire_by_earliest"], r["hire_by_latest"]], [i + 0.38, i + 0.38], color="k",
                lw=1.5, label=t["range"] if first else None)
        ax.text(r["hire_by"], i, f"{r['hire_by']:%m-%d}  ", ha="right", va="center", fontsize=8)
    ax.set_yticks(range(len(hb)), [f"{n} (+{k})" for n, k in zip(hb["name"], hb["temps"],
                                                                   strict=True)], fontsize=8)
    lo = hb["hire_by_earliest"].min() - pd.Timedelta(days=10)
    hi = hb["last_day"].max() + pd.Timedelta(days=5)
    if lo <= today <= hi:
        ax.axvline(today, color="grey", ls="--", lw=1, label=t["today"])
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
    ax.legend(fontsize=7, loc="upper left", ncol=4)
    ax.set_ylim(len(hb) - 0.4, -0.9)
    return fig


def overtime_vs_temps_chart(ot: pd.DataFrame, lang: str):
    """Per unit: cost of temps only against overtime first then temps (stacked)."""
    t = _T06[lang]
    fig, ax = plt.subplots(figsize=(8, 3.2))
    x = np.arange(len(ot))
    ax.bar(x - 0.2, ot["cost_temps_only_cny"], 0.4, color="C3", alpha=0.7, label=t["cost_temps"])
    ax.bar(x + 0.2, ot["cost_temps_with_overtime_cny"], 0.4, color="C3", alpha=0.4,
           label=f"{t['cost_ot']}: {t['temps']}")
    ax.bar(x + 0.2, ot["cost_overtime_cny"], 0.4, bottom=ot["cost_temps_with_overtime_cny"],
           color="C0", label=f"{t['cost_ot']}: {t['overtime']}")
    ax.set_xticks(x, ot["name"], fontsize=8)
    ax.set_ylabel(t["cny"])
    ax.legend(fontsize=8)
    return fig


def peak_service_chart(s: pd.DataFrame, lang: str):
    """One panel per queue on its busiest day: service level per interval with the permanent
    team and with temps, the target, and the chats arriving (grey bars)."""
    t = _T06[lang]
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharey=True)
    for ax, (q, d) in zip(axes, s.groupby("queue", sort=False), strict=False):
        ax.step(d["start_h"], d["sl_permanent"], where="post", color="C3", label=t["sl_perm"])
        ax.step(d["start_h"], d["sl_with_temps"], where="post", color="C2", label=t["sl_temps"])
        ax.axhline(d["sl_target"].iloc[0], color="k", ls=":", lw=1, label=t["target"])
        ax2 = ax.twinx()
        ax2.bar(d["start_h"], d["volume"], width=0.45, align="edge", color="C7", alpha=0.25)
        ax2.grid(False)
        ax2.set_yticks([])
        ax.set_title(f"{q} · {d['date'].iloc[0]:%Y-%m-%d}", fontsize=10)
        ax.set_xlabel(label("hour", lang))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes[0].set_ylabel(label("service_level", lang))
    axes[0].legend(fontsize=8, loc="center left")
    return fig


# --------------------------------------------------------------------------- 07 shift planning
def roster_coverage_chart(roster, sl: pd.DataFrame, sl_target: float, lang: str):
    """Agents required against scheduled through the roster's week (top) and the service level
    per interval, computed and simulated (bottom), the target dashed; day boundaries drawn."""
    from ecomanalysis.roster.tables import text

    t = text(lang)
    cov = roster.coverage
    x = np.arange(len(cov)) * roster.problem.interval_min / 60
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(12, 5), sharex=True,
                                  gridspec_kw={"height_ratios": [2, 1]})
    ax.step(x, cov["required"], where="post", color="C3", label=t["required"])
    ax.step(x, cov["scheduled"], where="post", color="C0", label=t["scheduled"])
    ax.set_ylabel(label("agents", lang))
    ax.legend(fontsize=8, loc="upper left")
    ax2.plot(x, sl["service_level"], ".", ms=3, color="C2")
    ax2.plot(x, sl["sl_simulated"], "x", ms=3, color="C4")
    ax2.axhline(sl_target, color="C7", ls="--", lw=0.8)
    ax2.set_ylim(0, 1.05)
    ax2.set_ylabel(label("service_level", lang))
    ticks = np.arange(0, len(roster.problem.days)) * 24
    ax2.set_xticks(ticks + 12)
    ax2.set_xticklabels(roster.problem.days)
    for a in (ax, ax2):
        for d in ticks:
            a.axvline(d, color="C7", lw=0.4)
    return fig


def hours_per_person_chart(people: pd.DataFrame, lang: str):
    """Paid hours per person, the overtime part stacked on top (``Roster.people()``)."""
    from ecomanalysis.roster.tables import text

    t = text(lang)
    normal = people["paid_h"] - people["overtime_h"]
    fig, ax = plt.subplots(figsize=(8, 2.8))
    ax.bar(people["person"], normal, color="C0", label=t["paid_h"])
    ax.bar(people["person"], people["overtime_h"], bottom=normal, color="C1",
           label=t["overtime_h"])
    ax.set_ylabel(t["paid_h"])
    ax.legend(fontsize=8)
    return fig


def requirement_heatmap(req: pd.DataFrame, lang: str):
    """Agents required per day (rows) and interval (columns) of an event week."""
    from ecomanalysis.roster.tables import text

    fig, ax = plt.subplots(figsize=(12, 3))
    im = ax.imshow(req.to_numpy(), aspect="auto", cmap="Reds")
    ax.set_yticks(range(len(req)), req.index)
    step = max(1, len(req.columns) // 12)
    ax.set_xticks(range(0, len(req.columns), step), req.columns[::step])
    fig.colorbar(im, ax=ax, label=text(lang)["required"])
    return fig
