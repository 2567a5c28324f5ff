"""SIGKILL at odd moments of the commands added after the crash test: template, report, import, plan import --yes
and db copy (SQLite → SQLite).

Each command is killed over several rounds, each on a fresh copy of the clerk's data folder: at random moments
within the time a clean run takes here, and at the moments that matter, found by ``stop_at.py`` (the command
frozen there by an audit hook or a SQLite trace callback, then killed) — an output's temporary file just opened,
complete but not yet renamed; a backup being filled; the ledger's transaction between its first row and its
COMMIT; a copied ledger in place before its settings.ini. After every kill:

* the ledger passes ``PRAGMA integrity_check`` and holds all of the command's change or none of it (every table
  by checksum, compared with a clean run's);
* no half-written file has a final name: an output is whole or absent (an earlier file of that name is kept as
  it was), every backup under backups/ is a sound SQLite file;
* a command that only reads the ledger changed nothing in the data folder but the stale lock, SQLite's side files
  and the log;
* the next run of the command works, cleans up what the killed run left (``.part`` files), and ends where a clean
  run ends.

Set LIUBAO_CRASH_SEED to replay a run; the seed is in every failure.
"""
from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .attack_cases import DB, LOCK, ORG
from .command_scenes import (
    Frozen,
    backups_are_whole,
    filled_template,
    freeze,
    is_whole_zip,
    kill_after,
    ledger_tables,
    main_py,
    make_data_folder,
    ok,
    part_files,
    plan_docx,
    tables,
    text,
    timed,
)
from .test_attack import CJK, folder_changes, snapshot, stderr_problems

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")]

RANDOM_ROUNDS = 3
SEED = int(os.environ.get("LIUBAO_CRASH_SEED", time.time_ns() % 1_000_000_007))
SIDE_FILES = {LOCK, DB + "-wal", DB + "-shm"}  # what a killed copy may leave beside the ledger


@dataclass(frozen=True)
class Clerk:
    data: Path  # the data folder every round copies
    workbook: Path  # 芙蓉区's filled 填报模板 for 2021-01
    plan: Path  # a plan document (.docx)
    base: Path


@pytest.fixture(scope="module")
def clerk(tmp_path_factory: pytest.TempPathFactory) -> Clerk:
    base = tmp_path_factory.mktemp("kill")
    data = make_data_folder(base / "template")
    return Clerk(data, filled_template(data, base / "芙蓉区-2021-01-已填.xlsx"), plan_docx(base / "方案.docx"), base)


def fresh(clerk: Clerk, root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "out").mkdir()
    return Path(shutil.copytree(clerk.data, root / "data", symlinks=True))


Moment = tuple[str, object]  # ("stop", a stop_at.py moment) or ("after", seconds)


def moments(stops: list[dict], duration: float, rng: random.Random) -> list[Moment]:
    return [("stop", s) for s in stops] + [("after", rng.uniform(0.02, duration * 1.1)) for _ in range(RANDOM_ROUNDS)]


def kill_at(moment: Moment, data: Path | None, argv: list[str | Path], note: Path) -> str:
    """Run the command and SIGKILL it at the moment; says where it was killed (for the failure messages)."""
    kind, what = moment
    if kind == "after":
        code = kill_after(data, argv, float(what))  # type: ignore[arg-type]
        return f"after {what:.2f} s" + (f" (it had ended, exit {code})" if code is not None else "")
    frozen: Frozen = freeze(data, argv, what, note)  # type: ignore[arg-type]
    frozen.kill()
    assert frozen.moment is not None, f"the command ended before it reached {what}"
    return frozen.moment


def only_side_files_changed(before: dict, after: dict) -> list[str]:
    """What changed in a data folder beyond what any killed run leaves (stale lock, -wal, -shm, a longer log)."""
    return [c for c in folder_changes(before, after) if c.split(" ")[0] not in SIDE_FILES]


# ---------------------------------------------------------------------------------------------------------
# Commands that only read the ledger and write a file (or a folder of files) outside it


def check_reading_command(clerk: Clerk, tmp_path: Path, argv: Callable[[Path], list[str | Path]], out_name: str,
                          stops: list[dict], finals: Callable[[Path], list[Path]]) -> None:
    """``argv(out)`` is killed at each moment; ``finals(out)`` are the files a finished run leaves."""
    rng = random.Random(SEED)
    reference = fresh(clerk, tmp_path / "reference")
    duration = timed(reference, argv(tmp_path / "reference" / "out" / out_name))
    earlier_made = finals(tmp_path / "reference" / "out" / out_name)
    for n, moment in enumerate(moments(stops, duration, rng)):
        root = tmp_path / f"round{n}"
        data = fresh(clerk, root)
        out = root / "out" / out_name
        earlier: dict[Path, bytes] = {}
        if n % 2:  # every other round replaces the files of an earlier run: those must stay whole
            for made in earlier_made:
                target = root / "out" / made.relative_to(tmp_path / "reference" / "out")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(made, target)
                earlier[target] = made.read_bytes()
        before, before_tables = snapshot(data), ledger_tables(data, root / "scratch-before")
        where = kill_at(moment, data, argv(out), root / "note")
        say = f"seed {SEED}, killed at {where}"
        assert ledger_tables(data, root / "scratch-after") == before_tables, say
        assert only_side_files_changed(before, snapshot(data)) == [], say
        for final in finals(out):
            if final.exists() and not (final in earlier and final.read_bytes() == earlier[final]):
                assert is_whole_zip(final), f"{say}: {final.name} is half-written"
        # the next run: works (the dead run's lock is stale), cleans up its .part files, leaves the folder as it was
        ok(main_py(data, argv(out)))
        assert all(is_whole_zip(f) for f in finals(out)), say
        assert part_files(root / "out") == [], say
        assert folder_changes(before, snapshot(data)) == [], say


def single(final_suffix: str) -> list[dict]:
    return [{"kind": "open", "match": r"\.part$"},  # the temporary file made, empty
            {"kind": "rename", "match": final_suffix + "$"}]  # written whole and synced, not yet renamed


def test_template_killed_at_any_moment(clerk: Clerk, tmp_path: Path) -> None:
    check_reading_command(
        clerk, tmp_path,
        lambda out: ["template", "--org", ORG, "--unit", "区人社局", "--period", "2020-09", "--out", out],
        "模板.xlsx", single(r"模板\.xlsx"), lambda out: [out])


def test_template_for_all_units_killed_at_any_moment(clerk: Clerk, tmp_path: Path) -> None:
    def finals(folder: Path) -> list[Path]:
        return [folder / f"芙蓉区-{u}-2020-09-填报模板.xlsx" for u in ("区人社局", "区民政局")] + [
            folder / "芙蓉区-2020-09-填报模板.zip"]

    check_reading_command(
        clerk, tmp_path, lambda out: ["template", "--org", ORG, "--all-units", "--period", "2020-09", "--out", out],
        "模板", [{"kind": "rename", "match": r"区民政局.*\.xlsx$"}, {"kind": "open", "match": r"zip\..*\.part$"},
                 {"kind": "rename", "match": r"\.zip$"}], finals)


def test_report_killed_at_any_moment(clerk: Clerk, tmp_path: Path) -> None:
    check_reading_command(
        clerk, tmp_path,
        lambda out: ["report", "--org", ORG, "--period", "2020-09", "--date", "2020-10-05", "--out", out],
        "报告.docx", single(r"报告\.docx"), lambda out: [out])


# ---------------------------------------------------------------------------------------------------------
# Commands that write the ledger: a backup, then one transaction


def check_writing_command(clerk: Clerk, tmp_path: Path, argv: list[str | Path], stops: list[dict],
                          rerun_after_commit: int) -> None:
    """``argv`` is killed at each moment; the ledger holds all of a clean run's change or none of it, and the next
    run ends where a clean run ends (exit 0, or ``rerun_after_commit`` when the killed run had committed)."""
    rng = random.Random(SEED)
    reference = fresh(clerk, tmp_path / "reference")
    unchanged = ledger_tables(reference, tmp_path / "reference" / "scratch-before")
    duration = timed(reference, argv)
    changed = ledger_tables(reference, tmp_path / "reference" / "scratch-after")
    assert changed != unchanged, "the clean run changed nothing: the command line is wrong"
    for n, moment in enumerate(moments(stops, duration, rng)):
        root = tmp_path / f"round{n}"
        data = fresh(clerk, root)
        before = snapshot(data)
        where = kill_at(moment, data, argv, root / "note")
        say = f"seed {SEED}, killed at {where}"
        now = ledger_tables(data, root / "scratch-after")
        assert now in (unchanged, changed), f"{say}: the ledger holds part of the command's change"
        assert backups_are_whole(data) == [], say
        stray = [c for c in only_side_files_changed(before, snapshot(data))  # the ledger's tables are checked above
                 if c != f"{DB} changed" and not (c.startswith("backups/") and c.endswith("appeared"))]
        assert stray == [], say
        # the next start and the next run
        ok(main_py(data, ["plan", "list"]))
        again = main_py(data, argv)
        expected = 0 if now == unchanged else rerun_after_commit
        assert again.returncode == expected, f"{say}: the next run: exit {again.returncode}: {text(again)}"
        assert ledger_tables(data, root / "scratch-next") == changed, say
        assert backups_are_whole(data) == [], say
        if now == unchanged:  # it made a backup of its own, and swept away what the killed one left
            assert part_files(data / "backups") == [], say


def test_import_killed_at_any_moment(clerk: Clerk, tmp_path: Path) -> None:
    check_writing_command(clerk, tmp_path, ["import", clerk.workbook], [
        {"kind": "connect", "match": r"backups/.*\.part$"},  # the backup about to be filled
        {"kind": "sql", "match": r"^INSERT INTO audit_log", "nth": 1},  # inside the transaction
        {"kind": "sql", "match": r"^COMMIT", "nth": 1},
    ], rerun_after_commit=0)


def test_plan_import_killed_at_any_moment(clerk: Clerk, tmp_path: Path) -> None:
    check_writing_command(clerk, tmp_path, ["plan", "import", clerk.plan, "--yes"], [
        {"kind": "connect", "match": r"backups/.*\.part$"},
        {"kind": "sql", "match": r"^INSERT INTO target", "nth": 3},
        {"kind": "sql", "match": r"^COMMIT", "nth": 1},
    ], rerun_after_commit=3)


# ---------------------------------------------------------------------------------------------------------
# db copy --from DIR --to LOCALDIR


def test_db_copy_killed_at_any_moment(clerk: Clerk, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    reference = fresh(clerk, tmp_path / "reference")
    source_tables = ledger_tables(reference, tmp_path / "reference" / "scratch")
    duration = timed(reference, ["db", "copy", "--from", reference, "--to", tmp_path / "reference" / "本机"])
    settings = (clerk.data / "settings.ini").read_bytes()
    stops = [{"kind": "read", "match": r"data/settings\.ini$"},  # settings.ini about to be copied
             {"kind": "rename", "match": r"本机/settings\.ini$"},
             {"kind": "connect", "match": r"本机/.*\.part$"},  # the copy about to be filled
             {"kind": "rename", "match": r"本机/liubao\.sqlite3$"}]  # checked and synced, not yet named
    for n, moment in enumerate(moments(stops, duration, rng)):
        root = tmp_path / f"round{n}"
        source = fresh(clerk, root)
        dest = root / "本机"
        argv: list[str | Path] = ["db", "copy", "--from", source, "--to", dest]
        before = snapshot(source)
        where = kill_at(moment, source, argv, root / "note")
        say = f"seed {SEED}, killed at {where}"
        assert [c for c in folder_changes(before, snapshot(source)) if not c.startswith("logs/")] == [], say
        copied = (dest / DB).exists()
        if copied:  # the copy took its name: it is the whole ledger, with this PC's settings
            assert tables(dest / DB) == source_tables, say
            assert (dest / "settings.ini").is_file(), f"{say}: the copy is there without its settings.ini"
            assert (dest / "settings.ini").read_bytes() == settings, say
        again = main_py(source, argv)
        if copied:  # refused: a copy is already there, and it is left alone
            assert again.returncode == 1 and CJK.search(text(again)), f"{say}: {text(again)}"
            assert stderr_problems(text(again)) == [], say
        else:
            ok(again)
        assert tables(dest / DB) == source_tables, say
        assert (dest / "settings.ini").read_bytes() == settings, say
        assert part_files(dest) == [], say
