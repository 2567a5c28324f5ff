"""`python main.py plan --json` prints the plan in the published shape, so other tools can rely on it."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def run_plan_json(data_dir: Path) -> dict:
    proc = subprocess.run([sys.executable, str(REPO / "main.py"), "plan", "--json", "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(proc.stdout)


def check_keys(obj: dict, keys: set[str]) -> None:
    assert set(obj) == keys, set(obj) ^ keys


def test_plan_json_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    data = run_plan_json(tmp_path / "data")
    check_keys(data, {"plan", "parts"})
    check_keys(data["plan"], {"title", "doc_number", "issuer", "issued_on", "effective_from", "effective_to"})
    assert data["plan"]["doc_number"] == "长政办发〔2020〕26号"
    for key in ("issued_on", "effective_from", "effective_to"):
        assert DATE.match(data["plan"][key])
    assert [p["title"] for p in data["parts"]][:2] == ["保居民就业", "保基本民生"]
    n_measures = n_targets = 0
    for part in data["parts"]:
        check_keys(part, {"code", "title", "measures"})
        for m in part["measures"]:
            n_measures += 1
            check_keys(m, {"code", "title", "text", "units", "deadline", "targets"})
            assert not re.match(r"^[（(]", m["title"]) and "、" not in m["title"][:2]
            assert all(isinstance(u, str) for u in m["units"])
            assert m["deadline"] is None or DATE.match(m["deadline"])
            for t in m["targets"]:
                n_targets += 1
                check_keys(t, {"code", "label", "value", "unit", "base_value", "base_unit", "comparator",
                               "deadline", "source"})
                assert t["value"] is None or isinstance(t["value"], int | float)
                assert t["base_value"] is None or isinstance(t["base_value"], int | float)
                assert t["deadline"] is None or DATE.match(t["deadline"])
                assert t["source"] in m["text"]
    assert (n_measures, n_targets) == (30, 39)
    first = data["parts"][0]["measures"][0]
    assert first["title"] == "全力促进高校毕业生就业"
    target = next(t for p in data["parts"] for m in p["measures"] for t in m["targets"] if t["code"] == "1.3.1")
    assert (target["value"], target["unit"], target["base_value"], target["base_unit"]) == (1.4, "万人", 14000, "人")


def test_plan_command_creates_the_database_on_first_start_in_the_given_folder(tmp_path: Path) -> None:
    run_plan_json(tmp_path / "fresh")
    assert (tmp_path / "fresh" / "liubao.sqlite3").exists()
