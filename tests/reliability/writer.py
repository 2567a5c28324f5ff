"""The child process of the crash tests: a clerk typing figures one after another, as fast as SQLite commits.

Run as ``python -m tests.reliability.writer DATA_DIR FIRST COUNT``. It takes the instance lock as the app does,
opens the ledger, prints ``READY``, then records figure number FIRST, FIRST+1, … through
``Ledger.record_figure`` — the same service call the UI's cells make — and prints
``ACK <n> <org> <target> <period> <stored value>`` after each call returned (that is, after the commit).
Figure n goes to cell n of a fixed order of (org, target, month) cells with the typed value n + 1, so the
parent can tell exactly what each acknowledged commit must have left behind.
"""
from __future__ import annotations

import sys
from pathlib import Path

from liubao_desktop.services.ledger import Ledger
from liubao_desktop.single_instance import acquire_instance_lock
from liubao_desktop.storage.queries import stored_figure


def cells(ledger: Ledger) -> list[tuple[str, str, str]]:
    # Counted targets only: a typed n + 1 would be refused as a percentage above 100.
    counted = [code for code in ledger.target_ids if ledger.target(code).entry_unit != "%"]
    return [(o.code, code, str(p)) for o in ledger.orgs() for p in ledger.periods for code in counted]


def main(argv: list[str]) -> int:
    data_dir, first, count = Path(argv[0]), int(argv[1]), int(argv[2])
    lock = acquire_instance_lock(data_dir)
    if lock is None:
        print("LOCKED", flush=True)
        return 3
    ledger = Ledger.open(data_dir)
    order = cells(ledger)
    by_code = {str(p): p for p in ledger.periods}
    print("READY", flush=True)
    for n in range(first, first + count):
        org, code, period = order[n % len(order)]
        value = ledger.parse_entry(code, str(n + 1))
        ledger.record_figure(org, code, by_code[period], value)
        print(f"ACK {n} {org} {code} {period} {stored_figure(value)}", flush=True)
    ledger.close()
    lock.unlock()
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
