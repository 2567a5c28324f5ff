"""Headless commands: everything a script or a server without a screen needs. No widgets here."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .files.os_errors import describe_os_error, shown
from .files.outputs import OutputError
from .services.ledger import StorageError

if TYPE_CHECKING:
    from .domain.periods import Period
    from .services.ledger import Ledger


PERIOD_HELP = "报告期（年-月，如 2020-09；默认为窗口最近显示的月份，否则为有数据的最近一个月）"


def _command(sub: argparse._SubParsersAction, name: str, text: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=text, description=text)


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = _command(sub, "plan", "输出方案（--json 为 JSON 格式）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出整个方案")
    p = _command(sub, "sample-data", "向新的数据文件夹写入示例数据（用于演示、截图和性能测试）")
    p.add_argument("--orgs", default="all", metavar="单位", help="单位名称，逗号分隔；all 为全部单位")
    p.add_argument("--up-to", default="2021-06", metavar="年-月", help="写到哪个月（如 2021-06）")
    p = _command(sub, "make-seed", "由方案原文重新生成 db/seed.sql（开发用）")
    p.add_argument("--out", type=Path, default=None, metavar="文件", help="写到哪个文件（默认为 db/seed.sql）")
    p = _command(sub, "tasks", "把任务清单打印成 PDF（A4，按责任单位或按部分分组）")
    p.add_argument("--out", type=Path, required=True, metavar="文件", help="PDF 文件路径，例如 tasks.pdf")
    p.add_argument("--unit", default=None, metavar="责任单位", help="只列这个责任单位的任务，例如 市财政局")
    p.add_argument("--group-by", choices=("unit", "part"), default="unit",
                   help="按责任单位（unit）或按部分（part）分组，默认按责任单位")
    p.add_argument("--period", default=None, metavar="年-月", help=PERIOD_HELP)
    p.add_argument("--org", default=None, metavar="填报单位", help="填报单位名称或代码（默认为上次在窗口中选的单位）")
    p.add_argument("--only-late", action="store_true", help="只列红色和逾期的任务")
    p.add_argument("--full-text", action="store_true", help="列出每项任务的方案原文")
    p.add_argument("--page-break", action="store_true", help="每个分组另起一页")
    p = _command(sub, "export", "导出报送报表（Excel：汇总、指标完成情况、工作进展、明细）")
    p.add_argument("--org", required=True, metavar="填报单位",
                   help="填报单位名称或代码；多个用逗号分隔；all 为全部单位（一个文件）")
    p.add_argument("--period", default=None, metavar="年-月", help=PERIOD_HELP)
    p.add_argument("--out", type=Path, default=None, metavar="文件",
                   help="xlsx 文件路径（默认为“<单位>-<月份>-六保进展.xlsx”）")
    p.add_argument("--strict", action="store_true",
                   help="有缺漏（应报指标本月未填报，或红色、逾期任务未写存在问题或下步计划）时不导出，退出码为 3")
    p = _command(sub, "import", "导入填报数据：填好的填报模板，或其他单位导出的报送报表（先全部检查，无误才写入）")
    p.add_argument("files", nargs="+", type=Path, metavar="文件", help="一个或多个 .xlsx 文件")
    p.add_argument("--dry-run", action="store_true", help="只检查并列出将要修改的内容，不写入")
    p.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    p = _command(sub, "template", "生成填报模板（Excel：下级填报单位或本单位当月要填的指标，报回后可导入）")
    p.add_argument("--org", required=True, metavar="填报单位", help="区县（市）或园区的名称或代码，例如 芙蓉区")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--unit", default=None, metavar="下级单位",
                     help="下级填报单位的名称或代码（如 区人社局）；不写则为本单位自己的模板")
    who.add_argument("--all-units", action="store_true",
                     help="为全部在用的下级填报单位各生成一个模板，放进 --out 文件夹并打包成 zip")
    p.add_argument("--period", default=None, metavar="年-月", help=PERIOD_HELP)
    p.add_argument("--out", type=Path, default=None, metavar="文件",
                   help="xlsx 文件路径（默认为“<单位>-<下级单位>-<月份>-填报模板.xlsx”）；--all-units 时为文件夹")


def command_period(ledger: Ledger, org_codes: list[str], text: str | None, data_dir: Path) -> Period:
    """--period as written, or the same default for every command: the month the window last showed the
    office, else the latest month with data (for several offices, the latest of theirs)."""
    from .domain.periods import Period
    from .services.preferences import commands_period

    if text:
        return Period.parse(text)
    if len(org_codes) == 1:
        return commands_period(data_dir, org_codes[0], ledger.periods, ledger.default_period(org_codes[0]))
    return max(ledger.default_period(c) for c in org_codes)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    try:
        return HANDLERS[args.command](args, data_dir)
    except (StorageError, OutputError, ValueError, KeyError, OSError) as exc:
        if isinstance(exc, OSError):
            msg = describe_os_error(exc)
        else:
            msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"错误：{shown(msg, limit=2000)}", file=sys.stderr)
        return 1


def cmd_plan(args: argparse.Namespace, data_dir: Path) -> int:
    from .services.ledger import Ledger
    from .services.plan_json import plan_to_dict

    ledger = Ledger.open(data_dir)
    try:
        data = plan_to_dict(ledger.plan)
    finally:
        ledger.close()
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{data['plan']['title']}（{data['plan']['doc_number']}）")
        for part in data["parts"]:
            print(f"{part['code']}、{part['title']}")
            for m in part["measures"]:
                print(f"  {m['code']} {m['title']}（{'、'.join(m['units'])}）")
    return 0


def cmd_make_seed(args: argparse.Namespace, data_dir: Path) -> int:
    from .domain.orgs import PRESET_ORGS
    from .files.outputs import SQL_TEXT, write_output
    from .storage.seed_sql import SEED_PATH, changsha_plan, render_seed

    text = render_seed(changsha_plan(), PRESET_ORGS).encode("utf-8")
    out, _ = write_output(args.out or SEED_PATH, SQL_TEXT, lambda fh: fh.write(text), data_dir)
    print(f"已生成 {shown(out)}")
    return 0


def cmd_sample_data(args: argparse.Namespace, data_dir: Path) -> int:
    from .domain.periods import Period
    from .services.ledger import Ledger
    from .services.sample_data import fill_sample_data

    ledger = Ledger.open(data_dir)
    try:
        orgs = [o.code for o in ledger.orgs()] if args.orgs == "all" else [
            ledger.org(n.strip()).code for n in args.orgs.split(",")]
        n = fill_sample_data(ledger, orgs, Period.parse(args.up_to))
    finally:
        ledger.close()
    print(f"已写入示例数据：{len(orgs)} 个单位，{n} 条指标数据（{data_dir}）")
    return 0


def cmd_tasks(args: argparse.Namespace, data_dir: Path) -> int:
    from .files.outputs import PDF, check_output
    from .printing.fonts import NoCjkFont
    from .printing.pdf import write_task_list_pdf
    from .services.ledger import Ledger
    from .services.task_list import TaskListOptions, build_task_list

    check_output(args.out, PDF, data_dir)  # before any work: a refused destination costs nothing
    ledger = Ledger.open(data_dir)
    try:
        org = ledger.org(args.org or ledger.setting("current_org") or ledger.orgs()[0].code)
        period = command_period(ledger, [org.code], args.period, data_dir)
        options = TaskListOptions(group_by=args.group_by, unit=args.unit, only_late=args.only_late,
                                  full_text=args.full_text)
        task_list = build_task_list(ledger, org.code, period, options)
    finally:
        ledger.close()
    try:
        pages = write_task_list_pdf(task_list, args.out, page_break=args.page_break, data_dir=data_dir)
    except (NoCjkFont, RuntimeError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    found = f"{task_list.measure_count} 项任务" if not task_list.is_empty else "没有符合条件的任务"
    print(f"已生成任务清单 {shown(args.out)}：{org.name} {period.label}，{found}，共 {pages} 页")
    return 0


GAPS_EXIT = 3  # export --strict: gaps found, nothing written


def cmd_export(args: argparse.Namespace, data_dir: Path) -> int:
    """Write the workbook, then list on stderr what the city will see as gaps (exit 0). With --strict, gaps
    mean no workbook at all (exit 3): a script that must not send a gappy report never has one lying about."""
    from .services.export_check import export_gaps, gaps_summary, gaps_text
    from .services.export_service import (
        ExportError,
        check_destination,
        export_workbook,
        file_name_for,
        resolve_orgs,
    )
    from .services.ledger import Ledger

    try:
        if args.out:
            check_destination(args.out, data_dir)  # before any work: a refused destination costs nothing
    except ExportError as exc:
        print(f"错误：{shown(exc, limit=2000)}", file=sys.stderr)
        return 1
    ledger = Ledger.open(data_dir)
    try:
        codes = resolve_orgs(ledger, args.org)
        period = command_period(ledger, codes, args.period, data_dir)
        gaps = export_gaps(ledger, codes, period)
        if gaps and args.strict:
            print(f"未导出：{period.label} 有缺漏（{gaps_summary(gaps)}），使用了 --strict，没有生成文件。"
                  f"请补填后再导出：\n{gaps_text(gaps)}", file=sys.stderr)
            return GAPS_EXIT
        # 报送情况's 逾期 is judged on today: the command reads the clock, the services never do.
        result = export_workbook(ledger, codes, period, args.out or Path(file_name_for(ledger, codes, period)),
                                 today=date.today())
    except ExportError as exc:
        print(f"错误：{shown(exc, limit=2000)}", file=sys.stderr)
        return 1
    finally:
        ledger.close()
    print(result.message)
    if gaps:
        print(f"注意：报表已导出，但上级会看到这些缺漏（{gaps_summary(gaps)}）：\n{gaps_text(gaps)}", file=sys.stderr)
    return 0


def cmd_template(args: argparse.Namespace, data_dir: Path) -> int:
    """One template (a unit's or the office's own), or with --all-units one per active unit plus a zip."""
    from .services.ledger import Ledger
    from .services.template_service import (
        TemplateError,
        batch_folder_name,
        check_destination,
        resolve,
        template_file_name,
        write_all_unit_templates,
        write_template_file,
    )

    try:
        if args.out and not args.all_units:
            check_destination(args.out, data_dir)  # before any work: a refused destination costs nothing
        ledger = Ledger.open(data_dir)
        try:
            office, unit = resolve(ledger, args.org, args.unit)
            period = command_period(ledger, [(unit or office).code], args.period, data_dir)
            if args.all_units:
                batch = write_all_unit_templates(ledger, office, period,
                                                 args.out or Path(batch_folder_name(office, period)))
                print(batch.message)
                return 0
            result = write_template_file(ledger, office, unit, period,
                                         args.out or Path(template_file_name(office, unit, period)))
        finally:
            ledger.close()
    except TemplateError as exc:
        print(f"错误：{shown(exc, limit=2000)}", file=sys.stderr)
        return 1
    print(result.message)
    return 0


IMPORT_PROBLEMS_EXIT, IMPORT_UNREADABLE_EXIT = 3, 2


def cmd_import(args: argparse.Namespace, data_dir: Path) -> int:
    """Check every file, then write all or nothing: exit 0 when written (or a clean --dry-run), 3 when the files
    have problems, 2 when a file could not be read at all. Nothing is written unless every file is clean."""
    from .services.import_service import (
        CHANGED,
        NEW,
        UNCHANGED,
        change_text,
        commit_import,
        preview_import,
    )
    from .services.ledger import Ledger

    ledger = Ledger.open(data_dir)
    try:
        preview = preview_import(ledger, args.files)
        changed = {id(c): change_text(ledger, c) for f in preview.files for c in f.changes if c.kind == CHANGED}
        committed = False
        result = None
        if preview.clean and not args.dry_run:
            result = commit_import(ledger, preview)
            committed = True
    finally:
        ledger.close()
    if args.json:
        json.dump({"files": [f.to_json() for f in preview.files], "committed": committed}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for f in preview.files:
            head = f"{shown(f.name)}：{f.who} {f.period or ''}".rstrip()
            if f.unreadable:
                print(f"{head} —— 无法读取", file=sys.stderr)
            else:
                print(f"{head} —— 新增 {f.count(NEW)}，修改 {f.count(CHANGED)}，不变 {f.count(UNCHANGED)}")
                for c in f.changes:
                    if c.kind == CHANGED:
                        print(f"  {c.sheet}!{c.cell} {c.target} {c.period}：{changed[id(c)]}")
            for p in f.notices:
                print(f"  注意 {shown(p.text, limit=300)}")
            for p in f.problems:
                print(f"  问题 {shown(p.text, limit=300)}", file=sys.stderr)
        if committed and result is not None:
            print(result.message)
        elif preview.clean:
            print("检查通过（--dry-run，没有写入）。")
        else:
            print("有问题，没有写入任何数据。", file=sys.stderr)
    if preview.unreadable:
        return IMPORT_UNREADABLE_EXIT
    if not preview.clean:
        return IMPORT_PROBLEMS_EXIT
    return 0


HANDLERS = {
    "sample-data": cmd_sample_data,
    "plan": cmd_plan,
    "make-seed": cmd_make_seed,
    "tasks": cmd_tasks,
    "export": cmd_export,
    "template": cmd_template,
    "import": cmd_import,
}
