"""ecomanalysis.teaching.checks: every check accepts a right answer and names typical mistakes."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import catalog, queueing, staffing
from ecomanalysis.errors import InputError
from ecomanalysis.teaching import checks as C

CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_feedback(result, ok, code):
    assert result.ok is ok, result
    assert bool(result) is ok
    assert result.code == code, result
    assert result.message


# --------------------------------------------------------------------------- the result object
def test_result_displays_mark_and_message_in_both_languages():
    good = C.check_conversion(200 / 6000, 200, 6000, lang="en")
    bad = C.check_conversion(3.33, 200, 6000, lang="zh")
    assert "✓" in good._repr_html_() and "Exercise 2.2" in good._repr_html_()
    assert "✗" in bad._repr_html_() and "练习 2.2" in bad._repr_markdown_()
    assert str(good).startswith("✓ Exercise 2.2: Correct!")
    assert CJK.search(bad.message) and not CJK.search(good.message)


def test_result_html_escapes_the_message():
    r = C.CheckResult(False, "x", "a <b> & `code`", "9.9", "en")
    html = r._repr_html_()
    assert "&lt;b&gt;" in html and "<code>code</code>" in html


def test_unanswered_stub_and_wrong_type_give_feedback_not_errors():
    assert_feedback(C.check_conversion(..., 200, 6000, lang="en"), False, "not_answered")
    r = C.check_conversion("3%", 200, 6000, lang="en")
    assert_feedback(r, False, "wrong_type")
    assert "str" in r.message
    assert_feedback(C.check_roles_per_group(None), False, "not_answered")
    assert_feedback(C.check_roles_per_group([1, 2]), False, "wrong_type")


def test_bad_language_is_an_input_error():
    with pytest.raises(InputError, match="lang"):
        C.check_conversion(0.03, 200, 6000, lang="fr")


# --------------------------------------------------------------------------- L1
def test_roles_per_group():
    roles = catalog.load_roles()
    right = roles.groupby("group_id").size()
    assert_feedback(C.check_roles_per_group(right, lang="en"), True, "ok")
    # group names (Chinese) instead of ids are accepted
    by_name = catalog.load_roles("zh").groupby("group_name").size()
    assert_feedback(C.check_roles_per_group(by_name), True, "ok")
    duties = catalog.load_duties().merge(roles[["role_id", "group_id"]], on="role_id")
    r = C.check_roles_per_group(duties.groupby("group_id").size(), lang="en")
    assert_feedback(r, False, "counted_duties")
    assert "counted duties" in r.message
    assert_feedback(C.check_roles_per_group(right.iloc[1:], lang="en"), False, "missing_groups")
    assert_feedback(C.check_roles_per_group(right.rename({"management": "bosses"})), False,
                    "unknown_groups")
    off = right.copy()
    off.iloc[0] += 1
    r = C.check_roles_per_group(off, lang="en")
    assert_feedback(r, False, "wrong_counts")
    assert "≠" in r.message


def test_duties_per_group():
    roles = catalog.load_roles()
    duties = catalog.load_duties().merge(roles[["role_id", "group_id"]], on="role_id")
    assert_feedback(C.check_duties_per_group(duties.groupby("group_id").size()), True, "ok")
    r = C.check_duties_per_group(roles.groupby("group_id").size(), lang="zh")
    assert_feedback(r, False, "counted_roles")
    assert "merge" in r.message


@pytest.fixture
def quiz():
    duties = catalog.load_duties("en")
    keys = [("customer_service_specialist", 4), ("merchandise_manager", 2), ("data_analyst", 4)]
    keyed = duties[duties["sources"] == "001_5fe5c0db2230dac5.txt"].set_index(["role_id", "duty_no"])
    return keyed.loc[keys].reset_index()


def test_duty_quiz(quiz):
    right = ["customer_service", "product_management", "data_analysis"]
    assert_feedback(C.check_duty_quiz(right, quiz, lang="en"), True, "ok")
    assert_feedback(C.check_duty_quiz(["客户服务类", "Merchandise and product management", "data_analysis"],
                                      quiz), True, "ok")
    r = C.check_duty_quiz(["customer_service", "supply_chain", "data_analysis"], quiz, lang="en")
    assert_feedback(r, False, "quiz_wrong")
    assert r.message.startswith("1 of 3") and "Merchandise manager" in r.message
    assert "supply_chain" in r.message
    assert_feedback(C.check_duty_quiz(right[:2], quiz, lang="en"), False, "wrong_length")
    assert_feedback(C.check_duty_quiz("customer_service", quiz), False, "wrong_type")


def test_role_match():
    kw = ["data", "customer"]
    ref = C.keyword_match(kw, lang="en")
    assert ref["share"].is_monotonic_decreasing
    assert ((ref["share"] >= 0) & (ref["share"] <= 1)).all()
    r = C.check_role_match(ref["share"], kw, lang="en")
    assert_feedback(r, True, "ok")
    assert "best match" in r.message
    # groups without a match may be left out
    assert_feedback(C.check_role_match(ref["share"][ref["share"] > 0], kw, lang="en"), True, "ok")
    r = C.check_role_match(ref["matches"], kw, lang="en")
    assert_feedback(r, False, "counted_not_share")
    assert "big groups" in r.message
    assert_feedback(C.check_role_match(ref["share"] * 100, kw, lang="en"), False, "percent_share")
    assert_feedback(C.check_role_match(ref["share"], [], lang="en"), False, "no_keywords")


def test_keyword_match_counts_by_hand():
    m = C.keyword_match(["数据"], lang="zh")
    duties = catalog.load_duties("zh").merge(catalog.load_roles()[["role_id", "group_id"]])
    expected = duties[duties["duty"].str.contains("数据")].groupby("group_id").size()
    assert m["matches"][m["matches"] > 0].sort_index().equals(expected.sort_index())


# --------------------------------------------------------------------------- L2
def test_orders_range():
    kw = dict(visitors=(2000, 3000), conversion=(0.04, 0.05))
    assert_feedback(C.check_orders_range((80, 150), **kw, lang="en"), True, "ok")
    assert_feedback(C.check_orders_range([80.2, 149.6], **kw), True, "ok")
    r = C.check_orders_range((8000, 15000), **kw, lang="en")
    assert_feedback(r, False, "percentage_not_fraction")
    assert r.message.startswith("Your conversion is a percentage, not a fraction")
    assert_feedback(C.check_orders_range((100, 120), **kw), False, "crossed_bounds")
    assert_feedback(C.check_orders_range((2000, 3000), **kw), False, "forgot_conversion")
    assert_feedback(C.check_orders_range((90, 150), **kw), False, "wrong_value")
    assert_feedback(C.check_orders_range(80, **kw), False, "wrong_type")


def test_conversion():
    assert_feedback(C.check_conversion(200 / 6000, 200, 6000), True, "ok")
    assert_feedback(C.check_conversion(np.float64(0.0333), 200, 6000), True, "ok")
    r = C.check_conversion(3.33, 200, 6000, lang="en")
    assert_feedback(r, False, "answer_in_percent")
    assert "percentage" in r.message and "0.0333" in r.message
    assert_feedback(C.check_conversion(30, 200, 6000), False, "inverted")
    assert_feedback(C.check_conversion(0.05, 200, 6000), False, "wrong_value")


def test_stage_consistency():
    r = C.check_stage_consistency(False, 4, lang="en")
    assert_feedback(r, True, "ok")
    assert "240-500" in r.message and "200-300" in r.message
    assert_feedback(C.check_stage_consistency(np.bool_(True), 4), False, "not_consistent_answer")
    assert_feedback(C.check_stage_consistency(True, 3), True, "ok")
    assert_feedback(C.check_stage_consistency("no", 4), False, "wrong_type")
    with pytest.raises(InputError, match="stage 1"):
        C.check_stage_consistency(True, 1)


def test_team_size():
    req = staffing.requirements(250)
    assert_feedback(C.check_team_size(int(req["headcount"].sum()), 250), True, "ok")
    r = C.check_team_size(float(req["fte"].sum()), 250, lang="en")
    assert_feedback(r, False, "summed_fte")
    assert "headcount" in r.message
    assert_feedback(C.check_team_size(int(req["headcount"].sum()) + 3, 250), False, "wrong_value")


# --------------------------------------------------------------------------- L3
SHARES = np.full(24, 0.03)
SHARES[21] = 1 - 0.03 * 23  # 0.31 of the day at 21:00


def test_peak_traffic():
    right = 300 * SHARES[21] * 240 / 3600
    assert_feedback(C.check_peak_traffic(right, 300, SHARES, 240), True, "ok")
    r = C.check_peak_traffic(300 / 24 * 240 / 3600, 300, SHARES, 240, lang="en")
    assert_feedback(r, False, "daily_average")
    assert r.message.startswith("You sized for the daily average, look at 21:00")
    assert_feedback(C.check_peak_traffic(300 * SHARES[21] * 240, 300, SHARES, 240), False,
                    "seconds_not_hours")
    assert_feedback(C.check_peak_traffic(300 * SHARES[21], 300, SHARES, 240), False,
                    "arrivals_not_traffic")
    with pytest.raises(InputError, match="24 shares"):
        C.check_peak_traffic(1.0, 300, SHARES[:12], 240)


def _need(volume, **kw):
    return int(queueing.required_agents(volume, 240, 3600, sl_target=0.8, answer_within_s=30,
                                        **kw)["agents"].iloc[0])


def test_agents_at_the_peak():
    peak, average = 27.0, 12.5
    need, need_avg = _need(peak), _need(average)
    assert need_avg < need  # the lesson's point
    kw = dict(sl_target=0.8, answer_within_s=30, chats_per_hour_average=average)
    assert_feedback(C.check_agents(need, peak, 240, **kw), True, "ok")
    r = C.check_agents(need_avg, peak, 240, lang="en", **kw)
    assert_feedback(r, False, "daily_average")
    assert "look at 21:00" in r.message
    traffic = peak * 240 / 3600
    r = C.check_agents(int(np.ceil(traffic)), peak, 240, lang="en", sl_target=0.8, answer_within_s=30)
    assert_feedback(r, False, "traffic_rounded_up")
    assert "100 % occupancy" in r.message
    r = C.check_agents(need + 2, peak, 240, lang="en", **kw)
    assert_feedback(r, False, "too_many")
    assert f"{need + 1} agents already" in r.message
    assert_feedback(C.check_agents(2.5, peak, 240, **kw), False, "wrong_type")


def test_agents_with_concurrency():
    volume = 150.0
    profile = [240, 288, 336]
    need = _need(volume, concurrency=3, aht_by_concurrency=profile)
    naive = int(np.ceil(_need(volume) / 3))
    assert naive < need
    kw = dict(sl_target=0.8, answer_within_s=30, concurrency=3, aht_increase_per_extra_chat=0.2)
    assert_feedback(C.check_agents(need, volume, 240, **kw), True, "ok")
    r = C.check_agents(naive, volume, 240, lang="en", **kw)
    assert_feedback(r, False, "naive_concurrency")
    assert "does not divide the team by 3" in r.message


def test_concurrency_gain():
    assert C.concurrency_gain(3, 0.2) == pytest.approx(3 / 1.4)
    assert C.concurrency_gain(1, 0.2) == 1
    assert_feedback(C.check_concurrency_gain(2.14, 3, 0.2), True, "ok")
    r = C.check_concurrency_gain(3, 3, 0.2, lang="en")
    assert_feedback(r, False, "no_slowdown")
    assert "2.14" in r.message
    assert_feedback(C.check_concurrency_gain(1.4 / 3, 3, 0.2), False, "inverted")


# --------------------------------------------------------------------------- L4
def test_peak_orders():
    assert_feedback(C.check_peak_orders(1924.5, 250, 7.698), True, "ok")
    assert_feedback(C.check_peak_orders(1925, 250, 7.698), True, "ok")
    assert_feedback(C.check_peak_orders(257.698, 250, 7.698), False, "added_not_multiplied")
    assert_feedback(C.check_peak_orders(19.245, 250, 7.698), False, "ratio_as_percent")
    assert_feedback(C.check_peak_orders(2500, 250, 7.698), False, "wrong_value")


ROLES = ["presale_cs", "aftersale_cs", "warehouse_keeper"]


def _req(headcount, fte):
    return pd.DataFrame({"role_id": ROLES + ["owner"], "headcount": headcount + [1],
                         "fte": fte + [1.0]})


NORMAL = _req([6, 1, 3], [5.2, 0.8, 2.7])
PEAK = _req([23, 9, 21], [22.1, 8.3, 20.4])


def test_extra_staff():
    right = pd.Series({"presale_cs": 17, "aftersale_cs": 8, "warehouse_keeper": 18})
    assert C.extra_staff(NORMAL, PEAK, ROLES).to_dict() == right.astype(float).to_dict()
    assert_feedback(C.check_extra_staff(right, NORMAL, PEAK, ROLES), True, "ok")
    assert_feedback(C.check_extra_staff(right.to_dict(), NORMAL, PEAK, ROLES), True, "ok")
    r = C.check_extra_staff(pd.Series({"presale_cs": 23, "aftersale_cs": 9, "warehouse_keeper": 21}),
                            NORMAL, PEAK, ROLES, lang="en")
    assert_feedback(r, False, "peak_not_extra")
    assert "subtract" in r.message
    fte = pd.Series({"presale_cs": 16.9, "aftersale_cs": 7.5, "warehouse_keeper": 17.7})
    assert_feedback(C.check_extra_staff(fte, NORMAL, PEAK, ROLES), False, "summed_fte")
    low_peak = _req([4, 9, 21], [4.0, 8.3, 20.4])
    neg = pd.Series({"presale_cs": -2, "aftersale_cs": 8, "warehouse_keeper": 18})
    r = C.check_extra_staff(neg, NORMAL, low_peak, ROLES, lang="en")
    assert_feedback(r, False, "negative_extra")
    assert "Pre-sale customer service" in r.message
    assert_feedback(C.check_extra_staff(right.iloc[:2], NORMAL, PEAK, ROLES), False, "wrong_roles")


def test_temp_cost():
    extra = pd.Series({"presale_cs": 17.0, "aftersale_cs": 8.0})
    cost = pd.Series({"presale_cs": 5200.0, "aftersale_cs": 5200.0, "owner": 0.0})
    right = 25 * 5200 / 21.75 * 3
    assert C.temp_cost_cny(extra, cost, 21.75, 3) == pytest.approx(right)
    kw = dict(workdays_per_month=21.75, days=3, oncost_share=0.3)
    assert_feedback(C.check_temp_cost(right, extra, cost, **kw), True, "ok")
    r = C.check_temp_cost(25 * 5200, extra, cost, lang="en", **kw)
    assert_feedback(r, False, "whole_month")
    assert "whole month for a 3-day hire" in r.message
    assert_feedback(C.check_temp_cost(right / 1.3, extra, cost, **kw), False, "missing_oncost")
    with pytest.raises(InputError, match="no monthly cost"):
        C.temp_cost_cny(pd.Series({"designer": 1.0}), cost, 21.75, 3)


def test_budget_plan():
    base = dict(orders_per_day=250, peak_orders=1925, roles=ROLES, days=3)
    cost0, by_role = C.plan_cost_cny({}, 250, 1925, ROLES, 3)
    assert cost0 == pytest.approx(by_role.sum()) and cost0 > 0
    cost1, _ = C.plan_cost_cny({"presale_concurrency": 5}, 250, 1925, ROLES, 3)
    assert cost1 < cost0  # more chats per agent, fewer agents
    assert_feedback(C.check_budget_plan({}, budget_cny=cost0 + 1, **base), True, "ok")
    r = C.check_budget_plan({}, budget_cny=cost0 - 1000, lang="en", **base)
    assert_feedback(r, False, "over_budget")
    assert "Over budget by 1,000 CNY" in r.message
    r = C.check_budget_plan({"presale_concurrency": 9}, budget_cny=1e9, lang="en", **base)
    assert_feedback(r, False, "outside_range")
    assert "presale_concurrency" in r.message and "[1, 5]" in r.message
    assert_feedback(C.check_budget_plan({"speed": 2}, budget_cny=1e9, **base), False, "unknown_standard")
    assert_feedback(C.check_budget_plan(..., budget_cny=1e9, **base), False, "not_answered")
    assert_feedback(C.check_budget_plan([1], budget_cny=1e9, **base), False, "wrong_type")
