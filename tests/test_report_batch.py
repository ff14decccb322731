"""Batch runs: a broken shop does not stop the others, resume, the lock, a killed run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml
from filelock import FileLock

from ecomanalysis.cli import main
from ecomanalysis.errors import InputError
from ecomanalysis.report.batch import load_batch, run_batch
from tests.test_report import make_notebook


def write_batch(tmp_path, runs, **top):
    nb = make_notebook(tmp_path)
    spec = {"notebook": str(nb), "defaults": {"lang": "en"}, "runs": runs, **top}
    path = tmp_path / "batch.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


RUNS = [
    {"shop": "店铺A", "params": {"daily_orders": 10}},
    {"shop": "broken", "params": {"fail": True}},
    {"shop": "typo", "params": {"dialy_orders": 5}},
    {"shop": "shop-b", "params": {"daily_orders": 20}},
]


def test_load_batch_validates_each_run(tmp_path):
    jobs, _ = load_batch(write_batch(tmp_path, RUNS))
    assert [j.error is None for j in jobs] == [True, True, False, True]
    assert "'dialy_orders' is not a parameter" in jobs[2].error
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


@pytest.mark.notebook
def test_batch_isolates_failures_and_resumes(tmp_path, capsys):
    batch = write_batch(tmp_path, RUNS)
    reports = tmp_path / "reports"
    status = main(["batch", str(batch), "--jobs", "2", "--out", str(reports), "--quiet"])
    out = capsys.readouterr().out
    assert status == 1, "non-zero when any run failed"
    assert "4 runs: 2 ok, 2 failed, 0 skipped" in out
    runs = [json.loads(p.read_text()) for p in reports.glob("*/*/run.json")]
    by_shop = {r["shop"]: r for r in runs}
    assert by_shop["店铺A"]["status"] == "ok" and by_shop["shop-b"]["status"] == "ok"
    assert by_shop["店铺A"]["metrics"]["orders_x2"]["value"] == 20
    assert by_shop["shop-b"]["metrics"]["orders_x2"]["value"] == 40
    assert "deliberate failure" in by_shop["broken"]["error"]
    assert "not a parameter" in by_shop["typo"]["error"]
    index = (reports / "index.html").read_text()
    assert index.count('class="failed"') == 2 and "店铺A" in index

    records = run_batch(batch, jobs=1, resume=True, reports_dir=reports, progress=False)
    assert [r["status"] for r in records] == ["skipped", "failed", "failed", "skipped"]
    assert len(list(reports.glob("店铺A/*/run.json"))) == 1, "resume must not re-run a done shop"


def test_overlapping_batch_is_refused(tmp_path):
    batch = write_batch(tmp_path, RUNS[:1])
    reports = tmp_path / "reports"
    reports.mkdir()
    with FileLock(str(reports / ".batch.lock")):
        with pytest.raises(InputError, match="another batch is running"):
            run_batch(batch, reports_dir=reports, progress=False)
    assert not list(reports.glob("*/*/run.json")), "the refused batch wrote nothing"


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
