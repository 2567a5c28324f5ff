"""Any plan document in: read into a proposal, reviewed (or not), saved as one more plan of the ledger.

1. ``read_plan_document(path)``: a .txt or .docx read by ``documents`` into blocks and by ``domain.plan_reader``
   into a ``PlanProposal`` (every target with its phrase and the reader's unsure reasons); refusals in Chinese.
   Nothing is written: reading and previewing never touch the ledger.
2. ``plan_from_proposal(proposal, code=…, decisions=…, effective_from=…, effective_to=…)``: a person's decisions
   (``domain.plan_reader.apply_decisions``) and the dates the document lacks, as the domain's ``Plan``.
3. ``save_plan(ledger, plan, …)``: checked (``domain.plan_checks``: the targets' units, numbers, codes; the plan's
   code and 文号 not already in the ledger), then written after a backup as one transaction
   (``Ledger.add_plan``): parts, measures, units with their lead/support roles, targets. Refused whole, in Chinese,
   with every problem named; the ledger keeps showing the plan it showed.

``preview(…)`` is what ``main.py plan import`` prints: the ``plan --json`` shape (``plan_json``) with the plan's
code and short title, each measure's unit roles as the document gives them (牵头 / 配合 / 责任), each target's
unsure reasons, the reader's notes and what would stop the save.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..documents import read_plan_file
from ..domain.plan import Plan
from ..domain.plan_checks import SHORT_TITLE_LIMIT, code_problem, dates_problem, plan_problems
from ..domain.plan_reader import ROLE_LEAD, Decision, PlanProposal, PlanReadError, apply_decisions
from ..files.os_errors import describe_os_error, shown
from .ledger import Ledger
from .plan_json import plan_to_dict


class PlanImportError(ValueError):
    """The plan cannot be saved as it is; ``problems`` lists every reason (Chinese sentences)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("方案没有导入：\n" + "\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class SavedPlan:
    code: str
    backup: Path
    message: str


# -- reading ---------------------------------------------------------------------------------------------------
def read_plan_document(path: Path) -> PlanProposal:
    """The proposed plan tree of a .txt or .docx document (PlanReadError, in Chinese, when it cannot be read)."""
    path = Path(path)
    try:
        found, exists = path.is_file(), path.exists()
    except OSError as exc:  # a name too long, a folder that is a file: told as a document that cannot be read
        raise PlanReadError(f"无法打开文件：{describe_os_error(exc)}") from None
    if not found:
        raise PlanReadError(f"找不到文件“{shown(path)}”。" if not exists else f"“{shown(path)}”不是文件。")
    return read_plan_file(path)


def unit_roles(proposal: PlanProposal) -> dict[str, dict[str, str]]:
    """Measure code → unit name → its role as the document gives it: 牵头, 配合, or 责任 (listed as 责任单位)."""
    out: dict[str, dict[str, str]] = {}
    for m in proposal.measures():
        roles: dict[str, str] = {}
        for u in m.units:
            roles.setdefault(u.name, u.role)
        out[m.code] = roles
    return out


def lead_units(plan: Plan, roles: dict[str, dict[str, str]] | None) -> dict[str, set[str]]:
    """Measure code → the units stored as 'lead': those the document calls 牵头, else the first listed."""
    out = {}
    for m in plan.measures():
        named = {u for u, r in (roles or {}).get(m.code, {}).items() if r == ROLE_LEAD and u in m.units}
        out[m.code] = named or ({m.units[0]} if m.units else set())
    return out


# -- codes -----------------------------------------------------------------------------------------------------
def free_code(taken: set[str], wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3`` … whichever is not taken."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def suggested_code(proposal: PlanProposal, taken: set[str]) -> str:
    """A code for a new plan from its 文号 (长政办发〔2020〕26号 → plan-2020-26), else its year; never one taken."""
    m = re.search(r"(\d{4})\D{1,3}(\d+)\s*号", proposal.doc_number or "")
    if m:
        wanted = f"plan-{m[1]}-{m[2]}"
    else:
        day = proposal.issued_on or proposal.effective_from
        wanted = f"plan-{day.year}" if day else "plan"
    return free_code(taken, wanted)


def short_title_of(title: str) -> str:
    """A short title for the window's title bar: the title, cut to fit."""
    title = title.strip() or "导入的方案"
    return title if len(title) <= SHORT_TITLE_LIMIT else title[: SHORT_TITLE_LIMIT - 1] + "…"


# -- the plan --------------------------------------------------------------------------------------------------
def plan_from_proposal(proposal: PlanProposal, *, code: str, short_title: str | None = None,
                       decisions: Sequence[Decision] = (), effective_from: date | None = None,
                       effective_to: date | None = None) -> Plan:
    """The proposal with a person's decisions applied and the dates given (they replace the document's), as the
    domain's ``Plan``. PlanReadError when the dates are still missing or a decision no longer fits."""
    if decisions:
        proposal = apply_decisions(proposal, decisions)
    proposal = replace(proposal, effective_from=effective_from or proposal.effective_from,
                       effective_to=effective_to or proposal.effective_to)
    return proposal.to_plan(code=code, short_title=short_title or short_title_of(proposal.title))


def problems_in(ledger: Ledger, plan: Plan) -> list[str]:
    """Everything that stops ``save_plan``: the domain's checks, then the ledger's — the code or the 文号 already
    there (with a free code offered)."""
    out = plan_problems(plan)
    entries = ledger.plans()
    taken = {p.code for p in entries}
    if plan.code in taken:
        out.insert(0, f"台账中已有代码为“{plan.code}”的方案，请换一个代码（例如“{free_code(taken, plan.code)}”）。")
    same_number = next((p for p in entries if plan.doc_number and p.doc_number == plan.doc_number), None)
    if same_number is not None:
        out.insert(0, f"文号“{plan.doc_number}”的方案已经导入过（代码“{same_number.code}”，{same_number.title}），"
                      "不能重复导入。")
    return out


def save_plan(ledger: Ledger, plan: Plan, *, effective_from: date | None = None, effective_to: date | None = None,
              roles: dict[str, dict[str, str]] | None = None) -> SavedPlan:
    """Check the plan, back the ledger up, write the whole plan in one transaction. ``effective_from`` /
    ``effective_to`` replace the plan's dates (a document that states none: the person sets them); ``roles``
    (``unit_roles`` of the proposal) decides which units are stored as 牵头, else the first listed is.
    PlanImportError (every problem) when it cannot be saved; nothing is written then."""
    if effective_from or effective_to:
        plan = replace(plan, effective_from=effective_from or plan.effective_from,
                       effective_to=effective_to or plan.effective_to)
    problems = problems_in(ledger, plan)
    if problems:
        raise PlanImportError(problems)
    backup = ledger.add_plan(plan, lead_units(plan, roles))
    message = (f"已导入方案“{plan.short_title}”（{plan.doc_number or '无文号'}，代码 {plan.code}）："
               f"{len(plan.parts)} 个部分，{len(plan.measures())} 项措施，{len(plan.targets())} 项量化指标，"
               f"报告期 {plan.effective_from:%Y年%m月} 至 {plan.effective_to:%Y年%m月}。导入前已备份：{backup.name}")
    return SavedPlan(plan.code, backup, message)


# -- what the command prints -------------------------------------------------------------------------------------
def preview(proposal: PlanProposal, plan: Plan | None, problems: Sequence[str]) -> dict[str, Any]:
    """The would-be plan as ``plan --json`` prints a plan, plus: the plan's ``code`` and ``short_title``, each
    measure's ``unit_roles`` ({unit: 牵头/配合/责任}), each target's ``unsure`` reasons (its ``source`` is the
    phrase), the reader's ``notes`` and the ``problems`` that stop the save (empty: it can be saved). ``plan`` is
    None when the proposal could not become a plan (no dates): the proposal's tree is shown all the same."""
    roles = unit_roles(proposal)
    shown = plan
    if shown is None:
        day = date(2000, 1, 1)
        shown = replace(proposal, effective_from=proposal.effective_from or day,
                        effective_to=proposal.effective_to or day).to_plan(code="", short_title="")
    data = plan_to_dict(shown)
    if plan is None:
        for key in ("effective_from", "effective_to"):
            day = getattr(proposal, key)
            data["plan"][key] = day.isoformat() if day else None
    data["plan"] = {"code": plan.code if plan else None, "short_title": plan.short_title if plan else None,
                    **data["plan"]}
    unsure = {(m.code, i): t.unsure for m in proposal.measures() for i, t in enumerate(m.targets, 1)}
    for part in data["parts"]:
        for m in part["measures"]:
            m["unit_roles"] = {u: roles.get(m["code"], {}).get(u) for u in m["units"]}
            for i, t in enumerate(m["targets"], 1):
                t["unsure"] = list(unsure.get((m["code"], i), ()))
    data["notes"] = list(proposal.notes)
    data["problems"] = list(problems)
    return data


def preview_plan(ledger: Ledger, proposal: PlanProposal, *, code: str | None = None,
                 short_title: str | None = None, effective_from: date | None = None,
                 effective_to: date | None = None) -> tuple[Plan | None, dict[str, Any]]:
    """The plan a save would write (None when it cannot be made) and ``preview``'s dict; writes nothing."""
    taken = {p.code for p in ledger.plans()}
    code = code or suggested_code(proposal, taken)
    problems: list[str] = []
    plan = None
    frm, to = effective_from or proposal.effective_from, effective_to or proposal.effective_to
    bad_dates = dates_problem(frm, to)
    if bad_dates and (frm is None or to is None):
        problems.append(bad_dates + "（命令行用 --from 和 --to 给出，如 --from 2021-01-01 --to 2021-12-31）")
    else:
        plan = plan_from_proposal(proposal, code=code, short_title=short_title, effective_from=frm,
                                  effective_to=to)
        problems = problems_in(ledger, plan)
    bad_code = code_problem(code)
    if bad_code and bad_code not in problems:
        problems.insert(0, bad_code)
    return plan, preview(proposal, plan, problems)
