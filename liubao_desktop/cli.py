"""Headless commands: everything a script or a server without a screen needs. No widgets here."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .storage.database import StorageError


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help="输出方案（--json 为 JSON 格式）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出整个方案")
    p = sub.add_parser("sample-data", help="向新的数据文件夹写入示例数据（用于演示、截图和性能测试）")
    p.add_argument("--orgs", default="all", help="单位名称，逗号分隔；all 为全部单位")
    p.add_argument("--up-to", default="2021-06", help="写到哪个月（YYYY-MM）")
    p = sub.add_parser("make-seed", help="由方案原文重新生成 db/seed.sql")
    p.add_argument("--out", type=Path, default=None)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    try:
        return HANDLERS[args.command](args, data_dir)
    except (StorageError, ValueError, KeyError, OSError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"错误：{msg}", file=sys.stderr)
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
    from .domain.orgs import CHANGSHA_ORGS
    from .storage.seed_sql import SEED_PATH, changsha_plan, render_seed

    out = args.out or SEED_PATH
    out.write_text(render_seed(changsha_plan(), CHANGSHA_ORGS), encoding="utf-8")
    print(f"已生成 {out}")
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


HANDLERS = {
    "sample-data": cmd_sample_data,
    "plan": cmd_plan,
    "make-seed": cmd_make_seed,
}
