"""A 分工表: one row per task, columns such as 序号 / 重点任务 / 具体措施 / 牵头单位 / 配合单位 / 完成时限, with
section rows (一、稳就业, merged across the table) or a 类别 column grouping the rows."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Paragraph
from .headings import Heading, heading_of, title_of
from .proposal import ROLE_COOPERATE, ROLE_LEAD, ROLE_RESPONSIBLE, Unit
from .text import to_full_width
from .units import split_names

_COLUMNS = (  # (field, header words), the first match of a header cell wins
    ("seq", ("序号", "编号")),
    ("group", ("类别", "领域", "板块", "方面", "工作类别", "任务类别")),
    ("lead", ("牵头单位", "牵头部门", "主责单位", "主责部门")),
    ("resp", ("责任单位", "责任部门", "实施单位")),
    ("coop", ("配合单位", "配合部门", "协同单位", "参与单位", "协办单位")),
    ("due", ("完成时限", "完成时间", "时间节点", "时限")),
    ("task", ("重点任务", "工作任务", "主要任务", "任务内容", "具体任务", "工作内容", "任务名称", "任务")),
    ("detail", ("具体措施", "工作措施", "主要措施", "工作举措", "措施", "工作目标", "目标任务", "目标")),
)


@dataclass(frozen=True)
class Row:
    heading: Heading | None  # a section row: "一、稳就业"
    group: str  # the 类别 cell, "" without such a column
    number: str
    title: str
    text: str
    units: tuple[Unit, ...]
    due: str


def header_map(cells: tuple[str, ...]) -> dict[str, list[int]] | None:
    found: dict[str, list[int]] = {}
    for i, cell in enumerate(cells):
        c = re.sub(r"\s+", "", cell)
        for name, words in _COLUMNS:
            if any(c == w or (len(c) <= 8 and c.endswith(w)) for w in words):
                found.setdefault(name, []).append(i)
                break
    if "task" not in found and "detail" in found:
        found["task"] = found.pop("detail")
    has_task = "task" in found
    has_units = any(k in found for k in ("lead", "resp", "coop"))
    return found if has_task and has_units else None


def read_table(rows: tuple[tuple[str, ...], ...]) -> list[Row] | None:
    """The table's task rows, or None when it is not a 分工表 (no 任务 column or no 单位 column)."""
    found = next(((h, cols) for h, header in enumerate(rows[:3]) if (cols := header_map(header))), None)
    if found is None:
        return None
    h, cols = found
    out: list[Row] = []
    for cells in rows[h + 1:]:
        filled = [c.strip() for c in cells if c.strip()]
        if not filled:
            continue
        if len(set(filled)) == 1:  # a section row, merged across the table
            head = heading_of(Paragraph(filled[0]))
            out.append(Row(head or Heading("table_group", "", None, filled[0], filled[0]), "", "", "", "", (), ""))
            continue

        def cell(name: str, cells: tuple[str, ...] = cells) -> str:
            seen: list[str] = []
            for i in cols.get(name, []):
                if i < len(cells) and cells[i].strip() and cells[i].strip() not in seen:
                    seen.append(cells[i].strip())
            return "\n".join(seen)

        task, detail = cell("task"), cell("detail")
        if task and detail and detail != task:
            text = f"{task}。{detail}" if not to_full_width(task).endswith(("。", "；")) else f"{task}{detail}"
        else:
            text = task or detail
        units = ([Unit(n, ROLE_LEAD) for n in split_names(cell("lead"))]
                 + [Unit(n, ROLE_RESPONSIBLE) for n in split_names(cell("resp"))]
                 + [Unit(n, ROLE_COOPERATE) for n in split_names(cell("coop"))])
        title = title_of(task or detail)
        out.append(Row(None, cell("group"), cell("seq"), title, text, tuple(units), cell("due")))
    return out
