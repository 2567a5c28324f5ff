"""The written report (关于…六保任务落实情况的报告): laid out as GB/T 9704 asks, and every number in it traceable.

One ledger for the module: the export tests' scenario for 芙蓉区 (分解目标, a level, 不适用, a 定性 target done in
September, narratives with formula-like text), written as a .docx for October and read back with python-docx.
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from liubao_desktop.documents import report_docx
from liubao_desktop.printing.chart import render_png
from liubao_desktop.printing.pdf import ensure_gui_application
from liubao_desktop.services.charts import part_chart
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.progress_report import ProgressReport
from liubao_desktop.services.report_draft import ReportError, report_title, write_report
from liubao_desktop.services.rollup import org_report

from ..conftest import REPO
from ..export.conftest import OCT, ORG, ORG_CODE, SEP, fill_scenario

REPORT_DATE = date(2020, 11, 5)


@dataclass(frozen=True)
class Written:
    path: Path
    report: ProgressReport
    narrative_text: str  # everything the clerk typed, for the numbers that are theirs
    plan_text: str  # titles and labels of the plan, whose numbers (2019, 26号…) are the plan's


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, qapp) -> Iterator[Written]:  # noqa: ANN001
    """(``qapp`` first: the process's one Qt application is pytest-qt's QApplication, whichever worker of make
    test runs this module before the window's tests — a QGuiApplication made here would fail them all.)"""
    root = tmp_path_factory.mktemp("report")
    (root / "data").mkdir()
    ensure_gui_application()
    ledger = Ledger.open(root / "data")
    try:
        fill_scenario(ledger)
        out = root / "芙蓉区-2020-10-六保进展报告.docx"
        result = write_report(ledger, ORG_CODE, OCT, out, report_date=REPORT_DATE, render_chart=render_png)
        assert result.path == out and result.measures > 0
        report = org_report(ledger, ORG_CODE, OCT)
        narratives = " ".join(f"{n.progress} {n.problems} {n.next_steps}"
                              for n in ledger.narratives(ORG_CODE, OCT).values())
        plan = ledger.plan
        plan_text = " ".join([plan.title, plan.doc_number, *(p.title for p in plan.parts),
                              *(m.title for m in plan.measures()), *(t.label for t in plan.targets())])
        yield Written(out, report, narratives, plan_text)
    finally:
        ledger.close()


def texts(path: Path) -> tuple[list[str], list[list[str]]]:
    doc = Document(str(path))
    # the title's line break (where the draft turns it) is no part of its words
    return ([p.text.replace("\n", "") for p in doc.paragraphs],
            [[c.text for c in row.cells] for t in doc.tables for row in t.rows])


def test_structure(written: Written) -> None:
    paragraphs, rows = texts(written.path)
    body = [p for p in paragraphs if p.strip()]
    assert body[0] == report_title("芙蓉区", OCT).replace("\n", "") == "关于芙蓉区2020年10月六保任务落实情况的报告"
    assert body[1] == "市人民政府办公厅："
    for heading in ("一、总体情况", "二、各领域任务推进情况", "三、存在的问题", "四、下步工作计划"):
        assert heading in body
    assert "（一）保居民就业" in body
    assert body[-3:] == ["附件", "芙蓉区2020年10月六保任务指标完成情况表",
                         "注：目标为本单位分解目标（比例类为方案目标）；未分解指标不计算完成率；完成率、序时进度保留一位小数。"]
    assert "附件：芙蓉区2020年10月六保任务指标完成情况表" in body
    assert body.index("芙蓉区") + 1 == body.index("2020年11月5日")  # 落款 and 成文日期
    assert rows[0] == ["序号", "指标", "目标", "累计完成", "完成率", "序时进度", "状态"]
    involved = [ln for ln in written.report.targets.values() if ln.progress.status != "不涉及"]
    assert [r[1].split(" ")[0] for r in rows[1:]] == [ln.target.code for ln in involved]
    assert any(p.startswith("图1　各领域平均完成率、序时进度和任务状态（2020年10月）") for p in body)


def test_generated_sentences_and_the_clerk_s_words_after_them(written: Written) -> None:
    paragraphs, _ = texts(written.path)
    text = "\n".join(paragraphs)
    # 援助就业困难人员就业: 1000 + 1523 + 2000 against 芙蓉区's 5000 by October (序时 3/5)
    assert "截至10月底，援助就业困难人员就业累计完成4523人，完成分解目标5000人的90.5%，快于序时进度30.5个百分点。" in text
    assert "行政村卫生室标准化建设全覆盖已完成（9月）" in text
    assert "零就业家庭动态清零正在推进" in text
    # 开通中欧班列 (typed 不适用) is 不涉及 for a district by default: a target not the office's says nothing
    assert written.report.targets["3.3.2"].progress.status == "不涉及" and "开通中欧班列" not in text
    assert "完好仓容期末为12万吨，达到分解目标10万吨" in text
    assert "一般性支出压减15.0%，完成压减20%目标的75.0%" in text
    # the clerk's 进展情况 follows the generated sentence of its measure, in the same paragraph
    para = next(p for p in paragraphs if p.startswith("3.切实帮扶困难群体就业。"))
    assert para.index("截至10月底") < para.index("+1+1 帮扶")
    # 存在问题 and 下步计划 gathered from the narratives
    assert any(p.endswith("：部分资金未到位") for p in paragraphs)
    assert any(p.endswith("：加强调度") for p in paragraphs)


def _r1(ratio: Decimal) -> Decimal:
    return (ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def allowed_numbers(w: Written) -> set[Decimal]:
    """Every number the report data holds, in each form a sentence may write it: base, entry and written units,
    万 and 亿, percentages to one decimal, counts and totals, the dates. Built here, not by the code under test."""
    out: set[Decimal] = set()

    def add(*values: Decimal | int | None) -> None:
        for v in values:
            if v is not None:
                out.add(Decimal(v).normalize())

    r = w.report
    for ln in r.targets.values():
        t, p = ln.target, ln.progress
        for base in (p.actual.number, p.local_target, t.base_value):
            if base is None:
                continue
            if t.is_ratio:
                add(base * 100, _r1(base))
            else:
                add(base, t.to_entry(base), t.to_written(base), base / 10000, base / 100000000)
        for ratio in (p.completion, p.expected):
            if ratio is not None:
                add(_r1(ratio))
        if p.pace_points is not None:
            add(abs(p.pace_points).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        if p.done_in is not None:
            add(p.done_in.month, p.done_in.year)
        add(p.deadline.year, p.deadline.month, p.deadline.day)
    t = r.totals()
    add(t.due, t.reported, len(r.measures))
    for ratio in (t.report_rate, t.average_all, t.average_reported):
        if ratio is not None:
            add(_r1(ratio))
    statuses: dict[str, int] = {}
    for ml in r.measures.values():
        statuses[ml.status] = statuses.get(ml.status, 0) + 1
    add(*statuses.values(), sum(1 for ml in r.measures.values() if ml.status != "不涉及"))
    add(sum(1 for ml in r.measures.values() if ml.status in ("红", "逾期")))
    add(sum(1 for ln in r.targets.values() if ln.progress.status == "未分解"))
    # measures left out: the office's, with no involved target, no words of the clerk's and not overdue
    add(sum(1 for ml in r.measures.values() if ml.status != "不涉及" and ml.narrative.is_empty
            and ml.status != "逾期" and all(t.progress.status == "不涉及" for t in ml.targets)))
    add(r.period.year, r.period.month, REPORT_DATE.year, REPORT_DATE.month, REPORT_DATE.day)
    for source in (w.narrative_text, w.plan_text):
        add(*(Decimal(x) for x in re.findall(r"\d+(?:\.\d+)?", source)))
    return out


ENUMERATION = re.compile(r"^(?:\d+\.|图\d+)")
CODE = re.compile(r"^\d+(?:\.\d+){2} ")


def test_every_number_in_the_document_comes_from_the_report(written: Written) -> None:
    allowed = allowed_numbers(written)
    paragraphs, rows = texts(written.path)
    cells = [c for row in rows[1:] for c in row[1:]]  # 序号 is a row count
    found = []
    for text in [*paragraphs, *cells]:
        text = ENUMERATION.sub("", CODE.sub("", text))  # "3." before a measure, "图1", "1.3.1 " in the table
        for token in re.findall(r"\d+(?:\.\d+)?", text):
            found.append(token)
            assert Decimal(token).normalize() in allowed, f"{token} in “{text[:80]}” is in no report figure"
    assert len(found) > 60  # the check saw the document's numbers, not an empty file


def test_chart_data_is_the_report_s(written: Written) -> None:
    chart = part_chart(written.report)
    summaries = {s.part.title: s for s in written.report.part_summaries()}
    assert [b.label for b in chart.parts] == list(summaries)
    for bar in chart.parts:
        s = summaries[bar.label]
        assert bar.average == s.average_completion
        assert {k: v for k, v in bar.statuses.items() if v} == {k: v for k, v in s.status_counts.items()
                                                             if v and k in bar.statuses}


def test_gb_t_9704_layout(written: Written) -> None:
    doc = Document(str(written.path))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    assert round(s.page_width.mm - s.left_margin.mm - s.right_margin.mm) == 156
    assert round(s.page_height.mm - s.top_margin.mm - s.bottom_margin.mm) == 225
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    # 28 characters of 16 pt, condensed, fit 156 mm
    condense = report_docx.character_spacing_twips() / 20
    assert 28 * (16 + condense) <= Mm(156).pt < 29 * (16 + condense)

    def east_asia(paragraph) -> set[str]:  # noqa: ANN001
        return {r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in paragraph.runs if r.text}

    by_text = {p.text: p for p in doc.paragraphs}
    title = doc.paragraphs[0]
    assert east_asia(title) == {"方正小标宋简体"} and {r.font.size for r in title.runs if r.text} == {Pt(22)}
    assert east_asia(by_text["一、总体情况"]) == {"黑体"}
    assert east_asia(by_text["（一）保居民就业"]) == {"楷体_GB2312"}
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in xml and p.text.startswith("— ") and p.text.endswith(" —")
        assert str(p.alignment).lower().startswith(align)
        assert east_asia(p) == {"宋体"} and {r.font.size for r in p.runs if r.text} == {Pt(14)}


def test_a_month_outside_the_plan_is_refused(tmp_path: Path) -> None:
    from liubao_desktop.domain.periods import Period

    (tmp_path / "data").mkdir()
    ledger = Ledger.open(tmp_path / "data")
    try:
        with pytest.raises(ReportError, match="不在方案的执行期内"):
            write_report(ledger, ORG_CODE, Period(2019, 1), tmp_path / "r.docx", report_date=REPORT_DATE)
        with pytest.raises(ReportError):
            write_report(ledger, ORG_CODE, SEP, tmp_path / "r.xlsx", report_date=REPORT_DATE)
    finally:
        ledger.close()
    assert not (tmp_path / "r.docx").exists()


def test_the_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    subprocess.run([sys.executable, str(REPO / "main.py"), "sample-data", "--data-dir", str(data), "--orgs", ORG,
                    "--up-to", "2020-09"], check=True, capture_output=True)
    out = tmp_path / "R.docx"
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "report", "--data-dir", str(data), "--org", ORG,
                           "--period", "2020-09", "--out", str(out), "--date", "2020-10-05"],
                          capture_output=True, text=True, env={"QT_QPA_PLATFORM": "", "PATH": "/usr/bin:/bin",
                                                               "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "已生成 芙蓉区 2020年9月 的进展报告" in done.stdout
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "关于芙蓉区2020年9月六保任务\n落实情况的报告"  # turned between words
    assert len(doc.inline_shapes) == 1  # the chart, painted offscreen with no display at all
    bad = subprocess.run([sys.executable, str(REPO / "main.py"), "report", "--data-dir", str(data), "--org", ORG,
                          "--out", str(tmp_path / "x.docx"), "--date", "5.10.2020"], capture_output=True, text=True)
    assert bad.returncode == 1 and "成文日期" in bad.stderr
