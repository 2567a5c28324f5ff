"""Reading printed PDFs back the way a person checks paper: page by page, with poppler's own tools."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

FOOTER = re.compile(r"第(\d+)页共(\d+)页")
COLUMN_HEADER = "序号重点任务责任单位完成时限当前状态完成率签收/备注"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: install poppler-utils (scripts/system-packages.sh test does)")
    return path


def page_count(pdf: Path) -> int:
    out = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def page_text(pdf: Path, page: int) -> str:
    """One page's text in the order it was painted (pdftotext -raw)."""
    return subprocess.run(
        [need("pdftotext"), "-raw", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout


def compact(text: str) -> str:
    """Without any white space: a title wrapped over two lines of a cell reads as one again."""
    return re.sub(r"\s+", "", text)


def pages(pdf: Path) -> list[str]:
    return [compact(page_text(pdf, p)) for p in range(1, page_count(pdf) + 1)]


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table as dicts: name, type, emb."""
    out = subprocess.run([need("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        # name type... encoding emb sub uni object-id gen: read from the right, the type may contain spaces
        rows.append({"name": cols[0], "emb": cols[-5], "type": " ".join(cols[1:-6])})
    return rows
