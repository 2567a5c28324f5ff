"""Reading the audit trail (留痕): who changed which figure, local target or narrative, when, from what to what.

Each row names the operator and the PC (电脑) it was written on: several PCs write to one ledger on a server.
Rows are written by the ledger in the same transaction as the change itself; this module only reads them and
shows stored base values as the clerk sees them ("12,500.5万元", not 125005000): storage hands figures back as
``FigureValue``s, never as text to parse, and they are shown by the one ``figure_text``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.figures import FigureValue, figure_text
from ..domain.periods import Period
from ..storage.queries import AuditRecord, AuditWhere
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
    workstation: str  # the PC's name; "" for a change made before the trail named PCs (v5)
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
    workstation: str | None = None  # a PC's name
    # with a target and a month: also the target's 分解目标 changes, which have no month (a cell's 历史记录)
    local_target_too: bool = False


def _show(ledger: Ledger, r: AuditRecord, value: FigureValue | str | None) -> str:
    """A stored value as the clerk reads it: a figure of a known target in its entry unit with the unit
    ("12,500.5万元"), by the same figure_text as the table; any other text as it is; "" for none."""
    if isinstance(value, FigureValue) and r.code is not None:
        return figure_text(ledger.target(r.code), value, unit=True)
    return "" if value is None else str(value)


def _where(ledger: Ledger, f: AuditFilter) -> AuditWhere:
    target = measure = None
    if f.target:
        if f.target in ledger.target_ids:
            target = f.target
        elif f.target in ledger.measure_ids:
            measure = f.target
        else:
            raise KeyError(f"没有编号为“{f.target}”的指标或措施。")
    return AuditWhere(org=ledger.org(f.org).code if f.org else None, period=f.period or None, target=target,
                      measure=measure, local_target_too=f.local_target_too and target is not None,
                      source=f.source or None, operator=f.operator or None, workstation=f.workstation or None)


def query_changes(ledger: Ledger, f: AuditFilter | None = None, *, limit: int = DEFAULT_LIMIT) -> list[AuditEntry]:
    """Changes matching the filter, newest first (at most ``limit``)."""
    return [_entry(ledger, r) for r in ledger.store.audit(_where(ledger, f or AuditFilter()), limit)]


def count_changes(ledger: Ledger, f: AuditFilter | None = None) -> int:
    return ledger.store.count_audit(_where(ledger, f or AuditFilter()))


def cell_history(ledger: Ledger, org: str, target_code: str, period: Period | None) -> list[AuditEntry]:
    """Everything that happened to one cell, oldest first: a figure (with its note) for a target and month,
    the local target when ``period`` is None, or a measure's narrative when ``target_code`` is a measure."""
    if target_code in ledger.target_ids and period is None:
        f = AuditFilter(org=org, target=target_code)
        return [e for e in reversed(query_changes(ledger, f, limit=100_000)) if e.entity == "local_target"]
    return list(reversed(query_changes(ledger, AuditFilter(org=org, period=period, target=target_code),
                                       limit=100_000)))


def operators(ledger: Ledger) -> list[str]:
    return ledger.store.operators()


def workstations(ledger: Ledger) -> list[str]:
    """The PCs the trail names, for the 电脑 filter."""
    return ledger.store.workstations()


def restores(ledger: Ledger) -> list[tuple[str, str, str, str]]:
    """Restores and manual backups, newest first: (time, operator, 恢复/备份, file)."""
    return [(at.replace("T", " "), operator, "恢复" if action == "restore" else "备份", file)
            for at, operator, action, file in ledger.store.backup_log()]


def _entry(ledger: Ledger, r: AuditRecord) -> AuditEntry:
    org = ledger.store.find_org(r.org) if r.org is not None else None
    if r.entity == "narrative":
        label = f"{r.code} {ledger.plan.measure(r.code).title} 工作进展" if r.code else "（已删除的措施）"
    elif r.field == "示例数据":
        label = "示例数据"
    else:
        label = f"{r.code} {ledger.target(r.code).label}" if r.code else "（已删除的指标）"
    return AuditEntry(
        id=r.id, at=r.at, operator=r.operator, workstation=r.workstation, source=r.source, entity=r.entity,
        org_code=org.code if org else None, org_name=org.name if org else "—", code=r.code, label=label,
        period=r.period, field=r.field, old=_show(ledger, r, r.old), new=_show(ledger, r, r.new), note=r.note,
    )


__all__ = ["ENTITY_LABELS", "SOURCE_LABELS", "AuditEntry", "AuditFilter", "cell_history", "count_changes",
           "operators", "query_changes", "restores", "workstations"]
