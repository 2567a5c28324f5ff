"""Start-up time and idle memory of the app against the floor (bench/floor.py) and a bare QMainWindow, same run.

Each sample is a fresh process, timed from just before it is started until the first paint of its main window
(the first QPaintEvent the QMainWindow receives; the time is taken on the next event-loop pass, when
that paint is done and flushed). The child reads the same monotonic clock as this process, so the time it takes
to exit is not counted. Idle RSS is read after the window has then sat for --idle-ms in the event loop.
The three programs run interleaved, in a rotating order, under each platform (offscreen; Xvfb + openbox when
Xvfb is installed — `apt-get install xvfb openbox`); the figures are medians over --rounds samples.
Goals (issue 9): app ≤ 1.5× the floor's time, idle RSS ≤ 1.3× the floor's. Where they stood at the end of stop 19
(9 rounds, load ≈ 2): time not met — offscreen 1.88×, Xvfb 1.95× (1.68× in a quieter run at the stop's start);
RSS met — 1.25×, 1.27×. With --instructions (steady whatever the load): bare 584 M, floor 740 M, app 1,400 M =
1.89×. Of the app's 647 M over the floor: the ``Qt`` namespace's ~90 Python enums 118 M (the floor never touches
``Qt``), our storage/domain/services modules 155 M, the ui modules and the PySide classes they name 178 M, and
building, showing and painting a window of 155 widgets (60 shown) against the floor's 34 (13) 196 M.

    .venv/bin/python bench/startup.py [--rounds 11] [--idle-ms 500] [--platforms offscreen,xvfb]
    .venv/bin/python bench/startup.py --instructions     # the same three programs, instructions counted

The machine these numbers come from has 2 cores shared with other work: look at the spread (min–max), not
only the median, before reading much into a difference of a few per cent.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Put in front of each of the three programs. QApplication.exec is wrapped: an event filter on the shown
# QMainWindow waits for its first paint event (painting a window starts with its top-level widget), then the time is printed on the next pass of the
# loop, the RSS after an idle while, and the loop quits (so the app closes its ledger and lock as usual).
HOOK = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

def _rss_kib():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

class _FirstPaint(QObject):
    # The main window's own events only: a filter on the whole application would wrap every widget that
    # gets an event in a Python object, and the first wrap of a class costs its enums (tens of ms).
    seen = False

    def eventFilter(self, obj, event):
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            QTimer.singleShot(0, self.painted)
        return False

    def painted(self):
        print("PAINT", time.perf_counter(), flush=True)
        QTimer.singleShot({idle_ms}, self.idle)

    def idle(self):
        print("RSS", _rss_kib(), flush=True)
        QApplication.quit()

_exec = QApplication.exec
_hook = _FirstPaint()

def _exec_until_painted(*_self):  # app.exec() passes the instance; QApplication.exec is static
    print("EXEC", time.perf_counter(), flush=True)
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if len(windows) != 1:
        raise SystemExit(f"expected one shown QMainWindow, found {len(windows)}")
    windows[0].installEventFilter(_hook)
    QTimer.singleShot(30000, QApplication.quit)  # never hang the bench
    return _exec()

QApplication.exec = _exec_until_painted
"""

BARE = """
app = QApplication([sys.argv[0]])
w = QMainWindow()
w.resize(1360, 860)
w.show()
app.exec()
"""

# The floor and the app run as their own scripts (the app: main.py, with argument parsing, logging, the
# instance lock, the daily backup check, the integrity check, opening the database and building the window).
SCRIPT = """
import runpy
sys.argv = [{script!r}, "--data-dir", {data!r}]
try:
    runpy.run_path({script!r}, run_name="__main__")
except SystemExit as exc:
    if exc.code:
        raise
"""

PROGRAMS = ("bare", "floor", "app")


def program_code(name: str, data_dir: str, idle_ms: int) -> str:
    hook = HOOK.replace("{idle_ms}", str(idle_ms))
    if name == "bare":
        return hook + BARE
    script = REPO / ("bench/floor.py" if name == "floor" else "main.py")
    return hook + SCRIPT.format(script=str(script), data=data_dir)


def run_once(code: str, env: dict[str, str]) -> tuple[float, float, int]:
    """(seconds to exec(), seconds to first paint, idle RSS in KiB) of one fresh process."""
    start = time.perf_counter()
    try:
        out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True,
                             timeout=120)
    except subprocess.TimeoutExpired as exc:
        raise SystemExit(f"a sample did not finish in 2 minutes (a modal dialog?):\n{exc.stderr!r:.3000}") from None
    if out.returncode:
        raise SystemExit(f"a sample failed ({out.returncode}):\n{out.stderr[-3000:]}")
    values = dict(line.split(maxsplit=1) for line in out.stdout.splitlines() if line[:4] in ("EXEC", "PAIN", "RSS "))
    if "PAINT" not in values:
        raise SystemExit(f"a sample never painted its window:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return float(values["EXEC"]) - start, float(values["PAINT"]) - start, int(values["RSS"])


@contextmanager
def xvfb_display() -> Iterator[dict[str, str] | None]:
    """An Xvfb server with openbox on it, for as long as the block runs; None when Xvfb is not installed."""
    if not shutil.which("Xvfb"):
        yield None
        return
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                              pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as fh:
        display = ":" + fh.readline().strip()
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    wm = None
    if shutil.which("openbox"):
        wm = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)  # let it take the screen before the first window maps
    try:
        yield env
    finally:
        for proc in (wm, server):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=10)


def make_data_dir(path: Path) -> None:
    sys.path.insert(0, str(REPO))
    from liubao_desktop.services.ledger import Ledger
    from liubao_desktop.services.safety import start_of_day

    ledger = Ledger.open(path)  # the seed is created here, outside the timing (first start only)
    ledger.close()
    # this PC's office and operator, as the first start saves them (QSettings' ini format)
    (path / "settings.ini").write_text("[General]\nlast_org=430102\noperator=基准测试\n", encoding="utf-8")
    start_of_day(path)  # today's backup exists, as on every start after the first of the day


def measure(env: dict[str, str], data_dir: str, rounds: int, idle_ms: int) -> dict[str, list[tuple[float, float, int]]]:
    codes = {name: program_code(name, data_dir, idle_ms) for name in PROGRAMS}
    for name in PROGRAMS:
        run_once(codes[name], env)  # warm the OS file cache (and fontconfig's) for each
    samples: dict[str, list[tuple[float, float, int]]] = {name: [] for name in PROGRAMS}
    for i in range(rounds):
        order = PROGRAMS[i % 3:] + PROGRAMS[:i % 3]  # rotate, so no program always runs right after another
        for name in order:
            samples[name].append(run_once(codes[name], env))
    return samples


def report(platform: str, samples: dict[str, list[tuple[float, float, int]]]) -> None:
    med = {name: tuple(statistics.median(s[k] for s in samples[name]) for k in range(3)) for name in PROGRAMS}
    print(f"\n{platform}: medians of {len(samples['app'])} interleaved samples (fresh process each)")
    print(f"  {'':16} {'to exec()':>10} {'first paint':>12} {'(min–max)':>15} {'idle RSS':>10}")
    for name, label in (("bare", "bare QMainWindow"), ("floor", "floor"), ("app", "liubao")):
        paints = [s[1] * 1000 for s in samples[name]]
        e, p, m = med[name]
        print(f"  {label:16} {e * 1000:8.0f}ms {p * 1000:10.0f}ms {min(paints):7.0f}–{max(paints):.0f}ms "
              f"{m / 1024:7.1f}MiB")
    (_, bp, bm), (_, fp, fm), (_, ap, am) = med["bare"], med["floor"], med["app"]
    print(f"  floor/bare  time {fp / bp:.2f}x   RSS {fm / bm:.2f}x")
    print(f"  app/bare    time {ap / bp:.2f}x   RSS {am / bm:.2f}x")
    ok_t, ok_m = ap / fp <= 1.5, am / fm <= 1.3
    print(f"  app/floor   time {ap / fp:.2f}x (goal <= 1.5x: {'met' if ok_t else 'NOT met'})   "
          f"RSS {am / fm:.2f}x (goal <= 1.3x: {'met' if ok_m else 'NOT met'})")


def instructions(code: str, env: dict[str, str]) -> int:
    """Instructions one fresh process executes until its window's first paint, counted by valgrind's callgrind
    (the process leaves with os._exit right after the paint, so closing down is not counted). Unlike the clock,
    the count does not move with the load of a shared machine: it tells which change helps by how much."""
    code = code.replace('        print("PAINT", time.perf_counter(), flush=True)', "        import os; os._exit(0)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c",
                               code], env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
        for line in out.read_text().splitlines() if out.exists() else []:
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise SystemExit(f"callgrind gave no count:\n{done.stderr[-2000:]}")


def report_instructions(data_dir: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DISPLAY", None)
    counts = {name: instructions(program_code(name, data_dir, 0), env) for name in PROGRAMS}
    print("\ninstructions to the first paint (offscreen, valgrind --tool=callgrind, one run each)")
    for name, label in (("bare", "bare QMainWindow"), ("floor", "floor"), ("app", "liubao")):
        print(f"  {label:16} {counts[name] / 1e6:8.1f} M")
    print(f"  app/floor {counts['app'] / counts['floor']:.2f}x   floor/bare {counts['floor'] / counts['bare']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--idle-ms", type=int, default=500)
    parser.add_argument("--platforms", default="offscreen,xvfb")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions to the first paint with valgrind (apt-get install valgrind) instead")
    args = parser.parse_args()
    import compileall

    # An installed app runs from bytecode; this machine sets PYTHONDONTWRITEBYTECODE, so compile once here.
    compileall.compile_dir(str(REPO / "liubao_desktop"), quiet=1)
    platforms = args.platforms.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        make_data_dir(Path(tmp))
        if args.instructions:
            if not shutil.which("valgrind"):
                raise SystemExit("valgrind is not installed (apt-get install valgrind)")
            report_instructions(tmp)
            return
        if "offscreen" in platforms:
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
            env.pop("DISPLAY", None)
            report("offscreen", measure(env, tmp, args.rounds, args.idle_ms))
        if "xvfb" in platforms:
            with xvfb_display() as env:
                if env is None:
                    print("\nxvfb: Xvfb is not installed (apt-get install xvfb openbox); skipped")
                else:
                    report(f"xvfb {env['DISPLAY']} + {'openbox' if shutil.which('openbox') else 'no WM'}",
                           measure(env, tmp, args.rounds, args.idle_ms))


if __name__ == "__main__":
    main()
