"""The written report as plain data: what ``report_docx`` lays out as a government document (GB/T 9704).

``services/report_draft.py`` fills it from the progress report; this layer knows nothing of services, the ledger
or Qt (the chart arrives as PNG bytes). Every paragraph says whether its words were generated from the figures
or typed by the clerk, so a test can check the generated numbers against the data they came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Paragraph kinds, each with its face and size in report_docx.py.
HEADING1 = "heading1"  # 一、 黑体 3号
HEADING2 = "heading2"  # （一） 楷体_GB2312 3号
BODY = "body"  # 仿宋_GB2312 3号, first line indented two characters


@dataclass(frozen=True)
class Paragraph:
    kind: str
    text: str = ""  # generated from the data (a heading's words, sentences)
    lead: str = ""  # a run-in heading in bold before the text: "1.稳定就业岗位。"
    own: str = ""  # the clerk's own words (进展情况, 存在问题, 下步计划), after the generated ones


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str  # "图1 …", under the picture
    width_mm: float = 150.0


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...]
    note: str = ""


@dataclass(frozen=True)
class OfficialReport:
    title: str  # 关于芙蓉区2020年9月六保任务落实情况的报告
    addressee: str  # 主送：市人民政府办公厅：
    body: tuple[Paragraph | Figure, ...]
    signature: str  # 落款: the office
    date_text: str  # 成文日期: 2020年10月5日
    attachment_label: str = ""  # 附件说明 after the body: "附件：…"
    attachment: Table | None = None  # on a page of its own after the 落款
    remark: str = ""  # under the title, e.g. that the figures are 示例数据
    keywords: tuple[str, ...] = field(default_factory=tuple)

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.body if isinstance(b, Paragraph)]
