"""`main.py plan import FILE [--json] [--yes]`, `plan list` and `--plan CODE` on the headless commands."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

ARTICLES = REPO / "tests" / "plan_reader" / "documents" / "articles.txt"
NUMERALS = REPO / "tests" / "plan_reader" / "documents" / "numerals.txt"


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=120)


def test_import_without_yes_shows_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "plan", "list").returncode == 0  # the ledger made
    db = (data / "liubao.sqlite3").read_bytes()
    proc = run(data, "plan", "import", str(ARTICLES), "--json")
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    assert shown["saved"] is False and shown["problems"] == []
    assert shown["plan"]["code"] == "plan-2021-7"
    assert shown["parts"][1]["measures"][0]["unit_roles"]["市财政局"] == "配合"
    assert (data / "liubao.sqlite3").read_bytes() == db
    text = run(data, "plan", "import", str(ARTICLES))
    assert "2.1 减负稳岗（市人力资源社会保障局（牵头）、市财政局（配合）" in text.stdout and "没有写入" in text.stdout


def test_yes_saves_list_names_it_and_plan_reads_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = run(data, "plan", "import", str(ARTICLES), "--yes", "--code", "xiangjiang-2021-7")
    assert proc.returncode == 0, proc.stderr
    assert "已导入方案" in proc.stdout and "--plan xiangjiang-2021-7" in proc.stdout
    listed = json.loads(run(data, "plan", "list", "--json").stdout)["plans"]
    assert [(p["code"], p["targets"], p["default"]) for p in listed] == [
        ("changsha-2020-26", 39, True), ("xiangjiang-2021-7", 11, False)]
    plan = json.loads(run(data, "plan", "--json", "--plan", "xiangjiang-2021-7").stdout)
    assert plan["plan"]["doc_number"] == "湘政发〔2021〕7号"
    assert json.loads(run(data, "plan", "--json").stdout)["plan"]["doc_number"] == "长政办发〔2020〕26号"
    again = run(data, "plan", "import", str(ARTICLES), "--yes")
    assert again.returncode == 3 and "已经导入过" in again.stderr
    unknown = run(data, "tasks", "--out", str(tmp_path / "t.pdf"), "--plan", "nope")
    assert unknown.returncode == 1 and "xiangjiang-2021-7" in unknown.stderr


def test_the_commands_default_to_the_plan_the_window_last_showed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "plan", "import", str(ARTICLES), "--yes").returncode == 0
    (data / "settings.ini").write_text("[General]\nlast_plan=plan-2021-7\n", encoding="utf-8")
    assert json.loads(run(data, "plan", "--json").stdout)["plan"]["doc_number"] == "湘政发〔2021〕7号"
    assert "* plan-2021-7" in run(data, "plan", "list").stdout
    out = tmp_path / "x.xlsx"
    proc = run(data, "export", "--org", "芙蓉区", "--out", str(out))
    assert proc.returncode == 0 and "2021年3月" in proc.stdout  # the new plan's first month
    (data / "settings.ini").write_text("[General]\nlast_plan=gone\n", encoding="utf-8")
    assert json.loads(run(data, "plan", "--json").stdout)["plan"]["doc_number"] == "长政办发〔2020〕26号"


def test_a_plan_with_problems_or_an_unreadable_file_is_not_saved(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = run(data, "plan", "import", str(NUMERALS), "--yes")
    assert proc.returncode == 3 and "企业开办时间压缩至一个工作日以内" in proc.stderr
    bad = tmp_path / "a.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    proc = run(data, "plan", "import", str(bad))
    assert proc.returncode == 2 and "另存为 .docx" in proc.stderr
    assert [p["code"] for p in json.loads(run(data, "plan", "list", "--json").stdout)["plans"]] == [
        "changsha-2020-26"]
