"""A launcher for the kill tests: runs ``main.py`` as the clerk does and freezes it at one chosen moment, so that the
test can SIGKILL it exactly there — in the middle of a transaction, between a file's last byte and its rename.

Run as ``python -m tests.reliability.stop_at main.py ARGS…`` with ``LIUBAO_STOP_AT`` naming the moment (JSON)
and ``LIUBAO_STOP_NOTE`` a file to announce it in. Nothing of the app is replaced: Python's audit hooks
(``sys.addaudithook``) see each ``open``, ``os.rename`` and ``sqlite3.connect`` the app makes, and a SQLite trace
callback set on every connection the app opens (``sqlite3.connect`` wrapped to set it) sees each statement as it starts. At the moment wanted the
launcher writes one line into the note and sleeps (in the hook: before the rename, the open or the statement
happens); the test sees the line and kills the process — or, with ``"then": "go"``, changes something under the
command (deletes or replaces its input) and creates the note's ``.go`` file, and the command carries on.

Moments (``{"kind": …, "match": …, "nth": 1}``; ``match`` is a regular expression):

* ``open``    — the ``nth`` opening for writing of a path matching ``match`` (a ``.part`` file: still empty);
* ``read``    — the ``nth`` opening, in any mode, of a path matching ``match``;
* ``rename``  — the ``nth`` rename whose destination matches ``match`` (the file complete, not yet in place);
* ``connect`` — the ``nth`` SQLite connection to a path matching ``match`` (a backup about to be filled);
* ``sql``     — the ``nth`` statement matching ``match`` (``^INSERT INTO audit_log``, ``^COMMIT``), before it runs.
"""
from __future__ import annotations

import json
import os
import re
import runpy
import sqlite3
import sys
import time


def main() -> None:
    spec = json.loads(os.environ["LIUBAO_STOP_AT"])
    kind, pattern, nth = spec["kind"], re.compile(spec["match"], re.IGNORECASE), int(spec.get("nth", 1))
    then = spec.get("then", "kill")
    note = os.open(os.environ["LIUBAO_STOP_NOTE"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    seen = 0
    stopping = False

    def stop(what: str) -> None:
        nonlocal seen, stopping
        seen += 1
        if seen != nth or stopping:
            return
        stopping = True
        os.write(note, f"STOPPED {kind} {what}\n".encode("utf-8", "backslashreplace"))
        os.fsync(note)
        go = os.environ["LIUBAO_STOP_NOTE"] + ".go"
        while not (then == "go" and os.path.exists(go)):  # else until the test's SIGKILL
            time.sleep(0.01)
        stopping = False

    def trace(statement: str) -> None:
        if pattern.search(statement):
            stop(statement[:80])

    def hook(event: str, args: tuple) -> None:
        if stopping:
            return
        if event == "sqlite3.connect" and kind == "connect" and pattern.search(str(args[0])):
            stop(str(args[0]))
        elif event == "os.rename" and kind == "rename" and pattern.search(os.fsdecode(args[1])):
            stop(os.fsdecode(args[1]))
        elif event == "open" and kind in ("open", "read") and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.fsdecode(args[0])
            mode, flags = args[1], args[2] if len(args) > 2 else 0
            writing = any(c in (mode or "") for c in "wxa+") if mode else bool(flags & (os.O_WRONLY | os.O_RDWR))
            if pattern.search(path) and (kind == "read" or writing):
                stop(path)

    sys.addaudithook(hook)
    if kind == "sql":  # the connection is made by sqlite3 itself; only the trace callback is added to it
        opened = sqlite3.connect

        def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
            conn = opened(*args, **kwargs)
            conn.set_trace_callback(trace)
            return conn

        sqlite3.connect = connect  # type: ignore[assignment]
    main_py = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(main_py, run_name="__main__")


if __name__ == "__main__":
    main()
