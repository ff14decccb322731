"""``reports/index.html``: every run with status, shop, parameters, duration, metrics and links.

Rebuilt after each run under a file lock, written atomically; every user string is escaped.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from filelock import FileLock

from ecomanalysis import config
from ecomanalysis._io import write_text
from ecomanalysis.report.runner import ERROR_ANCHOR, load_runs

_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}
.ok{color:#11772d;font-weight:600}.failed{color:#b00020;font-weight:600}
code{font-size:12px;white-space:pre-wrap}
.err{color:#b00020;max-width:40em}
"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _fmt_metric(name: str, m: dict) -> str:
    value = m.get("value")
    if isinstance(value, float):
        value = f"{value:,.4g}"
    unit = f" {m['unit']}" if m.get("unit") else ""
    return f"{_e(name)} = {_e(value)}{_e(unit)}"


def render_index(runs: list[dict], reports_dir: Path) -> str:
    rows = []
    for run in runs:
        run_dir = Path(run["run_dir"])
        rel = os.path.relpath(run_dir, reports_dir).replace(os.sep, "/")
        status = run.get("status", "?")
        link = f'<a href="{_e(rel)}/report.html">report</a> · <a href="{_e(rel)}/output.ipynb">notebook</a>'
        err = ""
        if status != "ok":
            err = (
                f'<div class="err">{_e(run.get("error") or "")} '
                f'(<a href="{_e(rel)}/report.html#{ERROR_ANCHOR}">failing cell'
                + (f" {int(run['error_cell'])}" if run.get("error_cell") is not None else "")
                + "</a>)</div>"
            )
        params = json.dumps(run.get("params", {}), ensure_ascii=False, sort_keys=True)
        metrics = "<br>".join(_fmt_metric(k, v) for k, v in (run.get("metrics") or {}).items())
        rows.append(
            "<tr>"
            f'<td class="{_e(status)}">{_e(status)}</td>'
            f"<td>{_e(run.get('shop', ''))}</td>"
            f"<td>{_e(run.get('notebook', ''))}</td>"
            f"<td>{_e(run.get('started', ''))}</td>"
            f"<td>{float(run.get('duration_s', 0)):.1f} s</td>"
            f"<td><code>{_e(params)}</code></td>"
            f"<td>{metrics}{err}</td>"
            f"<td>{link}</td>"
            "</tr>"
        )
    n_failed = sum(r.get("status") != "ok" for r in runs)
    return (
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
        "<title>ecomanalysis reports</title>"
        f"<style>{_CSS}</style></head><body>"
        "<h1>ecomanalysis · 报告索引 / report index</h1>"
        f"<p>{len(runs)} runs, {n_failed} failed.</p>"
        "<table><thead><tr><th>status</th><th>shop</th><th>notebook</th><th>started (UTC)</th>"
        "<th>duration</th><th>parameters</th><th>key metrics</th><th>links</th></tr></thead><tbody>"
        + "\n".join(rows)
        + "</tbody></table></body></html>\n"
    )


def rebuild_index(reports_dir: str | os.PathLike | None = None) -> Path:
    """Rewrite ``index.html`` from every stored run; safe against concurrent batches."""
    reports = Path(reports_dir) if reports_dir is not None else config.REPORTS_DIR
    reports.mkdir(parents=True, exist_ok=True)
    with FileLock(str(reports / ".index.lock"), timeout=120):
        path = reports / "index.html"
        from ecomanalysis.plots import embed_cjk_font

        write_text(path, embed_cjk_font(render_index(load_runs(reports), reports)))
    return path
