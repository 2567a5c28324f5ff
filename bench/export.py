"""City-scale export vs a raw openpyxl write of the same cell values, measured in the same run (issue 3).

The workbook: 13 orgs × 17 months × every target (明细), every measure with its narratives (工作进展), the
target table and the summary — one file. The sample data comes from services.sample_data in a temporary folder.

Compared, each in a fresh process (time: best of --rounds; memory: tracemalloc peak in one more process,
because tracing slows Python down):
  export      the whole use case: read the ledger, build the rows, style, stream, save, move into place
  styled      only writing the workbook from data already read (what styling and layout cost)
  raw         the same cell values (taken from the export's own rows beforehand) appended to a write-only
              openpyxl workbook: no styles, merges, heights or page set-up — the fastest plain openpyxl write,
              so the baseline is strict
  raw+read    raw, plus reading the ledger and building the values (memory counterpart of export)
  raw-normal  the same values through a normal (in-memory) openpyxl workbook, for reference

Goal: at most 1.5× raw in time and in peak memory. Time is compared with raw; memory like with like:
styled against raw (data ready before tracing starts), export against raw+read (tracing from the ledger on).

    .venv/bin/python bench/export.py [--rounds 3] [--orgs 13]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

GOAL = 1.5
VARIANTS = ("export", "styled", "raw", "raw+read", "raw-normal")


def prepare(data_dir: Path, orgs: int) -> None:
    from liubao_desktop.services.ledger import Ledger
    from liubao_desktop.services.sample_data import fill_sample_data

    ledger = Ledger.open(data_dir)
    try:
        codes = [o.code for o in ledger.orgs()][:orgs]
        fill_sample_data(ledger, codes, ledger.periods[-1])
    finally:
        ledger.close()


def child(variant: str, data_dir: Path, out: Path, orgs: int, trace: bool) -> dict[str, float]:
    """One measurement in this (fresh) process; returns seconds, tracemalloc peak and max RSS."""
    from openpyxl import Workbook

    from liubao_desktop.export import sheet_values, write_workbook
    from liubao_desktop.services.export_service import collect, export_workbook
    from liubao_desktop.services.ledger import Ledger

    ledger = Ledger.open(data_dir)
    codes = [o.code for o in ledger.orgs()][:orgs]
    period = ledger.periods[-1]
    data = values = None
    if variant in ("styled", "raw", "raw-normal"):
        data = collect(ledger, codes, period)
    if variant in ("raw", "raw-normal"):
        values = sheet_values(data)  # type: ignore[arg-type]
        data = None
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    if variant == "export":
        export_workbook(ledger, codes, period, out)
    elif variant == "styled":
        write_workbook(data, out)  # type: ignore[arg-type]
    else:
        if variant == "raw+read":
            values = sheet_values(collect(ledger, codes, period))
        wb = Workbook(write_only=variant != "raw-normal")
        if variant == "raw-normal":
            wb.remove(wb.active)
        for name, rows in values.items():  # type: ignore[union-attr]
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        wb.save(out)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    ledger.close()
    return {"seconds": seconds, "peak": peak, "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "bytes": out.stat().st_size}


def run_child(variant: str, data_dir: Path, work: Path, orgs: int, trace: bool) -> dict[str, float]:
    out = work / f"{variant}.xlsx"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--child", variant, "--data-dir", str(data_dir), "--out", str(out),
           "--orgs", str(orgs)] + (["--trace"] if trace else [])
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--orgs", type=int, default=13)
    ap.add_argument("--child", choices=VARIANTS)
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--trace", action="store_true")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.data_dir, args.out, args.orgs, args.trace)))
        return 0

    with tempfile.TemporaryDirectory(prefix="liubao-bench-export-") as tmp:
        work = Path(tmp)
        data_dir = work / "data"
        data_dir.mkdir()
        t0 = time.perf_counter()
        prepare(data_dir, args.orgs)
        print(f"sample data: {args.orgs} orgs × 17 months, {time.perf_counter() - t0:.1f} s")
        runs = {v: [run_child(v, data_dir, work, args.orgs, False) for _ in range(args.rounds)] for v in VARIANTS}
        mem = {v: run_child(v, data_dir, work, args.orgs, True) for v in VARIANTS}
    times = {v: min(r["seconds"] for r in rs) for v, rs in runs.items()}
    rss = {v: max(r["maxrss_kib"] for r in rs) for v, rs in runs.items()}
    peak = {v: m["peak"] for v, m in mem.items()}
    mem_base = {"export": "raw+read", "styled": "raw", "raw": "raw", "raw+read": "raw+read", "raw-normal": "raw"}

    print(f"\n{'variant':<11} {'time s':>7} {'×raw':>6} {'peak MiB':>9} {'×base':>6} {'(base)':<9} "
          f"{'maxRSS MiB':>10} {'file KiB':>9}")
    for v in VARIANTS:
        base = mem_base[v]
        print(f"{v:<11} {times[v]:>7.2f} {times[v] / times['raw']:>6.2f} {peak[v] / 2**20:>9.2f} "
              f"{peak[v] / peak[base]:>6.2f} {base:<9} {rss[v] / 1024:>10.1f} {mem[v]['bytes'] / 1024:>9.0f}")
    checks = {
        "styled time": times["styled"] / times["raw"],
        "export time": times["export"] / times["raw"],
        "export time vs raw+read": times["export"] / times["raw+read"],
        "styled peak": peak["styled"] / peak["raw"],
        "export peak": peak["export"] / peak["raw+read"],
    }
    print()
    for name, ratio in checks.items():
        print(f"{name:<24} {ratio:5.2f}×  {'ok' if ratio <= GOAL else 'over'} (goal ≤ {GOAL}×)")
    print(f"(time: best of {args.rounds} fresh processes; peak: tracemalloc over the measured step only;"
          " maxRSS: whole process incl. interpreter and imports)")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    raise SystemExit(main())
