"""`python main.py tasks` on a server without a screen: a PDF, or a plain error, never a Qt abort."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from liubao_desktop.services.ledger import Ledger

from .pdf_reading import page_count, pages
from .test_task_list_pdf import A4_POINTS

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def run_main(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def office(data_dir: Path) -> Path:
    """A data folder with 芙蓉区 chosen in the window last time (the command's default office: this PC's
    settings.ini)."""
    Ledger.open(data_dir).close()
    (data_dir / "settings.ini").write_text("[General]\nlast_org=430102\n", encoding="utf-8")
    return data_dir


def test_tasks_writes_the_finance_bureaus_list_without_any_display(office: Path, tmp_path: Path) -> None:
    done = run_main("tasks", "--out", "财政局.pdf", "--unit", "市财政局", "--period", "2020-09",
                    "--data-dir", str(office), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    printed = pages(tmp_path / "财政局.pdf")
    assert f"已生成任务清单 财政局.pdf：芙蓉区 2020年9月，12 项任务，共 {len(printed)} 页" in done.stdout
    text = "".join(printed)
    assert "市财政局共12项" in text and "提升基层运转效能" in text and "加强组织领导" not in text


def test_tasks_by_part_for_another_office_with_full_text_and_page_breaks(office: Path, tmp_path: Path) -> None:
    out = tmp_path / "parts.pdf"
    done = run_main("--data-dir", str(office), "tasks", "--out", str(out), "--group-by", "part", "--org", "天心区",
                    "--full-text", "--page-break", "--period", "2020-08", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    texts = pages(out)
    assert page_count(out) >= 7  # seven parts, each from a new page
    assert texts[0].count("填报单位：天心区") == 1 and "报告期：2020年8月" in texts[0]
    assert any("七、加强组织保障共3项" in t for t in texts)
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == tuple(round(v) for v in A4_POINTS)


@pytest.mark.parametrize(("args", "says"), [
    (["--unit", "市财政厅"], "没有名为“市财政厅”的责任单位。是不是：市财政局"),
    (["--period", "2030-01"], "不在方案的执行期内"),
    (["--org", "某某区"], "没有名为“某某区”的填报单位"),
])
def test_tasks_refuses_what_the_plan_does_not_know_in_plain_words(
    office: Path, tmp_path: Path, args: list[str], says: str
) -> None:
    done = run_main("tasks", "--out", "x.pdf", *args, "--data-dir", str(office), cwd=tmp_path)
    assert done.returncode == 1
    assert says in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.pdf").exists()
