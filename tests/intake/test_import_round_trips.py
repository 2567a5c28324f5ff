"""Round trips: a template filled by openpyxl (and once through LibreOffice), a district's 报送报表 into the
city's ledger; every problem named by sheet and cell; all or nothing; undo in one step."""
from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from liubao_desktop.app import main
from liubao_desktop.domain.figures import NOT_APPLICABLE, FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.import_service import (
    ImportRefused,
    commit_import,
    preview_import,
    revert_import,
)
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.sample_data import fill_sample_data
from liubao_desktop.storage.queries import AuditWhere

from .conftest import make_template

SEP = Period(2020, 9)


def rows_of(path: Path) -> dict[str, int]:
    wb = load_workbook(path)
    ws = wb["填报表"]
    return {ws.cell(r, 9).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, 9).value}


def fill(path: Path, values: dict[str, object], notes: dict[str, str] | None = None) -> Path:
    rows = rows_of(path)
    wb = load_workbook(path)
    ws = wb["填报表"]
    for code, value in values.items():
        ws.cell(rows[code], 7).value = value
    for code, note in (notes or {}).items():
        ws.cell(rows[code], 8).value = note
    wb.save(path)
    return path


def some_targets(ledger: Ledger) -> tuple[str, str, str]:
    """A count target, a ratio target and a 定性 target of the plan."""
    count = next(t.code for t in ledger.plan.targets() if t.entry_unit == "人")
    ratio = next(t.code for t in ledger.plan.targets() if t.is_ratio)
    state = next(t.code for t in ledger.plan.targets() if t.is_done)
    return count, ratio, state


def test_a_filled_template_lands_as_typed(ledger: Ledger, tmp_path: Path) -> None:
    count, ratio, state = some_targets(ledger)
    other = next(t.code for t in ledger.plan.targets() if t.code not in (count, ratio, state) and not t.is_done)
    path = fill(make_template(ledger, tmp_path / "t.xlsx"), {count: 1523, ratio: 0.5, state: "推进中", other: "不适用"},
                {count: "含零就业家庭"})
    # ratio: 0.5 typed as 50% (openpyxl keeps the cell's number format only if set): make it a % cell
    wb = load_workbook(path)
    wb["填报表"].cell(rows_of(path)[ratio], 7).number_format = "0%"
    wb.save(path)
    preview = preview_import(ledger, [path])
    assert preview.clean, [p.text for f in preview.files for p in f.problems]
    assert preview.count("new") == 4
    result = commit_import(ledger, preview)
    assert result.backup is not None and result.backup.exists()
    assert ledger.figure("430102", count, SEP) == FigureValue.of(Decimal(1523))
    assert ledger.figure("430102", ratio, SEP) == ledger.parse_entry(ratio, "50")
    assert ledger.figure("430102", state, SEP) == FigureValue.of_state("推进中")
    assert ledger.figure("430102", other, SEP) == NOT_APPLICABLE
    assert ledger.notes("430102", SEP)[count] == "含零就业家庭"
    trail = ledger.store.audit(AuditWhere(source="import"), 100)
    assert len(trail) == 5 and all(path.name in r.note and preview.files[0].sha256 in r.note for r in trail)
    # the same file again: unchanged
    again = preview_import(ledger, [path])
    assert again.files[0].count("unchanged") == 4 and not again.writes()
    # undo in one step: every cell as before
    revert_import(ledger, result)
    assert ledger.figures("430102") == {} and ledger.notes("430102", SEP) == {}


def test_a_units_template_lands_as_that_units_figures(ledger: Ledger, tmp_path: Path) -> None:
    unit = ledger.add_unit("430102", "区人社局")
    count, _, _ = some_targets(ledger)
    ledger.assign(unit.code, count)
    path = make_template(ledger, tmp_path / "u.xlsx", unit=unit.code)
    fill(path, {count: 77})
    commit_import(ledger, preview_import(ledger, [path]))
    assert ledger.figure(unit.code, count, SEP) == FigureValue.of(Decimal(77))
    assert ledger.figure("430102", count, SEP).is_blank


def test_problems_name_sheet_and_cell_and_nothing_is_written(ledger: Ledger, data_dir: Path, tmp_path: Path) -> None:
    count, ratio, state = some_targets(ledger)
    path = fill(make_template(ledger, tmp_path / "bad.xlsx"), {count: "1,5x3", state: 3, ratio: "=1+1"})
    row = rows_of(path)[count]
    preview = preview_import(ledger, [path])
    texts = [p.text for p in preview.files[0].problems]
    assert any(t.startswith(f"填报表!G{row}：") and "1,5x3" in t for t in texts), texts
    assert any("定性" in t for t in texts)
    assert any("公式" in t and "计算结果" in t for t in texts)  # openpyxl saves no cached value
    with pytest.raises(ImportRefused):
        commit_import(ledger, preview)
    assert ledger.figures("430102") == {}


def test_tampered_codes_and_duplicates_are_refused(ledger: Ledger, tmp_path: Path) -> None:
    count, _, _ = some_targets(ledger)
    a = fill(make_template(ledger, tmp_path / "a.xlsx"), {count: 5})
    b = tmp_path / "b.xlsx"
    shutil.copy(a, b)
    preview = preview_import(ledger, [a, b])
    assert not preview.files[0].problems and any("重复" in p.message for p in preview.files[1].problems)
    wb = load_workbook(a)
    wb["填报表"].cell(rows_of(a)[count], 9).value = "9.9.9"
    wb.save(a)
    assert any("改动" in p.message for p in preview_import(ledger, [a]).files[0].problems)
    wb = load_workbook(b)
    wb["_liubao"]["B5"] = "0000000000000000"  # plan_fingerprint, disagreeing with the file's properties
    wb.save(b)
    assert preview_import(ledger, [b]).files[0].problems


def test_a_district_export_imports_into_the_city_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    district = Ledger.open(tmp_path / "district")
    fill_sample_data(district, ["430104"], Period(2021, 3))
    from liubao_desktop.services.export_service import export_workbook

    out = export_workbook(district, ["430104"], Period(2021, 3), tmp_path / "岳麓区.xlsx").path
    expected = district.figures("430104")
    district.close()
    city_dir = tmp_path / "city"
    Ledger.open(city_dir).close()
    code = main(["import", str(out), "--json", "--data-dir", str(city_dir)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["committed"] is True
    f = report["files"][0]
    assert (f["org"], f["unit"], f["period"], f["changed"]) == ("430104", None, "2021-03", 0)
    assert f["new"] == sum(len(v) for v in expected.values())
    city = Ledger.open(city_dir)
    try:
        assert city.figures("430104") == expected
    finally:
        city.close()
    # again, dry: nothing new
    assert main(["import", str(out), "--dry-run", "--json", "--data-dir", str(city_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["files"][0]["unchanged"] == f["new"]


def test_exit_codes(ledger: Ledger, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    count, _, _ = some_targets(ledger)
    bad = fill(make_template(ledger, tmp_path / "bad.xlsx"), {count: "abc"})
    ledger.close()
    missing = tmp_path / "missing.xlsx"
    assert main(["import", str(bad), "--json", "--data-dir", str(data_dir)]) == 3
    assert main(["import", str(missing), "--json", "--data-dir", str(data_dir)]) == 2
    capsys.readouterr()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_template_saved_by_libreoffice_imports_with_its_formula_results(ledger: Ledger, tmp_path: Path) -> None:
    count, ratio, _ = some_targets(ledger)
    (tmp_path / "src").mkdir()
    src = fill(make_template(ledger, tmp_path / "src" / "t.xlsx"), {count: "=1000+523", ratio: 40})
    out_dir = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "xlsx", "--outdir", str(out_dir), str(src)], check=True, capture_output=True,
                   timeout=180)
    converted = out_dir / "t.xlsx"
    preview = preview_import(ledger, [converted])
    assert preview.clean, [p.text for f in preview.files for p in f.problems]
    assert any("公式" in n.message for n in preview.files[0].notices)
    commit_import(ledger, preview)
    assert ledger.figure("430102", count, SEP) == FigureValue.of(Decimal(1523))
    assert ledger.figure("430102", ratio, SEP) == ledger.parse_entry(ratio, "40")
