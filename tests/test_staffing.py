"""Staffing: the checks of issue 5, hire triggers, stages, the playbook, cost, sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import catalog, staffing, workload
from ecomanalysis.errors import InputError
from ecomanalysis.shop import load_sample_shop, load_shop


@pytest.fixture(scope="module")
def std():
    return staffing.standards()


@pytest.fixture(scope="module")
def grid(std):
    req = staffing.requirements(np.arange(0, 1001), std=std)
    return req.pivot_table(index="orders_per_day", columns="role_id", values="headcount")


# --------------------------------------------------------------------------- the checks
def test_warehouse_needs_more_than_one_at_250(std):
    """Seed 002: at 200-300 orders a day one warehouse keeper is certainly not enough."""
    req = staffing.requirements(250, std=std).set_index("role_id")
    assert req.at["warehouse_keeper", "headcount"] > 1
    assert req.at["warehouse_keeper", "fte"] > 1


def test_headcount_never_falls_as_orders_rise(grid):
    falls = (grid.diff().iloc[1:] < 0).sum()
    assert falls.sum() == 0, falls[falls > 0].to_dict()
    assert grid.loc[1000].sum() > grid.loc[100].sum() > grid.loc[0].sum()


def test_at_zero_orders_only_fixed_roles_remain(grid):
    rm = workload.load_role_models().set_index("role_id")
    at0 = grid.loc[0]
    present = set(at0.index[at0 > 0])
    assert present == {"owner"}
    assert (rm.loc[list(present), "model"] == "fixed").all()


def test_requirements_columns_and_scalar_vs_array(std):
    one = staffing.requirements(250, std=std)
    assert list(one.columns[:5]) == staffing.REQUIREMENT_COLUMNS
    many = staffing.requirements([10, 250, 600], std=std)
    assert many["orders_per_day"].nunique() == 3
    pd.testing.assert_frame_equal(
        many[many["orders_per_day"] == 250].reset_index(drop=True), one.reset_index(drop=True))
    assert (one["headcount"] >= 0).all() and one["headcount"].dtype.kind == "i"
    named = staffing.requirements(250, std=std, lang="zh")
    assert named.set_index("role_id").at["warehouse_keeper", "name"] == "库管"


def test_override_changes_only_what_depends_on_it(std):
    levels = [40, 250, 800]
    base = staffing.requirements(levels, std=std).set_index(["orders_per_day", "role_id"])
    cols = ["hours_per_day", "fte", "headcount"]
    rm = workload.load_role_models()
    team_roles = set(rm.loc[rm["model"] == "span", "role_id"])  # depend on everyone's headcount
    checked = 0
    for sid, r in std.table.iterrows():
        if r["category"] in ("cross_check", "wage"):
            continue
        value = r["high"] if r["high"] != r["value"] else r["low"]
        if value == r["value"]:
            continue
        req = staffing.requirements(levels, std=std.with_overrides(**{sid: value})).set_index(
            ["orders_per_day", "role_id"])
        diff = ~np.isclose(req[cols].to_numpy(), base[cols].to_numpy())
        changed = set(req.index[diff.any(axis=1)].get_level_values("role_id"))
        allowed = set(catalog.split_list(r["role_ids"])) | team_roles
        # the owner's relief (owner_max_cover_fte): a role whose own work did not change may
        # gain or lose a person staffed below its threshold because another role's work on the
        # owner changed
        work_diff = ~np.isclose(req[cols[:2]].to_numpy(), base[cols[:2]].to_numpy())
        relieved = {role for (lv, role), d in zip(req.index, work_diff.any(axis=1), strict=True)
                    if not d and role not in allowed
                    and min(req.at[(lv, role), "fte"], base.at[(lv, role), "fte"])
                    < workload.min_dedicated_fte(std, role)}
        assert changed <= allowed | relieved, f"{sid} changed {sorted(changed - allowed - relieved)}"
        checked += 1
    assert checked > 40
    # and a standard that matters does change something
    req = staffing.requirements(levels, std=std.with_overrides(packing_orders_per_hour=25)).set_index(
        ["orders_per_day", "role_id"])
    assert req.loc[(800, "warehouse_keeper"), "fte"] > base.loc[(800, "warehouse_keeper"), "fte"]


def test_wages_change_cost_not_headcount(std):
    base = staffing.labour_cost([250], std=std, by_role=True).set_index("role_id")
    key = "wage_supply_chain_tier2_cny_month"
    moved = staffing.labour_cost([250], std=std.with_overrides(**{key: 6000}), by_role=True).set_index("role_id")
    assert (moved["headcount"] == base["headcount"]).all()
    changed = set(moved.index[~np.isclose(moved["cost_cny_month"], base["cost_cny_month"])])
    assert changed == {"warehouse_keeper"} | ({"purchaser"} if base.at["purchaser", "headcount"] else set())


# --------------------------------------------------------------------------- hire triggers
def test_hire_triggers_match_requirements(std, grid):
    trig = staffing.hire_triggers(1000, std=std)
    assert list(trig.columns) == ["role_id", "headcount", "orders_per_day"]
    for row in trig.itertuples():
        assert grid.at[row.orders_per_day, row.role_id] >= row.headcount
        if row.orders_per_day > 0:
            assert grid.at[row.orders_per_day - 1, row.role_id] < row.headcount
    owner = trig[trig["role_id"] == "owner"]
    assert owner["orders_per_day"].tolist() == [0]
    wk = trig[trig["role_id"] == "warehouse_keeper"].set_index("headcount")["orders_per_day"]
    assert wk.is_monotonic_increasing and wk[2] < 250
    assert (trig["orders_per_day"] <= 1000).all()


def test_hire_triggers_coarse_grid_refines_exactly(std):
    exact = staffing.hire_triggers(300, std=std)
    coarse = staffing.hire_triggers(300, std=std, max_levels=16)
    pd.testing.assert_frame_equal(exact, coarse)


def test_hire_triggers_rejects_bad_input(std):
    with pytest.raises(InputError, match=">= 0"):
        staffing.hire_triggers(-5, std=std)


def test_next_hires(std):
    nxt = staffing.next_hires(150, std=std)
    assert (nxt["orders_per_day"] > 150).all()
    assert nxt["role_id"].is_unique


# --------------------------------------------------------------------------- stages
@pytest.mark.parametrize(("orders", "days", "stage", "between"), [
    (0, 5, 1, False), (30, 60, 2, False), (30, None, 2, False), (100, None, 3, False),
    (170, None, 3, True), (250, None, 4, False), (400, None, 4, True), (650, None, 5, False),
])
def test_stage_of(orders, days, stage, between):
    info = staffing.stage_of(orders_per_day=orders, days_since_launch=days, lang="en")
    assert (info.stage_id, info.between) == (stage, between)


STAGE3_SHOP = """\
name: growing
days_since_launch: 240
daily_visitors: 6000
conversion: 0.04
team: {owner: 1, customer_service_specialist: 2, warehouse_keeper: 1, promotion_specialist: 1}
"""


def test_stage_of_names_next_roles(tmp_path):
    path = tmp_path / "shop.yaml"
    path.write_text(STAGE3_SHOP, encoding="utf-8")
    shop = load_shop(path)
    info = staffing.stage_of(shop, lang="en")
    assert info.stage_id == 4 and info.next_stage_id == 5 and info.next_stage_orders == 500
    add = info.roles_to_add.set_index("role_id")
    # seed 002 stage 4: store manager, split pre-/after-sale, a second warehouse keeper
    assert {"store_manager", "presale_cs", "aftersale_cs", "warehouse_keeper"} <= set(add.index)
    assert add.at["warehouse_keeper", "to_add"] == 1
    gap = staffing.team_gap(shop, lang="en").set_index("unit")
    assert gap.at["aftersale_cs;presale_cs", "current"] == 2
    assert gap.at["warehouse_keeper", "current"] == 1
    assert gap.at["warehouse_keeper", "required"] >= 2
    assert gap.at["store_manager", "gap"] == 1
    with pytest.raises(InputError):
        staffing.stage_of(orders_per_day=-1)


def test_sample_shop_stage_and_measured_rates():
    shop = load_sample_shop()
    std = staffing.standards(shop)
    assert set(std.measured) >= {"presale_inquiry_rate"}
    assert "own files" in std.shape_source
    info = staffing.stage_of(shop)
    assert info.stage_id in (4, 5)
    explicit = staffing.standards(shop, presale_inquiry_rate=0.05)
    assert explicit["presale_inquiry_rate"] == 0.05  # an explicit value beats the measurement


def test_compare_with_playbook(std):
    cmp = staffing.compare_with_playbook(std=std, lang="en")
    assert set(cmp["stage_id"]) == {1, 2, 3, 4, 5}
    assert set(cmp["gap"]) <= {"agrees", "model_more", "model_less", "not_in_seed", "not_in_model"}
    team = cmp[cmp["unit"] == "team"].set_index("stage_id")
    assert len(team) == 5 and (team["model_max"] >= team["model_min"]).all()
    s4 = cmp[cmp["stage_id"] == 4].set_index("unit")
    assert s4.at["warehouse_keeper", "seed_min"] == 2
    assert s4.at["warehouse_keeper", "model_min"] >= 2
    # stage 1: the owner alone, as the seed says
    s1 = cmp[(cmp["stage_id"] == 1) & (cmp["unit"] == "owner")].iloc[0]
    assert s1["gap"] == "agrees"
    # stage 2-3's generalist customer service compares with pre- and after-sale together
    s3 = cmp[cmp["stage_id"] == 3]
    assert "aftersale_cs;presale_cs" in set(s3["unit"])
    assert cmp["gap_note"].str.len().gt(0).all()


# --------------------------------------------------------------------------- cost
def test_labour_cost(std):
    cost = staffing.labour_cost([0, 250], std=std).set_index("orders_per_day")
    by_role = staffing.labour_cost([250], std=std, by_role=True).set_index("role_id")
    wk = by_role.loc["warehouse_keeper"]
    assert wk["cost_cny_month_per_person"] == pytest.approx(4500 * 1.3)
    assert by_role.at["owner", "cost_cny_month"] == 0
    total = by_role["cost_cny_month"].sum()
    assert cost.at[250, "cost_cny_month"] == pytest.approx(total)
    assert cost.at[250, "cost_per_order_cny"] == pytest.approx(total / (250 * 30))
    assert cost.at[250, "labour_share"] == pytest.approx(total / (250 * 30 * 100))
    assert np.isnan(cost.at[0, "cost_per_order_cny"])
    tiers = staffing.labour_cost_by_tier([250]).set_index("city_tier")["cost_cny_month"]
    assert tiers["tier1"] > tiers["tier2"] > tiers["tier3"]
    sup = staffing.labour_cost([800], std=std, by_role=True).set_index("role_id")
    assert sup.at["cs_supervisor", "cost_cny_month_per_person"] == pytest.approx(4000 * 1.3 * 1.3)


# --------------------------------------------------------------------------- sensitivity
def test_sensitivity(std):
    sens = staffing.sensitivity(250, std=std)
    assert sens["swing"].is_monotonic_decreasing
    ids = set(sens["standard_id"])
    assert "presale_inquiry_rate" in ids and "inquiries_per_agent_day" not in ids
    assert not any(i.startswith("return_rate_") and i != "return_rate_general" for i in ids)
    row = sens.set_index("standard_id").loc["presale_inquiry_rate"]
    assert row["headcount_high"] > row["headcount_base"] > row["headcount_low"]
    wage = sens.set_index("standard_id").loc["wage_customer_service_tier2_cny_month"]
    assert wage["swing"] == 0 and wage["cost_high"] > wage["cost_low"]
    role = staffing.sensitivity(250, std=std, role_id="warehouse_keeper").set_index("standard_id")
    assert role.at["presale_inquiry_rate", "swing"] == 0
    assert role.at["packing_orders_per_hour", "headcount_low"] >= role.at["packing_orders_per_hour", "headcount_high"]
    with pytest.raises(InputError, match="staffed role"):
        staffing.sensitivity(250, std=std, role_id="web_developer")


# --------------------------------------------------------------------------- series
def test_requirements_series_steady_equals_level(std):
    idx = pd.date_range("2024-01-01", periods=5)
    ser = staffing.requirements_series(pd.Series(250.0, index=idx), std=std)
    assert set(ser["date"]) == set(idx)
    day = ser[ser["date"] == idx[2]].set_index("role_id")["headcount"]
    level = staffing.requirements(250, std=std).set_index("role_id")["headcount"]
    pd.testing.assert_series_equal(day.sort_index(), level.sort_index(), check_names=False)


def test_requirements_series_peak(std):
    idx = pd.date_range("2024-11-05", periods=12)
    orders = pd.Series([200.0] * 6 + [1400.0] + [200.0] * 5, index=idx)
    ser = staffing.requirements_series(orders, std=std)
    pre = ser[ser["role_id"] == "presale_cs"].set_index("date")["headcount"]
    after = ser[ser["role_id"] == "aftersale_cs"].set_index("date")["headcount"]
    assert pre.idxmax() == idx[6]
    assert after.idxmax() == idx[6 + int(std["delivery_days"])]  # after-sale follows delivery


def test_shop_requirements_default_to_its_level():
    shop = load_sample_shop()
    req = staffing.requirements(None, shop)
    assert req["orders_per_day"].unique().tolist() == [staffing.current_orders(shop)]
    with pytest.raises(InputError, match="orders_per_day"):
        staffing.requirements(None)


# --------------------------------------------------------------------------- detail views
def test_cs_by_hour(std):
    h = staffing.cs_by_hour(250, std=std)
    assert len(h) == 48 and set(h["queue"]) == {"presale", "aftersale"}
    pre = h[h["queue"] == "presale"].set_index("hour")
    assert (pre.loc[:8, "agents"] == 0).all() and (pre.loc[9:, "agents"] >= 1).all()
    daily = workload.drivers([250], std).iloc[0]
    assert pre["chats"].sum() + pre["deferred"].sum() == pytest.approx(daily["presale_chats"])
    assert (pre["staffed"] == np.ceil(pre["agents"] / 0.7 - 1e-9)).all()
    req = staffing.requirements(250, std=std).set_index("role_id")
    assert pre["hours"].sum() == pytest.approx(req.at["presale_cs", "hours_per_day"])


def test_cs_rule_of_thumb(std):
    r = staffing.cs_rule_of_thumb([0, 250], std=std).set_index("orders_per_day")
    chats = 250 / 0.045 * 0.05 + 250 * 0.1 + 25 * 0.5
    assert r.at[250, "chats_per_day"] == pytest.approx(chats)
    assert r.at[250, "rule_low"] == pytest.approx(chats / 80 * 30 / 21.75)
    assert r.at[250, "rule_high"] == pytest.approx(chats / 50 * 30 / 21.75)
    assert (r.at[250, "seed_min"], r.at[250, "seed_max"]) == (1, 3)
    assert r.at[0, "model_headcount"] == 0


def test_warehouse_breakdown(std):
    w = staffing.warehouse_breakdown([250], std=std).iloc[0]
    assert w["packing_h"] == pytest.approx(250 / 27.5)
    assert w["returns_h"] == pytest.approx(25 * 5 / 60)
    req = staffing.requirements(250, std=std).set_index("role_id")
    assert w["hours_per_day"] == pytest.approx(req.at["warehouse_keeper", "hours_per_day"])


# --------------------------------------------------------------------------- notebook helpers
def test_hire_trigger_grid_rows_by_first_hire():
    trig = pd.DataFrame({"name": ["cs", "cs", "wh"], "headcount": [1, 2, 1],
                         "orders_per_day": [120, 400, 60]})
    grid = staffing.hire_trigger_grid(trig)
    assert grid.index.tolist() == ["wh", "cs"]
    assert grid.loc["cs", 2] == 400 and np.isnan(grid.loc["wh", 2])
    assert staffing.hire_trigger_grid(trig.iloc[:0]).empty


def test_presale_queue_from_the_standards():
    std = staffing.standards()
    target, chat = staffing.presale_queue(std)
    assert target == {"sl_target": std["cs_service_level_target"],
                      "answer_within_s": std["cs_answer_within_s"],
                      "max_occupancy": std["cs_max_occupancy"], "shrinkage": std["cs_shrinkage"]}
    c = std.int_value("presale_concurrency")
    assert chat["concurrency"] == c and len(chat["aht_by_concurrency"]) == c
    step = std["presale_aht_s"] * std["chat_aht_increase_per_extra_chat"]
    assert np.diff(chat["aht_by_concurrency"]) == pytest.approx([step] * (c - 1))


def test_cs_first_above_seed():
    rule = pd.DataFrame({"orders_per_day": [0, 100, 200], "model_headcount": [1, 3, 4],
                         "seed_max": [3, 3, 3]})
    assert staffing.cs_first_above_seed(rule) == 200
    assert staffing.cs_first_above_seed(rule.iloc[:2]) is None
