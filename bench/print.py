"""Printed task list vs the same HTML printed by a bare QTextDocument.print_(), measured in the same run (issue 4).

The list: the whole plan grouped by responsible unit (30 measures, 111 rows in 33 sections) for 芙蓉区, 2020-09,
from sample data in a temporary folder. Both sides write an A4 PDF through a QPrinter at print resolution with
the same CJK face; rounds alternate so that neither side profits from a warm cache.

  tasks     the whole use case: read the ledger for the month, select and group rows, build the HTML, lay it
            out at the printer's resolution and paint every page with its running header and 第 X 页 共 Y 页
  bare      QTextDocument.setHtml(the same HTML) + print_(printer): Qt's own pagination, page numbers only

Goal: tasks at most 1.5× bare (median of --rounds).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/print.py [--rounds 7] [--full-text] [--page1 docs/tasks-page1.png]

--page1 also writes the picture of page 1 shown in the README (pdftoppm -png -r 80), from a fixed print date.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GOAL = 1.5
PRINTED_ON = date(2020, 10, 8)


def pdf_pages(path: Path) -> int:
    """Pages of a PDF Qt wrote (its page objects are never packed into object streams)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--full-text", action="store_true", help="with the full text of every measure")
    parser.add_argument("--page1", type=Path, default=None, help="write page 1 as a PNG (pdftoppm -r 80)")
    args = parser.parse_args()

    from PySide6.QtGui import QTextDocument

    from liubao_desktop.domain.periods import Period
    from liubao_desktop.printing.fonts import choose_cjk_family, cjk_font
    from liubao_desktop.printing.html import BODY_PT, task_list_html
    from liubao_desktop.printing.pdf import ensure_gui_application, pdf_printer, write_task_list_pdf
    from liubao_desktop.services.ledger import Ledger
    from liubao_desktop.services.sample_data import fill_sample_data
    from liubao_desktop.services.task_list import TaskListOptions, build_task_list

    ensure_gui_application()
    family = choose_cjk_family()
    options = TaskListOptions(full_text=args.full_text)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "data").mkdir()
        ledger = Ledger.open(work / "data")
        fill_sample_data(ledger, ["芙蓉区"], Period(2021, 6))
        period = Period(2020, 9)

        def tasks(out: Path) -> int:
            task_list = build_task_list(ledger, "芙蓉区", period, options, printed_on=PRINTED_ON)
            return write_task_list_pdf(task_list, out)

        html = task_list_html(build_task_list(ledger, "芙蓉区", period, options, printed_on=PRINTED_ON),
                              family=family)

        def bare(out: Path) -> int:
            doc = QTextDocument()
            doc.setDefaultFont(cjk_font(family, BODY_PT))
            doc.setHtml(html)
            printer = pdf_printer(out)
            doc.print_(printer)
            return 0  # counted from the file afterwards: doc.pageCount() would lay the original out again

        tasks(work / "warm-tasks.pdf")
        bare(work / "warm-bare.pdf")
        times: dict[str, list[float]] = {"tasks": [], "bare": []}
        pages: dict[str, int] = {}
        for i in range(args.rounds):
            for name, run in (("tasks", tasks), ("bare", bare)) if i % 2 == 0 else (("bare", bare), ("tasks", tasks)):
                start = time.perf_counter()
                pages[name] = run(work / f"{name}-{i}.pdf")
                times[name].append(time.perf_counter() - start)
        ledger.close()
        pages["bare"] = pdf_pages(work / "bare-0.pdf")

        t, b = statistics.median(times["tasks"]), statistics.median(times["bare"])
        print(f"whole plan by unit{' with full text' if args.full_text else ''}, {args.rounds} rounds, median:")
        print(f"  tasks  {t * 1000:7.1f} ms  {pages['tasks']:3d} pages  (header, 第 X 页 共 Y 页, layout at 1200 dpi)")
        print(f"  bare   {b * 1000:7.1f} ms  {pages['bare']:3d} pages  (QTextDocument.print_ of the same HTML)")
        ratio = t / b
        print(f"  ratio  {ratio:.2f}×  (goal ≤ {GOAL}×) {'OK' if ratio <= GOAL else 'OVER GOAL'}")

        if args.page1:
            pdftoppm = shutil.which("pdftoppm")
            if pdftoppm is None:
                print("pdftoppm not found (poppler-utils): no picture written", file=sys.stderr)
                return 1
            pdf = work / "tasks-0.pdf"
            prefix = work / "page"
            subprocess.run([pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(prefix)], check=True)
            args.page1.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(prefix.with_suffix(".png"), args.page1)
            print(f"  page 1 written to {args.page1}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
