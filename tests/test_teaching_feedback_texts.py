"""The teaching checks' feedback, word for word, in zh and en.

``teaching_feedback_texts.json`` records what every check said (its ``str()``: mark, exercise
title and message) for a set of right and wrong answers before the texts moved from inline
``if lang == "zh"`` branches into the message catalogs (issue 11 point 5).  Moving text between
code and catalogs must not change a word of it; a deliberate change of a text updates the file:

    .venv/bin/python tests/test_teaching_feedback_texts.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecomanalysis import catalog, queueing, staffing
from ecomanalysis.i18n import translator
from ecomanalysis.teaching import checks as C

RECORD = Path(__file__).with_name("teaching_feedback_texts.json")
LANGS = ("zh", "en")

SHARES = np.full(24, 0.03)
SHARES[21] = 1 - 0.03 * 23
ROLES = ["presale_cs", "aftersale_cs", "warehouse_keeper"]


def _req(headcount, fte):
    return pd.DataFrame({"role_id": ROLES + ["owner"], "headcount": headcount + [1],
                         "fte": fte + [1.0]})


def _need(volume, **kw):
    return int(queueing.required_agents(volume, 240, 3600, sl_target=0.8, answer_within_s=30,
                                        **kw)["agents"].iloc[0])


def cases():
    """``{case: function(lang) -> CheckResult}`` covering every feedback code and every
    sentence the checks build (the "correct" details, the "wrong value" details)."""
    roles = catalog.load_roles()
    duties = catalog.load_duties().merge(roles[["role_id", "group_id"]], on="role_id")
    roles_right = roles.groupby("group_id").size()
    duties_right = duties.groupby("group_id").size()
    off = roles_right.copy()
    off.iloc[0] += 1
    off.iloc[1] += 2
    by_name = catalog.load_roles("zh").groupby("group_name").size()

    keyed = catalog.load_duties("en")
    keyed = keyed[keyed["sources"] == "001_5fe5c0db2230dac5.txt"].set_index(["role_id", "duty_no"])
    quiz = keyed.loc[[("customer_service_specialist", 4), ("merchandise_manager", 2),
                      ("data_analyst", 4)]].reset_index()
    quiz_right = ["customer_service", "product_management", "data_analysis"]

    words = {"zh": ["数据", "客户"], "en": ["data", "customer"]}
    ref = {lang: C.keyword_match(words[lang], lang=lang) for lang in LANGS}
    share_off = {lang: ref[lang]["share"].where(lambda s: s != s.iloc[0], ref[lang]["share"] / 2)
                 for lang in LANGS}

    ranges = dict(visitors=(2000, 3000), conversion=(0.04, 0.05))
    req = staffing.requirements(250)

    right_traffic = 300 * SHARES[21] * 240 / 3600
    peak, average = 27.0, 12.5
    need, need_avg = _need(peak), _need(average)
    agents_kw = dict(sl_target=0.8, answer_within_s=30, chats_per_hour_average=average)
    conc_kw = dict(sl_target=0.8, answer_within_s=30, concurrency=3, aht_increase_per_extra_chat=0.2)
    conc_need = _need(150.0, concurrency=3, aht_by_concurrency=[240, 288, 336])
    naive = int(np.ceil(_need(150.0) / 3))

    normal, peak_req = _req([6, 1, 3], [5.2, 0.8, 2.7]), _req([23, 9, 21], [22.1, 8.3, 20.4])
    extra_right = pd.Series({"presale_cs": 17, "aftersale_cs": 8, "warehouse_keeper": 18})
    extra_off = pd.Series({"presale_cs": 15, "aftersale_cs": 8, "warehouse_keeper": 19})
    low_peak = _req([4, 9, 21], [4.0, 8.3, 20.4])
    neg = pd.Series({"presale_cs": -2, "aftersale_cs": 8, "warehouse_keeper": 18})
    fte = pd.Series({"presale_cs": 16.9, "aftersale_cs": 7.5, "warehouse_keeper": 17.7})

    extra = pd.Series({"presale_cs": 17.0, "aftersale_cs": 8.0})
    cost = pd.Series({"presale_cs": 5200.0, "aftersale_cs": 5200.0, "owner": 0.0})
    temp_right = 25 * 5200 / 21.75 * 3
    temp_kw = dict(workdays_per_month=21.75, days=3, oncost_share=0.3)

    base = dict(orders_per_day=250, peak_orders=1925, roles=ROLES, days=3)
    cost0, _ = C.plan_cost_cny({}, 250, 1925, ROLES, 3)

    return {
        # L1
        "roles_ok": lambda lang: C.check_roles_per_group(roles_right, lang=lang),
        "roles_ok_by_name": lambda lang: C.check_roles_per_group(by_name, lang=lang),
        "roles_counted_duties": lambda lang: C.check_roles_per_group(duties_right, lang=lang),
        "roles_missing_groups": lambda lang: C.check_roles_per_group(roles_right.iloc[1:], lang=lang),
        "roles_unknown_groups": lambda lang: C.check_roles_per_group(
            roles_right.rename({"management": "bosses"}), lang=lang),
        "roles_wrong_counts": lambda lang: C.check_roles_per_group(off, lang=lang),
        "roles_not_answered": lambda lang: C.check_roles_per_group(..., lang=lang),
        "roles_wrong_type": lambda lang: C.check_roles_per_group([1, 2], lang=lang),
        "duties_ok": lambda lang: C.check_duties_per_group(duties_right, lang=lang),
        "duties_counted_roles": lambda lang: C.check_duties_per_group(roles_right, lang=lang),
        "quiz_ok": lambda lang: C.check_duty_quiz(quiz_right, quiz, lang=lang),
        "quiz_wrong": lambda lang: C.check_duty_quiz(
            ["customer_service", "supply_chain", "management"], quiz, lang=lang),
        "quiz_wrong_length": lambda lang: C.check_duty_quiz(quiz_right[:2], quiz, lang=lang),
        "quiz_wrong_type": lambda lang: C.check_duty_quiz("customer_service", quiz, lang=lang),
        "match_ok": lambda lang: C.check_role_match(ref[lang]["share"], words[lang], lang=lang),
        "match_counted": lambda lang: C.check_role_match(ref[lang]["matches"], words[lang], lang=lang),
        "match_percent": lambda lang: C.check_role_match(ref[lang]["share"] * 100, words[lang], lang=lang),
        "match_no_keywords": lambda lang: C.check_role_match(ref[lang]["share"], [], lang=lang),
        "match_wrong": lambda lang: C.check_role_match(share_off[lang], words[lang], lang=lang),
        "match_wrong_type": lambda lang: C.check_role_match(0.3, words[lang], lang=lang),
        "match_unknown": lambda lang: C.check_role_match(
            pd.Series({"bosses": 0.5}), words[lang], lang=lang),
        # L2
        "range_ok": lambda lang: C.check_orders_range((80, 150), **ranges, lang=lang),
        "range_percent": lambda lang: C.check_orders_range((8000, 15000), **ranges, lang=lang),
        "range_crossed": lambda lang: C.check_orders_range((100, 120), **ranges, lang=lang),
        "range_visitors": lambda lang: C.check_orders_range((2000, 3000), **ranges, lang=lang),
        "range_wrong": lambda lang: C.check_orders_range((90, 150.55), **ranges, lang=lang),
        "range_wrong_type": lambda lang: C.check_orders_range(80, **ranges, lang=lang),
        "conversion_ok": lambda lang: C.check_conversion(200 / 6000, 200, 6000, lang=lang),
        "conversion_percent": lambda lang: C.check_conversion(3.33, 200, 6000, lang=lang),
        "conversion_inverted": lambda lang: C.check_conversion(30, 200, 6000, lang=lang),
        "conversion_wrong": lambda lang: C.check_conversion(0.05, 200, 6000, lang=lang),
        "conversion_wrong_type": lambda lang: C.check_conversion("3%", 200, 6000, lang=lang),
        "conversion_not_answered": lambda lang: C.check_conversion(..., 200, 6000, lang=lang),
        "stage_ok": lambda lang: C.check_stage_consistency(False, 4, lang=lang),
        "stage_wrong": lambda lang: C.check_stage_consistency(np.bool_(True), 4, lang=lang),
        "stage3_ok": lambda lang: C.check_stage_consistency(True, 3, lang=lang),
        "stage_wrong_type": lambda lang: C.check_stage_consistency("no", 4, lang=lang),
        "team_ok": lambda lang: C.check_team_size(int(req["headcount"].sum()), 250, lang=lang),
        "team_fte": lambda lang: C.check_team_size(float(req["fte"].sum()), 250, lang=lang),
        "team_wrong": lambda lang: C.check_team_size(int(req["headcount"].sum()) + 3.5, 250, lang=lang),
        "team_wrong_type": lambda lang: C.check_team_size([3], 250, lang=lang),
        # L3
        "traffic_ok": lambda lang: C.check_peak_traffic(right_traffic, 300, SHARES, 240, lang=lang),
        "traffic_average": lambda lang: C.check_peak_traffic(300 / 24 * 240 / 3600, 300, SHARES, 240,
                                                             lang=lang),
        "traffic_seconds": lambda lang: C.check_peak_traffic(300 * SHARES[21] * 240, 300, SHARES, 240,
                                                             lang=lang),
        "traffic_arrivals": lambda lang: C.check_peak_traffic(300 * SHARES[21], 300, SHARES, 240,
                                                              lang=lang),
        "traffic_wrong": lambda lang: C.check_peak_traffic(12.34567, 300, SHARES, 240, lang=lang),
        "traffic_wrong_type": lambda lang: C.check_peak_traffic("6", 300, SHARES, 240, lang=lang),
        "agents_ok": lambda lang: C.check_agents(need, peak, 240, **agents_kw, lang=lang),
        "agents_average": lambda lang: C.check_agents(need_avg, peak, 240, **agents_kw, lang=lang),
        "agents_rounded_up": lambda lang: C.check_agents(int(np.ceil(peak * 240 / 3600)), peak, 240,
                                                         sl_target=0.8, answer_within_s=30, lang=lang),
        "agents_too_few": lambda lang: C.check_agents(need - 1, peak, 240, sl_target=0.8,
                                                      answer_within_s=30, lang=lang),
        "agents_too_many": lambda lang: C.check_agents(need + 2, peak, 240, **agents_kw, lang=lang),
        "agents_wrong_type": lambda lang: C.check_agents(2.5, peak, 240, **agents_kw, lang=lang),
        "agents_concurrency_ok": lambda lang: C.check_agents(conc_need, 150.0, 240, **conc_kw, lang=lang),
        "agents_naive_concurrency": lambda lang: C.check_agents(naive, 150.0, 240, **conc_kw, lang=lang),
        "gain_ok": lambda lang: C.check_concurrency_gain(2.14, 3, 0.2, lang=lang),
        "gain_no_slowdown": lambda lang: C.check_concurrency_gain(3, 3, 0.2, lang=lang),
        "gain_inverted": lambda lang: C.check_concurrency_gain(1.4 / 3, 3, 0.2, lang=lang),
        "gain_wrong": lambda lang: C.check_concurrency_gain(1.5, 3, 0.2, lang=lang),
        "gain_wrong_type": lambda lang: C.check_concurrency_gain("2x", 3, 0.2, lang=lang),
        # L4
        "peak_ok": lambda lang: C.check_peak_orders(1924.5, 250, 7.698, lang=lang),
        "peak_added": lambda lang: C.check_peak_orders(257.698, 250, 7.698, lang=lang),
        "peak_percent": lambda lang: C.check_peak_orders(19.245, 250, 7.698, lang=lang),
        "peak_wrong": lambda lang: C.check_peak_orders(2500, 250, 7.698, lang=lang),
        "peak_wrong_type": lambda lang: C.check_peak_orders("1925", 250, 7.698, lang=lang),
        "extra_ok": lambda lang: C.check_extra_staff(extra_right, normal, peak_req, ROLES, lang=lang),
        "extra_peak": lambda lang: C.check_extra_staff(
            pd.Series({"presale_cs": 23, "aftersale_cs": 9, "warehouse_keeper": 21}),
            normal, peak_req, ROLES, lang=lang),
        "extra_fte": lambda lang: C.check_extra_staff(fte, normal, peak_req, ROLES, lang=lang),
        "extra_negative": lambda lang: C.check_extra_staff(neg, normal, low_peak, ROLES, lang=lang),
        "extra_missing_role": lambda lang: C.check_extra_staff(extra_right.iloc[:2], normal, peak_req,
                                                               ROLES, lang=lang),
        "extra_wrong": lambda lang: C.check_extra_staff(extra_off, normal, peak_req, ROLES, lang=lang),
        "extra_wrong_type": lambda lang: C.check_extra_staff(17, normal, peak_req, ROLES, lang=lang),
        "temp_ok": lambda lang: C.check_temp_cost(temp_right, extra, cost, **temp_kw, lang=lang),
        "temp_month": lambda lang: C.check_temp_cost(25 * 5200, extra, cost, **temp_kw, lang=lang),
        "temp_oncost": lambda lang: C.check_temp_cost(temp_right / 1.3, extra, cost, **temp_kw, lang=lang),
        "temp_wrong": lambda lang: C.check_temp_cost(12345.6, extra, cost, **temp_kw, lang=lang),
        "temp_wrong_type": lambda lang: C.check_temp_cost("9000", extra, cost, **temp_kw, lang=lang),
        "budget_ok": lambda lang: C.check_budget_plan({}, budget_cny=cost0 + 1, **base, lang=lang),
        "budget_over": lambda lang: C.check_budget_plan({}, budget_cny=cost0 - 1000, **base, lang=lang),
        "budget_outside": lambda lang: C.check_budget_plan({"presale_concurrency": 9}, budget_cny=1e9,
                                                           **base, lang=lang),
        "budget_unknown": lambda lang: C.check_budget_plan({"speed": 2}, budget_cny=1e9, **base, lang=lang),
        "budget_not_answered": lambda lang: C.check_budget_plan(..., budget_cny=1e9, **base, lang=lang),
        "budget_wrong_type": lambda lang: C.check_budget_plan([1], budget_cny=1e9, **base, lang=lang),
    }


def outputs():
    out = {}
    for case, check in cases().items():
        for lang in LANGS:
            r = check(lang)
            out[f"{case} {lang}"] = {"ok": r.ok, "code": r.code, "text": str(r)}
    return out


@pytest.fixture(scope="module")
def now():
    return outputs()


def test_every_feedback_code_is_recorded(now):
    assert {o["code"] for o in now.values()} == set(C.MESSAGES)


def test_feedback_texts_are_unchanged(now):
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    assert set(now) == set(recorded), "cases added or dropped: rerun this file as a script"
    changed = {case: (recorded[case], now[case]) for case in recorded if now[case] != recorded[case]}
    assert not changed, changed



@pytest.mark.parametrize(("lang", "stub", "hint", "teacher", "student"), [
    ("zh", "# 在这里写你的答案", "提示", "教师版（含答案，已运行）", "学生版（练习待完成）"),
    ("en", "# write your answer here", "Hint", "Teacher edition (solutions, executed)",
     "Student edition (exercises to do)"),
])
def test_edition_texts_are_unchanged(lang, stub, hint, teacher, student):
    """The editions' own texts (ecomanalysis.teaching.build) moved into the catalogs too."""
    import nbformat

    from ecomanalysis.teaching import build

    assert build.solution_stub("# the question\ny = 1 + 2\n", lang) == f"# the question\ny = ...  {stub}"
    cell = nbformat.v4.new_markdown_cell("look at 21:00")
    build._fold_hint(cell, lang)
    assert cell.source == f"<details><summary>{hint}</summary>\n\nlook at 21:00\n\n</details>"
    _ = translator(lang)
    assert [_(build.EDITION_NAMES[e]) for e in ("teacher", "student")] == [teacher, student]


if __name__ == "__main__":
    RECORD.write_text(json.dumps(outputs(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"wrote {RECORD}")
