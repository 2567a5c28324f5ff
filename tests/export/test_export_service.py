"""Exporting is safe: it reads only, it never leaves half a file, and when it cannot write it says why."""
from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

import liubao_desktop.export as export_pkg
from liubao_desktop.domain.periods import Period
from liubao_desktop.files import outputs
from liubao_desktop.services.export_service import (
    ExportCancelled,
    ExportError,
    default_file_name,
    export_city_workbook,
    export_workbook,
    file_name_for,
    resolve_orgs,
    target_history,
)
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.progress_report import build_report
from liubao_desktop.services.sample_data import fill_sample_data
from liubao_desktop.storage.models import AuditRow

from ..conftest import REPO
from .conftest import OCT, ORG_CODE, Scenario

OLD = b"PK\x03\x04 the workbook sent last month"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_exporting_reads_the_database_and_changes_nothing(scenario: Scenario, tmp_path: Path) -> None:
    conn = scenario.ledger.db.connection()
    before, audit = conn.total_changes, AuditRow.select().count()
    export_workbook(scenario.ledger, [ORG_CODE], OCT, tmp_path / "a.xlsx")
    assert conn.total_changes == before
    assert AuditRow.select().count() == audit


def test_the_file_name_offered_is_org_month_and_plan(ledger: Ledger) -> None:
    assert default_file_name("芙蓉区", Period(2020, 9)) == "芙蓉区-2020-09-六保进展.xlsx"
    assert default_file_name('某"街道/社区"', Period(2020, 9)) == "某_街道_社区_-2020-09-六保进展.xlsx"
    assert file_name_for(ledger, ["430102", "430103"], OCT) == "芙蓉区等2个单位-2020-10-六保进展.xlsx"
    assert file_name_for(ledger, [o.code for o in ledger.orgs()], OCT) == "全部单位-2020-10-六保进展.xlsx"


def test_orgs_can_be_named_by_name_code_list_or_all(ledger: Ledger) -> None:
    assert resolve_orgs(ledger, "芙蓉区") == ["430102"]
    assert resolve_orgs(ledger, "芙蓉区、430103，芙蓉区") == ["430102", "430103"]
    assert len(resolve_orgs(ledger, "all")) == 13
    with pytest.raises(ExportError, match="没有名为“某区”的填报单位"):
        resolve_orgs(ledger, "某区")


def test_a_missing_folder_is_named_and_nothing_is_written(scenario: Scenario, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="保存位置.*不存在"):
        export_workbook(scenario.ledger, [ORG_CODE], OCT, tmp_path / "没有这个文件夹" / "a.xlsx")
    assert not (tmp_path / "没有这个文件夹").exists()


@pytest.mark.parametrize("name", ["a.xls", "a.csv", "报表"])
def test_only_xlsx_names_are_accepted(scenario: Scenario, tmp_path: Path, name: str) -> None:
    with pytest.raises(ExportError, match=r"\.xlsx"):
        export_workbook(scenario.ledger, [ORG_CODE], OCT, tmp_path / name)


def test_a_month_outside_the_plan_is_refused(scenario: Scenario, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="2022年1月 不在方案的执行期内"):
        export_workbook(scenario.ledger, [ORG_CODE], Period(2022, 1), tmp_path / "a.xlsx")


@pytest.mark.parametrize("lock", ["~${name}", ".~lock.{name}#"], ids=["excel-wps", "libreoffice"])
def test_a_workbook_open_in_excel_or_libreoffice_is_not_overwritten(scenario: Scenario, tmp_path: Path,
                                                                     lock: str) -> None:
    out = tmp_path / "芙蓉区-2020-10-六保进展.xlsx"
    out.write_bytes(OLD)
    (tmp_path / lock.format(name=out.name)).write_text("owner")
    with pytest.raises(ExportError, match="正被 Excel、WPS 或 LibreOffice 打开") as err:
        export_workbook(scenario.ledger, [ORG_CODE], OCT, out)
    assert lock.format(name=out.name) in str(err.value)  # says which hidden file, in case it is stale
    assert out.read_bytes() == OLD


def test_a_file_locked_by_another_program_keeps_its_old_content_and_no_temp_is_left(
        scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "a.xlsx"
    out.write_bytes(OLD)

    def locked(src: object, dst: object) -> None:  # what Windows does while Excel has the file open
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(outputs.os, "replace", locked)
    with pytest.raises(ExportError, match="正被其他程序（例如 Excel、WPS）打开"):
        export_workbook(scenario.ledger, [ORG_CODE], OCT, out)
    assert out.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_full_disk_is_explained_and_leaves_neither_half_a_file_nor_a_temp(
        scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "a.xlsx"
    out.write_bytes(OLD)

    def fill_the_disk(data: object, fh, progress=None) -> None:  # noqa: ANN001
        fh.write(b"PK\x03\x04 half a zip")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_pkg, "write_workbook", fill_the_disk)
    with pytest.raises(ExportError, match="磁盘已满"):
        export_workbook(scenario.ledger, [ORG_CODE], OCT, out)
    assert out.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_folder_without_write_permission_is_explained(scenario: Scenario, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = open

    def no_permission(path, mode="r", *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if "x" in mode:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", no_permission)
    with pytest.raises(ExportError, match="没有权限在.*中保存文件"):
        export_workbook(scenario.ledger, [ORG_CODE], OCT, tmp_path / "a.xlsx")


def test_cancelling_midway_writes_nothing(scenario: Scenario, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "a.xlsx"
    seen: list[int] = []
    # A temporary folder of the test's own: the system's is shared with the other test workers, whose exports
    # leave and remove openpyxl's sheet streams there at any moment.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))

    streams: list[int] = []

    def progress(done: int, total: int, what: str) -> None:
        seen.append(done)
        streams.append(len(list((tmp_path / "tmp").glob("openpyxl.*"))))
        if "明细" in what:
            raise ExportCancelled()

    with pytest.raises(ExportCancelled):
        export_workbook(scenario.ledger, [ORG_CODE], OCT, out, progress=progress)
    assert not out.exists() and leftovers(tmp_path) == []
    assert max(streams) > 0 and list((tmp_path / "tmp").glob("openpyxl.*")) == []  # openpyxl's sheet streams too
    assert seen and seen == sorted(seen)


def test_an_existing_file_is_replaced_whole_and_readable_by_others(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "a.xlsx"
    out.write_bytes(OLD)
    steps: list[tuple[int, int]] = []
    result = export_workbook(scenario.ledger, [ORG_CODE], OCT, out, progress=lambda d, t, w: steps.append((d, t)))
    assert load_workbook(out).sheetnames == ["汇总", "指标完成情况", "工作进展", "明细"]
    assert result.path == out and result.sheets == ("汇总", "指标完成情况", "工作进展", "明细")
    assert "芙蓉区 2020年10月" in result.message
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600
    assert steps[-1] == (1000, 1000)
    assert leftovers(tmp_path) == []


def test_the_detail_history_agrees_with_the_report_for_the_chosen_month(scenario: Scenario) -> None:
    history = target_history(scenario.ledger, ORG_CODE, OCT)
    assert [h.period for h in history] == [Period(2020, 8), Period(2020, 9), OCT]
    report = build_report(scenario.ledger, ORG_CODE, OCT)
    assert {line.target.code: line for line in history[-1].lines} == report.targets


def test_several_orgs_go_into_one_workbook_in_blocks(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "two.xlsx"
    result = export_workbook(scenario.ledger, ["430102", "430103"], OCT, out, report_date=date(2020, 11, 5))
    assert [o.name for o in result.orgs] == ["芙蓉区", "天心区"]
    wb = load_workbook(out)
    summary = [r for r in wb["汇总"].iter_rows(min_row=5, values_only=True)]
    assert [r[1] for r in summary[1:3]] == ["芙蓉区", "天心区"]  # 各单位总体情况 first
    assert "2个单位" in wb["汇总"]["A1"].value
    targets = wb["指标完成情况"]
    blocks = [r[0].row for r in targets.iter_rows(min_row=4) if r[0].value in ("芙蓉区", "天心区")]
    assert len(blocks) == 2
    assert blocks[1] - 1 in [b.id for b in targets.row_breaks.brk]  # 天心区 starts a new page
    detail = [r for r in wb["明细"].iter_rows(min_row=4, values_only=True) if r[0] == "changsha-2020-26"]
    assert {r[1] for r in detail} == {"430102", "430103"}
    assert {p.name: p.value for p in wb.custom_doc_props}["liubao.org_codes"] == "430102,430103"


def test_a_sample_database_says_so_in_every_title(ledger: Ledger, tmp_path: Path) -> None:
    fill_sample_data(ledger, ["430102"], Period(2020, 9))
    out = tmp_path / "sample.xlsx"
    export_workbook(ledger, ["430102"], Period(2020, 9), out)
    wb = load_workbook(out)
    assert all(ws["A1"].value.startswith("【示例数据】") for ws in wb.worksheets)
    assert {p.name: p.value for p in wb.custom_doc_props}["liubao.sample_data"] == "1"


def test_the_city_workbook_has_every_org(ledger: Ledger, tmp_path: Path) -> None:
    fill_sample_data(ledger, [o.code for o in ledger.orgs()], Period(2020, 9), narratives=False)
    result = export_city_workbook(ledger, Period(2020, 9), tmp_path / "city.xlsx")
    assert len(result.orgs) == 13
    wb = load_workbook(tmp_path / "city.xlsx", read_only=True)
    codes = {r[1] for r in wb["明细"].iter_rows(min_row=4, values_only=True) if r and r[0] == "changsha-2020-26"}
    assert codes == {o.code for o in ledger.orgs()}
    wb.close()


@pytest.mark.slow
def test_the_export_command_writes_the_workbook_and_explains_errors(scenario: Scenario, tmp_path: Path) -> None:
    scenario.ledger.close()
    run = [sys.executable, str(REPO / "main.py"), "--data-dir", str(scenario.data_dir), "export", "--org", "芙蓉区"]
    out = tmp_path / "芙蓉区-2020-10.xlsx"
    done = subprocess.run([*run, "--period", "2020-10", "--out", str(out)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"已导出 芙蓉区 2020年10月 的报送报表：{out}" in done.stdout
    assert load_workbook(out)["指标完成情况"]["A1"].value.endswith("（芙蓉区，2020年10月）")
    # without --period and --out: the latest month with data, the default name, in the current folder
    done = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "芙蓉区-2020-10-六保进展.xlsx").exists()
    done = subprocess.run([*run, "--out", str(tmp_path / "nowhere" / "a.xlsx")], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 1
    assert "错误：保存位置" in done.stderr and "不存在" in done.stderr and "Traceback" not in done.stderr
