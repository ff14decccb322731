"""``--lang zh|en`` on every command that prints text: an en run is wholly English and a zh run
wholly Chinese (names that come from data aside), with the same figures in both."""

from __future__ import annotations

import re

from ecomanalysis import catalog, config
from ecomanalysis.cli import build_parser, main

SHOP = config.PROJ_ROOT / "data" / "shops" / "sample.yaml"
ORDERS = config.PROJ_ROOT / "data" / "shops" / "sample" / "orders.csv"
SHOP_NAME = "示例女装店 (sample apparel shop)"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: What is not prose: paths, file names, ids (with _ or digits), strftime codes, the command
#: line a command suggests (``ecomanalysis report --shop x.yaml``).
NOT_PROSE = re.compile(r"\S*/\S*|\S+\.(?:csv|json|yaml|xlsx|ipynb|html|png)\b|"
                       r"\b\w*[_\d]\w*\b|%[A-Za-z]|ecomanalysis [^\n]*", re.M)
#: Words allowed in a zh run: units and acronyms, the model name Erlang, a time zone, ids (the
#: preset and the model), YAML keys the user fills in, and the sample data's own
#: values (its status column and status values; CRM and SKU in role names).
ZH_ALLOWED = {"Erlang", "MB", "WAPE", "MAPE", "SKU", "CRM", "utf", "Asia", "Shanghai", "generic",
              "auto", "combination", "team", "category", "conversion", "status",
              "unpaid", "cancelled"}


def roles_ids() -> set[str]:
    return set(catalog.load_roles()["role_id"])


def run(argv, capsys) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def english_words(text: str, allowed=frozenset()) -> set[str]:
    """ASCII words of two letters or more that are prose, not data."""
    text = text.replace(SHOP_NAME, "")
    text = NOT_PROSE.sub(" ", text)
    return {w for w in re.findall(r"[A-Za-z]{2,}", text)} - ZH_ALLOWED - set(allowed)


def chinese(text: str) -> list[str]:
    return CJK.findall(text.replace(SHOP_NAME, ""))


def both(argv, capsys, zh_allowed=frozenset()) -> tuple[str, str]:
    """Run ``argv`` with --lang zh and --lang en; both succeed; en holds no CJK, zh no English
    prose.  Returns (zh text, en text)."""
    texts = {}
    for lang in ("zh", "en"):
        code, text = run([*argv, "--lang", lang], capsys)
        assert code == 0, text
        texts[lang] = text
    assert not chinese(texts["en"]), (argv, texts["en"])
    assert not english_words(texts["zh"], zh_allowed), (argv, texts["zh"])
    assert chinese(texts["zh"])
    return texts["zh"], texts["en"]


# --------------------------------------------------------------------------- every command
def test_every_command_that_prints_text_has_lang():
    """Each sub-command takes --lang (the shared helper; teaching build's repeatable --lang
    picks the course languages); screenshot prints only the PNG path."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    without = set()
    for p in sub.choices.values():
        parsers = [p]
        nested = [a for a in p._actions if a.dest in ("cache_command", "teaching_command")]
        if nested:
            parsers = list(nested[0].choices.values())
        for q in parsers:
            if not any("--lang" in a.option_strings for a in q._actions):
                without.add(q.prog.split(" ", 1)[1])
    assert without == {"screenshot"}


def test_erlang_same_figures_in_both_languages(capsys):
    zh, en = both(["erlang", "--volume", 100, "--aht", 180, "--shrinkage", 0.3], capsys)
    assert "required: 14 agents, 20 staffed" in en
    assert "需要：在线客服 14 人，排班 20 人" in zh
    assert "traffic 10.00 Erlangs" in en and "话务量 10.00 爱尔兰" in zh
    rows_en = [line.split()[1:] for line in en.splitlines() if line.startswith(">")]
    rows_zh = [line.split()[1:] for line in zh.splitlines() if line.startswith(">")]
    assert rows_en == rows_zh == [["14", "20", "88.8%", "7.8", "71.4%", "17.4%"]]
    zh, en = both(["erlang", "--volume", 100, "--aht", 300, "--concurrency", 3,
                   "--patience", 300], capsys)
    assert en.startswith("chat model, up to 3 chats per agent, mean patience 300 s")
    assert zh.startswith("在线咨询模型，每名客服最多同时接待 3 个会话，平均耐心 300 秒")


def test_erlang_csv_prints_in_the_language_and_writes_the_same_file(tmp_path, capsys):
    p = tmp_path / "i.csv"
    p.write_text("interval_start,volume,aht_s\n2024-11-11 20:00,100,180\n2024-11-11 20:30,50,180\n",
                 encoding="utf-8")
    outs = {lang: tmp_path / f"{lang}.csv" for lang in ("zh", "en")}
    zh, en = (run(["erlang", "--csv", p, "-o", outs[lang], "--lang", lang], capsys)[1]
              for lang in ("zh", "en"))
    assert "interval 1800 s" in en and "时段" not in en
    assert "已写入" in zh and "peak 14 agents" in en and "需在线客服 14 人" in zh
    assert outs["zh"].read_bytes() == outs["en"].read_bytes()  # the file is machine-readable


def test_roles_stages_validate(capsys):
    ids = roles_ids()
    zh, en = both(["roles"], capsys, zh_allowed=ids)
    assert "57 roles" in en and "共 57 个岗位" in zh
    assert "岗位编号" in zh and "Role id" in en and "Workload grows with" in en
    assert "售前客服" in zh and "Pre-sale customer service" in en
    zh, en = both(["stages"], capsys, zh_allowed={"break", "even"})
    assert "推广阶段" in zh and "Promotion stage" in en and "起始天数" in zh
    zh, en = both(["validate-data"], capsys)
    assert "tables in" in en and "张表均有效" in zh


def test_staff_and_triggers(tmp_path, capsys):
    ids = roles_ids()
    zh, en = both(["staff", "--shop", SHOP], capsys, zh_allowed=ids)
    assert "total: now 10 · needed 28" in en and "合计:现有 10 人 · 所需 28 人" in zh
    assert "women's apparel · tier-2" in en and "女装 · 二线" in zh
    assert "Done by" in en and "Owner (shop founder)" in en
    zh, en = both(["triggers", "--max-orders", 200], capsys, zh_allowed=ids)
    assert "Headcount after the hire" in en and "招聘后人数" in zh or "人数" in zh
    standard_ids = set(catalog.load_standards()["standard_id"])
    zh, en = both(["staff", "--list-standards"], capsys, zh_allowed=standard_ids)
    assert "Unit" in en and "min per order" in en and "单位" in zh and "驱动量" in zh
    out = tmp_path / "t.csv"
    assert main(["triggers", "--max-orders", "200", "--lang", "zh", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "role_id,name,headcount,orders_per_day"
    capsys.readouterr()


def test_profile_arrivals_and_sample(tmp_path, capsys):
    zh, en = both(["profile", ORDERS, "--top", 3], capsys)
    assert "rows read 68,646; kept 63,606; dropped 5,040" in en
    assert "读取 68,646 行；保留 63,606；剔除 5,040" in zh
    assert "3,817  unpaid (status = unpaid)" in en and "3,817  未付款 (status = unpaid)" in zh
    assert "2025-11-11 Tue" in en and "2025-11-11 周二" in zh
    zh, en = both(["arrivals", ORDERS, "--freq", "1D", "-o", tmp_path / "a.csv"], capsys)
    assert "wrote" in en and "（365 个时段）" in zh
    zh, en = both(["sample", "--days", 20, "--out-dir", tmp_path / "s"], capsys)
    assert "wrote" in en and "已写入" in zh


def test_init(tmp_path, capsys):
    zh, en = (run(["init", ORDERS, "-o", tmp_path / f"{lang}.yaml", "--lang", lang], capsys)[1]
              for lang in ("zh", "en"))
    assert not chinese(en), en
    assert not english_words(zh), zh
    assert "63,606 orders kept of 68,646 rows" in en and "68,646 行中保留 63,606 单" in zh
    # the YAML written is the same whatever the language of the terminal
    assert ((tmp_path / "zh.yaml").read_text(encoding="utf-8").replace("zh.yaml", "x")
            == (tmp_path / "en.yaml").read_text(encoding="utf-8").replace("en.yaml", "x"))
    zh, en = (run(["init", "-o", tmp_path / f"t_{lang}.yaml", "--lang", lang], capsys)[1]
              for lang in ("zh", "en"))
    assert "然后运行" in zh and "then:" in en and not chinese(en) and not english_words(zh)


def test_forecast_and_backtest(tmp_path, capsys):
    zh, en = both(["forecast", ORDERS, "--horizon", 7, "-o", tmp_path / "f.csv"], capsys)
    assert "365 days 2025-01-01 .. 2025-12-31" in en and "365 天 2025-01-01 .. 2025-12-31" in zh
    assert "read as an order export" in en and "按订单导出读取" in zh


def test_peak_and_roster(capsys):
    ids = roles_ids()
    zh, en = both(["peak"], capsys, zh_allowed=ids)
    assert "peak 2026-11-11: 4,341 orders" in en and "高峰日 2026-11-11:4,341 单" in zh
    zh, en = both(["roster", "--shop", SHOP, "--unit", "presale"], capsys)
    assert "== pre-sale: optimal" in en and "== 售前: 最优" in zh


def test_cache_and_teaching_list(capsys):
    zh, en = both(["cache", "info"], capsys)
    assert en.startswith("cache: ") and zh.startswith("缓存：")
    zh, en = both(["teaching", "list"], capsys)
    assert "Lesson" in en and "课次" in zh


def test_batch_summary_in_both_languages():
    from ecomanalysis.report.batch import summary_table

    records = [{"status": "ok", "shop": "A", "notebook": "shop_report", "duration_s": 12.5,
                "run_dir": "reports/A"},
               {"status": "failed", "shop": "B", "notebook": "shop_report", "duration_s": 3,
                "error": "bad input"}]
    en, zh = summary_table(records, "en"), summary_table(records, "zh")
    assert en.splitlines()[-1] == "2 runs: 1 ok, 1 failed, 0 skipped"
    assert zh.splitlines()[-1] == "共 2 次运行：成功 1，失败 1，跳过 0"
    assert not chinese(en) and "12.5 s" in en and "12.5 秒" in zh
    assert not english_words(zh, {"bad", "input"})


def test_forecast_backtest_table(tmp_path, rng, capsys):
    import numpy as np
    import pandas as pd

    idx = pd.date_range("2024-06-01", periods=100)
    p = tmp_path / "daily.csv"
    pd.DataFrame({"date": idx.strftime("%Y-%m-%d"),
                  "value": np.round(50 * np.exp(rng.normal(0, 0.1, 100))).astype(int)}).to_csv(
        p, index=False)
    zh, en = both(["forecast", p, "--backtest", "--bt-horizon", 14, "--bt-step", 30, "--events",
                   "none", "--quiet"], capsys, zh_allowed={"date", "value"})  # its columns
    assert "rolling-origin backtest: 2 origins" in en and "滚动起点回测：2 个起点" in zh
    assert "no backtest days in: event days, double11" in en
    assert "以下分组没有回测日：活动日，双十一" in zh
    row_en = next(line for line in en.splitlines() if line.startswith("all days")).split()[2:]
    row_zh = next(line for line in zh.splitlines() if line.startswith("全部日期")).split()[1:]
    assert row_en == row_zh and len(row_en) == 6  # days and the five shares, same figures


def test_chat_profile(capsys):
    chats = ORDERS.with_name("chats.csv")
    zh, en = both(["profile", chats, "--chats"], capsys, zh_allowed={"owner"})  # an agent's id
    assert "channel: sessions, mean handle time" in en and "渠道：会话数、平均处理时长" in zh
    assert re.search(r"pre-sale +95,129  241 s\b", en) and re.search(r"售前 +95,129  241 秒", zh)


def test_report_progress_line_in_the_report_language():
    from ecomanalysis.report.runner import progress_bar

    assert progress_bar("shop_report", "zh")["bar_format"] == \
        "{desc}：第 {n_fmt}/{total_fmt} 个单元格 [{elapsed}]"
    assert progress_bar("shop_report")["bar_format"] == "{desc}: cell {n_fmt} of {total_fmt} [{elapsed}]"


def test_teaching_build_prints_in_its_one_language(tmp_path, capsys):
    texts = {}
    for lang in ("zh", "en"):
        code, texts[lang] = run(["teaching", "build", "--lang", lang, "--edition", "student",
                                 "--no-execute", "--out-dir", tmp_path / lang], capsys)
        assert code == 0, texts[lang]
    assert "en student" in texts["en"] and "not executed" in texts["en"]
    assert not chinese(texts["en"])
    assert "zh 学生版" in texts["zh"] and "未执行" in texts["zh"] and "共 " in texts["zh"]
    assert not english_words(texts["zh"], {"zh"})  # the language code


def test_every_cache_kind_has_a_name():
    """`cache info` names each kind of entry in words: every kind the code stores has one."""
    import re

    from ecomanalysis import config
    from ecomanalysis.commands.cache import KINDS

    code = "".join(p.read_text(encoding="utf-8") for p in config.PACKAGE_DIR.rglob("*.py"))
    kinds = set(re.findall(r'memo\("([a-z]+)"', code))
    assert kinds and kinds <= set(KINDS), kinds - set(KINDS)
