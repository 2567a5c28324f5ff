"""Before export: what the city will see as gaps — late measures without words, targets not reported — and how
the export command and the service say so."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from liubao_desktop import cli
from liubao_desktop.app import build_parser
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.services.export_check import NARRATIVE, UNREPORTED, export_gaps, gaps_summary, gaps_text

from .conftest import OCT, ORG, ORG_CODE, Scenario

# 芙蓉区 answers for these in October and entered nothing for the month (conftest's scenario).
UNREPORTED_IN_OCTOBER = ["1.1.1", "4.1.1", "4.1.2", "4.2.1", "4.2.3", "4.2.4", "4.5.1", "4.5.2", "6.2.2", "6.3.1",
                         "6.3.2"]


def test_the_gaps_are_late_measures_without_words_and_targets_answered_for_but_not_reported(
        scenario: Scenario) -> None:
    gaps = export_gaps(scenario.ledger, [ORG_CODE], OCT)
    late = [g for g in gaps if g.kind == NARRATIVE]
    # 6.1 is 逾期 with 存在问题 written but no 下步计划; the other measures are not 红/逾期 or have both texts.
    assert [(g.code, g.text) for g in late] == [("6.1", "6.1 加快转移支付和专项资金拨付进度：状态为“逾期”，未填写下步计划")]
    unreported = [g.code for g in gaps if g.kind == UNREPORTED]
    assert unreported == UNREPORTED_IN_OCTOBER
    # not gaps: 2.3.1 (定性, done in September), 1.4.1 (0 is an entry), 1.3.2 (a state), 3.3.2 and 2.3.2 (不涉及)
    assert {"2.3.1", "1.4.1", "1.3.2", "3.3.2", "2.3.2"}.isdisjoint(unreported)
    assert next(g.text for g in gaps if g.code == "1.1.1") == "1.1.1 国有企业招聘应届毕业生占新增岗位比例：2020年10月未填报"
    assert gaps_summary(gaps) == "1 项重点任务状态为红或逾期却未写存在问题或下步计划，11 个应报指标本月未填报"
    assert gaps_text(gaps).splitlines() == [g.text for g in gaps]


def test_writing_both_texts_and_reporting_every_target_leaves_no_gap(scenario: Scenario) -> None:
    ledger = scenario.ledger
    ledger.write_narrative(ORG, "6.1", OCT, Narrative(progress="正在拨付", problems="部分资金未到位",
                                                      next_steps="月底前拨付到位"))
    for code in UNREPORTED_IN_OCTOBER:
        ledger.record_figure(ORG, code, OCT, ledger.parse_entry(code, "不适用"))
    assert export_gaps(ledger, [ORG_CODE], OCT) == []


def test_several_offices_are_listed_under_their_names(scenario: Scenario) -> None:
    gaps = export_gaps(scenario.ledger, [ORG_CODE, "430103"], OCT)
    lines = gaps_text(gaps).splitlines()
    assert lines[0] == "【芙蓉区】" and "【天心区】" in lines
    assert all(line.startswith(("【", "  ")) for line in lines)


def run_export(scenario: Scenario, *argv: str) -> int:
    scenario.ledger.close()  # the command opens the ledger itself
    args = build_parser().parse_args(["--data-dir", str(scenario.data_dir), "export", "--org", "芙蓉区",
                                      "--period", "2020-10", *argv])
    return cli.run(args, scenario.data_dir)


def test_the_export_command_writes_the_workbook_then_lists_the_gaps_on_stderr(
        scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "十月.xlsx"
    assert run_export(scenario, "--out", str(out)) == 0
    said = capsys.readouterr()
    assert f"已导出 芙蓉区 2020年10月 的报送报表：{out}" in said.out
    assert "缺漏" not in said.out  # stdout keeps the one line a script reads
    assert said.err.startswith("注意：报表已导出，但上级会看到这些缺漏（1 项重点任务")
    assert "6.1 " in said.err and "1.1.1 国有企业招聘应届毕业生占新增岗位比例：2020年10月未填报" in said.err
    assert load_workbook(out).sheetnames[0] == "汇总"


def test_with_strict_gaps_mean_no_file_and_exit_code_3(
        scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "十月.xlsx"
    assert run_export(scenario, "--out", str(out), "--strict") == cli.GAPS_EXIT == 3
    said = capsys.readouterr()
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["data"]
    assert said.out == ""
    assert said.err.startswith("未导出：2020年10月 有缺漏") and "--strict" in said.err and "没有生成文件" in said.err
    assert "6.3.2 " in said.err


def test_with_strict_and_no_gaps_the_workbook_is_written(
        scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = scenario.ledger
    ledger.write_narrative(ORG, "6.1", OCT, Narrative(progress="正在拨付", problems="部分资金未到位",
                                                      next_steps="月底前拨付到位"))
    for code in UNREPORTED_IN_OCTOBER:
        ledger.record_figure(ORG, code, OCT, ledger.parse_entry(code, "不适用"))
    out = tmp_path / "十月.xlsx"
    assert run_export(scenario, "--out", str(out), "--strict") == 0
    said = capsys.readouterr()
    assert out.exists() and said.err == ""
