"""Several clerks at once on one PostgreSQL ledger (issue 16): N clerk processes × M edits each.

Each clerk is a process of its own with its own connection (as each PC has), opens the ledger by its URL and saves
M figures of its own office one by one through ``Ledger.record_figure(..., expected=…)`` — each save one transaction
with its audit row, the cell locked for it. Reported: edits/s over the whole run, the median and p95 latency of one
save, and the check that every edit is there: each cell holds the value last saved and the audit trail has one row
per edit.

    .venv/bin/python bench/concurrency.py [--clerks 8] [--edits 500] [--database postgresql://…/EMPTY_DB]

Without --database a PostgreSQL server is started for the run as the tests start it (tests/pg_server.py: Debian's
binaries, initdb into a temporary folder, a free port on 127.0.0.1) and stopped at the end.
"""
from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def cells(url: str, clerk: int, edits: int) -> tuple[str, list[tuple[str, str]]]:
    """The clerk's office and ``edits`` distinct (target, month) cells that take a number."""
    from liubao_desktop.domain.figures import FigureInputError
    from liubao_desktop.services.ledger import Ledger

    ledger = Ledger.open(url)
    try:
        office = ledger.orgs()[clerk].code
        numeric = []
        for t in ledger.plan.targets():
            try:
                ledger.parse_entry(t.code, "1")
            except FigureInputError:
                continue
            numeric.append(t.code)
        out = [(code, str(month)) for month in ledger.periods for code in numeric][:edits]
    finally:
        ledger.close()
    if len(out) < edits:
        raise SystemExit(f"only {len(out)} numeric cells per office; ask for fewer edits")
    return office, out


def clerk(job: tuple[str, int, int, float]) -> list[float]:
    """One clerk's process: M saves, each timed (seconds)."""
    from liubao_desktop.domain.figures import BLANK
    from liubao_desktop.domain.periods import Period
    from liubao_desktop.services.ledger import Ledger

    url, n, edits, start_at = job
    office, todo = cells(url, n, edits)
    ledger = Ledger.open(url)
    times = []
    try:
        while time.time() < start_at:  # all clerks start together
            time.sleep(0.001)
        for k, (target, month) in enumerate(todo):
            value = ledger.parse_entry(target, str(1 + k % 90))
            t0 = time.perf_counter()
            ledger.record_figure(office, target, Period.parse(month), value, expected=BLANK)
            times.append(time.perf_counter() - t0)
    finally:
        ledger.close()
    return times


def verify(url: str, clerks: int, edits: int) -> tuple[int, int, int]:
    """(cells holding the value last saved, audit rows of typed figures, figure rows) over all clerks."""
    from liubao_desktop.domain.periods import Period
    from liubao_desktop.services.ledger import Ledger

    ledger = Ledger.open(url)
    try:
        right = 0
        for n in range(clerks):
            office, todo = cells(url, n, edits)
            for k, (target, month) in enumerate(todo):
                right += ledger.figure(office, target, Period.parse(month)) == ledger.parse_entry(target, str(1 + k % 90))
        audit = ledger.db.execute_sql("SELECT count(*) FROM audit_log WHERE entity = 'figure' AND source = 'typed' "
                                      "AND field = '本期完成'").fetchone()[0]
        figures = ledger.db.execute_sql("SELECT count(*) FROM figure").fetchone()[0]
    finally:
        ledger.close()
    return right, audit, figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", type=int, default=8)
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--database", default=None, help="an empty PostgreSQL database (default: a server of our own)")
    args = parser.parse_args()
    from liubao_desktop.services.data_location import init_database

    server = None
    url = args.database
    if url is None:
        from tests import pg_server

        server = pg_server.start()
        server.admin('CREATE DATABASE "bench"')
        url = server.url("bench")
    try:
        init_database(url)
        ctx = multiprocessing.get_context("spawn")
        start_at = time.time() + 3.0  # after every process has imported and connected
        with ctx.Pool(args.clerks) as pool:
            t0 = time.time()
            results = pool.map(clerk, [(url, n, args.edits, start_at) for n in range(args.clerks)])
            wall = time.time() - max(t0, start_at)
        latencies = sorted(x for r in results for x in r)
        total = len(latencies)
        p95 = latencies[int(0.95 * (total - 1))] * 1000
        right, audit, figures = verify(url, args.clerks, args.edits)
    finally:
        if server is not None:
            server.stop()
    expected = args.clerks * args.edits
    print(f"{args.clerks} clerks × {args.edits} edits = {total} saves in {wall:.1f} s: {total / wall:.0f} edits/s; "
          f"latency median {statistics.median(latencies) * 1000:.1f} ms, p95 {p95:.1f} ms")
    print(f"present: {right}/{expected} cells hold the value last saved, {figures} figure rows, "
          f"{audit}/{expected} audit rows")
    return 0 if right == audit == figures == expected else 1


if __name__ == "__main__":
    sys.exit(main())
