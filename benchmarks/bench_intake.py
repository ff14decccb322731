"""Benchmark: orders per 15 minutes from a 10-million-row export, ours vs plain pandas.

Generates N order rows (default 10,000,000; ``order_id, order_time, amount, status``, one year,
5 % cancelled and 3 % unpaid) as CSV and as Parquet in a temporary folder, then times, each in
its own process so that peak memory is measured fairly (``ru_maxrss`` of the child):

- ``ours``: ``ecomanalysis.intake.read_orders(path).arrivals("15min")``, i.e. what
  ``ecomanalysis arrivals FILE`` does (preset detection, layout inference, status filter,
  duplicate / negative-amount / future-date checks, zero-filled intervals);
- ``pandas`` (the named baseline): ``pd.read_csv`` (or ``pd.read_parquet``), ``pd.to_datetime``,
  drop cancelled/unpaid, ``resample("15min").size()`` -- no validation at all.

Both results are compared interval by interval.  Targets (issue 4): CSV <= 10 s on this 2-core
machine, >= 3x faster than the pandas baseline, peak memory <= 2 GB.  The machine is shared, so
the load average is printed with the timings.

Usage: ``python benchmarks/bench_intake.py [--rows N] [--freq 15min] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_CSV_S = 10.0
TARGET_RATIO = 3.0
TARGET_RSS_MB = 2048.0
DROP = ("cancelled", "unpaid")


def generate(folder: Path, rows: int) -> dict[str, Path]:
    """Write orders.csv and orders.parquet with ``rows`` rows (deterministic)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"""
        CREATE TABLE o AS
        SELECT 'O' || lpad(CAST(i AS VARCHAR), 12, '0') AS order_id,
               TIMESTAMP '2025-01-01' + to_seconds(CAST(hash(i) % 31536000 AS BIGINT)) AS order_time,
               round(CAST(hash(i * 7 + 1) % 50000 AS DOUBLE) / 100 + 1, 2) AS amount,
               CASE WHEN hash(i * 13 + 2) % 100 < 5 THEN 'cancelled'
                    WHEN hash(i * 13 + 2) % 100 < 8 THEN 'unpaid' ELSE 'paid' END AS status
        FROM range({int(rows)}) AS t(i)""")
    csv, pq = folder / "orders.csv", folder / "orders.parquet"
    con.execute(f"""COPY (SELECT order_id, strftime(order_time, '%Y-%m-%d %H:%M:%S') AS order_time,
                          amount, status FROM o) TO '{csv}' (HEADER, DELIMITER ',')""")
    con.execute(f"COPY o TO '{pq}' (FORMAT PARQUET)")
    con.close()
    return {"csv": csv, "parquet": pq}


# --------------------------------------------------------------------------- children
def child(mode: str, path: str, freq: str, out: str) -> None:
    import resource

    import numpy as np

    t_import = time.perf_counter()
    if mode == "ours":
        from ecomanalysis.intake import read_orders
    else:
        import pandas as pd
    t0 = time.perf_counter()
    if mode == "ours":
        events = read_orders(path)
        a = events.arrivals(freq)
        starts = a["interval_start"].dt.tz_localize(None).to_numpy("datetime64[s]").astype("int64")
        counts = a["arrivals"].to_numpy("int64")
    else:
        if path.endswith(".csv"):
            df = pd.read_csv(path)
            df["order_time"] = pd.to_datetime(df["order_time"])
        else:
            df = pd.read_parquet(path)
        df = df[~df["status"].isin(DROP)]
        s = df.set_index("order_time").resample(freq).size()
        starts = s.index.to_numpy("datetime64[s]").astype("int64")
        counts = s.to_numpy("int64")
    seconds = time.perf_counter() - t0
    np.save(out, np.vstack([starts, counts]))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "import_s": t0 - t_import, "peak_rss_mb": rss_mb,
                      "intervals": int(len(counts)), "orders": int(counts.sum())}))


def run_child(mode: str, path: Path, freq: str, folder: Path) -> dict:
    out = folder / f"{mode}-{path.suffix[1:]}.npy"
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path), "--freq", freq, "--out", str(out)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{mode} on {path.name} failed:\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["npy"] = out
    return result


def same_counts(ours_npy: Path, base_npy: Path) -> bool:
    """Ours covers whole days with zeros; the baseline runs from the first to the last bin."""
    import numpy as np

    o, b = np.load(ours_npy), np.load(base_npy)
    ours = dict(zip(o[0].tolist(), o[1].tolist(), strict=True))
    inside = all(ours.get(t, 0) == c for t, c in zip(b[0].tolist(), b[1].tolist(), strict=True))
    return inside and int(o[1].sum()) == int(b[1].sum())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--freq", default="15min")
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep the files")
    ap.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.freq, args.out)
        return 0

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-intake-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        t = time.perf_counter()
        files = generate(folder, args.rows)
        sizes = {k: p.stat().st_size / 1e6 for k, p in files.items()}
        print(f"generated {args.rows:,} rows in {time.perf_counter() - t:.1f} s: "
              f"CSV {sizes['csv']:.0f} MB, Parquet {sizes['parquet']:.0f} MB  ({folder})")
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before the runs")
        results = {}
        for fmt in ("csv", "parquet"):
            for mode in ("ours", "pandas"):
                results[(mode, fmt)] = r = run_child(mode, files[fmt], args.freq, folder)
                print(f"  {mode:<6} {fmt:<7} {r['seconds']:7.2f} s  peak RSS {r['peak_rss_mb']:7.0f} MB"
                      f"  ({r['intervals']:,} intervals, {r['orders']:,} orders; imports "
                      f"{r['import_s']:.1f} s not counted)")
        print(f"load average after the runs: {os.getloadavg()[0]:.2f}")
        ok = True
        print(f"\narrivals per {args.freq}: ours vs plain pandas (read + to_datetime + filter + resample)")
        for fmt in ("csv", "parquet"):
            ours, base = results[("ours", fmt)], results[("pandas", fmt)]
            ratio = base["seconds"] / ours["seconds"]
            same = same_counts(ours["npy"], base["npy"])
            ok &= same
            print(f"  {fmt:<7} ours {ours['seconds']:6.2f} s, pandas {base['seconds']:6.2f} s, "
                  f"ratio {ratio:4.1f}x; peak RSS ours {ours['peak_rss_mb']:.0f} MB, pandas "
                  f"{base['peak_rss_mb']:.0f} MB; identical counts: {same}")
        ours = results[("ours", "csv")]
        ratio = results[("pandas", "csv")]["seconds"] / ours["seconds"]
        checks = [
            (f"CSV <= {TARGET_CSV_S:.0f} s", ours["seconds"] <= TARGET_CSV_S),
            (f"CSV >= {TARGET_RATIO:.0f}x the pandas baseline", ratio >= TARGET_RATIO),
            (f"peak memory <= {TARGET_RSS_MB / 1024:.0f} GB",
             max(results[("ours", f)]["peak_rss_mb"] for f in ("csv", "parquet")) <= TARGET_RSS_MB),
        ]
        if args.rows == 10_000_000:
            for name, passed in checks:
                print(f"  target {name}: {'met' if passed else 'NOT met'}")
        else:
            print("  (targets apply to --rows 10000000)")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
