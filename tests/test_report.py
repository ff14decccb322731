"""ecomanalysis.report: parameter validation, safe injection, outputs, failures, index."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from ecomanalysis.errors import InputError
from ecomanalysis.report import params as P
from ecomanalysis.report import run_notebook, safe_name

PARAMS_SOURCE = '''shop_name: str = "demo"  # shop or scenario name
daily_orders: int = 250  # orders per day [0, 100000]
conversion: float = 0.04  # a fraction [0, 1]
lang: str = "zh"  # report language {zh, en}
fail: bool = False  # raise on purpose
api_token: str = ""  # a secret, never shown'''

BODY = '''from ecomanalysis.report import record
record("orders_x2", daily_orders * 2, unit="orders/day")
record("shop_name_len", len(shop_name))
print("shop:", shop_name)
print("token length:", len(api_token))
if fail:
    raise RuntimeError("deliberate failure")
'''


def make_notebook(folder: Path, body: str = BODY) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tiny report"),
        nbformat.v4.new_code_cell(PARAMS_SOURCE, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(body),
        nbformat.v4.new_markdown_cell("done"),
    ]
    path = folder / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


def test_schema_from_parameters_cell():
    schema = P.schema_from_source(PARAMS_SOURCE)
    assert schema["daily_orders"] == P.Param("daily_orders", "int", 250, "orders per day", 0.0, 100000.0)
    assert schema["lang"].choices == ("zh", "en")
    assert schema["conversion"].high == 1.0
    assert schema["api_token"].secret and not schema["lang"].secret


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"dialy_orders": "3"}, "'dialy_orders' is not a parameter"),
        ({"daily_orders": "many"}, "'daily_orders' has 'many'; expected int"),
        ({"daily_orders": "-5"}, "expected a value in [0, 100000]"),
        ({"conversion": "4"}, "expected a value in [0, 1]"),
        ({"lang": "fr"}, "expected one of zh, en"),
        ({"fail": "maybe"}, "expected bool"),
    ],
)
def test_validation_rejects_bad_values(values, message):
    schema = P.schema_from_source(PARAMS_SOURCE)
    with pytest.raises(InputError) as exc:
        P.validate(schema, values, texts=True, where="--set")
    assert message in str(exc.value)


def test_validation_converts_texts_by_declared_type():
    schema = P.schema_from_source(PARAMS_SOURCE)
    out = P.validate(schema, {"daily_orders": "300", "conversion": "0.05", "fail": "false"}, texts=True)
    assert out["daily_orders"] == 300 and out["conversion"] == 0.05 and out["fail"] is False
    assert out["lang"] == "zh"  # default filled in
    with pytest.raises(InputError, match="expected int"):
        P.validate(schema, {"daily_orders": True})  # typed values are not coerced


def test_parameters_cell_must_be_annotated_literals():
    with pytest.raises(InputError, match="annotated literal"):
        P.schema_from_source("x = 1")
    with pytest.raises(InputError, match="literal default"):
        P.schema_from_source("x: int = len('ab')")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        ("..", "shop"),
        ("a/b\\c", "a-b-c"),
        ("天猫 旗舰店", "天猫-旗舰店"),
        ('x"; import os; os.system("touch /tmp/pwned") #', "x-import-os-os-system-touch-tmp-pwned"),
    ],
)
def test_safe_name(name, expected):
    assert safe_name(name) == expected
    assert "/" not in safe_name(name) and not safe_name(name).startswith(".")


def test_injected_values_are_literals():
    evil = '\\"; __import__("os").system("touch /tmp/pwned") #'
    src = P.literal(evil)
    namespace: dict = {}
    exec(f"x = {src}", namespace)  # noqa: S102 - the point of the test
    assert namespace["x"] == evil


@pytest.mark.notebook
def test_run_ok_writes_outputs_and_metrics(tmp_path):
    nb = make_notebook(tmp_path)
    evil = 'x"; import os; os.system("touch ' + str(tmp_path / "pwned") + '") #'
    result = run_notebook(
        nb, {"shop_name": evil, "daily_orders": "21", "api_token": "s3cr3t-value"},
        reports_dir=tmp_path / "reports", texts=True,
    )
    assert result.ok, result.error
    assert not (tmp_path / "pwned").exists()
    run_dir = Path(result.run_dir)
    assert run_dir.parent.name == safe_name(evil)
    assert run_dir.parent.parent == tmp_path / "reports"
    metrics = json.loads((run_dir / "metrics.json").read_text())["metrics"]
    assert metrics["orders_x2"]["value"] == 42
    assert metrics["shop_name_len"]["value"] == len(evil)
    html = (run_dir / "report.html").read_text()
    out = (run_dir / "output.ipynb").read_text()
    assert "record(" not in html, "code cells must not be in the HTML"
    assert "injected by ecomanalysis" not in html
    assert "token length: 12" in html  # the secret reached the kernel ...
    for text in (html, out, (run_dir / "run.json").read_text(), (tmp_path / "reports/index.html").read_text()):
        assert "s3cr3t-value" not in text  # ... but no output or metadata
    assert '"papermill"' not in out or '"parameters"' not in json.loads(out)["metadata"].get("papermill", {})
    index = (tmp_path / "reports" / "index.html").read_text()
    assert "&quot;" in index and 'os.system("touch' not in index, "user strings must be escaped"


@pytest.mark.notebook
def test_failed_run_is_stored_with_error_and_link(tmp_path):
    nb = make_notebook(tmp_path)
    result = run_notebook(nb, {"fail": True}, shop="broken", reports_dir=tmp_path / "r")
    assert result.status == "failed"
    assert "deliberate failure" in result.error
    run_dir = Path(result.run_dir)
    assert (run_dir / "report.html").exists() and (run_dir / "output.ipynb").exists()
    index = (tmp_path / "r" / "index.html").read_text()
    assert "failed" in index and "#papermill-error-cell" in index
    assert "papermill-error-cell" in (run_dir / "report.html").read_text()


def test_unknown_parameter_rejected_before_kernel_starts(tmp_path):
    nb = make_notebook(tmp_path)
    with pytest.raises(InputError, match="'nope' is not a parameter"):
        run_notebook(nb, {"nope": 1}, reports_dir=tmp_path / "r")
    assert not (tmp_path / "r").exists()


@pytest.mark.notebook
def test_shop_report_shows_user_text_as_text(tmp_path):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    result = run_notebook("shop_report", {"shop_name": evil, "lang": "en", "orders_per_day": 60.0},
                          reports_dir=tmp_path)
    assert result.ok, result.error
    html = (Path(result.run_dir) / "report.html").read_text(encoding="utf-8")
    assert evil not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index


def test_a_chromium_profile_still_being_written_is_removed_without_failing(tmp_path, monkeypatch):
    """Chromium's helpers may write into the profile just after the browser exits: removal
    retries, and never fails the caller ('Directory not empty: Default' once failed a run)."""
    import shutil as sh

    from ecomanalysis.report import browser

    prof = tmp_path / "profile"
    (prof / "Default").mkdir(parents=True)
    (prof / "Default" / "x").write_text("x")
    calls = []
    real = sh.rmtree

    def flaky(path, *a, **kw):
        calls.append(path)
        if len(calls) < 3 and not kw.get("ignore_errors"):
            raise OSError(39, "Directory not empty", "Default")
        return real(path, *a, **kw)

    monkeypatch.setattr(browser.shutil, "rmtree", flaky)
    browser.remove_profile(prof)
    assert not prof.exists() and len(calls) == 3
    # always failing: gives up after PROFILE_REMOVE_S without raising
    monkeypatch.setattr(browser, "PROFILE_REMOVE_S", 0.2)
    monkeypatch.setattr(browser.shutil, "rmtree", lambda p, *a, **kw: None if kw.get("ignore_errors")
                        else (_ for _ in ()).throw(OSError(39, "Directory not empty")))
    browser.remove_profile(tmp_path / "other")
