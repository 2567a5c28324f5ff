"""Reading the audit trail (留痕): who changed which figure, local target or narrative, when, from what to what.

Rows are written by the ledger in the same transaction as the change itself; this module only reads them and
turns stored base values back into what the clerk sees ("12,500.5万元", not 125005000).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..domain.figures import FigureValue
from ..domain.periods import Period
from ..storage.models import AuditRow, BackupLogRow
from .ledger import Ledger

SOURCE_LABELS = {
    "typed": "录入",
    "undo": "撤销",
    "redo": "重做",
    "import": "导入",
    "restore": "恢复备份",
    "sample": "示例数据",
}
ENTITY_LABELS = {"figure": "指标数据", "local_target": "分解目标", "narrative": "工作进展"}
DEFAULT_LIMIT = 5000


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str  # ISO time, seconds
    operator: str
    source: str
    entity: str
    org_code: str | None
    org_name: str
    code: str | None  # target code for figures and local targets, measure code for narratives
    label: str  # "1.3.1 援助就业困难人员就业" or "1.3 工作进展"
    period: Period | None
    field: str  # 本期完成 / 备注 / 分解目标 / 进展情况 / 存在问题 / 下步计划 / 已完成
    old: str  # as shown to the clerk; "" for blank
    new: str
    note: str

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def at_label(self) -> str:
        return self.at.replace("T", " ")

    @property
    def period_label(self) -> str:
        return self.period.label if self.period else "—"


@dataclass(frozen=True)
class AuditFilter:
    org: str | None = None  # org code or name
    period: Period | None = None
    target: str | None = None  # a target code ("1.3.1") or a measure code ("1.3": its narrative)
    source: str | None = None
    operator: str | None = None
    # with a target and a month: also the target's 分解目标 changes, which have no month (a cell's 历史记录)
    local_target_too: bool = False


def _show(ledger: Ledger, entity: str, code: str | None, field: str, text: str | None) -> str:
    if text is None:
        return ""
    if entity in ("figure", "local_target") and field in ("本期完成", "分解目标") and code in ledger.target_ids:
        if text == "不适用":
            return text
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        t = ledger.target(code)
        shown = ledger.format_entry(code, FigureValue.of(number)) if number.is_finite() else text
        return f"{shown}{t.entry_unit}"
    return text


def _where(ledger: Ledger, f: AuditFilter) -> list:
    conds = []
    if f.org:
        conds.append(AuditRow.org == ledger.org_id(ledger.org(f.org).code))
    if f.period:
        in_month = AuditRow.period == str(f.period)
        if f.local_target_too and f.target in ledger.target_ids:
            in_month = in_month | (AuditRow.entity == "local_target")
        conds.append(in_month)
    if f.target:
        if f.target in ledger.target_ids:
            conds.append(AuditRow.target == ledger.target_ids[f.target])
        elif f.target in ledger.measure_ids:
            conds.append((AuditRow.measure == ledger.measure_ids[f.target]) & (AuditRow.entity == "narrative"))
        else:
            raise KeyError(f"没有编号为“{f.target}”的指标或措施。")
    if f.source:
        conds.append(AuditRow.source == f.source)
    if f.operator:
        conds.append(AuditRow.operator == f.operator)
    return conds


def query_changes(ledger: Ledger, f: AuditFilter | None = None, *, limit: int = DEFAULT_LIMIT) -> list[AuditEntry]:
    """Changes matching the filter, newest first (at most ``limit``)."""
    f = f or AuditFilter()
    query = AuditRow.select()
    for cond in _where(ledger, f):
        query = query.where(cond)
    rows = query.order_by(AuditRow.id.desc()).limit(limit).tuples()
    return _entries(ledger, rows, query.model._meta.sorted_field_names)


def count_changes(ledger: Ledger, f: AuditFilter | None = None) -> int:
    query = AuditRow.select()
    for cond in _where(ledger, f or AuditFilter()):
        query = query.where(cond)
    return query.count()


def cell_history(ledger: Ledger, org: str, target_code: str, period: Period | None) -> list[AuditEntry]:
    """Everything that happened to one cell, oldest first: a figure (with its note) for a target and month,
    the local target when ``period`` is None, or a measure's narrative when ``target_code`` is a measure."""
    if target_code in ledger.target_ids and period is None:
        f = AuditFilter(org=org, target=target_code)
        return [e for e in reversed(query_changes(ledger, f, limit=100_000)) if e.entity == "local_target"]
    return list(reversed(query_changes(ledger, AuditFilter(org=org, period=period, target=target_code),
                                       limit=100_000)))


def operators(ledger: Ledger) -> list[str]:
    return [r[0] for r in AuditRow.select(AuditRow.operator).distinct().order_by(AuditRow.operator).tuples()]


def restores(ledger: Ledger) -> list[tuple[str, str, str, str]]:
    """Restores and manual backups, newest first: (time, operator, 恢复/备份, file)."""
    rows = BackupLogRow.select().order_by(BackupLogRow.id.desc())
    return [(r.at.replace("T", " "), r.operator, "恢复" if r.action == "restore" else "备份", r.file) for r in rows]


def _entries(ledger: Ledger, rows: object, names: list[str]) -> list[AuditEntry]:
    targets = {v: k for k, v in ledger.target_ids.items()}
    measures = {v: k for k, v in ledger.measure_ids.items()}
    orgs = {ledger.org_id(o.code): o for o in ledger.orgs()}
    out = []
    for values in rows:  # type: ignore[attr-defined]
        r = dict(zip(names, values, strict=True))
        org = orgs.get(r["org"])
        if r["entity"] == "narrative":
            code = measures.get(r["measure"])
            label = f"{code} {ledger.plan.measure(code).title} 工作进展" if code else "（已删除的措施）"
        else:
            code = targets.get(r["target"])
            label = f"{code} {ledger.target(code).label}" if code else "（已删除的指标）"
            if r["field"] == "示例数据":
                label = "示例数据"
        out.append(AuditEntry(
            id=r["id"], at=r["at"], operator=r["operator"], source=r["source"], entity=r["entity"],
            org_code=org.code if org else None, org_name=org.name if org else "—", code=code, label=label,
            period=Period.parse(r["period"]) if r["period"] else None, field=r["field"],
            old=_show(ledger, r["entity"], code, r["field"], r["old_value"]),
            new=_show(ledger, r["entity"], code, r["field"], r["new_value"]),
            note=r["note"] or "",
        ))
    return out


__all__ = ["ENTITY_LABELS", "SOURCE_LABELS", "AuditEntry", "AuditFilter", "cell_history", "count_changes",
           "operators", "query_changes", "restores"]
