"""The cost of one keystroke-commit in the window, and of one keystroke in the tree's search box.

A 13-office × 17-month ledger of sample figures; the window on 芙蓉区, 1.1 selected. Each edit types a new 本期完成
into the first target through the model (as the delegate commits it), then lets Qt deliver the repaint the edit
asked for. Timed from the commit to the end of that repaint; SQL statements counted with SQLite's trace hook.
The baseline, measured in the same run, is one bare repaint of the same window with nothing changed.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/edit.py [--edits 200]

Goal (issue 9): median keystroke-commit → repaint ≤ 16 ms (one frame); tree filter per keystroke ≤ 16 ms.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

FRAME_MS = 16.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()

    from liubao_desktop.services.ledger import Ledger
    from liubao_desktop.services.sample_data import fill_sample_data
    from liubao_desktop.ui.launch import make_app
    from liubao_desktop.ui.main_window import MainWindow
    from liubao_desktop.ui.targets_model import COL_PERIOD

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        ledger = Ledger.open(data_dir)
        codes = [o.code for o in ledger.orgs()][:13]
        fill_sample_data(ledger, codes, ledger.periods[-1])
        ledger.sign_as("测试")
        app = make_app()
        window = MainWindow(ledger, "430102", data_dir)
        window.show()
        window.set_period(ledger.periods[-1])
        window.select_measure("1.1")
        app.processEvents()
        model, view = window.targets_model, window.targets_view

        statements = 0

        def count(_sql: str) -> None:
            nonlocal statements
            statements += 1

        ledger.db.connection().set_trace_callback(count)

        def settle() -> None:
            app.sendPostedEvents()
            app.processEvents()

        bare: list[float] = []
        for _ in range(30):
            start = time.perf_counter()
            window.update()
            view.viewport().update()
            settle()
            bare.append((time.perf_counter() - start) * 1000)

        edits: list[float] = []
        sql: list[int] = []
        for i in range(args.edits):
            index = model.index(0, COL_PERIOD)
            statements = 0
            start = time.perf_counter()
            if not model.setData(index, f"{40 + (i % 500) / 10:.1f}"):  # a share in %: 40.0, 40.1 …
                print("an edit was refused:", window.input_error.text())
                return 1
            settle()
            edits.append((time.perf_counter() - start) * 1000)
            sql.append(statements)

        searches: list[float] = []
        for _ in range(20):
            for text in ("j", "jy", "jyf", "jyfw", "jyf", "jy", "j", ""):
                start = time.perf_counter()
                window.search.setText(text)
                settle()
                searches.append((time.perf_counter() - start) * 1000)
        ledger.db.connection().set_trace_callback(None)
        window.close()
        ledger.close()

    def line(name: str, values: list[float], goal: float | None = None) -> str:
        med = statistics.median(values)
        ratio = med / statistics.median(bare)
        verdict = "" if goal is None else ("  OK" if med <= goal else f"  OVER the {goal:.0f} ms goal")
        return f"  {name:<22}{med:8.2f} ms  p90 {statistics.quantiles(values, n=10)[-1]:7.2f} ms  " \
               f"{ratio:6.1f}× a bare repaint{verdict}"

    print(f"13 offices × {len(ledger.periods)} months of sample figures; medians")
    print(line("bare repaint", bare))
    print(line("keystroke-commit", edits, FRAME_MS) + f"  ({statistics.median(sql):.0f} SQL statements)")
    print(line("search keystroke", searches, FRAME_MS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
