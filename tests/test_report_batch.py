"""Batch runs on a Dask LocalCluster: a broken shop does not stop the others, a worker killed
mid-run (retried once, every shop stored exactly once), the client killed and resumed, the lock,
run ids, stale staging folders, shop files sent with the task."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest
import yaml
from filelock import FileLock

from ecomanalysis import cache
from ecomanalysis.cli import main
from ecomanalysis.errors import InputError
from ecomanalysis.report.batch import _shop_bundle, load_batch, materialize_shop, run_batch
from ecomanalysis.report.runner import clean_stale_staging, live_run, new_run_id, store_run
from ecomanalysis.shop import load_shop, sample_shop_path, shop_files
from tests.test_report import make_notebook

PARAMS = '''shop_name: str = "demo"  # shop or scenario name
daily_orders: int = 250  # orders per day [0, 100000]
lang: str = "zh"  # report language {zh, en}
fail: bool = False  # raise on purpose
kill_marker: str = ""  # a file: kill this run's worker unless the file exists (it is created)
kill_always: bool = False  # kill this run's worker on every try
hold_while: str = ""  # a file: wait while it exists (at most 60 s)
shop_file: str = ""  # a shop profile whose exports are read
write_xlsx: bool = False  # write report.xlsx in the working folder, as the shop report does'''

BODY = '''import os, signal, time
from ecomanalysis.report import record
if kill_always or (kill_marker and not os.path.exists(kill_marker)):
    with open(kill_marker, "a") as fh:
        fh.write(f"{os.getppid()}\\n")
    os.kill(os.getppid(), signal.SIGKILL)  # the kernel's parent: the Dask worker
    time.sleep(60)
deadline = time.time() + 60
while hold_while and os.path.exists(hold_while) and time.time() < deadline:
    time.sleep(0.1)
record("orders_per_day", float(daily_orders), unit="orders/day", label_zh="日订单量", label_en="orders per day")
record("team_now", 3, unit="people", label_zh="现有人数", label_en="team now")
record("flags", ["a flag", "another"], label_zh="提示", label_en="flags")
if shop_file:
    from ecomanalysis.shop import load_shop, shop_files
    record("history_days", len(shop_files(load_shop(shop_file))["daily_orders"]))
if write_xlsx:
    with open("report.xlsx", "wb") as fh:
        fh.write(b"workbook of " + shop_name.encode())
if fail:
    raise RuntimeError("deliberate failure")
'''


def batch_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "ecomanalysis", "display_name": "Python (ecomanalysis)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Batch test"),
                nbformat.v4.new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(BODY)]
    path = folder / "batchnb.ipynb"
    nbformat.write(nb, path)
    return path


def write_batch(tmp_path, runs, notebook=None, **top):
    nb = notebook or batch_notebook(tmp_path)
    spec = {"notebook": str(nb), "defaults": {"lang": "en"}, "runs": runs, **top}
    path = tmp_path / "batch.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def stored_runs(reports: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in reports.glob("*/[!.]*/run.json")]


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (ended, not yet reaped) counts as ended
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(cache.CACHE_LOG_ENV, str(tmp_path / "cache.log"))


# --------------------------------------------------------------------------- no cluster needed
def test_load_batch_validates_each_run(tmp_path):
    runs = [{"shop": "店铺A", "params": {"daily_orders": 10}}, {"shop": "typo", "params": {"dialy_orders": 5}}]
    jobs, _ = load_batch(write_batch(tmp_path, runs, notebook=make_notebook(tmp_path)))
    assert [j.error is None for j in jobs] == [True, False]
    assert "'dialy_orders' is not a parameter" in jobs[1].error
    assert jobs[0].params["shop_name"] == "店铺A" and jobs[0].params["lang"] == "en"


def test_load_batch_rejects_bad_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("runs: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_batch(bad)
    bad.write_text("runs: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="non-empty list 'runs'"):
        load_batch(bad)
    bad.write_text("runs: [{shop: a}]\nextra: 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown key"):
        load_batch(bad)


def test_resume_key_includes_the_shop_files_content(tmp_path):
    shop_yaml = tmp_path / "s.yaml"
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,created\n1,2026-01-01 10:00\n", encoding="utf-8")
    shop_yaml.write_text("name: s\nfiles: {orders: orders.csv}\n", encoding="utf-8")
    path = write_batch(tmp_path, [{"shop": "s", "shop_file": "s.yaml"}])
    d1 = load_batch(path)[0][0].digest
    orders.write_text("order_id,created\n1,2026-01-02 10:00\n", encoding="utf-8")
    assert load_batch(path)[0][0].digest != d1, "a new export is new work for --resume"


def test_overlapping_batch_is_refused(tmp_path):
    batch = write_batch(tmp_path, [{"shop": "a"}])
    reports = tmp_path / "reports"
    reports.mkdir()
    with FileLock(str(reports / ".batch.lock")):
        with pytest.raises(InputError, match="another batch is running"):
            run_batch(batch, reports_dir=reports, progress=False)
    assert not list(reports.glob("*/*/run.json")), "the refused batch wrote nothing"


def test_a_batch_waits_for_the_workers_of_a_killed_one(tmp_path, monkeypatch):
    import ecomanalysis.report.batch as B

    batch = write_batch(tmp_path, [{"shop": "a"}])
    reports = tmp_path / "reports"
    reports.mkdir()
    holder = subprocess.Popen(  # stands for a worker of a killed batch: holds its shared lock
        [sys.executable, "-c",
         "import sys, time; from ecomanalysis.report.batch import _hold_shared\n"
         f"_hold_shared({str(reports / B.WORKERS_LOCK)!r}); print('up', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "up"
        monkeypatch.setattr(B, "WORKERS_WAIT_S", 0.5)
        with pytest.raises(InputError, match="workers of an earlier batch .* still running"):
            run_batch(batch, reports_dir=reports, progress=False)
    finally:
        holder.kill()
        holder.wait()
    assert not list(reports.glob("*/*/run.json")) and not (reports / ".batch.lock").read_bytes()
    assert B._wait_for_old_workers(reports), "the worker is gone: the next batch goes ahead"


def test_run_ids_are_unique_within_a_second_and_each_run_is_stored_once(tmp_path):
    now = datetime.now(UTC)
    ids = {new_run_id(now, "abcdef123456") for _ in range(50)}
    assert len(ids) == 50
    record = {"shop": "s", "shop_dir": "s", "notebook": "n", "status": "ok", "params": {},
              "params_hash": "abcdef123456", "started": now.isoformat(), "duration_s": 1.0}
    reports = tmp_path / "reports"
    with live_run(reports):
        a = store_run(reports, {**record, "run_id": new_run_id(now, "abcdef123456")}, {"report.html": b"a"})
        b = store_run(reports, {**record, "run_id": new_run_id(now, "abcdef123456")}, {"report.html": b"b"})
    assert a != b and (a / "report.html").read_bytes() == b"a" and (b / "report.html").read_bytes() == b"b"
    assert not list(reports.glob("*/.staging-*")) and not list((reports / ".live").iterdir())


def test_only_staging_folders_older_than_every_live_run_are_removed(tmp_path):
    reports = tmp_path / "reports"
    # a live run in another process, started now: its staging folder must survive
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, pathlib; from ecomanalysis.report.runner import live_run\n"
         f"r = pathlib.Path({str(reports)!r})\n"
         "with live_run(r):\n"
         "    (r / 'shop' / '.staging-live-2').mkdir(parents=True); print('up', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "up"
        live = reports / "shop" / ".staging-live-2"
        dead = reports / "shop" / ".staging-dead-1"  # left by a run that died an hour ago
        dead.mkdir()
        old = time.time() - 3600
        os.utime(dead, (old, old))
        assert clean_stale_staging(reports) == [dead]
        assert live.is_dir() and not dead.exists()
    finally:
        holder.kill()
        holder.wait()
    assert clean_stale_staging(reports) == [live], "its writer died: now it goes too"
    assert not list((reports / ".live").glob("*.lock")), "the dead writer's registration is removed"


def test_shop_files_travel_with_the_task_up_to_the_limit(tmp_path):
    sample = sample_shop_path()
    shipped = _shop_bundle(str(sample), 2**30)
    assert "data" in shipped and all("data" in f for f in shipped["files"].values())
    local = materialize_shop(shipped, tmp_path / "worker")
    assert Path(local).parent == tmp_path / "worker"
    profile = load_shop(local)
    assert str(profile.file_path("orders")).startswith(str(tmp_path / "worker"))
    ref = load_shop(sample)
    assert len(shop_files(profile)["daily_orders"]) == len(shop_files(ref)["daily_orders"])
    by_url = _shop_bundle(sample.as_uri(), 2**30)  # an fsspec URL: fetched by the worker
    assert by_url == {"url": sample.as_uri()}
    fetched = load_shop(materialize_shop(by_url, tmp_path / "w3"))
    assert str(fetched.file_path("orders")).startswith(str(tmp_path / "w3"))
    assert len(shop_files(fetched)["daily_orders"]) == len(shop_files(ref)["daily_orders"])
    by_path = _shop_bundle(str(sample), 10)
    assert "data" not in by_path and by_path["path"] == str(sample)
    assert materialize_shop(by_path, tmp_path / "w2") == str(sample), "above the limit: read in place"


# --------------------------------------------------------------------------- a LocalCluster of 2
@pytest.mark.notebook
def test_batch_of_six_one_broken_one_worker_killed_once_one_killed_twice(tmp_path, capsys):
    sample = str(sample_shop_path())
    flaky, doomed = tmp_path / "flaky.pids", tmp_path / "doomed.pids"
    runs = [
        {"shop": "店铺A", "shop_file": sample, "params": {"daily_orders": 10, "write_xlsx": True}},
        {"shop": "shop-b", "shop_file": sample, "params": {"daily_orders": 20, "lang": "zh"}},
        {"shop": "shop-c", "params": {"daily_orders": 30}},
        {"shop": "broken", "params": {"fail": True}},
        {"shop": "flaky", "params": {"daily_orders": 50, "kill_marker": str(flaky)}},
        {"shop": "doomed", "params": {"kill_always": True, "kill_marker": str(doomed)}},
    ]
    batch = write_batch(tmp_path, runs)
    reports = tmp_path / "reports"
    status = main(["batch", str(batch), "--jobs", "2", "--out-dir", str(reports), "--quiet"])
    out = capsys.readouterr().out
    assert status == 1, "non-zero when any run failed"
    assert "6 runs: 4 ok, 2 failed, 0 skipped" in out

    runs_stored = stored_runs(reports)
    by_shop = {r["shop"]: r for r in runs_stored}
    assert len(runs_stored) == 6 and len(by_shop) == 6, "every shop stored exactly once"
    assert {s: r["status"] for s, r in by_shop.items()} == {
        "店铺A": "ok", "shop-b": "ok", "shop-c": "ok", "broken": "failed", "flaky": "ok", "doomed": "failed"}
    assert by_shop["店铺A"]["metrics"]["orders_per_day"]["value"] == 10
    assert by_shop["店铺A"]["metrics"]["history_days"]["value"] > 300, "shop files reached the worker"
    assert by_shop["店铺A"]["params"]["shop_file"] == sample, "run.json records the client's path"
    assert "deliberate failure" in by_shop["broken"]["error"]
    a_dir = reports / by_shop["店铺A"]["shop_dir"] / by_shop["店铺A"]["run_id"]
    assert (a_dir / "report.xlsx").read_bytes() == "workbook of 店铺A".encode(), "report.xlsx returned"
    assert not list((reports / "shop-c").glob("*/report.xlsx"))
    # flaky: its worker was killed once, the task ran again on a live worker
    killed = [int(x) for x in flaky.read_text().split()]
    assert len(killed) == 1 and not pid_alive(killed[0])
    assert by_shop["flaky"]["metrics"]["orders_per_day"]["value"] == 50
    # doomed: killed on its first try and on its retry, then recorded as failed
    assert len(doomed.read_text().split()) == 2
    assert "died twice" in by_shop["doomed"]["error"]
    for r in runs_stored:
        run_dir = reports / r["shop_dir"] / r["run_id"]
        assert (run_dir / "report.html").is_file() and (run_dir / "metrics.json").is_file()
    assert not list(reports.glob("*/.staging-*"))

    with open(reports / "summary.csv", encoding="utf-8") as fh:
        rows = {row["shop"]: row for row in csv.DictReader(fh)}
    assert len(rows) == 6 and rows["shop-b"]["orders_per_day"] == "20.0"
    assert rows["shop-c"]["team_now"] == "3" and rows["shop-c"]["flags"] == "a flag; another"
    assert rows["doomed"]["status"] == "failed" and "died twice" in rows["doomed"]["error"]
    from openpyxl import load_workbook

    ws = load_workbook(reports / "summary.xlsx").active
    assert ws.max_row == 7 and ws.freeze_panes == "A2"
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert index.count('<h2 class="shop">') == 6 and index.count('<tr class="run"') == 6
    assert "日订单量: 20" in index and "orders per day: 10" in index
    assert index.count("report.xlsx</a>") == 1
    assert json.loads((reports / "last_batch.json").read_text())["interrupted"] is None


@pytest.mark.notebook
def test_resume_after_the_client_is_killed_runs_each_shop_exactly_once(tmp_path):
    import psutil

    hold = tmp_path / "hold"  # shops 2 and 3 wait while it exists: still running at the kill
    hold.touch()
    runs = [{"shop": f"shop-{i}", "params": {"daily_orders": i, "hold_while": str(hold) if i >= 2 else ""}}
            for i in range(4)]
    batch = write_batch(tmp_path, runs)
    reports = tmp_path / "reports"
    client = subprocess.Popen(
        [sys.executable, "-m", "ecomanalysis.cli", "batch", str(batch), "--jobs", "2", "--out",
         str(reports), "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 180
    while time.time() < deadline and len(stored_runs(reports)) < 2:
        time.sleep(0.3)
    done_before = {r["shop"] for r in stored_runs(reports)}
    assert done_before == {"shop-0", "shop-1"}, "the quick shops finished before the kill"
    family = psutil.Process(client.pid).children(recursive=True)
    assert len(family) >= 2, "workers (and their kernels) are running"
    os.kill(client.pid, signal.SIGKILL)  # only the client: its workers must end on their own
    client.wait(timeout=30)
    gone, alive = psutil.wait_procs(family, timeout=30)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], "no orphan worker or kernel"
    hold.unlink()

    assert main(["batch", str(batch), "--jobs", "2", "--out", str(reports), "--quiet", "--resume"]) == 0
    stored = stored_runs(reports)
    assert sorted(r["shop"] for r in stored) == [f"shop-{i}" for i in range(4)], "exactly once each"
    assert all(r["status"] == "ok" for r in stored)
    with open(reports / "summary.csv", encoding="utf-8") as fh:
        status = {row["shop"]: row["status"] for row in csv.DictReader(fh)}
    assert status == {"shop-0": "skipped", "shop-1": "skipped", "shop-2": "ok", "shop-3": "ok"}
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert index.count('<tr class="run"') == 4
    assert not list(reports.glob("*/.staging-*")) and not list((reports / ".live").glob("*.lock"))


@pytest.mark.notebook
def test_killed_run_leaves_no_half_written_report(tmp_path):
    nb = make_notebook(tmp_path, body="import time\ntime.sleep(60)\n")
    reports = tmp_path / "reports"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ecomanalysis.cli", "report", "--notebook", str(nb), "--out", str(reports)],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list(reports.glob("*/.staging-*/output.ipynb")):
        time.sleep(0.2)
    assert list(reports.glob("*/.staging-*")), "the run should be under way in a staging folder"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert not [p for p in reports.rglob("report.html") if not any(x.startswith(".") for x in p.parts[-3:])]
    assert not list(reports.glob("*/[!.]*/run.json"))
    with live_run(reports):  # the next run removes the dead run's staging folder
        assert not list(reports.glob("*/.staging-*"))


@pytest.mark.parametrize("lang, headers, status", [
    ("en", ("Shop", "Notebook", "Status", "Orders per day", "Team now (people)"), "failed"),
    ("zh", ("店铺", "笔记本", "状态", "日订单(单)"), "失败"),
])
def test_summary_workbook_speaks_the_batch_language(tmp_path, lang, headers, status):
    """summary.xlsx is for a manager: headers and run states in the batch's language (they
    were the column ids); summary.csv keeps the ids for machines."""
    from openpyxl import load_workbook

    from ecomanalysis.report.batch import summary_frame, write_summary_xlsx

    records = [{"shop": "a", "notebook": "shop_report", "status": "failed", "error": "boom",
                "metrics": {"orders_per_day": {"value": 20.0}, "team_now": {"value": 3}}}]
    frame = summary_frame(records)
    ws = load_workbook(write_summary_xlsx(tmp_path / "s.xlsx", frame, lang)).active
    row1 = [c.value for c in ws[1]]
    assert tuple(row1[:len(headers)]) == headers
    assert ws.cell(2, 3).value == status and ws.cell(2, 1).value == "a"
    assert ws.cell(2, row1.index(headers[3]) + 1).value == 20.0
    assert list(frame.columns[:3]) == ["shop", "notebook", "status"]
