"""填报模板 as a use case: who gets one, what is refused (in Chinese, writing nothing), and the batch for every unit."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.template_service import (
    TemplateError,
    resolve,
    template_file_name,
    write_all_unit_templates,
    write_template_file,
)

SEP = Period(2020, 9)


def units(ledger: Ledger) -> tuple[str, str, str]:
    hr = ledger.add_unit("芙蓉区", "区人社局").code
    street = ledger.add_unit("芙蓉区", "定王台街道").code
    idle = ledger.add_unit("芙蓉区", "区民政局").code
    ledger.assign(hr, "1.3.1")
    ledger.assign(hr, "1.4.1")
    ledger.assign(street, "1.3.1")
    return hr, street, idle


def test_a_unit_with_no_assigned_target_is_refused_and_nothing_is_written(ledger: Ledger, tmp_path: Path) -> None:
    units(ledger)
    office, unit = resolve(ledger, "芙蓉区", "区民政局")
    with pytest.raises(TemplateError, match="芙蓉区还没有给“区民政局”分配指标.*数据 → 下级填报单位"):
        write_template_file(ledger, office, unit, SEP, tmp_path / "T.xlsx")
    assert not (tmp_path / "T.xlsx").exists()


def test_names_are_resolved_and_a_unit_of_another_office_or_retired_is_refused(ledger: Ledger) -> None:
    hr, _, _ = units(ledger)
    assert resolve(ledger, "430102", hr) == (ledger.org("芙蓉区"), ledger.org(hr))
    assert resolve(ledger, "区人社局") == (ledger.org("芙蓉区"), ledger.org(hr))  # a unit named as --org
    with pytest.raises(TemplateError, match="不是天心区的下级填报单位"):
        resolve(ledger, "天心区", "区人社局")
    with pytest.raises(TemplateError, match="不是下级填报单位"):
        resolve(ledger, "芙蓉区", "天心区")
    with pytest.raises(TemplateError, match="没有名为“区人设局”的填报单位"):
        resolve(ledger, "芙蓉区", "区人设局")
    ledger.retire_unit(hr)
    with pytest.raises(TemplateError, match="“区人社局”已停用"):
        resolve(ledger, "芙蓉区", "区人社局")


def test_a_month_outside_the_plan_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    office, _ = resolve(ledger, "芙蓉区")
    with pytest.raises(TemplateError, match="2030年1月 不在方案的执行期内"):
        write_template_file(ledger, office, None, Period(2030, 1), tmp_path / "T.xlsx")


def test_a_template_never_goes_into_the_data_folder(ledger: Ledger, data_dir: Path) -> None:
    office, _ = resolve(ledger, "芙蓉区")
    with pytest.raises(TemplateError, match="数据文件夹"):
        write_template_file(ledger, office, None, SEP, data_dir / "T.xlsx")
    assert not (data_dir / "T.xlsx").exists()


def test_all_units_writes_one_file_per_active_unit_with_targets_and_a_zip_of_them(
        ledger: Ledger, tmp_path: Path) -> None:
    hr, street, _ = units(ledger)
    gone = ledger.add_unit("芙蓉区", "区城管局").code
    ledger.assign(gone, "1.3.1")
    ledger.retire_unit(gone)
    office = ledger.org("芙蓉区")
    result = write_all_unit_templates(ledger, office, SEP, tmp_path / "out" / "templates")
    names = ["芙蓉区-区人社局-2020-09-填报模板.xlsx", "芙蓉区-定王台街道-2020-09-填报模板.xlsx"]
    assert [f.path.name for f in result.files] == names
    assert sorted(p.name for p in result.folder.iterdir()) == sorted([*names, "芙蓉区-2020-09-填报模板.zip"])
    assert [o.name for o in result.skipped] == ["区民政局"]  # no target: skipped and named; 区城管局 retired
    assert "区民政局 尚未分配指标" in result.message
    with zipfile.ZipFile(result.zip_path) as zf:
        assert sorted(zf.namelist()) == sorted(names)
        assert zf.read(names[0]) == (result.folder / names[0]).read_bytes()
    wb = load_workbook(result.folder / names[1])
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert (props["liubao.unit_code"], props["liubao.target_codes"]) == (street, "1.3.1")
    assert template_file_name(office, ledger.org(hr), SEP) == names[0]


def test_all_units_without_any_assignment_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    office = ledger.org("芙蓉区")
    with pytest.raises(TemplateError, match="还没有在用的下级填报单位"):
        write_all_unit_templates(ledger, office, SEP, tmp_path / "a")
    ledger.add_unit("芙蓉区", "区人社局")
    with pytest.raises(TemplateError, match="下级填报单位都还没有分配指标"):
        write_all_unit_templates(ledger, office, SEP, tmp_path / "a")
    assert not (tmp_path / "a").exists()
