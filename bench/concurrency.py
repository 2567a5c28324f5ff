"""Several clerks at once on one PostgreSQL ledger (issue 16): N clerk processes × M edits each.

Each clerk is a process of its own with its own connection (as each PC has), opens the ledger by its URL and saves
M figures of its own office one by one through ``Ledger.record_figure(..., expected=…)`` — each save one transaction
with its audit row, the cell locked for it. Reported: edits/s over the whole run, the median and p95 latency of one
save, and the check that every edit is there: each cell holds the value last saved and the audit trail has one row
per edit.

    .venv/bin/python bench/concurrency.py [--clerks 8] [--edits 500] [--database postgresql://…/EMPTY_DB]
    .venv/bin/python bench/concurrency.py --contention [--cells 1]

``--contention``: after that run (the baseline, measured in the same run), every clerk edits the SAME cell(s) of one
office — an office no clerk of the baseline used — as a clerk at a screen does: it reads the cell, then saves a value
of its own with ``expected=`` what it read. A save that finds another clerk's value there is refused (ConflictError,
nothing written) and counted. Reported: attempts/s and saves/s (and their ratio to the baseline's edits/s), the
median and p95 latency of an attempt, the conflicts; checked, that no edit was silently lost: every successful save
has its audit row, each row's old value is the value the row before it saved (no save overwrote a value it had not
seen), and the cell holds the last successful save in audit order.

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


def contended_cells(ledger: object, count: int) -> tuple[str, list[tuple[str, str]]]:
    """The office every clerk edits in --contention (the last one: the baseline's clerks take the first ones) and
    ``count`` cells of it that take any count (not a percentage: each save writes a number of its own)."""
    from liubao_desktop.domain.figures import FigureInputError

    office = ledger.orgs()[-1].code  # type: ignore[attr-defined]
    numeric = []
    for t in ledger.plan.targets():  # type: ignore[attr-defined]
        try:
            ledger.parse_entry(t.code, "99999999")  # type: ignore[attr-defined]  (a count: each save's own value)
        except FigureInputError:
            continue
        numeric.append(t.code)
    month = str(ledger.periods[0])  # type: ignore[attr-defined]
    return office, [(code, month) for code in numeric[:count]]


def contender(job: tuple[str, int, int, int, float]) -> tuple[list[float], list[tuple[str, str, str]], int]:
    """One clerk of --contention: ``edits`` attempts on the shared cells, each a read of the cell and a save with
    ``expected=`` what was read. Returns each attempt's seconds, the saves that succeeded (target, month, the value
    as the audit trail stores it) and how many were refused as conflicts."""
    from liubao_desktop.domain.periods import Period
    from liubao_desktop.services.ledger import ConflictError, Ledger
    from liubao_desktop.storage.queries import stored_figure

    url, n, edits, count, start_at = job
    ledger = Ledger.open(url)
    times: list[float] = []
    saved: list[tuple[str, str, str]] = []
    conflicts = 0
    try:
        office, todo = contended_cells(ledger, count)
        while time.time() < start_at:
            time.sleep(0.001)
        for k in range(edits):
            target, month = todo[k % len(todo)]
            period = Period.parse(month)
            value = ledger.parse_entry(target, str(n * 1_000_000 + k + 1))  # this clerk's and this edit's own
            t0 = time.perf_counter()
            seen = ledger.figure(office, target, period)  # what the clerk's screen shows when the edit begins
            try:
                ledger.record_figure(office, target, period, value, expected=seen)
                saved.append((target, month, stored_figure(value)))
            except ConflictError:
                conflicts += 1
            times.append(time.perf_counter() - t0)
    finally:
        ledger.close()
    return times, saved, conflicts


def verify_contention(url: str, count: int, saved: list[tuple[str, str, str]]) -> list[str]:
    """What is wrong with the shared cells after --contention (nothing: an empty list): each save's audit row, the
    chain of old → new values in audit order, the final value equal to the last save."""
    from liubao_desktop.domain.periods import Period
    from liubao_desktop.services.ledger import Ledger
    from liubao_desktop.storage.queries import stored_figure

    ledger = Ledger.open(url)
    wrong = []
    try:
        office, todo = contended_cells(ledger, count)
        for target, month in todo:
            rows = list(ledger.db.execute_sql(
                "SELECT a.old_value, a.new_value FROM audit_log a JOIN org o ON o.id = a.org_id "
                "JOIN target t ON t.id = a.target_id WHERE a.entity = 'figure' AND a.field = '本期完成' "
                "AND a.source = 'typed' AND o.code = ? AND t.code = ? AND a.period = ? ORDER BY a.id",
                (office, target, month)))
            mine = sorted(v for t, m, v in saved if (t, m) == (target, month))
            if sorted(new for _, new in rows) != mine:
                wrong.append(f"{target} {month}: {len(mine)} saves but {len(rows)} audit rows, or other values")
            breaks = sum(1 for before, row in zip(rows, rows[1:], strict=False) if row[0] != before[1])
            if (rows and rows[0][0] is not None) or breaks:
                wrong.append(f"{target} {month}: {breaks} saves overwrote a value they had not seen")
            final = stored_figure(ledger.figure(office, target, Period.parse(month)))
            if rows and final != rows[-1][1]:
                wrong.append(f"{target} {month}: holds {final}, the last save was {rows[-1][1]}")
    finally:
        ledger.close()
    return wrong


def run_clerks(fn: object, jobs: list) -> tuple[list, float]:
    """The jobs in a process each, started together 3 s from now (after every process imported and connected);
    their results and the wall time from the start."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(len(jobs)) as pool:
        t0 = time.time()
        results = pool.map(fn, jobs)  # type: ignore[arg-type]
        wall = time.time() - max(t0, jobs[0][-1])
    return results, wall


def latency(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] * 1000
    return f"latency median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95:.1f} ms"


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
    parser.add_argument("--contention", action="store_true",
                        help="then every clerk edits the same cell(s), with expected= the value it last read")
    parser.add_argument("--cells", type=int, default=1, help="how many shared cells in --contention (default 1)")
    args = parser.parse_args()
    from liubao_desktop.services.data_location import init_database

    server = None
    url = args.database
    if url is None:
        from tests import pg_server

        server = pg_server.start()
        server.admin('CREATE DATABASE "bench"')
        url = server.url("bench")
    ok = True
    try:
        init_database(url)
        results, wall = run_clerks(clerk, [(url, n, args.edits, time.time() + 3.0) for n in range(args.clerks)])
        latencies = [x for r in results for x in r]
        total = len(latencies)
        right, audit, figures = verify(url, args.clerks, args.edits)
        expected = args.clerks * args.edits
        baseline = total / wall
        print(f"{args.clerks} clerks × {args.edits} edits = {total} saves in {wall:.1f} s: {baseline:.0f} edits/s; "
              f"{latency(latencies)}")
        print(f"present: {right}/{expected} cells hold the value last saved, {figures} figure rows, "
              f"{audit}/{expected} audit rows")
        ok = right == audit == figures == expected
        if args.contention:
            ok = contention(url, args, baseline) and ok
    finally:
        if server is not None:
            server.stop()
    return 0 if ok else 1


def contention(url: str, args: argparse.Namespace, baseline: float) -> bool:
    """--contention after the baseline run: prints its numbers and checks; True when no edit was lost."""
    jobs = [(url, n, args.edits, args.cells, time.time() + 3.0) for n in range(args.clerks)]
    results, wall = run_clerks(contender, jobs)
    times = [x for r in results for x in r[0]]
    saved = [s for r in results for s in r[1]]
    conflicts = sum(r[2] for r in results)
    print(f"contention: {args.clerks} clerks × {args.edits} edits on the same {args.cells} cell(s) = {len(times)} "
          f"attempts in {wall:.1f} s: {len(times) / wall:.0f} attempts/s ({len(times) / wall / baseline:.2f}× the "
          f"baseline's edits/s), {len(saved) / wall:.0f} saves/s ({len(saved) / wall / baseline:.2f}×); "
          f"{latency(times)} (a read and a save)")
    print(f"conflicts: {conflicts} of {len(times)} attempts refused (ConflictError, nothing written), "
          f"{len(saved)} saved")
    wrong = verify_contention(url, args.cells, saved)
    if wrong:
        print("LOST OR WRONG:\n  " + "\n  ".join(wrong))
        return False
    print(f"no edit lost: {len(saved)}/{len(saved)} saves have their audit row, each row's old value is the one "
          "the row before saved, every cell holds its last save")
    return conflicts + len(saved) == len(times)


if __name__ == "__main__":
    sys.exit(main())
