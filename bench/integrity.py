"""The start-up check's cost: PRAGMA integrity_check against quick_check (the baseline) on the same ledger.

Builds a sample ledger of all 13 offices up to 2021-06 in a temporary folder, then times both pragmas on
read-only connections (the way the start-up check opens the file). Issue 8: above 150 ms the check would have
to run after the window shows.

    python bench/integrity.py [--rounds 9]
"""
from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.sample_data import fill_sample_data


def timed(path: Path, pragma: str) -> float:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        start = time.perf_counter()
        assert conn.execute(f"PRAGMA {pragma}").fetchall() == [("ok",)]
        return (time.perf_counter() - start) * 1000
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger.open(Path(tmp))
        figures = fill_sample_data(ledger, [o.code for o in ledger.orgs()], Period(2021, 6))
        path = ledger.path
        ledger.close()
        quick = statistics.median(timed(path, "quick_check") for _ in range(args.rounds))
        full = statistics.median(timed(path, "integrity_check") for _ in range(args.rounds))
        size = path.stat().st_size / 1024 / 1024
    print(f"ledger: 13 offices, {figures} figures, {size:.1f} MB; median of {args.rounds}")
    print(f"quick_check (baseline) {quick:.1f} ms, integrity_check {full:.1f} ms = {full / quick:.2f}x; "
          f"goal: under 150 ms at start ({'met' if full < 150 else 'NOT met'})")


if __name__ == "__main__":
    main()
