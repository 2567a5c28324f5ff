"""An outside attack on the headless commands: hostile arguments, and what the clerk must be left with.

The clerk's story: a data folder full of figures (the sample data of 芙蓉区 up to 2020-12, a daily backup, the
window's settings, a log). Someone runs ``main.py`` with a hostile command line — a report written over the
database, a folder as a file name, a full disk, a data folder that is a file, a month 13. For every case:

* the command refuses with a non-zero exit and a Chinese message (or, for a legitimate-but-unusual case, may
  succeed — see attack_cases.py for each case's reason), never a Python traceback, an "Exception ignored",
  a warning line or English-only error text on stderr;
* every file of the data folder is byte-identical afterwards (logs/ may only grow, with text);
* the database still passes ``PRAGMA integrity_check``;
* no half-written report, no 0-byte stub and no ``.part`` file is left where the report was to go.

The commands run as the clerk runs them: ``python main.py …`` in a child process, offscreen, 60 s at most. The
cases run in parallel inside the module fixture (each a child process of its own); the parametrized test then
judges one case each, so a failure names the case. Set ATTACK_REPORT=/some/file.tsv to get the whole table.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ..conftest import REPO
from .attack_cases import (
    DB,
    ORG,
    PERIOD,
    REFUSE,
    SUCCEED,
    Case,
    Scene,
    Skip,
    all_cases,
    write_backup,
    write_log_history,
    write_settings,
)

# Device nodes, symlinks, hard links, chattr and mount: the attack is written for Linux and macOS.
# One worker runs every case (make test distributes by group): the module fixture runs all its cases at once, in
# processes of their own, and under pytest-xdist each worker would otherwise run all of them again.
pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="needs a POSIX system"),
              pytest.mark.xdist_group("hostile-command-lines")]

MAIN = REPO / "main.py"
TIMEOUT = 60  # seconds per command: a refusal is instant, a report takes about one second
CASES = {case.id: case for case in all_cases()}
# Child processes are CPU-bound (Qt, PDF layout) but start with disk reads: one more than the cores overlaps them.
WORKERS = (os.cpu_count() or 2) + 1

MAGIC = {"pdf": b"%PDF-", "xlsx": b"PK\x03\x04"}
OUTPUT_MAGICS = (b"%PDF-", b"PK\x03\x04", b"SQLite format 3\x00", b"-- ")  # a report, a workbook, a db, seed.sql

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s*File \".*\", line \d+", re.MULTILINE)
# Three English words in a row: "usage: liubao tasks", "No such file or directory", "File name too long".
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,:']+[A-Za-z]+\b){2,}")
RAW_OS_ERROR = re.compile(r"\[Errno \d+\]|\[WinError \d+\]")  # str(OSError): the system's English words
# The system's and SQLite's own English, even inside a Chinese sentence: "无法创建数据文件夹 …：File exists".
ENGLISH_ERRORS = sorted({os.strerror(n) for n in errno.errorcode if " " in os.strerror(n)} | {
    "database is locked", "disk I/O error", "file is not a database", "unable to open database file",
    "attempt to write a readonly database", "database disk image is malformed"}, key=len, reverse=True)
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")  # what the clerk typed, quoted back: not the app's own words

# A window that is open on the data folder: it holds the lock as the app does (QLockFile, never stale by age)
# and has the database open, so that liubao.sqlite3-wal and -shm exist as they do while a clerk works.
WINDOW = """
import sqlite3, sys
from PySide6.QtCore import QLockFile
folder = sys.argv[1]
lock = QLockFile(folder + "/liubao.lock")
lock.setStaleLockTime(0)
if not lock.tryLock(0):
    sys.exit("LOCKED")
db = sqlite3.connect(folder + "/liubao.sqlite3")
db.execute("SELECT count(*) FROM sqlite_master").fetchone()
print("READY", flush=True)
sys.stdin.read()
db.close()
lock.unlock()
"""


def child_env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    # The checkout under test, not whatever an editable install points at.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return env


def main_py(data_dir: Path, argv: list[str | Path]) -> subprocess.CompletedProcess[bytes]:
    # Bytes out, decoded by the caller: a non-UTF-8 path echoed back must not crash the harness.
    return subprocess.run([sys.executable, str(MAIN), "--data-dir", data_dir, *argv], cwd=REPO, env=child_env(),
                          capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


# ---------------------------------------------------------------------------------------------------------
# What is compared before and after


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, tuple[str, object]]:
    """Every entry under the folder: files by content hash, links by target, folders by presence. Files in
    logs/ keep their bytes, since they may grow and the growth is checked."""
    if folder.is_symlink() or not folder.is_dir():
        return {".": ("not a folder", None)}
    entries: dict[str, tuple[str, object]] = {".": ("dir", None)}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                entries[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                entries[rel] = ("dir", None)
            elif rel.startswith("logs/"):
                entries[rel] = ("log", path.read_bytes())
            else:
                entries[rel] = ("file", sha256(path))
    return entries


def is_log_text(data: bytes) -> bool:
    """What a log may gain: text. A report, a workbook or a database written into the log is not."""
    if data.startswith(OUTPUT_MAGICS) or b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def folder_changes(before: dict[str, tuple[str, object]], after: dict[str, tuple[str, object]]) -> list[str]:
    changes = []
    for rel in sorted(before.keys() | after.keys()):
        was, now = before.get(rel), after.get(rel)
        if was == now:
            continue
        if now is None:
            changes.append(f"{rel} vanished")
        elif was is None:
            if not (now[0] == "log" and is_log_text(now[1])):  # type: ignore[arg-type]
                changes.append(f"{rel} appeared")
        elif was[0] == now[0] == "log":
            old, new = was[1], now[1]
            assert isinstance(old, bytes) and isinstance(new, bytes)
            if not new.startswith(old):
                changes.append(f"{rel} was replaced ({len(old)} → {len(new)} bytes, starts {new[:8]!r})")
            elif not is_log_text(new[len(old):]):
                changes.append(f"{rel} grew by something that is not log text ({new[len(old):][:8]!r})")
        else:
            changes.append(f"{rel} changed ({was[0]} → {now[0]})" if was[0] != now[0] else f"{rel} changed")
    return changes


def new_files(before: set[Path], folder: Path) -> list[Path]:
    found = set()
    for dirpath, _dirnames, filenames in os.walk(folder):
        found.update(Path(dirpath) / name for name in filenames)
    return sorted(found - before)


def files_under(folder: Path) -> set[Path]:
    return set(new_files(set(), folder))


def integrity(data: Path, scratch: Path) -> str:
    """PRAGMA integrity_check of the data folder's database, run on a copy so the check itself writes nothing
    (opening a WAL database creates -wal and -shm beside it)."""
    db = data / DB
    if not db.is_file():
        return "the database is gone"
    scratch.mkdir()
    shutil.copyfile(db, scratch / DB)
    if (data / f"{DB}-wal").is_file():
        shutil.copyfile(data / f"{DB}-wal", scratch / f"{DB}-wal")
    try:
        conn = sqlite3.connect(scratch / DB)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"the database cannot be read: {exc}"
    return "ok" if rows == ["ok"] else "integrity_check: " + "; ".join(rows[:3])


# ---------------------------------------------------------------------------------------------------------
# What the clerk reads


def english_text(line: str) -> bool:
    words = " ".join(t for t in QUOTED.sub("", line).split() if "/" not in t and "\\" not in t)
    if ENGLISH_RUN.search(words):
        return True
    return not CJK.search(line) and len(re.findall(r"\b[A-Za-z]{2,}\b", words)) >= 2


def stderr_problems(text: str) -> list[str]:
    problems = []
    if TRACEBACK.search(text):
        problems.append("a Python traceback on stderr")
    if "Exception ignored" in text:
        problems.append("'Exception ignored' on stderr")
    if "--- Logging error ---" in text:
        problems.append("a logging error on stderr")
    raw = RAW_OS_ERROR.search(text)
    if raw:
        problems.append(f"a raw OS error on stderr: {text[raw.start():][:120].splitlines()[0]}")
    system = next((words for words in ENGLISH_ERRORS if words in text), None)
    if system and not raw:
        problems.append(f"the system's English on stderr: {system}")
    warnings = [line for line in text.splitlines() if re.search(r"(?i)warn", line)]
    if warnings:
        problems.append(f"a warning on stderr: {warnings[0].strip()[:120]}")
    english = [line for line in text.splitlines() if english_text(line) and line not in warnings]
    if english and not problems:
        problems.append(f"English text on stderr: {english[0].strip()[:120]}")
    return problems


# ---------------------------------------------------------------------------------------------------------
# Running one case


@dataclass
class Template:
    data: Path  # the sample data folder every case copies
    earlier_pdf: Path
    earlier_xlsx: Path


@dataclass
class Outcome:
    case: Case
    skipped: str | None = None
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def first_stderr_line(self) -> str:
        return next((line.strip() for line in self.stderr.splitlines() if line.strip()), "(empty)")

    def summary(self) -> str:
        return (f"{self.case.id}: exit {self.returncode}; stderr: {self.first_stderr_line[:150]}; "
                + "; ".join(self.problems))


def open_window(data: Path) -> subprocess.Popen[str]:
    window = subprocess.Popen([sys.executable, "-c", WINDOW, data], env=child_env(), text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert window.stdout is not None
    line = window.stdout.readline().strip()
    if line != "READY":
        window.kill()
        window.communicate()  # waits, and closes the pipes
        raise AssertionError(f"the stand-in window did not open the data folder: {line!r}")
    return window


def close_window(window: subprocess.Popen[str]) -> None:
    assert window.stdin is not None
    window.stdin.close()
    try:
        window.wait(timeout=30)
    except subprocess.TimeoutExpired:
        window.kill()
        window.wait()
    if window.stdout is not None:
        window.stdout.close()


def run_case(case: Case, template: Template, root: Path) -> Outcome:
    try:
        return attack(case, template, root)
    except Exception as exc:  # one broken scene must not hide the verdicts on all the others
        return Outcome(case, problems=[f"the harness could not run this case: {exc!r}"])


def attack(case: Case, template: Template, root: Path) -> Outcome:
    outcome = Outcome(case)
    scene = Scene(root=root, data=root / "data", out=root / "out", earlier_pdf=template.earlier_pdf,
                  earlier_xlsx=template.earlier_xlsx)
    scene.out.mkdir(parents=True)
    shutil.copytree(template.data, scene.data, symlinks=True)
    window = None
    try:
        try:
            if case.prepare is not None:
                case.prepare(scene)
        except Skip as exc:
            outcome.skipped = str(exc)
            return outcome
        if case.window_open:
            window = open_window(scene.data)
        output = case.output(scene) if case.output is not None else None
        devices = {d: os.lstat(d) for d in scene.devices}
        dev_before = set(os.listdir("/dev")) if scene.devices else set()
        guarded = {p: sha256(p) for p in scene.guarded}
        out_before = files_under(scene.out)
        before = snapshot(scene.data)

        started = time.monotonic()
        try:
            proc = main_py(scene.data_dir, case.argv(scene))
            outcome.returncode = proc.returncode
            outcome.stdout = proc.stdout.decode("utf-8", "replace")
            outcome.stderr = proc.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired as exc:
            outcome.stderr = (exc.stderr or b"").decode("utf-8", "replace")
            outcome.problems.append(f"still running after {TIMEOUT} s")
        outcome.seconds = time.monotonic() - started

        after = snapshot(scene.data)  # while the window is still open: its -wal, -shm and lock are data too
        if window is not None:
            close_window(window)
            window = None
        judge(outcome, output)
        outcome.problems += [f"data folder: {c}" for c in folder_changes(before, after)]
        for path, digest in guarded.items():
            if not path.is_file() or sha256(path) != digest:
                outcome.problems.append(f"{path.name} (outside the data folder) was changed")
        for device, was in devices.items():
            outcome.problems += device_problems(device, was)
        if scene.devices:
            outcome.problems += [f"left {name} in /dev" for name in sorted(set(os.listdir("/dev")) - dev_before)]
        for path in new_files(out_before, scene.out):
            size = path.stat().st_size
            if path.name.endswith(".part"):
                outcome.problems.append(f"left the temporary file {path.name} ({size} bytes)")
            elif outcome.returncode != 0:
                outcome.problems.append(f"refused, yet left {path.name[:60]} ({size} bytes)")
            elif size == 0:
                outcome.problems.append(f"left an empty file {path.name[:60]}")
            elif path != output:
                outcome.problems.append(f"wrote {path.name[:60]!r}, a file nobody asked for")
        check = integrity(scene.data, root / "integrity")
        if check != "ok":
            outcome.problems.append(check)
        return outcome
    finally:
        if window is not None:
            close_window(window)
        for cleanup in reversed(scene.cleanups):
            cleanup()


def judge(outcome: Outcome, output: Path | None) -> None:
    """The exit code, what stderr says, and the report a success must have written."""
    case, rc = outcome.case, outcome.returncode
    if rc is None:
        return
    if rc < 0:
        outcome.problems.append(f"killed by signal {-rc}")
    elif rc == 0 and case.expect == REFUSE:
        outcome.problems.append("exit 0: did what it should have refused")
    elif rc != 0 and case.expect == SUCCEED:
        outcome.problems.append(f"exit {rc}: refused a legitimate command")
    if rc != 0:
        if not CJK.search(outcome.stderr):
            outcome.problems.append("no Chinese message on stderr")
        missing = [w for w in case.must_say if w not in outcome.stderr]
        if missing:
            outcome.problems.append(f"the message does not say {'、'.join(missing)}")
    outcome.problems += stderr_problems(outcome.stderr)
    if rc == 0 and case.output_kind == "json":
        try:
            json.loads(outcome.stdout)
        except ValueError:
            outcome.problems.append("exit 0, but stdout is not JSON")
    elif rc == 0 and output is not None and case.output_kind in MAGIC:
        if not output.is_file():
            outcome.problems.append(f"exit 0, but no {output.name[:60]} was written")
        elif not output.read_bytes().startswith(MAGIC[case.output_kind]):
            outcome.problems.append(f"exit 0, but {output.name[:60]} is not a {case.output_kind} file")


def device_problems(device: Path, was: os.stat_result) -> list[str]:
    now = os.lstat(device) if os.path.lexists(device) else None
    if now is not None and stat.S_ISCHR(now.st_mode) and now.st_rdev == was.st_rdev:
        return []
    # The system's own device was replaced: put it back so the rest of the machine keeps working.
    if now is not None:
        device.unlink()
    os.mknod(device, was.st_mode, was.st_rdev)
    return [f"{device} was replaced by a regular file (restored)"]


# ---------------------------------------------------------------------------------------------------------
# The clerk's data folder, and the attack


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """The sample data folder as a clerk's looks after some weeks: figures, a daily backup, settings, a log;
    and two reports made earlier (an ordinary task list and an ordinary export) to overwrite or misname."""
    base = tmp_path_factory.mktemp("attack")
    data = base / "template"
    made = main_py(data, ["sample-data", "--orgs", ORG, "--up-to", "2020-12"])
    assert made.returncode == 0, made.stderr.decode("utf-8", "replace")
    write_settings(data)
    write_backup(data)
    write_log_history(data)
    earlier = Template(data, base / "上个月的任务清单.pdf", base / "上个月的报表.xlsx")
    for argv in (["tasks", "--out", earlier.earlier_pdf],
                 ["export", "--org", ORG, "--period", PERIOD, "--out", earlier.earlier_xlsx]):
        done = main_py(data, argv)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert integrity(data, base / "integrity") == "ok"
    return earlier


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, template: Template) -> dict[str, Outcome]:
    """Every selected case, run in parallel (each its own child process and its own copy of the data)."""
    wanted = [item.callspec.params["case_id"] for item in request.session.items
              if getattr(item, "module", None) is request.module and hasattr(item, "callspec")]
    base = template.data.parent
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {case_id: pool.submit(run_case, CASES[case_id], template, base / f"{n:03d}")
                   for n, case_id in enumerate(wanted)}
        results = {case_id: future.result() for case_id, future in futures.items()}
    if os.environ.get("ATTACK_REPORT"):
        with open(os.environ["ATTACK_REPORT"], "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write("case\texpect\tresult\texit\tseconds\tstderr\tproblems\twhy\tall of stderr\n")
            for r in results.values():
                verdict = "skip" if r.skipped else ("FAIL" if r.problems else "pass")
                fh.write(f"{r.case.id}\t{r.case.expect}\t{verdict}\t{r.returncode}\t{r.seconds:.1f}\t"
                         f"{r.first_stderr_line[:150]}\t{'; '.join(r.problems) or r.skipped or ''}\t"
                         f"{r.case.story}\t{squeeze(' ⏎ '.join(r.stderr.splitlines()))}\n")
    return results


def squeeze(text: str) -> str:
    """A 4,096-character name, told once: the report stays readable."""
    return re.sub(r"(.)\1{20,}", lambda m: f"{m[1]}…×{len(m[0])}", text)[:4000]


@pytest.mark.parametrize("case_id", list(CASES))
def test_a_hostile_command_line_gets_a_chinese_answer_and_leaves_the_data_folder_as_it_was(
    case_id: str, outcomes: dict[str, Outcome]
) -> None:
    outcome = outcomes[case_id]
    if outcome.skipped:
        pytest.skip(outcome.skipped)
    assert not outcome.problems, outcome.summary()
