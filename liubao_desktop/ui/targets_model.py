"""The targets of one measure for one org and month: 本期完成 typed like a spreadsheet, the rest computed.

The model is fed TargetLines from the progress report. An edit is checked here (so a refused value never leaves
the cell) and handed on as a request with the value the cell showed when the clerk began (``start_editing``): on
a server ledger another PC may save the cell meanwhile, and the save must see it. The window's edit session saves
it through an undo command, and the window feeds the model the lines that changed.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ..domain.figures import FigureInputError, figure_text, quote_input
from ..domain.plan import KIND_CUMULATIVE, PACE_EXPLAINED, PACE_LINEAR, PACE_QUALITATIVE, REACH_RELATIVE
from ..domain.progress import NOT_INVOLVED, UNDECOMPOSED, format_points
from ..domain.quantities import format_percent
from ..domain.words import NOT_APPLICABLE_TEXT, STATES
from ..services.ledger import Ledger
from ..services.progress_report import TargetLine
from ..services.rollup import computed_figure_reason, rolled_up
from .edits import CellField
from .status_style import grey, status_background, status_foreground

# The unit stands right after the city target and before the office's own numbers, which are all in that unit.
COL_LABEL, COL_CITY, COL_UNIT, COL_LOCAL, COL_PERIOD, COL_TOTAL, COL_RATE, COL_EXPECTED, COL_PACE, COL_STATUS, \
    COL_NOTE = range(11)
HEADERS = ("指标", "市级目标", "计量单位", "分解目标", "本期完成", "累计完成", "完成率", "序时进度",
           "快慢", "状态", "备注")
EDITABLE = {COL_LOCAL: CellField.LOCAL_TARGET, COL_PERIOD: CellField.FIGURE, COL_NOTE: CellField.NOTE}
NUMERIC = {COL_LOCAL, COL_PERIOD, COL_TOTAL, COL_RATE, COL_EXPECTED}
# The choices a 定性 target's 本期完成 offers in its drop-down: the states, 不适用, and "" (not reported).
STATE_CHOICES = (*STATES, NOT_APPLICABLE_TEXT, "")
ChoicesRole = Qt.ItemDataRole.UserRole + 1  # a cell that takes one of a few words: those words, else None
InvolvedRole = Qt.ItemDataRole.UserRole + 2  # whether the office answers for the row's target (not 不涉及)
# Cells that show 未分解 instead of a number when the office has no 分解目标 for an amount of the whole city.
UNDECOMPOSED_COLUMNS = (COL_LOCAL, COL_RATE, COL_EXPECTED, COL_STATUS)
ModelIndex = QModelIndex | QPersistentModelIndex
# Roles as plain ints: data() is asked ~850 times before the first paint, and an enum member per comparison
# is a lookup and a conversion each time.
_DISPLAY, _EDIT, _TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole), \
    int(Qt.ItemDataRole.ToolTipRole)
_ALIGN, _BACKGROUND, _FOREGROUND = int(Qt.ItemDataRole.TextAlignmentRole), int(Qt.ItemDataRole.BackgroundRole), \
    int(Qt.ItemDataRole.ForegroundRole)
_CHOICES, _INVOLVED = int(ChoicesRole), int(InvolvedRole)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class _Row:
    """What one line shows, worked out once per line: data() then only picks from it."""

    __slots__ = ("line", "texts", "aligns", "foregrounds", "background")

    def __init__(self, line: TargetLine, texts: tuple[str, ...], aligns: tuple[int | None, ...],
                 foregrounds: tuple[object, ...], background: object) -> None:
        self.line, self.texts, self.aligns, self.foregrounds, self.background = \
            line, texts, aligns, foregrounds, background


class TargetsTableModel(QAbstractTableModel):
    inputRejected = Signal(str)

    def __init__(self, parent: object = None, *, editable: Mapping[int, CellField] = EDITABLE) -> None:
        """editable: the columns the clerk may type in (the 分解目标 dialog offers only that one)."""
        super().__init__(parent)
        self.editable = dict(editable)
        self._ledger: Ledger | None = None
        self._lines: list[TargetLine] = []
        self._rows: list[_Row] = []
        self._show_codes = False
        # Saves an edit: (target code, which cell, checked new value, the value the clerk started from) -> saved?
        self.edit_handler: Callable[[str, CellField, object, object], bool] | None = None
        # What a cell showed when its editor opened: a refresh while the clerk types repaints the row, not this.
        self._started: dict[tuple[str, CellField], object] = {}

    def set_lines(self, ledger: Ledger, lines: list[TargetLine], *, show_codes: bool = False) -> None:
        """show_codes: prefix each target with its code, for tables that mix several measures."""
        self._show_codes = show_codes
        same_shape = self._ledger is ledger and [ln.target.code for ln in lines] == [
            ln.target.code for ln in self._lines]
        if same_shape and lines:
            self._lines = list(lines)
            self._rows = [self._row(ln) for ln in self._lines]
            self.dataChanged.emit(self.index(0, 0), self.index(len(lines) - 1, len(HEADERS) - 1))
            return
        self.beginResetModel()
        self._ledger, self._lines = ledger, list(lines)
        self._rows = [self._row(ln) for ln in self._lines]
        self._started.clear()  # a reset closes every editor
        self.endResetModel()

    def update_lines(self, lines: list[TargetLine]) -> None:
        """New lines for targets already on show (after an edit): only their rows are repainted — around a cell
        whose editor is open, which Qt would otherwise fill with the new value over the clerk's typing."""
        for line in lines:
            row = self.row_of(line.target.code)
            if row >= 0:
                self._lines[row] = line
                self._rows[row] = self._row(line)
                editing = sorted(col for col, field in self.editable.items()
                                 if (line.target.code, field) in self._started)
                start = 0
                for col in [*editing, len(HEADERS)]:
                    if col > start:
                        self.dataChanged.emit(self.index(row, start), self.index(row, col - 1))
                    start = col + 1

    def line(self, row: int) -> TargetLine:
        return self._lines[row]

    def row_of(self, target_code: str) -> int:
        for i, ln in enumerate(self._lines):
            if ln.target.code == target_code:
                return i
        return -1

    # -- display ---------------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != _DISPLAY:  # asked ~750 times before the first paint, nearly always for another role
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.tr(HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return self._lines[section].target.code if 0 <= section < len(self._lines) else None

    def _text(self, ln: TargetLine, col: int) -> str:
        t, p = ln.target, ln.progress
        assert self._ledger is not None
        if col == COL_LABEL:
            return f"{t.code} {t.label}" if self._show_codes else t.label
        if col == COL_CITY:
            return t.written_text
        if col == COL_UNIT:
            return t.shown_unit
        if col in UNDECOMPOSED_COLUMNS and p.status == UNDECOMPOSED:
            return UNDECOMPOSED  # an amount of the whole city: no 分解目标, so no rate, no 序时, no colour
        if col == COL_LOCAL:
            return figure_text(t, ln.local_target)
        if col in (COL_PERIOD, COL_TOTAL) and (r := rolled_up(ln)) is not None and r.how != "sum":
            # a rate rolled up: the range of the children's figures; a 定性 target: how many have it done
            if r.how == "range":
                return r.range_text(t, this_month=col == COL_PERIOD)
            return r.count_text() if col == COL_TOTAL else ""
        if col == COL_PERIOD:
            return figure_text(t, ln.this_period)
        if col == COL_TOTAL:
            return figure_text(t, p.actual)
        if col == COL_RATE:
            return format_percent(p.completion)
        if col == COL_EXPECTED:
            return format_percent(p.expected)
        if col == COL_PACE:
            return p.pace_text
        if col == COL_STATUS:
            return p.status
        if col == COL_NOTE:
            return ln.note
        return ""

    def _row(self, ln: TargetLine) -> _Row:
        status = ln.progress.status
        texts = tuple(self._text(ln, col) for col in range(len(HEADERS)))
        aligns: list[int | None] = []
        foregrounds: list[object] = []
        for col in range(len(HEADERS)):
            undecomposed = col in UNDECOMPOSED_COLUMNS and status == UNDECOMPOSED
            if col == COL_STATUS or undecomposed:
                aligns.append(_CENTRE)
            elif col in NUMERIC:
                # A state (推进中) or 不适用 is a word, centred; numbers line up on the right.
                words = ln.target.is_done or (col in (COL_PERIOD, COL_TOTAL) and ln.this_period.not_applicable)
                aligns.append(_CENTRE if words else _RIGHT)
            else:
                aligns.append(None)
            if status == NOT_INVOLVED:
                foregrounds.append(grey())  # the whole row: the office does not answer for it
            elif col == COL_STATUS:
                foregrounds.append(status_foreground(status))
            elif undecomposed:
                foregrounds.append(grey())
            elif col == COL_PERIOD and ln.this_period.not_applicable:
                foregrounds.append(status_foreground(NOT_APPLICABLE_TEXT))
            else:
                foregrounds.append(None)
        return _Row(ln, texts, tuple(aligns), tuple(foregrounds), status_background(status))

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._rows):
            return None
        r, col = self._rows[row], index.column()
        if role == _DISPLAY:
            return r.texts[col]
        if role == _ALIGN:
            return r.aligns[col]
        if role == _FOREGROUND:
            return r.foregrounds[col]
        if role == _BACKGROUND:
            return r.background if col == COL_STATUS else None
        ln = r.line
        if role == _EDIT:
            if col in UNDECOMPOSED_COLUMNS and ln.progress.status == UNDECOMPOSED:
                return ""  # 未分解 is shown in the empty cell, never typed back or copied as a value
            # Thousands separators go for editing numbers; a note keeps its commas.
            return r.texts[col].replace(",", "") if col in NUMERIC else r.texts[col]
        if role == _TOOLTIP:
            return self._tooltip(ln, col)
        if role == _CHOICES:
            return list(STATE_CHOICES) if col == COL_PERIOD and ln.target.is_done else None
        if role == _INVOLVED:
            return ln.involved
        return None

    def _tooltip(self, ln: TargetLine, col: int) -> str | None:
        t, p = ln.target, ln.progress
        if p.status == NOT_INVOLVED and col in (COL_LABEL, COL_STATUS):
            return (f"{t.code} 本单位不涉及此指标：不计入应报项数和平均完成率。"
                    "如本单位承担此项，请右键选择“设为涉及本单位”。")
        rollup = rolled_up(ln)
        if rollup is not None and col in (COL_LABEL, COL_PERIOD, COL_TOTAL, COL_PACE, COL_STATUS):
            why = computed_figure_reason(ln) or ""
            return f"{why}\n{rollup.remark()}。" + ("\n本单位此前自己填的本期完成不再使用。" if col == COL_PERIOD else "")
        if col == COL_LABEL:
            return f"{t.code}　原文：{t.source}"
        if p.status == UNDECOMPOSED and col in UNDECOMPOSED_COLUMNS:
            why = (f"{t.written_text}是全市总量，本单位尚未设分解目标：只显示填报数和累计完成，"
                   f"不计算完成率和序时进度，也不显示颜色。填写市里分解给本单位的目标（单位：{t.entry_unit}）后，"
                   "即按分解目标计算。")
            return f"{why}\n{self._pace_rule(ln)}" if col == COL_EXPECTED else why
        if col == COL_LOCAL:
            if t.is_done:
                return "定性指标没有分解目标。"
            if ln.local_target is not None:
                return f"本单位分解目标，单位：{t.entry_unit}"
            if t.reach == REACH_RELATIVE:
                return f"未设分解目标，完成率按市级目标 {t.written_text} 计算。可填写本单位的分解目标（单位：{t.entry_unit}）。"
            return f"未设分解目标。可填写本单位的分解目标（单位：{t.entry_unit}）。"
        if col == COL_UNIT and t.is_done:
            return "定性指标：按状态填报（未开始 / 推进中 / 已完成），不填数字。"
        if col == COL_PERIOD:
            if t.is_done:
                return ("定性指标：从下拉列表选择 未开始 / 推进中 / 已完成，也可直接输入“完成”。"
                        "不适用的选“不适用”，清空即为未填报。")
            return f"本月完成数，单位：{t.entry_unit}。不适用的请输入“不适用”，清空即为未填报。"
        if col == COL_TOTAL and t.kind != KIND_CUMULATIVE and not t.is_done:
            return "本指标取截至本月最新一期的数值（不累加）。"
        if col in (COL_PACE, COL_RATE) and p.pace_points is not None:
            return f"完成率与序时进度之差：{format_points(p.pace_points)} 个百分点"
        if col == COL_EXPECTED:
            return self._pace_rule(ln)
        return None

    @staticmethod
    def _pace_rule(ln: TargetLine) -> str:
        """The target's 序时 rule by name, and what it means for this target."""
        t, p = ln.target, ln.progress
        rule = f"序时规则：{t.pace_word}。{PACE_EXPLAINED[t.pace]}"
        if t.pace == PACE_LINEAR:
            rule += f"\n序时进度：方案开始至 {p.deadline:%Y年%m月%d日} 已过去的月份比例。"
        elif t.pace == PACE_QUALITATIVE:
            rule += f"\n完成时限：{p.deadline:%Y年%m月%d日}。"
        return rule

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in self.editable:
            ln = self._lines[index.row()]
            if not (index.column() == COL_LOCAL and ln.target.is_done):
                f |= Qt.ItemFlag.ItemIsEditable
        return f

    # -- editing ---------------------------------------------------------------------------------------
    @staticmethod
    def shown_value(ln: TargetLine, field: CellField) -> object:
        """The value a cell shows, as the ledger holds it."""
        if field is CellField.NOTE:
            return ln.note
        return ln.this_period if field is CellField.FIGURE else ln.local_target

    def _key(self, index: ModelIndex) -> tuple[str, CellField] | None:
        if not (0 <= index.row() < len(self._lines)) or index.column() not in self.editable:
            return None
        return self._lines[index.row()].target.code, self.editable[index.column()]

    def start_editing(self, index: ModelIndex) -> None:
        """An editor opened on the cell: what it shows now is what the clerk starts from."""
        key = self._key(index)
        if key is not None:
            self._started[key] = self.shown_value(self._lines[index.row()], key[1])

    def stop_editing(self, index: ModelIndex) -> None:
        key = self._key(index)
        if key is not None:
            self._started.pop(key, None)

    def started_value(self, index: ModelIndex) -> object:
        """What the clerk started from: the cell when its editor opened, else (a paste, Delete) as shown now."""
        key = self._key(index)
        assert key is not None
        return self._started.get(key, self.shown_value(self._lines[index.row()], key[1]))

    def parse_cell(self, index: ModelIndex, text: str) -> tuple[str, CellField, object, bool]:
        """(target code, field, new value, unchanged) for text typed into an editable cell; FigureInputError
        (in Chinese) when the ledger would refuse it."""
        assert self._ledger is not None
        ln = self._lines[index.row()]
        field = self.editable[index.column()]
        if field is CellField.NOTE:
            new: object = self._ledger.check_note(text)
            unchanged = new == ln.note
        elif field is CellField.FIGURE:
            computed = computed_figure_reason(ln)
            if computed is not None:  # summed (or ranged, or counted) from the children: never typed here
                raise FigureInputError(computed)
            new = self._ledger.parse_entry(ln.target.code, text)
            unchanged = new == ln.this_period
        else:
            new = self._ledger.parse_local_target(ln.target.code, text)
            unchanged = new == ln.local_target
        return ln.target.code, field, new, unchanged

    def paste_cells(self, start: ModelIndex, rows: list[list[str]]) -> list[tuple[QModelIndex, str]]:
        """Where each cell of a block pasted at ``start`` goes, and its text: row by row downwards, and across onto
        the columns the clerk can type in (分解目标, 本期完成, 备注 — the computed ones skipped, as Tab skips them).

        A block bigger than that room is refused whole, naming both sizes, and so is one that puts a value on a cell
        that takes none (a qualitative target's 分解目标): cut to fit, the rest would vanish while the status bar
        said "pasted". FigureInputError in Chinese."""
        if not start.isValid() or start.column() not in self.editable:
            typeable = "、".join(self.tr(HEADERS[c]) for c in sorted(self.editable))
            raise FigureInputError(self.tr("请先选中要开始粘贴的单元格（{}），全部没有粘贴。").format(typeable))
        columns = [c for c in sorted(self.editable) if c >= start.column()]
        height, width = len(rows), max((len(r) for r in rows), default=0)
        room = self.rowCount() - start.row()
        if height > room or width > len(columns):
            raise FigureInputError(self.tr("粘贴区域 {} 行 × {} 列，超出可填写的 {} 行 × {} 列，全部没有粘贴。").format(
                height, width, room, len(columns)))
        cells: list[tuple[QModelIndex, str]] = []
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                index = self.index(start.row() + i, columns[j])
                if self.flags(index) & Qt.ItemFlag.ItemIsEditable:
                    cells.append((index, text))
                elif text.strip():  # a blank on such a cell loses nothing
                    ln = self._lines[index.row()]
                    raise FigureInputError(self.tr(
                        "粘贴区域第 {} 行第 {} 列的“{}”要填到“{}”的{}，这一格不能填写，全部没有粘贴。").format(
                        i + 1, j + 1, quote_input(text.strip()), self._text(ln, COL_LABEL),
                        self.tr(HEADERS[index.column()])))
        return cells

    def cell_error(self, index: ModelIndex, exc: Exception) -> str:
        ln = self._lines[index.row()]
        return f"“{ln.target.label}”{self.tr(HEADERS[index.column()])}：{exc}"

    def parse_block(self, start: ModelIndex,
                    rows: list[list[str]]) -> list[tuple[str, CellField, object, object]]:
        """The cells a block pasted at ``start`` changes, every one checked first, each with the value it shows:
        FigureInputError (naming up to three refused cells) when the block does not fit or any cell is refused —
        then nothing is pasted."""
        edits: list[tuple[str, CellField, object, object]] = []
        errors: list[str] = []
        for index, text in self.paste_cells(start, rows):
            try:
                code, field, new, unchanged = self.parse_cell(index, text.strip())
            except FigureInputError as exc:
                errors.append(self.cell_error(index, exc))
                continue
            if not unchanged:
                edits.append((code, field, new, self.started_value(index)))
        if errors:
            more = self.tr("等 {} 处").format(len(errors)) if len(errors) > 3 else ""
            raise FigureInputError(self.tr("粘贴的内容有误，全部没有保存：") + "；".join(errors[:3]) + more)
        return edits

    def setData(self, index: ModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Checks the entry and hands it to the window's edit handler, which saves it (or the clerk declines a
        confirmation); True only when it was saved or nothing changed."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in self.editable:
            return False
        if not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        try:
            code, field, new, unchanged = self.parse_cell(index, "" if value is None else str(value))
        except FigureInputError as exc:
            self.inputRejected.emit(self.cell_error(index, exc))
            return False
        if unchanged:
            return True
        return bool(self.edit_handler and self.edit_handler(code, field, new, self.started_value(index)))
