"""Hostile input over every command: exit 2, a message naming the input, no traceback, nothing
left behind; faults (full and read-only output folders, kill -9 of a report); secrets in every
output file.  The CLI runs in-process (ecomanalysis.cli.main) except where a real process
matters (kill -9, kernel noise on stderr)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomanalysis import config
from ecomanalysis.cli import main
from ecomanalysis.errors import InputError

SAMPLE = config.DATA_DIR / "shops" / "sample"


def run(capsys, argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# --------------------------------------------------------------------------- hostile files
@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hostile")
    f: dict[str, Path] = {}
    days = pd.date_range("2023-01-01", periods=100)
    for year in ("3000", "1900", "0001"):
        f[f"daily{year}"] = d / f"daily{year}.csv"
        pd.DataFrame({"date": days.strftime("%Y-%m-%d").str.replace("2023", year),
                      "value": range(100)}).to_csv(f[f"daily{year}"], index=False)
    orders = pd.read_csv(SAMPLE / "orders.csv", dtype=str, nrows=500)
    chats = pd.read_csv(SAMPLE / "chats.csv", dtype=str, nrows=500)
    for year in ("0001", "1900"):
        f[f"orders{year}"] = d / f"orders{year}.csv"
        orders.assign(order_time=year + orders["order_time"].str[4:]).to_csv(f[f"orders{year}"], index=False)
    f["chats1900"] = d / "chats1900.csv"
    chats.assign(start_time="1900" + chats["start_time"].str[4:]).to_csv(f["chats1900"], index=False)
    shop = (config.SHOPS_DIR / "sample.yaml").read_text(encoding="utf-8").replace(
        "sample/", f"{SAMPLE}/")
    (d / "gbk.yaml").write_bytes(shop.encode("gbk"))
    (d / "utf16.yaml").write_bytes(shop.encode("utf-16"))
    bomb, prev = 'name: x\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n', "a"
    for n in "bcdefghi":
        bomb += f"{n}: &{n} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = n
    (d / "bomb.yaml").write_text(bomb)
    (d / "big.yaml").write_text("name: x\n" + "#" * 1_100_000 + "\n")
    (d / "deep.yaml").write_text("name: " + "[" * 100_000 + "]" * 100_000 + "\n")
    (d / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (d / "passwd.yaml").write_text("name: evil\nfiles:\n  orders: /etc/passwd\n")
    (d / "folder.yaml").mkdir()
    (d / "folder.csv").mkdir()
    (d / "a_file").write_text("x")
    head = "order_id,order_time,amount,status\nS1,2025-01-01 01:45:38,175.26,paid\n"
    (d / "quote.csv").write_text(head + 'S2,"2025-01-01 12:23:06,53.77,paid\nS3,x,1,paid\n')
    (d / "fields.csv").write_text(head + "S3,2025-01-01 12:23:06,53.77,paid,root:secret,more\n")
    (d / "zones.csv").write_text(head.replace("01:45:38", "01:45:38Z")
                                 + "S2,2025-01-01 12:23:06+08:00,1,paid\n")
    for k in ("quote", "fields", "zones"):
        f[k] = d / f"{k}.csv"
    for k in ("gbk", "utf16", "bomb", "big", "deep", "binary", "passwd"):
        f[k] = d / f"{k}.yaml"
    f["folder"], f["folder_csv"], f["a_file"], f["dir"] = (d / "folder.yaml", d / "folder.csv",
                                                           d / "a_file", d)
    return f


#: (case id, argv with {placeholders} for the files fixture, text the message must contain)
CASES = [
    ("erlang-volume-1e12", ["erlang", "--volume", "1e12", "--aht", "180"], "--volume"),
    ("erlang-hang-patience", ["erlang", "--volume", "1e9", "--aht", "180", "--patience", "100"], "--volume"),
    ("erlang-traffic", ["erlang", "--volume", "1e6", "--aht", "3600", "--interval", "60"], "Erlangs"),
    ("erlang-volume-nan", ["erlang", "--volume", "nan", "--aht", "180"], "--volume"),
    ("erlang-aht-inf", ["erlang", "--volume", "100", "--aht", "inf"], "--aht"),
    ("erlang-patience-neg", ["erlang", "--volume", "100", "--aht", "180", "--patience", "-1"], "--patience"),
    ("erlang-within-huge", ["erlang", "--volume", "100", "--aht", "180", "--within", "1e300"], "--within"),
    ("erlang-interval-0", ["erlang", "--volume", "100", "--aht", "180", "--interval", "0"], "--interval"),
    ("erlang-concurrency", ["erlang", "--volume", "100", "--aht", "180", "--concurrency", "100000"], "--concurrency"),
    ("erlang-profile", ["erlang", "--volume", "100", "--aht", "180", "--concurrency", "2",
                        "--aht-by-concurrency", "1,1e9"], "--aht-by-concurrency"),
    ("erlang-csv-folder", ["erlang", "--csv", "{folder_csv}"], "folder.csv"),
    ("staff-orders-1e12", ["staff", "--orders", "1e12"], "--orders"),
    ("staff-orders-nan", ["staff", "--orders", "nan"], "--orders"),
    ("staff-set-1e308", ["staff", "--orders", "100", "--set", "presale_aht_s=1e308"], "presale_aht_s"),
    ("staff-set-nan", ["staff", "--orders", "100", "--set", "presale_aht_s=nan"], "presale_aht_s"),
    ("staff-set-concurrency", ["staff", "--orders", "100", "--set", "presale_concurrency=500"],
     "presale_concurrency"),
    ("staff-set-tiny-divisor", ["staff", "--orders", "100", "--set", "packing_orders_per_hour=1e-320"],
     "packing_orders_per_hour"),
    ("staff-out-folder", ["staff", "--orders", "10", "-o", "{folder}"], "folder.yaml"),
    ("triggers-1e9", ["triggers", "--max-orders", "1e9"], "--max-orders"),
    # too many hires is refused from one level, before the 2,001-level grid (was 13 s)
    ("triggers-rows", ["triggers", "--max-orders", "20000", "--set", "presale_aht_s=4000"],
     "hires to locate"),
    ("sample-days", ["sample", "--days", "100000000", "--out-dir", "{dir}/s1"], "--days"),
    ("sample-start-year1", ["sample", "--start", "0001-01-01", "--out-dir", "{dir}/s2"], "--start"),
    ("sample-seed", ["sample", "--seed", "-1", "--out-dir", "{dir}/s3"], "--seed"),
    ("sample-out-file", ["sample", "--days", "3", "--out-dir", "{a_file}"], "a_file"),
    ("forecast-year-3000", ["forecast", "{daily3000}"], "daily3000.csv row"),
    ("forecast-year-1900", ["forecast", "{daily1900}"], "daily1900.csv row"),
    ("forecast-year-1", ["forecast", "{daily0001}"], "daily0001.csv row"),
    ("forecast-horizon", ["forecast", "{daily1900}", "--horizon", "100000000"], "--horizon"),
    ("forecast-out-folder", ["forecast", "{daily1900}", "-o", "{folder}"], "folder.yaml"),
    ("arrivals-year-1", ["arrivals", "{orders0001}"], "orders0001.csv"),
    ("arrivals-year-1900", ["arrivals", "{orders1900}"], "orders1900.csv"),
    ("arrivals-chats-1900", ["arrivals", "--chats", "{chats1900}"], "chats1900.csv"),
    ("arrivals-folder", ["arrivals", "{folder_csv}"], "folder.csv"),
    ("csv-unterminated-quote", ["arrivals", "{quote}"], "unterminated quote"),
    ("csv-extra-fields", ["arrivals", "{fields}"], "expected 4 fields like the header"),
    ("times-z-and-offset", ["profile", "{zones}"], "mixes times with Z (UTC) and with a UTC offset"),
    ("profile-top", ["profile", "{orders1900}", "--top", "0"], "--top"),
    ("peak-year", ["peak", "--year", "3000"], "--year"),
    ("report-timeout", ["report", "--timeout", "-1"], "--timeout"),
    ("report-nan", ["report", "--set", "orders_per_day=nan"], "orders_per_day"),
    ("report-huge", ["report", "--set", "orders_per_day=1e308"], "orders_per_day"),
    ("report-bomb", ["report", "--shop", "{bomb}"], "bomb.yaml"),
    ("report-passwd", ["report", "--shop", "{passwd}"], "files.orders"),
    ("batch-jobs", ["batch", "x.yaml", "--jobs", "0"], "--jobs"),
    ("screenshot-width", ["screenshot", "a.html", "b.png", "--width", "1000000"], "--width"),
    ("teaching-out-file", ["teaching", "build", "--no-execute", "--out-dir", "{a_file}"], "a_file"),
    ("teaching-timeout", ["teaching", "build", "--timeout", "-5"], "--timeout"),
    ("shop-alias-bomb", ["staff", "--shop", "{bomb}"], "bomb.yaml"),
    ("shop-too-big", ["staff", "--shop", "{big}"], "big.yaml"),
    ("shop-too-deep", ["staff", "--shop", "{deep}"], "deep.yaml"),
    ("shop-binary", ["staff", "--shop", "{binary}"], "binary.yaml"),
    ("shop-folder", ["staff", "--shop", "{folder}"], "folder.yaml"),
    ("shop-etc-passwd", ["staff", "--shop", "{passwd}"], "files.orders"),
    ("peak-etc-passwd", ["peak", "--shop", "{passwd}"], "files.orders"),
]


@pytest.mark.parametrize("argv,text", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_case_exits_2_with_a_message(capsys, files, argv, text):
    argv = [a.format(**{k: str(v) for k, v in files.items()}) for a in argv]
    before = listing(files["dir"])
    t0 = time.perf_counter()
    code, out, err = run(capsys, argv)
    assert time.perf_counter() - t0 < 60
    assert code == 2, err
    assert "Traceback" not in err and "Traceback" not in out
    assert text in err, err
    assert all(line.startswith("error: ") for line in err.strip().splitlines()), err
    assert "root:" not in err  # never a line of /etc/passwd
    assert listing(files["dir"]) == before, "nothing may be left behind"


def test_non_utf8_shop_files_are_decoded(capsys, files):
    for key in ("gbk", "utf16"):
        code, out, err = run(capsys, ["staff", "--shop", files[key]])
        assert code == 0, err
        assert "示例女装店" in out


# --------------------------------------------------------------------------- validate-data
@pytest.fixture
def data_copy(tmp_path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, d, ignore=shutil.ignore_patterns("shops", "examples"))
    return d


def test_validate_data_header_only_table_is_one_line(capsys, data_copy):
    path = data_copy / "roles.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    code, out, err = run(capsys, ["validate-data", data_copy])
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0].startswith("roles.csv has no rows") and len(lines) == 2, lines


def test_validate_data_each_problem_once_with_its_column(capsys, data_copy):
    st_path = data_copy / "standards.csv"
    df = pd.read_csv(st_path, dtype=str, keep_default_na=False)
    df.loc[3, "value"] = "1000"  # above its high
    df.loc[4, "low"] = "NaN"
    df["surprise"] = "x"
    df.to_csv(st_path, index=False)
    shutil.rmtree(data_copy / "stages.csv", ignore_errors=True)
    (data_copy / "stages.csv").unlink()
    (data_copy / "stages.csv").mkdir()
    code, out, err = run(capsys, ["validate-data", data_copy])
    assert code == 2 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines[-1] == f"4 problem(s) in {data_copy}", lines
    assert any("stages.csv: is a folder" in x for x in lines)
    assert "standards.csv: unexpected column 'surprise'" in err
    assert "standards.csv row 5: value='1000', high='300'; expected value <= high" in err
    assert "standards.csv row 6: column 'low' has 'NaN' which is not a number" in err


# --------------------------------------------------------------------------- hypothesis
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1e308", "-0", "nan", "inf", "-inf", "1e-320", "9" * 400]),
    st.integers(min_value=-(10**20), max_value=10**20),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(volume=NUMBERS, aht=NUMBERS, patience=st.one_of(st.none(), NUMBERS))
def test_erlang_never_tracebacks(capsys, volume, aht, patience):
    argv = ["erlang", "--volume", str(volume), "--aht", str(aht)]
    if patience is not None:
        argv += ["--patience", str(patience)]
    t0 = time.perf_counter()
    try:
        code, out, err = run(capsys, argv)
    except SystemExit as exc:  # argparse: not a number at all
        assert exc.code == 2
        return
    assert code in (0, 2), err
    assert "Traceback" not in err
    assert time.perf_counter() - t0 < 20


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(std=st.sampled_from(["presale_aht_s", "cs_shrinkage", "presale_concurrency", "hours_per_day",
                            "packing_orders_per_hour", "nope"]),
       value=NUMBERS, orders=st.one_of(st.floats(0, 5000), st.sampled_from([float("nan"), 1e7])))
def test_staff_set_never_tracebacks(capsys, std, value, orders):
    code, out, err = run(capsys, ["staff", "--orders", str(orders), "--set", f"{std}={value}"])
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith("error: ")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.text(max_size=300), st.binary(max_size=300).map(
    lambda b: b.decode("latin-1"))))
def test_erlang_csv_contents_never_traceback(capsys, tmp_path, body):
    path = tmp_path / "intervals.csv"
    path.write_text("interval_start,volume,aht_s\n" + body, encoding="utf-8", errors="replace")
    code, out, err = run(capsys, ["erlang", "--csv", path, "--interval", "900"])
    assert code in (0, 2), err
    assert "Traceback" not in err


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.text(max_size=400), st.binary(max_size=400)))
def test_shop_file_contents_never_traceback(capsys, tmp_path, body):
    path = tmp_path / "shop.yaml"
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    code, out, err = run(capsys, ["staff", "--orders", "10", "--shop", path])
    assert code in (0, 2), err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- faults
def _mount_tmpfs(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                         capture_output=True)
    return res.returncode == 0


@pytest.fixture
def full_folder(tmp_path):
    mnt = tmp_path / "full"
    if not _mount_tmpfs(mnt, "size=64k"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT)
    try:  # fill it up
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture
def readonly_folder(tmp_path):
    mnt = tmp_path / "ro"
    if not _mount_tmpfs(mnt, "size=64k,ro"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.parametrize("argv", [
    ["staff", "--orders", "100", "-o", "{out}/staff.csv"],
    ["triggers", "--max-orders", "300", "-o", "{out}/triggers.csv"],
    ["erlang", "--csv", "{csv}", "--interval", "900", "-o", "{out}/agents.csv"],
    ["sample", "--days", "30", "--out-dir", "{out}/shop"],
    ["arrivals", str(SAMPLE / "orders.csv"), "-o", "{out}/arrivals.csv"],
    ["forecast", str(config.EXAMPLES_DIR / "tianchi_mum_baby_daily.csv"), "--column", "purchases",
     "--horizon", "30", "-o", "{out}/forecast.csv"],
], ids=["staff", "triggers", "erlang", "sample", "arrivals", "forecast"])
@pytest.mark.parametrize("kind", ["full", "readonly"])
def test_full_or_readonly_output_folder_exits_2(capsys, request, tmp_path, argv, kind):
    out = request.getfixturevalue(f"{kind}_folder")
    csv = tmp_path / "intervals.csv"
    csv.write_text("interval_start,volume,aht_s\n2024-11-11 20:00,100,180\n")
    before = listing(out)
    code, stdout, err = run(capsys, [a.format(out=out, csv=csv) for a in argv])
    assert code == 2, err
    assert "Traceback" not in err
    expected = "the disk is full" if kind == "full" else "read-only"
    assert expected in err and str(out) in err, err
    assert listing(out) == before, "no half-written file may stay"


# --------------------------------------------------------------------------- reports
PARAMS = '''shop_name: str = "demo"  # shop or scenario name
daily_orders: int = 250  # orders per day [0, 100000]
api_token: str = ""  # a secret, never shown
sleep_s: float = 0.0  # seconds to wait [0, 600]'''

BODY = '''import time
from ecomanalysis.report import record
time.sleep(sleep_s)
record("token", api_token)
print("token:", api_token)
from IPython.display import HTML, Markdown, display
display(HTML("<p>" + api_token.replace("&", "&amp;").replace("<", "&lt;") + "</p>"))
print(repr(api_token))
'''


@pytest.fixture
def tiny(tmp_path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny"),
                nbformat.v4.new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(BODY)]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


SECRET = "Tk&<\"'9z\\Q>x"


@pytest.mark.notebook
def test_secret_never_leaves_in_any_encoding(tmp_path, tiny, capsys):
    from ecomanalysis.report.runner import secret_forms

    reports = tmp_path / "reports"
    code, out, err = run(capsys, ["report", "--notebook", tiny, "--out", reports,
                                  "--shop-name", "O'Brien\x00 \x1b[31m__shop__",
                                  "--set", f"api_token={SECRET}"])
    assert code == 0, err
    html = next(reports.rglob("report.html")).read_text(encoding="utf-8")
    assert "<title>O'Brien [31m__shop__ · tiny</title>" in html  # the characters, no NUL/ESC
    forms = secret_forms(SECRET)
    assert len(forms) >= 6
    files = [p for p in reports.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"output.ipynb", "report.html", "metrics.json", "run.json"}
    for p in files:
        text = p.read_text(encoding="utf-8", errors="replace")
        assert "\x00" not in text and "\x1b" not in text, p.name
        for form in forms:
            assert form not in text, (p.name, form)
    for form in forms:
        assert form not in out and form not in err


def test_secret_of_wrong_type_is_not_echoed(tiny, tmp_path):
    from ecomanalysis.report import run_notebook

    with pytest.raises(InputError) as exc:
        run_notebook(tiny, {"api_token": 98765432}, reports_dir=tmp_path / "r")
    assert "98765432" not in str(exc.value) and "api_token" in str(exc.value)
    assert "str" in str(exc.value)
    assert not (tmp_path / "r").exists()


def _cli(*args, **kw):
    return [sys.executable, "-m", "ecomanalysis.cli", *map(str, args)]


@pytest.mark.notebook
def test_killed_report_leaves_nothing_visible_and_next_run_cleans_up(tmp_path, tiny):
    reports = tmp_path / "reports"
    proc = subprocess.Popen(_cli("report", "--notebook", tiny, "--out", reports, "--shop-name",
                                 "kill", "--set", "sleep_s=60"),
                            start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and not list(reports.glob("kill/.staging-*")):
        time.sleep(0.2)
    assert list(reports.glob("kill/.staging-*")), "the run never started"
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    visible = [p for p in (reports / "kill").iterdir() if not p.name.startswith(".")]
    assert visible == [], "a killed run must leave no visible run folder"
    # the next run (a real process: the kernel's stderr is ours) cleans up and is quiet
    res = subprocess.run(_cli("report", "--notebook", tiny, "--out", reports, "--shop-name",
                              "kill"), capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "KeyboardInterrupt" not in res.stderr, res.stderr
    assert not list(reports.glob("*/.staging-*"))
    runs = [p for p in (reports / "kill").iterdir() if not p.name.startswith(".")]
    assert len(runs) == 1 and (runs[0] / "run.json").exists()
    assert json.loads((runs[0] / "run.json").read_text())["status"] == "ok"


def test_unexpected_error_is_one_line_and_debug_shows_traceback(capsys, monkeypatch):
    from ecomanalysis.commands import staffing

    def boom(args):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(staffing, "_staff", boom)
    code, out, err = run(capsys, ["staff", "--orders", "1"])
    assert code == 1 and "Traceback" not in err
    assert "unexpected RuntimeError: kaboom" in err and "--debug" in err
    code, out, err = run(capsys, ["--debug", "staff", "--orders", "1"])
    assert code == 1 and "Traceback" in err


@pytest.mark.notebook
@pytest.mark.parametrize("kind", ["full", "readonly"])
def test_report_into_full_or_readonly_folder_exits_2(capsys, request, tiny, kind):
    out = request.getfixturevalue(f"{kind}_folder")
    before = listing(out)
    code, stdout, err = run(capsys, ["report", "--notebook", tiny, "--out", out, "--shop-name", "x"])
    assert code == 2, err
    assert "Traceback" not in err
    assert ("the disk is full" if kind == "full" else "read-only") in err, err
    # the runner's hidden lock folder (reports/.live, empty once the run ends) may stay
    assert listing(out) - {".live"} == before, "no staging folder or half-written run may stay"
    assert not any((out / ".live").glob("*")) if (out / ".live").exists() else True


def test_kernel_shutdown_sends_no_interrupt():
    """jupyter_client interrupts (SIGINT) before its shutdown request; racing a message the
    kernel is handling, that prints "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel."
    after a successful report.  Our manager skips the interrupt while shutting down only."""
    import asyncio

    from ecomanalysis.report.runner import _ipc_kernel_manager

    km = _ipc_kernel_manager()()
    sent = []

    async def record(*args, **kw):
        sent.append(args)

    km.__dict__["_async_signal_kernel"] = record
    km.__dict__["_async_send_kernel_sigint"] = record
    km.shutting_down = True
    asyncio.run(km._async_interrupt_kernel())
    assert sent == []
    km.shutting_down = False
    with pytest.raises(RuntimeError, match="No kernel is running"):  # a real interrupt is tried
        asyncio.run(km._async_interrupt_kernel())
