"""Start-up time and idle memory of the app vs a bare PySide6 QMainWindow, measured in the same run.

Each sample is a fresh process, timed from before it starts until it reports its window shown (after the first
event-loop pass). Goals (issue 2): time ≤ 1.5×, idle RSS ≤ 1.3× the bare window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/startup.py [--rounds 7]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

RSS = """
def _rss_kib():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0
"""

# Both programs stop in the same place: the first pass of the event loop after the window was shown.
EXEC_ONCE = RSS + """
from PySide6.QtWidgets import QApplication
def _exec_once(self=None):
    QApplication.processEvents()
    print("RSS", _rss_kib(), flush=True)
    return 0
QApplication.exec = _exec_once
"""

BARE = EXEC_ONCE + """
from PySide6.QtWidgets import QMainWindow
app = QApplication([])
w = QMainWindow()
w.resize(1360, 860)
w.show()
app.exec()
"""

# The real start: main.py's path with argument parsing, logging, the instance lock, the daily backup check,
# opening the database and building the window.
APP = EXEC_ONCE + """
import sys
sys.path.insert(0, {repo!r})
from liubao_desktop.app import main
main(["--data-dir", {data!r}])
"""


def run_once(code: str) -> tuple[float, int]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    rss = next(int(line.split()[1]) for line in out.stdout.splitlines() if line.startswith("RSS"))
    return elapsed, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    import compileall

    # An installed app runs from bytecode; this machine sets PYTHONDONTWRITEBYTECODE, so compile once here.
    compileall.compile_dir(str(REPO / "liubao_desktop"), quiet=1)
    from liubao_desktop.services.ledger import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger.open(Path(tmp))  # the seed is created here, outside the timing (first start only)
        ledger.set_setting("current_org", "430102")
        ledger.set_setting("operator", "基准测试")
        ledger.close()
        from liubao_desktop.services.safety import start_of_day

        start_of_day(Path(tmp))  # today's backup exists, as on every start after the first of the day
        app_code = APP.format(repo=str(REPO), data=tmp)
        run_once(BARE), run_once(app_code)  # warm the OS file cache for both
        bare, app = [], []
        for _ in range(args.rounds):
            bare.append(run_once(BARE))
            app.append(run_once(app_code))
    bt, at = statistics.median(t for t, _ in bare), statistics.median(t for t, _ in app)
    bm, am = statistics.median(m for _, m in bare), statistics.median(m for _, m in app)
    print(f"bare QMainWindow : {bt * 1000:7.0f} ms  RSS {bm / 1024:6.1f} MiB")
    print(f"liubao main window: {at * 1000:7.0f} ms  RSS {am / 1024:6.1f} MiB  (seed plan loaded)")
    print(f"ratio time {at / bt:.2f}x (goal <= 1.5x)   ratio RSS {am / bm:.2f}x (goal <= 1.3x)")


if __name__ == "__main__":
    main()
