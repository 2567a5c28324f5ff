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
from .services.ledger import PasswordRequiredError, ServerError, StorageError

if TYPE_CHECKING:
    from .domain.periods import Period
    from .services.ledger import Ledger


PERIOD_HELP = "报告期（年-月，如 2020-09；默认为窗口最近显示的月份，否则为有数据的最近一个月）"
PLAN_HELP = "方案代码（见 plan list；默认为窗口最近显示的方案，否则为台账中的第一个方案）"
# The commands that read one plan of the ledger take --plan.
PLAN_COMMANDS = ("plan", "tasks", "export", "template", "import", "report")
# The commands that use a ledger on a PostgreSQL server with --database URL instead of the data folder's file
# (issue 16; the data folder keeps the log, settings.ini and, for work that writes much, a backup of the server's
# ledger made first: backups/server-…/). Every command that opens a ledger takes it.
DATABASE_COMMANDS = ("plan", "tasks", "export", "template", "import", "report", "sample-data")
DATABASE_HELP = ("台账在 PostgreSQL 服务器上时：postgresql://用户@服务器[:端口]/数据库（密码见 ~/.pgpass）；不写则用窗口在"
                 "“数据 → 数据库连接…”中选定的服务器，没有选定时用数据文件夹中的台账")
# The commands that, without --database, open the server this PC's window opens (数据 → 数据库连接…, kept in
# settings.ini), as the window does: on such a PC the data folder holds no ledger, and a command must not make an
# empty one and answer from it. Not sample-data: it fills a new folder for a demonstration, and the server holds
# the office's real ledger — it writes there only when --database names it.
CHOSEN_SERVER_COMMANDS = ("plan", "tasks", "export", "template", "import", "report")


def _command(sub: argparse._SubParsersAction, name: str, text: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=text, description=text)


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = _command(sub, "plan", "输出方案（--json 为 JSON 格式）；plan list 列出台账中的方案，plan import 导入方案文件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出整个方案")
    plan_sub = p.add_subparsers(dest="plan_command", title="子命令", metavar="子命令")
    q = _command(plan_sub, "list", "列出台账中的全部方案（代码、文号、标题、起止日期、部分/措施/指标数）")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q = _command(plan_sub, "import", "读取方案文件（.docx 或 .txt）：不加 --yes 只显示将导入的方案，不写入")
    q.add_argument("file", type=Path, metavar="文件", help="方案文件，.docx 或 .txt")
    q.add_argument("--json", action="store_true", help="以 JSON 输出将导入的方案（plan --json 的格式，另有单位角色、"
                                                       "指标原文的存疑原因和问题）")
    q.add_argument("--yes", action="store_true", help="不经审核直接保存（供脚本使用；有问题时不保存）")
    q.add_argument("--code", default=None, metavar="代码", help="新方案的代码（默认由文号生成，如 plan-2021-7）")
    q.add_argument("--short-title", default=None, metavar="简称", help="窗口标题中显示的简称（默认为标题）")
    q.add_argument("--from", dest="effective_from", type=_day, default=None, metavar="年-月-日",
                   help="施行日期（文件中没有写明时必须给出），如 2021-01-01")
    q.add_argument("--to", dest="effective_to", type=_day, default=None, metavar="年-月-日",
                   help="有效期截止日（文件中没有写明时必须给出），如 2021-12-31")
    for q in plan_sub.choices.values():
        q.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, metavar="文件夹", help="数据文件夹")
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
    p = _command(sub, "report", "生成进展报告初稿（Word：按公文格式，句子和图表由台账数据生成）")
    p.add_argument("--org", required=True, metavar="填报单位", help="填报单位名称或代码，例如 芙蓉区")
    p.add_argument("--period", default=None, metavar="年-月", help=PERIOD_HELP)
    p.add_argument("--out", type=Path, default=None, metavar="文件",
                   help="docx 文件路径（默认为“<单位>-<月份>-六保进展报告.docx”）")
    p.add_argument("--to", default=None, metavar="主送机关",
                   help="主送机关（默认为台账中保存的，否则为 市人民政府办公厅）")
    p.add_argument("--date", default=None, metavar="年-月-日", help="成文日期（默认为今天），例如 2020-10-05")
    p.add_argument("--no-chart", action="store_true", help="不插入图表")
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
    p = _command(sub, "db", "数据库管理：复制台账（本机、网络共享文件夹、PostgreSQL 服务器之间），服务器上的台账建立、升级、检查")
    db_sub = p.add_subparsers(dest="db_command", title="子命令", metavar="子命令", required=True)
    q = _command(db_sub, "copy", "复制整个台账（只读取来源，不改动它；逐表核对行数和校验和）")
    q.add_argument("--from", dest="source", required=True, metavar="来源",
                   help="来源：数据文件夹（可以在网络共享文件夹上）、一个台账文件（如备份 .sqlite3），"
                        "或 postgresql://用户@服务器/数据库")
    q.add_argument("--to", dest="target", required=True, metavar="目标",
                   help="目标：本机磁盘上的空文件夹，或空的 PostgreSQL 数据库 postgresql://用户@服务器/数据库")
    for name, text in (("init", "在空的 PostgreSQL 数据库里建立台账（结构和方案，与首次启动时相同）"),
                       ("migrate", "把服务器上的台账升级到本软件的结构版本"),
                       ("check", "检查服务器上的台账：结构版本、各表的结构、方案，并列出各表行数")):
        q = _command(db_sub, name, text)
        q.add_argument("--database", required=True, metavar="URL", help="postgresql://用户@服务器[:端口]/数据库（密码见 ~/.pgpass）")
    add_plan_option(sub)
    for name in DATABASE_COMMANDS:
        sub.choices[name].add_argument("--database", default=None, metavar="URL", help=DATABASE_HELP)
    for name in ("list", "import"):
        plan_sub.choices[name].add_argument("--database", default=argparse.SUPPRESS, metavar="URL", help=DATABASE_HELP)


def follow_chosen_server(args: argparse.Namespace, data_dir: Path) -> None:
    """A command without --database on a PC whose window opens a server's ledger: that server (settings.ini's URL,
    never with a password: libpq reads ~/.pgpass or PGPASSWORD). --database, when given, wins."""
    from .services.preferences import commands_server

    if args.command not in CHOSEN_SERVER_COMMANDS or getattr(args, "database", None) is not None:
        return
    url = commands_server(data_dir)
    if url is not None:
        args.database = url
        args.chosen_server = True


def ledger_location(args: argparse.Namespace, data_dir: Path) -> Path | str:
    """--database URL when given (checked to be one), else the data folder."""
    from .services.data_location import is_database_url

    url = getattr(args, "database", None)
    if url is None:
        return data_dir
    if not is_database_url(url):
        if getattr(args, "chosen_server", False):  # the clerk never typed it: say where it comes from
            raise ValueError(f"这台电脑在“数据 → 数据库连接…”中选定的服务器地址“{url}”不对，应为 "
                             "postgresql://用户@服务器/数据库。请在窗口中改正，或用 --database 指定。")
        raise ValueError(f"--database 应为 postgresql://用户@服务器/数据库，而不是“{url}”。")
    return url


def add_plan_option(sub: argparse._SubParsersAction) -> None:
    for name in PLAN_COMMANDS:
        sub.choices[name].add_argument("--plan", default=None, metavar="方案代码", help=PLAN_HELP)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”应写成 2021-01-01 这样的年-月-日") from None


def open_located(args: argparse.Namespace, data_dir: Path) -> Ledger:
    """The ledger of the data folder, or the one on the server --database names. A server's signs its audit rows
    with this PC and the operator of the data folder's settings.ini, as the window does, and is backed up into the
    data folder before bulk work (``Ledger.local_folder``)."""
    from .services.ledger import Ledger
    from .services.workstation import for_data_folder

    ledger = Ledger.open(ledger_location(args, data_dir))
    if ledger.on_server:
        from .services.data_location import place_text

        ledger.workstation = for_data_folder(data_dir)
        ledger.local_folder = data_dir
        chosen = "（本机在“数据 → 数据库连接…”中选定）" if getattr(args, "chosen_server", False) else ""
        print(f"使用{place_text(ledger.location)} 上的台账{chosen}", file=sys.stderr)
    return ledger


def server_backup_note(ledger: Ledger, backup: Path | None) -> str | None:
    """On a server: where the copy made before writing is, and how it is put back."""
    if not ledger.on_server or backup is None:
        return None
    return (f"写入前已把服务器上的台账备份到本机：{shown(backup)}。需要找回时，可以把它复制到一个新建的空数据库："
            f"main.py db copy --from {shown(backup)} --to postgresql://用户@服务器/新数据库")


def open_ledger(args: argparse.Namespace, data_dir: Path) -> Ledger:
    """The ledger on the plan named by --plan, else the plan the window last showed (settings.ini), else the
    file's first plan. An unknown --plan is refused naming the plans there are."""
    from .services.preferences import commands_plan

    named = getattr(args, "plan", None)
    ledger = open_located(args, data_dir)
    try:
        codes = [p.code for p in ledger.plans()]
        code = named or commands_plan(data_dir)
        if named and named not in codes:
            raise ValueError(f"台账中没有代码为“{named}”的方案。台账中的方案：{'、'.join(codes)}（见 plan list）。")
        if code in codes:
            ledger.switch_plan(code)
    except BaseException:
        ledger.close()
        raise
    return ledger


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


def default_office(ledger: Ledger, data_dir: Path) -> str:
    """--org's default: the office the window opens on, on this PC (settings.ini), while the ledger has it; else
    the ledger's first office."""
    from .services.preferences import commands_office

    office = commands_office(data_dir, ledger)
    if office:
        try:
            return ledger.org(office).code
        except KeyError:  # an office of another ledger (the window last showed this PC's file, not the server's)
            pass
    return ledger.orgs()[0].code


SERVER_EXIT = 2  # the database server could not be used (unreachable, login, permission, busy): nothing changed


# A headless command never asks for a password: where it goes instead.
NO_PASSWORD_PROMPT = ("命令行不询问密码：请把密码写进密码文件 ~/.pgpass（Windows 为 %APPDATA%\\postgresql\\pgpass.conf，"
                      "一行“服务器:端口:数据库:用户名:密码”），或在运行命令前设置环境变量 PGPASSWORD，然后再运行一次。")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    try:
        return HANDLERS[args.command](args, data_dir)
    except PasswordRequiredError as exc:
        print(f"错误：{shown(exc, limit=2000)}{NO_PASSWORD_PROMPT}", file=sys.stderr)
        return SERVER_EXIT
    except ServerError as exc:
        print(f"错误：{shown(exc, limit=2000)}", file=sys.stderr)
        return SERVER_EXIT
    except (StorageError, OutputError, ValueError, KeyError, OSError) as exc:
        if isinstance(exc, OSError):
            msg = describe_os_error(exc)
        else:
            msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"错误：{shown(msg, limit=2000)}", file=sys.stderr)
        return 1


def cmd_plan(args: argparse.Namespace, data_dir: Path) -> int:
    from .services.plan_json import plan_to_dict

    if getattr(args, "plan_command", None) == "list":
        return cmd_plan_list(args, data_dir)
    if getattr(args, "plan_command", None) == "import":
        return cmd_plan_import(args, data_dir)
    ledger = open_ledger(args, data_dir)
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


def cmd_plan_list(args: argparse.Namespace, data_dir: Path) -> int:
    from .services.preferences import commands_plan

    ledger = open_located(args, data_dir)
    try:
        entries = ledger.plans()
    finally:
        ledger.close()
    shown_code = commands_plan(data_dir) or entries[0].code
    if args.json:
        json.dump({"plans": [{
            "code": e.code, "doc_number": e.doc_number, "title": e.title, "short_title": e.short_title,
            "issuer": e.issuer, "issued_on": e.issued_on and e.issued_on.isoformat(),
            "effective_from": e.effective_from.isoformat(), "effective_to": e.effective_to.isoformat(),
            "parts": e.parts, "measures": e.measures, "targets": e.targets, "default": e.code == shown_code,
        } for e in entries]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for e in entries:
        mark = "*" if e.code == shown_code else " "
        print(f"{mark} {e.code}  {e.doc_number or '（无文号）'}  {e.title}  {e.effective_from} 至 {e.effective_to}  "
              f"{e.parts} 个部分 / {e.measures} 项措施 / {e.targets} 项指标")
    print("（* 为不加 --plan 时命令使用的方案：窗口最近显示的方案）")
    return 0


PLAN_PROBLEMS_EXIT, PLAN_UNREADABLE_EXIT = 3, 2


def cmd_plan_import(args: argparse.Namespace, data_dir: Path) -> int:
    """Read a plan document and show the plan it would make (nothing written); with --yes save it (exit 0), unless
    it has problems (exit 3, nothing written). A document that cannot be read: exit 2."""
    from .domain.plan_reader import PlanReadError
    from .services.plan_import import PlanImportError, preview_plan, read_plan_document, save_plan, unit_roles

    try:
        proposal = read_plan_document(args.file)
    except PlanReadError as exc:
        print(f"错误：{shown(exc, limit=2000)}", file=sys.stderr)
        return PLAN_UNREADABLE_EXIT
    ledger = open_located(args, data_dir)
    saved = None
    try:
        plan, data = preview_plan(ledger, proposal, code=args.code, short_title=args.short_title,
                                  effective_from=args.effective_from, effective_to=args.effective_to)
        if args.yes and plan is not None and not data["problems"]:
            try:
                saved = save_plan(ledger, plan, roles=unit_roles(proposal))
            except PlanImportError as exc:
                data["problems"] = exc.problems
        backup_note = server_backup_note(ledger, saved and saved.backup)
    finally:
        ledger.close()
    if args.json:
        data["saved"] = saved is not None
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return PLAN_PROBLEMS_EXIT if data["problems"] else 0
    _print_plan_preview(data)
    if data["problems"]:
        print("有问题，没有写入：\n" + "\n".join(f"  {p}" for p in data["problems"]), file=sys.stderr)
        return PLAN_PROBLEMS_EXIT
    if saved is not None:
        print(saved.message)
        print(f"在窗口的“方案”下拉框中切换到它，命令行加 --plan {saved.code}。")
        if backup_note:
            print(backup_note)
    else:
        print("以上为将导入的方案，没有写入。核对无误后加 --yes 保存，或在窗口中 方案 → 导入方案… 逐项审核后保存。")
    return 0


def _print_plan_preview(data: dict) -> None:
    head = data["plan"]
    print(f"{head['title']}（{head['doc_number'] or '无文号'}）  代码 {head['code'] or '—'}")
    print(f"{head['issuer'] or '—'}  印发 {head['issued_on'] or '—'}  "
          f"施行 {head['effective_from'] or '—'} 至 {head['effective_to'] or '—'}")
    for part in data["parts"]:
        print(f"{part['code']}、{part['title']}")
        for m in part["measures"]:
            units = "、".join(f"{u}（{r}）" if r else u for u, r in m["unit_roles"].items())
            print(f"  {m['code']} {m['title']}（{units or '没有找到责任单位'}）")
            for t in m["targets"]:
                goal = "定性" if t["comparator"] == "done" else f"{t['comparator']} {t['value']}{t['unit'] or ''}"
                due = f"，{t['deadline']}前" if t["deadline"] else ""
                print(f"    {t['code']} {t['label']}：{goal}{due}  原文“{t['source']}”")
                for why in t["unsure"]:
                    print(f"      待确认：{why}")
    for note in data["notes"]:
        print(f"注意：{note}")


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
    from .services.sample_data import fill_sample_data

    ledger = open_located(args, data_dir)
    try:
        orgs = [o.code for o in ledger.orgs()] if args.orgs == "all" else [
            ledger.org(n.strip()).code for n in args.orgs.split(",")]
        n = fill_sample_data(ledger, orgs, Period.parse(args.up_to))
        where = ledger.db.database if ledger.on_server else data_dir
    finally:
        ledger.close()
    print(f"已写入示例数据：{len(orgs)} 个单位，{n} 条指标数据（{shown(where)}）")
    return 0


def cmd_tasks(args: argparse.Namespace, data_dir: Path) -> int:
    from .files.outputs import PDF, check_output
    from .printing.fonts import NoCjkFont
    from .printing.pdf import write_task_list_pdf
    from .services.task_list import TaskListOptions, build_task_list

    check_output(args.out, PDF, data_dir)  # before any work: a refused destination costs nothing
    ledger = open_ledger(args, data_dir)
    try:
        org = ledger.org(args.org or default_office(ledger, data_dir))
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

    try:
        if args.out:
            check_destination(args.out, data_dir)  # before any work: a refused destination costs nothing
    except ExportError as exc:
        print(f"错误：{shown(exc, limit=2000)}", file=sys.stderr)
        return 1
    ledger = open_ledger(args, data_dir)
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
        ledger = open_ledger(args, data_dir)
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


def cmd_report(args: argparse.Namespace, data_dir: Path) -> int:
    """The monthly written report's first draft as a .docx; its chart painted offscreen with QPainter."""
    from .printing.chart import render_png
    from .printing.fonts import NoCjkFont
    from .printing.pdf import ensure_gui_application
    from .services.report_draft import ReportError, check_destination, default_file_name, write_report

    try:
        if args.out:
            check_destination(args.out, data_dir)  # before any work: a refused destination costs nothing
        day = date.fromisoformat(args.date) if args.date else date.today()
    except ReportError as exc:
        print(f"错误：{shown(exc, limit=2000)}", file=sys.stderr)
        return 1
    except ValueError:
        print(f"错误：成文日期“{shown(args.date)}”应写成 2020-10-05 这样的年-月-日。", file=sys.stderr)
        return 1
    render = None
    if not args.no_chart:
        ensure_gui_application()
        render = render_png
    ledger = open_ledger(args, data_dir)
    try:
        org = ledger.org(args.org)
        period = command_period(ledger, [org.code], args.period, data_dir)
        result = write_report(ledger, org.code, period, args.out or Path(default_file_name(org.name, period)),
                              report_date=day, addressee=args.to, render_chart=render)
    except (ReportError, NoCjkFont) as exc:
        print(f"错误：{shown(exc, limit=2000)}", file=sys.stderr)
        return 1
    finally:
        ledger.close()
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

    ledger = open_ledger(args, data_dir)
    try:
        preview = preview_import(ledger, args.files)
        changed = {id(c): change_text(ledger, c) for f in preview.files for c in f.changes if c.kind == CHANGED}
        committed = False
        result = None
        if preview.clean and not args.dry_run:
            result = commit_import(ledger, preview)
            committed = True
        backup_note = server_backup_note(ledger, result and result.backup)
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
            if backup_note:
                print(backup_note)
        elif preview.clean:
            print("检查通过（--dry-run，没有写入）。")
        else:
            print("有问题，没有写入任何数据。", file=sys.stderr)
    if preview.unreadable:
        return IMPORT_UNREADABLE_EXIT
    if not preview.clean:
        return IMPORT_PROBLEMS_EXIT
    return 0


def cmd_db(args: argparse.Namespace, data_dir: Path) -> int:
    from .services import data_location as where

    if args.db_command == "copy":
        made, checks = where.copy_ledger(args.source, args.target)
        for c in checks:
            print(f"  {c.table:<14} {c.rows:>8} 行  sha256 {c.sha256[:16]}")
        also = f"逐表核对行数和校验和一致（{len(checks)} 个表）" if checks else "并检查无误"
        print(f"已复制到 {shown(made)}，{also}；来源 {shown(args.source)} 没有改动。")
        return 0
    if not where.is_database_url(args.database):
        raise ValueError(f"--database 应为 postgresql://用户@服务器/数据库，而不是“{args.database}”。")
    if args.db_command == "init":
        checks = where.init_database(args.database)
        print(f"已在数据库中建立台账（{len(checks)} 个表，方案 {checks[0].rows} 个）。")
        return 0
    if args.db_command == "migrate":
        before, after = where.migrate_database(args.database)
        print(f"已从结构版本 {before} 升级到 {after}，检查通过。" if before != after else f"结构版本 {after}，已是最新，无需升级。")
        return 0
    version, checks = where.database_check(args.database)
    for c in checks:
        print(f"  {c.table:<14} {c.rows:>8} 行")
    print(f"检查通过：结构版本 {version}，{len(checks)} 个表。")
    return 0


HANDLERS = {
    "db": cmd_db,
    "sample-data": cmd_sample_data,
    "plan": cmd_plan,
    "make-seed": cmd_make_seed,
    "tasks": cmd_tasks,
    "export": cmd_export,
    "template": cmd_template,
    "import": cmd_import,
    "report": cmd_report,
}
