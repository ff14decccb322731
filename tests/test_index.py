"""index.html: validated run.json (unreadable runs listed, never fatal), runs grouped by shop with
the latest first, metric labels in the run's language, no dead links, text escaped."""

from __future__ import annotations

import json
from pathlib import Path

from ecomanalysis.report.index import rebuild_index, scan_runs


def write_run(reports: Path, shop: str, run_id: str, started: str, *, lang="zh", status="ok",
              metrics=None, files=("report.html", "output.ipynb"), error=None) -> Path:
    run_dir = reports / shop / run_id
    run_dir.mkdir(parents=True)
    record = {"shop": shop, "shop_dir": shop, "notebook": "tiny", "run_id": run_id, "status": status,
              "params": {"lang": lang}, "params_hash": "abc", "started": started, "duration_s": 1.5,
              "metrics": metrics or {}, "error": error, "error_cell": 2 if error else None, "run_dir": ""}
    (run_dir / "run.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    for name in files:
        (run_dir / name).write_text("x", encoding="utf-8")
    return run_dir


GOOD = {"value": 250.0, "unit": "orders/day", "label_zh": "日订单量", "label_en": "orders per day"}

MALFORMED = {
    "list": b"[]",
    "bad-bytes": b'{"shop": "\xff\xfe"}',
    "duration-abc": json.dumps({"shop": "x", "notebook": "n", "run_id": "r", "status": "ok",
                                "started": "2026-01-01T00:00:00+00:00", "duration_s": "abc"}).encode(),
    "string-metric": json.dumps({"shop": "x", "notebook": "n", "run_id": "r", "status": "ok",
                                 "started": "2026-01-01T00:00:00+00:00", "duration_s": 1,
                                 "metrics": {"orders_per_day": "lots"}}).encode(),
    "truncated": b'{"shop": "x", "notebook": "n", "run_',
    "empty": b"",
}


def test_malformed_run_json_is_listed_as_unreadable_never_fatal(tmp_path):
    reports = tmp_path / "reports"
    write_run(reports, "shop-a", "r1", "2026-01-01T10:00:00+00:00", metrics={"orders_per_day": GOOD})
    for name, data in MALFORMED.items():
        d = reports / "broken" / name
        d.mkdir(parents=True)
        (d / "run.json").write_bytes(data)
    scan = scan_runs(reports)
    assert [r["run_id"] for r in scan.runs] == ["r1"]
    reasons = {u.path.parent.name: u.reason for u in scan.unreadable}
    assert set(reasons) == set(MALFORMED), "every bad run.json is listed, none silently dropped"
    assert "JSON object" in reasons["list"] and "UTF-8" in reasons["bad-bytes"]
    assert "duration_s" in reasons["duration-abc"] and "metrics.orders_per_day" in reasons["string-metric"]
    assert "not valid JSON" in reasons["truncated"] and reasons["empty"] == "empty file"

    html = rebuild_index(reports).read_text(encoding="utf-8")
    assert html.count('class="unreadable-row"') == len(MALFORMED)
    assert "broken/duration-abc/run.json" in html and "unreadable run" in html
    assert html.count('<tr class="run"') == 1


def test_runs_grouped_by_shop_latest_first_with_labels_and_live_links_only(tmp_path):
    reports = tmp_path / "reports"
    write_run(reports, "alpha", "a-old", "2026-01-01T09:00:00+00:00", lang="en",
              metrics={"orders_per_day": GOOD, "flags": {"value": ["data is old", "no hours"]}})
    write_run(reports, "alpha", "a-new", "2026-01-03T09:00:00+00:00", lang="zh",
              metrics={"orders_per_day": GOOD})
    write_run(reports, "beta", "b-only", "2026-01-04T09:00:00+00:00", status="failed",
              files=("report.html",), error="ValueError: boom")
    write_run(reports, "gamma", "g-none", "2026-01-02T09:00:00+00:00", status="failed", files=(),
              error="never started")
    html = rebuild_index(reports).read_text(encoding="utf-8")
    shops = [line.split(">", 1)[1].split(" <small>")[0] for line in html.splitlines()
             if line.startswith('<h2 class="shop">')]
    assert shops == ["beta", "alpha", "gamma"], "the shop with the latest run first"
    assert html.index("a-new") < html.index("a-old"), "each shop's runs latest first"
    assert "日订单量: 250" in html and "orders per day: 250" in html, "labels in the run's language"
    assert "orders_per_day:" not in html, "no raw keys where a label exists"
    assert "flags: data is old; no hours" in html, "a metric without labels shows its key"
    # links only to files that exist
    assert 'href="beta/b-only/report.html"' in html and 'href="beta/b-only/output.ipynb"' not in html
    assert 'href="beta/b-only/report.html#papermill-error-cell"' in html
    assert "gamma/g-none/" not in html.split("never started")[1].split("</tr>")[0]
    assert "no report" in html
    for href in [h.split('"')[0] for h in html.split('href="')[1:]]:
        assert (reports / href.split("#")[0]).is_file(), f"dead link {href}"


def test_user_text_is_escaped_and_control_characters_removed(tmp_path):
    reports = tmp_path / "reports"
    evil = '<script>alert("x")</script>\x00shop'
    run_dir = write_run(reports, "evil", "e1", "2026-01-01T09:00:00+00:00",
                        metrics={"m": {"value": 1, "label_zh": "<b>bold</b>"}})
    record = json.loads((run_dir / "run.json").read_text())
    record["shop"] = evil
    (run_dir / "run.json").write_text(json.dumps(record))
    html = rebuild_index(reports).read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)" in html
    assert "\x00" not in html and "&lt;/script&gt;shop" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
