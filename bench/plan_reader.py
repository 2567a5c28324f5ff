"""The plan reader against hand-checked trees: precision and recall of targets and units per document, and the
Changsha comparison with the 39 curated targets (found exactly / differing / missed / extra).

    python bench/plan_reader.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from liubao_desktop.documents import read_plan_file  # noqa: E402
from tests.plan_reader.docs import DOCUMENTS, changsha_docx, fengong_docx  # noqa: E402
from tests.plan_reader.expected import ARTICLES, FENGONG, NUMERALS, score  # noqa: E402
from tests.plan_reader.test_changsha import CURATED, compare  # noqa: E402


def main() -> None:
    found, differ, missed, extra = compare()
    print(f"长政办发〔2020〕26号: {len(found)}/{len(CURATED.targets())} found exactly, {len(differ)} differ, "
          f"{len(missed)} missed, {len(extra)} extra")
    for line in differ + missed + extra:
        print("  ", line)
    with tempfile.TemporaryDirectory() as tmp:
        docs = {
            "articles.txt (第X章/第X条)": (DOCUMENTS / "articles.txt", ARTICLES),
            "numerals.txt (中文数字, 区间)": (DOCUMENTS / "numerals.txt", NUMERALS),
            "分工表.docx (表格)": (fengong_docx(Path(tmp) / "分工表.docx"), FENGONG),
        }
        print(f"{'document':32} {'targets P':>9} {'R':>5} {'units P':>8} {'R':>5}  exact")
        for name, (path, expected) in docs.items():
            s = score(read_plan_file(path), expected)
            print(f"{name:32} {s['target_precision']:9.2f} {s['target_recall']:5.2f} {s['unit_precision']:8.2f} "
                  f"{s['unit_recall']:5.2f}  {s['targets_exact']}/{s['targets_expected']}")
            for k in ("missed", "extra", "inexact"):
                if s[k]:
                    print(f"   {k}: {s[k]}")
        path = changsha_docx(Path(tmp) / "changsha.docx")
        start = time.perf_counter()
        read_plan_file(path)
        print(f"changsha.docx read in {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
