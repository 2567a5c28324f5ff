"""Hostile and broken files change nothing and do not hang: each refused alone, with a Chinese reason, the
database byte-identical after; the good file of the same batch still previews."""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

from liubao_desktop.app import main
from liubao_desktop.intake import workbook
from liubao_desktop.intake.guard import RefusedFile
from liubao_desktop.services.import_service import preview_import
from liubao_desktop.services.ledger import Ledger

from .conftest import make_template
from .corpus import HOSTILE


def _digest(data_dir: Path) -> str:
    return hashlib.sha256((data_dir / "liubao.sqlite3").read_bytes()).hexdigest()


@pytest.fixture
def closed(ledger: Ledger, data_dir: Path, tmp_path: Path) -> tuple[Path, bytes]:
    base = make_template(ledger, tmp_path / "base.xlsx").read_bytes()
    ledger.close()
    return data_dir, base


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_each_hostile_file_is_refused_and_changes_nothing(kind: str, closed: tuple[Path, bytes], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, base = closed
    path = HOSTILE[kind](tmp_path, base)
    before = _digest(data_dir)
    start = time.monotonic()
    code = main(["import", str(path), "--json", "--data-dir", str(data_dir)])
    assert time.monotonic() - start < 10
    out = json.loads(capsys.readouterr().out)
    assert code in (2, 3)
    assert out["committed"] is False
    problems = out["files"][0]["problems"]
    assert problems and all(any("\u4e00" <= ch <= "\u9fff" for ch in p["message"]) for p in problems)
    assert not any(ch in p["message"] for p in problems for ch in "\u202e\u200b\x00")
    assert _digest(data_dir) == before
    assert not list((data_dir / "backups").glob("*before_bulk*")) if (data_dir / "backups").exists() else True


def test_a_batch_with_hostile_files_previews_the_good_one_and_writes_nothing(ledger: Ledger, tmp_path: Path) -> None:
    good = make_template(ledger, tmp_path / "good.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(good)
    wb["填报表"]["G4"] = 12
    wb.save(good)
    base = good.read_bytes()
    hostile = [make(tmp_path, base) for make in HOSTILE.values()]
    preview = preview_import(ledger, [good, *hostile])
    assert not preview.files[0].problems and preview.files[0].changes
    assert all(f.problems for f in preview.files[1:])
    assert not preview.clean


def test_nothing_is_read_without_defusedxml(monkeypatch: pytest.MonkeyPatch, ledger: Ledger, tmp_path: Path) -> None:
    assert workbook.defused()
    import openpyxl.xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(RefusedFile, match="defusedxml"):
        preview_import(ledger, [make_template(ledger, tmp_path / "t.xlsx")])
