"""The monthly written report's first draft (关于<office><month>六保任务落实情况的报告), made from the ledger.

Everything the draft says with a number comes from the report the workbook uses (``services.rollup.org_report``,
itself ``progress_report.build_report`` with the children rolled up): the sentences by the rules of
``domain/report_sentences.py``, the counts and averages by ``domain.progress.Totals``, the chart by
``services/charts.part_chart``. The clerk's own 进展情况 follows each generated paragraph; 存在问题 and 下步计划
are gathered from the narratives as the clerk wrote them. No Qt here: the chart's PNG comes from a renderer the
caller hands in (``printing.chart.render_png`` for the command and the window).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..documents.report_model import BODY, HEADING1, HEADING2, Figure, OfficialReport, Paragraph, Table
from ..domain.figures import FigureValue
from ..domain.periods import Period
from ..domain.plan import PACE_QUALITATIVE, chinese_numeral
from ..domain.progress import NOT_INVOLVED, OVERDUE, RED, UNDECOMPOSED
from ..domain.report_sentences import (
    as_of_words,
    goal_text,
    measure_sentences,
    measure_status_sentence,
    quantity_text,
    rate_text,
    status_counts_text,
)
from ..domain.rollup import COUNT, RANGE, RolledProgress
from ..files.outputs import OutputError, OutputKind, check_output, write_output
from ..printing.chart_model import PartChart
from .charts import part_chart
from .ledger import Ledger
from .progress_report import MeasureLine, ProgressReport, TargetLine
from .rollup import org_report
from .sample_data import is_sample_database

WORD_DOCUMENT = OutputKind("Word 文档", ".docx", b"PK\x03\x04")
DEFAULT_ADDRESSEE = "市人民政府办公厅"
ADDRESSEE_SETTING = "report_addressee"  # the ledger's setting: whom the office reports to
ATTACHMENT_HEADER = ("序号", "指标", "目标", "累计完成", "完成率", "序时进度", "状态")
ATTACHMENT_WIDTHS_MM = (12.0, 44.0, 22.0, 26.0, 16.0, 18.0, 18.0)  # 156 mm: the type area's width

ChartRenderer = Callable[[PartChart], bytes]


class ReportError(Exception):
    """A report that could not be written; ``str()`` says why, in Chinese."""


@dataclass(frozen=True)
class ReportResult:
    path: Path
    org: str
    period: Period
    measures: int  # measures written up
    sentences: int  # generated sentences

    @property
    def message(self) -> str:
        return (f"已生成 {self.org} {self.period.label} 的进展报告（{self.measures} 项重点任务，"
                f"{self.sentences} 句由数据生成）：{self.path}")


def default_file_name(org_name: str, period: Period) -> str:
    from .export_service import _UNSAFE_FILENAME

    safe = _UNSAFE_FILENAME.sub("_", org_name).strip(" .") or "单位"
    return f"{safe}-{period}-六保进展报告{WORD_DOCUMENT.suffix}"


def addressee_of(ledger: Ledger) -> str:
    """主送机关: the ledger's setting, else 市人民政府办公厅."""
    return (ledger.setting(ADDRESSEE_SETTING) or "").strip() or DEFAULT_ADDRESSEE


def date_words(day: date) -> str:
    """成文日期 in Arabic numerals (GB/T 9704-2012): "2020年10月5日"."""
    return f"{day.year}年{day.month}月{day.day}日"


TITLE_LINE_CHARS = 20  # 2号 characters on a 156 mm line


def report_title(org_name: str, period: Period) -> str:
    """关于<office><month>六保任务落实情况的报告; a title too long for one line is turned before 落实情况的报告, so that
    each line keeps whole words (GB/T 9704: 回行时词意完整)."""
    head = f"关于{org_name}{period.label}六保任务"
    tail = "落实情况的报告"
    width = sum(0.5 if ch.isascii() else 1 for ch in head + tail)
    return f"{head}\n{tail}" if width > TITLE_LINE_CHARS else head + tail


# -- the draft ------------------------------------------------------------------------------------------------
def _included(ml: MeasureLine, sentences: int) -> bool:
    """A measure is written up when it is the office's and there is something to say: a generated sentence,
    the clerk's words, or a state worth reporting (已完成, 逾期)."""
    if ml.status == NOT_INVOLVED:
        return False
    return bool(sentences) or not ml.narrative.is_empty or ml.status == OVERDUE


def _sentences(ml: MeasureLine, period: Period) -> list[str]:
    return [s.text for s in measure_sentences(
        ((t.target, t.progress, t.local_target) for t in ml.targets), period)]


def overview(report: ProgressReport) -> str:
    """总体情况: 应报 / 已报 / 报送率, the two averages, and the measures counted by status."""
    t = report.totals()
    measures = [ml for ml in report.measures.values() if ml.status != NOT_INVOLVED]
    counts = Counter(ml.status for ml in measures)
    text = f"{as_of_words(report.period)}，{report.org.name}承担的重点任务{len(measures)}项、应报指标{t.due}个"
    text += f"，本月已报{t.reported}个"
    if t.report_rate is not None:
        text += f"，报送率{rate_text(t.report_rate)}"
    text += "。"
    if t.average_all is not None:
        text += f"应作判断的指标平均完成率{rate_text(t.average_all)}（未报的按0计）"
        if t.average_reported is not None:
            text += f"，已报指标平均完成率{rate_text(t.average_reported)}"
        text += "。"
    shown = status_counts_text(counts)
    if shown:
        text += f"重点任务中，{shown}。"
    undecomposed = sum(1 for ln in report.targets.values() if ln.progress.status == UNDECOMPOSED)
    if undecomposed:
        text += f"另有{undecomposed}个指标尚未下达分解目标，只列累计完成数，不计算完成率。"
    return text


def _attachment_row(n: int, line: TargetLine) -> tuple[str, ...]:
    t, p = line.target, line.progress
    rollup = p.rollup if isinstance(p, RolledProgress) else None
    if p.pace == PACE_QUALITATIVE:
        goal = "定性"
    elif p.local_target is not None:
        goal = goal_text(t, p.local_target, together=_numbers(line))
    else:
        goal = p.status if p.status == UNDECOMPOSED else ""
    if rollup is not None and rollup.how in (RANGE, COUNT):
        done = rollup.summary_text(t)
    else:
        done = _figure_words(line)
    return (str(n), f"{t.code} {t.label}", goal, done,
            rate_text(p.completion) if p.completion is not None else "",
            rate_text(p.expected) if p.expected is not None else "", p.status)


def _numbers(line: TargetLine) -> list:
    """The figure and the goal of a row, written in one unit (see report_sentences.quantity_text)."""
    p = line.progress
    return [n for n in (p.actual.number, p.local_target) if n is not None]


def _figure_words(line: TargetLine) -> str:
    actual: FigureValue = line.progress.actual
    if actual.number is not None:
        return quantity_text(line.target, actual.number, together=_numbers(line))
    if actual.state is not None:
        return actual.state
    return "不适用" if actual.not_applicable else "未填报"


def build_draft(report: ProgressReport, *, plan_title: str, doc_number: str, addressee: str, report_date: date,
                chart_png: bytes | None = None, sample_data: bool = False) -> OfficialReport:
    """The whole draft from one report; ``chart_png`` is the part chart already painted (None: no figure)."""
    org, period = report.org.name, report.period
    body: list[Paragraph | Figure] = [Paragraph(
        BODY, f"按照《{plan_title}》（{doc_number}）要求，现将{org}{period.label}六保任务落实情况报告如下。")]
    body.append(Paragraph(HEADING1, "一、总体情况"))
    body.append(Paragraph(BODY, overview(report)))
    if chart_png:
        body.append(Figure(chart_png, f"图1　各领域平均完成率、序时进度和任务状态（{period.label}）", width_mm=140))
    body.append(Paragraph(HEADING1, "二、各领域任务推进情况"))
    left_out = 0
    part_no = 0
    by_part: dict[str, list[MeasureLine]] = {}
    for ml in report.measures.values():
        by_part.setdefault(ml.part.code, []).append(ml)
    for lines in by_part.values():
        written = []
        for ml in lines:
            sentences = _sentences(ml, period)
            if _included(ml, len(sentences)):
                written.append((ml, sentences))
            elif ml.status != NOT_INVOLVED:
                left_out += 1
        if not written:
            continue
        part_no += 1
        body.append(Paragraph(HEADING2, f"（{chinese_numeral(part_no)}）{lines[0].part.title}"))
        for i, (ml, sentences) in enumerate(written, 1):
            text = "".join(sentences)
            if not sentences:
                text = measure_status_sentence(ml.status, has_targets=bool(ml.targets), done=ml.narrative.done)
            body.append(Paragraph(BODY, text, lead=f"{i}.{ml.measure.title}。", own=ml.narrative.progress.strip()))
    if left_out:
        body.append(Paragraph(BODY, f"另有{left_out}项重点任务本月没有量化指标数据，也未填写进展情况，未列入本报告。"))
    body += _gathered(report, "三、存在的问题", "problems", "本月各项重点任务均未填写存在的问题。")
    body += _gathered(report, "四、下步工作计划", "next_steps", "本月各项重点任务均未填写下步工作计划。")
    lines = [ln for ln in report.targets.values() if ln.progress.status != NOT_INVOLVED]
    table_title = f"{org}{period.label}六保任务指标完成情况表"
    table = Table(table_title, ATTACHMENT_HEADER, tuple(_attachment_row(i, ln) for i, ln in enumerate(lines, 1)),
                  ATTACHMENT_WIDTHS_MM,
                  note="注：目标为本单位分解目标（比例类为方案目标）；未分解指标不计算完成率；完成率、序时进度保留一位小数。")
    return OfficialReport(
        title=report_title(org, period),
        addressee=f"{addressee}：",
        body=tuple(body),
        signature=org,
        date_text=date_words(report_date),
        attachment_label=f"附件：{table_title}",
        attachment=table if lines else None,
        remark="（示例数据，仅供演示）" if sample_data else "",
        keywords=("六保", org, period.label),
    )


def _gathered(report: ProgressReport, heading: str, field: str, none_text: str) -> list[Paragraph]:
    """存在问题 or 下步计划: the clerk's words per measure, in plan order; the red and overdue measures named."""
    out = [Paragraph(HEADING1, heading)]
    items = [(ml, getattr(ml.narrative, field).strip()) for ml in report.measures.values()
             if ml.status != NOT_INVOLVED and getattr(ml.narrative, field).strip()]
    if field == "problems":
        late = [ml.measure.title for ml in report.measures.values() if ml.status in (RED, OVERDUE)]
        if late:
            out.append(Paragraph(BODY, f"明显滞后（红色）或逾期的重点任务{len(late)}项：{'；'.join(late)}。"))
    for i, (ml, text) in enumerate(items, 1):
        out.append(Paragraph(BODY, "", lead=f"{i}.{ml.measure.title}：", own=text))
    if not items:
        out.append(Paragraph(BODY, none_text))
    return out


def draft_for(ledger: Ledger, org_code: str, period: Period, *, report_date: date, addressee: str | None = None,
              render_chart: ChartRenderer | None = None) -> OfficialReport:
    if period not in ledger.periods:
        first, last = ledger.periods[0], ledger.periods[-1]
        raise ReportError(f"{period.label} 不在方案的执行期内（{first.label}至{last.label}），请换一个报告期。")
    with ledger.reading():
        report = org_report(ledger, org_code, period)
        sample = is_sample_database(ledger)
        to = addressee or addressee_of(ledger)
    # The caption under the picture is its title (图1 …): the picture carries none of its own.
    png = render_chart(replace(part_chart(report), title="")) if render_chart is not None else None
    plan = ledger.plan
    return build_draft(report, plan_title=plan.title, doc_number=plan.doc_number, addressee=to,
                       report_date=report_date, chart_png=png, sample_data=sample)


def check_destination(out: Path, data_dir: Path | None = None) -> Path:
    try:
        return check_output(out, WORD_DOCUMENT, data_dir)
    except OutputError as exc:
        raise ReportError(str(exc)) from exc


def write_report(ledger: Ledger, org_code: str, period: Period, out_path: Path | str, *, report_date: date,
                 addressee: str | None = None, render_chart: ChartRenderer | None = None) -> ReportResult:
    """Draft the report and write it as a .docx through the file guard (whole or not at all)."""
    from ..documents.report_docx import write_report_docx

    out = check_destination(Path(out_path), ledger.path.parent)
    draft = draft_for(ledger, org_code, period, report_date=report_date, addressee=addressee,
                      render_chart=render_chart)
    try:
        out, _ = write_output(out, WORD_DOCUMENT, lambda fh: write_report_docx(draft, fh), ledger.path.parent)
    except OutputError as exc:
        raise ReportError(str(exc)) from exc
    paragraphs = draft.paragraphs()
    measures = sum(1 for p in paragraphs if p.lead and p.kind == BODY and p.lead.endswith("。"))
    sentences = sum(p.text.count("。") for p in paragraphs if p.lead.endswith("。"))
    return ReportResult(out, ledger.org(org_code).name, period, measures, sentences)
