"""``reports/index.html``: every run, grouped by shop (latest first), from a Jinja2 template.

Each ``run.json`` is validated with pydantic on read (:class:`RunRecord`); one that is not
readable (bad bytes, truncated, empty, not a mapping, a field of the wrong type, a metric that
is not ``{value, unit, label_zh, label_en}``) is listed as an *unreadable run* with its path
and the reason, never fatal and never silently dropped.  The page is rendered by
``templates/index.html.j2`` with autoescape on, so every user string is text; control
characters are removed.  Metrics show their label in the run's language (``label_zh`` /
``label_en`` from ``metrics.json``), not their key.  Links point only to files that exist (a
run that failed before its notebook ran has no ``output.ipynb``).

Rebuilt after each run under a file lock, written atomically.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from filelock import FileLock
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
)

from ecomanalysis import config
from ecomanalysis._io import write_text

ERROR_ANCHOR = "papermill-error-cell"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
#: Files of a run folder the index links to when present, in this order.
LINKED_FILES = ("report.html", "report.xlsx", "output.ipynb")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

MetricValue = StrictInt | StrictFloat | StrictBool | str | list[str] | None


class Metric(BaseModel):
    """One key figure of ``metrics.json`` / ``run.json``."""

    model_config = ConfigDict(extra="ignore")

    value: MetricValue
    unit: str = ""
    label_zh: str = ""
    label_en: str = ""


class RunRecord(BaseModel):
    """What ``run.json`` must hold for a run to be listed."""

    model_config = ConfigDict(extra="ignore")

    shop: str
    shop_dir: str = ""
    notebook: str
    run_id: str
    status: Literal["ok", "failed"]
    params: dict[str, Any] = Field(default_factory=dict)
    params_hash: str = ""
    started: str
    duration_s: float = Field(ge=0, allow_inf_nan=False)
    metrics: dict[str, Metric] = Field(default_factory=dict)
    error: str | None = None
    error_cell: int | None = None
    run_dir: str = ""


@dataclass
class Unreadable:
    """A ``run.json`` that could not be read: where and why."""

    path: Path
    reason: str


@dataclass
class Scan:
    runs: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = []
        for e in exc.errors()[:5]:
            loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
            parts.append(f"{loc}: {e['msg']}")
        more = exc.error_count() - 5
        return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start})"
    if isinstance(exc, json.JSONDecodeError):
        return "empty file" if not exc.doc.strip() else f"not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})"
    return f"{type(exc).__name__}: {exc}"


def read_run(path: Path) -> dict[str, Any]:
    """A validated ``run.json`` as a dict (``run_dir`` set to its folder); raises on a bad one."""
    data = json.loads(path.read_bytes().decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, found a JSON {type(data).__name__}")
    run = RunRecord.model_validate(data).model_dump()
    run["run_dir"] = str(path.parent)
    return run


def scan_runs(reports_dir: str | os.PathLike | None = None) -> Scan:
    """Every ``run.json`` under ``reports_dir``: the readable runs (newest first) and the rest."""
    reports = Path(reports_dir) if reports_dir is not None else config.REPORTS_DIR
    scan = Scan()
    for path in sorted(reports.glob("*/*/run.json")):
        if path.parent.name.startswith(".") or path.parent.parent.name.startswith("."):
            continue
        try:
            scan.runs.append(read_run(path))
        except (OSError, ValueError, ValidationError) as exc:
            scan.unreadable.append(Unreadable(path, _reason(exc)))
    scan.runs.sort(key=lambda r: (r["started"], r["run_id"]), reverse=True)
    return scan


# --------------------------------------------------------------------------- rendering
def clean_text(value: Any) -> str:
    """A value as display text: control characters (NUL included) removed."""
    return _CONTROL.sub("", "" if value is None else str(value))


def _text_filter(value: Any):
    """Template filter: cleaned text, HTML-escaped (quotes included) and marked safe."""
    import html

    from markupsafe import Markup

    return Markup(html.escape(clean_text(value), quote=True))


def _fmt_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e5 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _lang(run: dict) -> str:
    lang = (run.get("params") or {}).get("lang")
    return lang if lang in config.LANGS else "zh"


def _view(run: dict, reports: Path) -> dict[str, Any]:
    """What the template shows of one run."""
    run_dir = Path(run["run_dir"])
    rel = os.path.relpath(run_dir, reports).replace(os.sep, "/")
    lang = _lang(run)
    links = [{"name": name, "href": f"{rel}/{name}"} for name in LINKED_FILES if (run_dir / name).is_file()]
    metrics = []
    for key, m in (run.get("metrics") or {}).items():
        label = (m.get(f"label_{lang}") or m.get("label_en") or m.get("label_zh") or key)
        metrics.append({"label": label, "value": _fmt_value(m.get("value")), "unit": m.get("unit") or ""})
    error_href = None
    if run["status"] != "ok" and (run_dir / "report.html").is_file() and run.get("error_cell") is not None:
        error_href = f"{rel}/report.html#{ERROR_ANCHOR}"
    return {
        "status": run["status"], "notebook": run["notebook"], "started": run["started"],
        "duration": f"{float(run['duration_s']):.1f} s", "lang": lang, "run_id": run["run_id"],
        "params": json.dumps(run.get("params") or {}, ensure_ascii=False, sort_keys=True),
        "metrics": metrics, "links": links, "error": run.get("error") or "",
        "error_cell": run.get("error_cell"), "error_href": error_href,
    }


def group_by_shop(runs: list[dict]) -> list[dict[str, Any]]:
    """Runs grouped by shop folder; the shop with the latest run first, each shop's runs latest
    first."""
    groups: dict[str, dict[str, Any]] = {}
    for run in sorted(runs, key=lambda r: (r["started"], r["run_id"]), reverse=True):
        key = run.get("shop_dir") or Path(run["run_dir"]).parent.name
        g = groups.setdefault(key, {"shop": run["shop"], "shop_dir": key, "runs": []})
        g["runs"].append(run)
    return list(groups.values())


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["text"] = _text_filter
    return env


def render_index(scan: Scan | list[dict], reports_dir: Path) -> str:
    """The HTML of the index (``scan`` from :func:`scan_runs`, or a list of runs)."""
    if isinstance(scan, list):
        scan = Scan(runs=scan)
    reports = Path(reports_dir)
    groups = []
    for g in group_by_shop(scan.runs):
        views = [_view(r, reports) for r in g["runs"]]
        groups.append({"shop": g["shop"], "shop_dir": g["shop_dir"], "runs": views,
                       "n_failed": sum(v["status"] != "ok" for v in views)})
    unreadable = [{"path": os.path.relpath(u.path, reports).replace(os.sep, "/"), "reason": u.reason}
                  for u in scan.unreadable]
    return _environment().get_template("index.html.j2").render(
        groups=groups, unreadable=unreadable, n_runs=len(scan.runs),
        n_failed=sum(r["status"] != "ok" for r in scan.runs),
    )


def rebuild_index(reports_dir: str | os.PathLike | None = None) -> Path:
    """Rewrite ``index.html`` from every stored run; safe against concurrent batches."""
    reports = Path(reports_dir) if reports_dir is not None else config.REPORTS_DIR
    reports.mkdir(parents=True, exist_ok=True)
    with FileLock(str(reports / ".index.lock"), timeout=120):
        path = reports / "index.html"
        from ecomanalysis.plots import embed_cjk_font

        write_text(path, embed_cjk_font(render_index(scan_runs(reports), reports)))
    return path
