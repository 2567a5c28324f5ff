"""What the attacks on the newer commands share: a clerk's data folder, the inputs a clerk brings (a filled 填报模板,
a plan document), ``main.py`` run as a child — plainly, or frozen at a chosen moment by ``stop_at.py`` — and the
checks made afterwards (the ledger's tables by checksum, the data folder file by file, the outputs).

The commands: ``template`` (one file, or ``--all-units``: one per unit and a zip), ``report`` (a .docx), ``import``
(workbooks in: a backup, then one transaction), ``plan import --yes`` (a plan document in: a backup, then one
transaction) and ``db copy --from DIR --to LOCALDIR``.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..conftest import REPO
from .attack_cases import DB, ORG, write_backup, write_log_history, write_settings
from .test_attack import child_env

MAIN = REPO / "main.py"
TIMEOUT = 60
ARTICLES = REPO / "tests" / "plan_reader" / "documents" / "articles.txt"
UNITS = ("区人社局", "区民政局")  # 芙蓉区's reporting units, each with targets assigned
VOLATILE = {"at", "updated_at"}  # when a row was written: differs between two runs of the same command
PART_SUFFIX = ".part"


# ---------------------------------------------------------------------------------------------------------
# Running main.py


def main_py(data_dir: Path | None, argv: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    head: list[str | Path] = ["--data-dir", data_dir] if data_dir is not None else []
    return subprocess.run([sys.executable, str(MAIN), *head, *argv], cwd=REPO, env=child_env(),
                          capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL, **kwargs)  # type: ignore[call-overload]


def ok(done: subprocess.CompletedProcess[bytes]) -> str:
    """The command's stdout, after asserting it succeeded."""
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout.decode("utf-8", "replace")


def text(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stderr.decode("utf-8", "replace")


@dataclass
class Frozen:
    """A command frozen by stop_at.py at its moment (or finished without reaching it)."""

    child: subprocess.Popen[bytes]
    note: Path
    moment: str | None  # the line stop_at.py wrote, None when the command ended first

    def go(self) -> subprocess.CompletedProcess[bytes]:
        """Let a command frozen with then=go carry on, and wait for it."""
        (self.note.parent / (self.note.name + ".go")).touch()
        out, err = self.child.communicate(timeout=TIMEOUT)
        return subprocess.CompletedProcess(self.child.args, self.child.returncode, out, err)

    def kill(self) -> None:
        kill(self.child)


def kill(child: subprocess.Popen[bytes]) -> None:
    """SIGKILL: no clean-up of any kind, as if the power was cut to the process."""
    if child.poll() is None:
        child.send_signal(signal.SIGKILL)
    child.communicate(timeout=TIMEOUT)


def start(data_dir: Path | None, argv: list[str | Path], *, stop: dict | None = None,
          note: Path | None = None) -> subprocess.Popen[bytes]:
    head: list[str | Path] = ["--data-dir", data_dir] if data_dir is not None else []
    env = child_env()
    command: list[str | Path] = [sys.executable, str(MAIN), *head, *argv]
    if stop is not None:
        assert note is not None
        env.update(LIUBAO_STOP_AT=json.dumps(stop), LIUBAO_STOP_NOTE=str(note))
        command = [sys.executable, "-m", "tests.reliability.stop_at", str(MAIN), *head, *argv]
    return subprocess.Popen(command, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def freeze(data_dir: Path | None, argv: list[str | Path], stop: dict, note: Path) -> Frozen:
    """Start the command and wait until it is frozen at ``stop`` (or has ended without getting there)."""
    note.unlink(missing_ok=True)
    (note.parent / (note.name + ".go")).unlink(missing_ok=True)
    child = start(data_dir, argv, stop=stop, note=note)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if note.exists() and note.read_text(encoding="utf-8").endswith("\n"):
            return Frozen(child, note, note.read_text(encoding="utf-8").strip())
        if child.poll() is not None:
            return Frozen(child, note, None)
        time.sleep(0.01)
    kill(child)
    raise AssertionError(f"the command neither reached {stop} nor ended")


def kill_after(data_dir: Path | None, argv: list[str | Path], seconds: float) -> int | None:
    """Start the command and SIGKILL it after ``seconds``; its exit code when it finished first, else None."""
    child = start(data_dir, argv)
    try:
        child.wait(timeout=seconds)
        code = child.returncode
    except subprocess.TimeoutExpired:
        code = None
    kill(child)
    return code


def timed(data_dir: Path, argv: list[str | Path]) -> float:
    """How long a clean run of the command takes here (the random kills fall within it)."""
    started = time.monotonic()
    ok(main_py(data_dir, argv))
    return time.monotonic() - started


# ---------------------------------------------------------------------------------------------------------
# The clerk's data folder and what a clerk brings


def make_data_folder(folder: Path) -> Path:
    """芙蓉区's ledger as after some months: the sample figures up to 2020-12, two reporting units with targets
    assigned, the window's settings, a daily backup, a log."""
    ok(main_py(folder, ["sample-data", "--orgs", ORG, "--up-to", "2020-12"]))
    from liubao_desktop.services.ledger import Ledger

    ledger = Ledger.open(folder)
    try:
        counted = [t.code for t in ledger.plan.targets() if not t.is_done and t.entry_unit != "%"]
        for n, name in enumerate(UNITS):
            unit = ledger.add_unit(ORG, name).code
            for code in counted[n * 3:(n + 1) * 3]:
                ledger.assign(unit, code)
        ledger.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        ledger.close()
    for side in ("-wal", "-shm"):
        (folder / (DB + side)).unlink(missing_ok=True)
    write_settings(folder)
    write_backup(folder)
    write_log_history(folder)
    return folder


def filled_template(data: Path, out: Path, period: str = "2021-01") -> Path:
    """芙蓉区's own 填报模板 for a month with nothing entered yet, every 本期完成 filled in (so every cell is new)."""
    from openpyxl import load_workbook

    blank = out.with_name("空白-" + out.name)
    ok(main_py(data, ["template", "--org", ORG, "--period", period, "--out", blank]))
    wb = load_workbook(blank)
    ws = wb["填报表"]
    for row in range(4, ws.max_row + 1):
        if not ws.cell(row, 9).value:
            continue
        unit = ws.cell(row, 6).value
        ws.cell(row, 7).value = "推进中" if unit == "定性" else 55 if unit == "%" else 100 + row
    wb.save(out)
    blank.unlink()
    return out


def plan_docx(out: Path, text: str | None = None, *, doctype: bool = False) -> Path:
    """A plan document as a clerk receives it: a .docx, one paragraph per line of ``text`` (the test plan
    articles.txt by default). ``doctype``: with a DTD in its body, which no word processor writes."""
    import docx

    d = docx.Document()
    for line in (text if text is not None else ARTICLES.read_text(encoding="utf-8")).splitlines():
        d.add_paragraph(line)
    d.save(str(out))
    if doctype:
        rewritten = out.with_suffix(".tmp")
        with zipfile.ZipFile(out) as src, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "word/document.xml":
                    head, _, body = data.partition(b"?>")
                    data = head + b'?><!DOCTYPE w:document [<!ENTITY x "x">]>' + body
                dst.writestr(info, data)
        os.replace(rewritten, out)
    return out


# ---------------------------------------------------------------------------------------------------------
# What is checked


def db_copy_of(folder: Path, scratch: Path) -> Path:
    """The data folder's ledger with its -wal, copied, so that reading it changes nothing in the folder."""
    scratch.mkdir(parents=True, exist_ok=True)
    for name in (DB, DB + "-wal"):
        target = scratch / name
        target.unlink(missing_ok=True)
        if (folder / name).is_file():
            shutil.copyfile(folder / name, target)
    return scratch / DB


def tables(db: Path) -> dict[str, str]:
    """Every table of a ledger file as one SHA-256 of its rows (sorted; the columns saying when a row was written
    left out, so two runs of the same command compare equal); integrity_check first."""
    conn = sqlite3.connect(db)
    try:
        check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        assert check == ["ok"], f"{db}: integrity_check {check[:3]}"
        out = {}
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for name in names:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")') if r[1] not in VOLATILE]
            rows = sorted(repr(r) for r in conn.execute(f'SELECT {", ".join(cols)} FROM "{name}"'))
            out[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        return out
    finally:
        conn.close()


def ledger_tables(folder: Path, scratch: Path) -> dict[str, str]:
    return tables(db_copy_of(folder, scratch))


def part_files(folder: Path) -> list[Path]:
    """Temporary files (written, then renamed into place) under ``folder``, and SQLite's side files of one."""
    return sorted(p for p in folder.rglob("*") if PART_SUFFIX in p.name)


def backups_are_whole(folder: Path) -> list[str]:
    """Every file under backups/ with a final name is a complete, sound SQLite file."""
    problems = []
    for path in sorted((folder / "backups").glob("*.sqlite3")):
        if path.read_bytes()[:16] != b"SQLite format 3\x00":
            problems.append(f"{path.name} is not a SQLite file")
            continue
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        except sqlite3.Error as exc:
            check = [str(exc)]
        finally:
            conn.close()
        if check != ["ok"]:
            problems.append(f"{path.name}: {check[:2]}")
    return problems


def is_whole_zip(path: Path) -> bool:
    """An .xlsx, .docx or .zip that is complete: every member there and its CRC right."""
    try:
        with zipfile.ZipFile(path) as z:
            return z.testzip() is None and len(z.infolist()) > 0
    except (zipfile.BadZipFile, OSError, EOFError):
        return False
