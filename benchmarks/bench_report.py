"""Report pipeline speed: one shop report against the floor; a batch with --jobs 2 against --jobs 1.

Floor (named baseline, measured in the same run): papermill on an empty notebook (one cell with
a parameters tag) on the same kernel, plus its HTML export; i.e. what any report costs before it
computes anything.  Targets: the shop report within 2.5x the stack floor (issue 11; repeat runs,
with the content cache of exports, forecast fits, reference tables, calendars and rosters warm;
the first run into an empty cache is printed too); a batch of 8 shops with ``jobs=2`` at least
1.6x faster than ``jobs=1``.

    python benchmarks/bench_report.py [--shops 8] [--lang zh]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import nbformat  # noqa: E402
import yaml  # noqa: E402

from ecomanalysis import cache  # noqa: E402
from ecomanalysis.report import run_notebook  # noqa: E402
from ecomanalysis.report.batch import run_batch  # noqa: E402
from ecomanalysis.shop import sample_shop_path  # noqa: E402

STACK_IMPORTS = (
    "import matplotlib.pyplot as plt\nimport pandas as pd\nimport seaborn as sns\n"
    "from ecomanalysis.plots import use_style\nuse_style()\nfig, ax = plt.subplots()\n"
    "ax.plot([1, 2], [3, 4])\nax.set_title('示例')\nplt.show()"
)


def empty_notebook(folder: Path, body: str = "", name: str = "empty") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "ecomanalysis", "display_name": "Python (ecomanalysis)", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# empty"),
        nbformat.v4.new_code_cell('lang: str = "zh"  # {zh, en}', metadata={"tags": ["parameters"]}),
    ]
    if body:
        nb.cells.append(nbformat.v4.new_code_cell(body))
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shops", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=2, help="best of N for the single-report timings")
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = empty_notebook(tmp)
        floor = timed(lambda: run_notebook(empty, {}, reports_dir=tmp / "floor", update_index=False), args.repeat)
        stack_nb = empty_notebook(tmp, STACK_IMPORTS, "stack")
        stack = timed(lambda: run_notebook(stack_nb, {}, reports_dir=tmp / "stack", update_index=False),
                      args.repeat)
        os.environ[cache.CACHE_DIR_ENV] = str(tmp / "cache")  # empty: the first report fills it

        def one_report():
            return run_notebook("shop_report", {"lang": args.lang, "shop_file": str(sample_shop_path())},
                                reports_dir=tmp / "one", update_index=False)

        first = timed(one_report, 1)
        report = timed(one_report, args.repeat)
        print(f"floor (papermill empty notebook + HTML): {floor:6.2f} s")
        print(f"stack floor (+ pandas, seaborn, one chart):{stack:6.2f} s   (context: the imports any report pays)")
        print(f"shop report, first run (empty cache):    {first:6.2f} s   {first / stack:4.2f}x the stack floor "
              "(parses the export, fits the forecast, solves the rosters)")
        print(f"shop report end to end (caches warm):    {report:6.2f} s   ratio {report / floor:4.2f}x floor "
              f"(target <= 2.0x), {report / stack:4.2f}x the stack floor (target <= 2.5x)")

        if args.shops < 1:
            return 0
        runs = [{"shop": f"shop-{i}", "shop_file": str(sample_shop_path()),
                 "params": {"orders_per_day": float(50 + 60 * i)}} for i in range(args.shops)]
        batch = tmp / "batch.yaml"
        batch.write_text(yaml.safe_dump({"notebook": "shop_report", "defaults": {"lang": args.lang},
                                         "runs": runs}, allow_unicode=True), encoding="utf-8")
        walls = {}
        for jobs in (1, 2):
            t0 = time.perf_counter()
            records = run_batch(batch, jobs=jobs, reports_dir=tmp / f"jobs{jobs}", progress=False)
            walls[jobs] = time.perf_counter() - t0
            failed = [r for r in records if r["status"] != "ok"]
            if failed:
                print(f"jobs={jobs}: {len(failed)} failed: {failed[0]['error']}", file=sys.stderr)
                return 1
        print(f"batch of {args.shops} shops, jobs=1:            {walls[1]:6.2f} s")
        print(f"batch of {args.shops} shops, jobs=2:            {walls[2]:6.2f} s   speed-up "
              f"{walls[1] / walls[2]:4.2f}x (target >= 1.6x on 2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
