"""The case table of test_attack.py: hostile command lines a clerk, a script or a careless colleague might type.

Each case is one story: what is typed, what the clerk must see, and why. Three outcomes are possible:

* REFUSE — the command must stop with a non-zero exit and a Chinese message. Every output path that is, or
  resolves to, a file or folder of the data folder is refused: a report written over the database, its -wal,
  the lock of an open window, a backup or the log destroys what the clerk cannot get back.
* SUCCEED — a legitimate command (the controls) must work, so the harness is known to tell the two apart.
* EITHER — legitimate but unusual (a folder name in GBK bytes, a read-only medium holding the data): working is
  right, and so is a clear Chinese refusal; a traceback or an English error is not.

Whatever the outcome, the data folder must be byte-identical afterwards and the database must pass
``PRAGMA integrity_check``; test_attack.py checks that for every case.

Cases build what they attack inside a ``Scene``: a fresh copy of the sample data folder (``scene.data``) and an
``out`` folder beside it, outside the data folder, where reports may legitimately go.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REFUSE, SUCCEED, EITHER = "refuse", "succeed", "either"

ORG = "芙蓉区"
PERIOD = "2020-09"
DB = "liubao.sqlite3"
LOCK = "liubao.lock"
# Named as storage/backup.py names its daily backups, so the app takes it for one of its own.
BACKUP = "backups/liubao-20201231-170000-daily.sqlite3"
SUFFIX = {"tasks": ".pdf", "export": ".xlsx", "make-seed": ".sql"}
REPORT = "报表"  # the clerk's own name for the report file

# The largest path Linux accepts is 4,095 bytes plus the terminating NUL.
PATH_MAX = 4096


class Skip(Exception):
    """This machine cannot build the case (no root for a mount, a case-sensitive file system, …)."""


@dataclass
class Scene:
    root: Path  # this case's own folder: data/ and out/ live here
    data: Path  # the data folder the command is pointed at and that must stay byte-identical
    out: Path  # a folder outside the data folder, for reports
    data_dir_arg: Path | None = None  # --data-dir, when it is not the data folder itself
    earlier_pdf: Path | None = None  # a task list made before (an ordinary report to overwrite)
    earlier_xlsx: Path | None = None  # an export made before
    guarded: list[Path] = field(default_factory=list)  # files outside the data folder that must not change
    devices: list[Path] = field(default_factory=list)  # device nodes that must stay device nodes
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.data_dir_arg or self.data

    def report(self, command: str) -> Path:
        return self.out / f"{REPORT}{SUFFIX[command]}"

    def skip(self, reason: str) -> None:
        raise Skip(reason)


@dataclass(frozen=True)
class Case:
    id: str
    story: str  # why this outcome: the table's "why" column
    expect: str  # REFUSE, SUCCEED or EITHER
    argv: Callable[[Scene], list[str | Path]]  # after `main.py --data-dir <scene.data_dir>`
    prepare: Callable[[Scene], None] | None = None
    window_open: bool = False  # a window holds the lock and the database open (so -wal and -shm exist)
    output: Callable[[Scene], Path] | None = None  # the file a success must leave behind
    output_kind: str | None = None  # "pdf", "xlsx" or "json" (plan --json on stdout)
    must_say: tuple[str, ...] = ()  # words a refusal must contain


def command_line(command: str, out: Path | str) -> list[str | Path]:
    """The command with its output at `out`: the rest of the line is ordinary."""
    if command == "tasks":
        return ["tasks", "--out", out]
    if command == "export":
        return ["export", "--org", ORG, "--period", PERIOD, "--out", out]
    return ["make-seed", "--out", out]


# ---------------------------------------------------------------------------------------------------------
# Building blocks of the scenes


def make_read_only(scene: Scene, path: Path) -> None:
    """Make a folder (and what it holds) unwritable — also for root, who ignores the mode bits."""
    paths = [path, *sorted(path.rglob("*"))]
    if os.geteuid() != 0:
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        scene.cleanups.append(lambda: [p.chmod(0o755 if p.is_dir() else 0o644) for p in paths])
        return
    # Root writes through 0555; only the immutable attribute stops it.
    if shutil.which("chattr") is None:
        scene.skip("running as root and chattr is not installed: cannot make a folder read-only for root")
    done = subprocess.run(["chattr", "+i", *paths], capture_output=True)
    scene.cleanups.append(lambda: subprocess.run(["chattr", "-i", *paths], capture_output=True))
    if done.returncode != 0:
        scene.skip(f"chattr +i failed here: {done.stderr.decode(errors='replace').strip()}")
    probe = path / ".probe"
    try:
        probe.touch()
    except OSError:
        return
    probe.unlink()
    scene.skip("the file system ignores chattr +i: cannot make a folder read-only for root")


def mount_nearly_full_disk(scene: Scene, folder: Path) -> None:
    """A 64 KiB tmpfs with only 8 KiB left: a U 盘 that is full (either report needs more than 8 KiB)."""
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        scene.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder], capture_output=True)
    if done.returncode != 0:
        scene.skip(f"mount -t tmpfs is not permitted here: {done.stderr.decode(errors='replace').strip()}")
    scene.cleanups.append(lambda: subprocess.run(["umount", "-l", folder], capture_output=True))
    fs = os.statvfs(folder)
    with open(folder / "别人的文件.bin", "wb") as fh:
        fh.write(b"\x01" * max(0, fs.f_bavail * fs.f_frsize - 8192))
    scene.guarded.append(folder / "别人的文件.bin")


def write_backup(template: Path) -> None:
    """The daily backup a window would have made (headless runs never make one): a single rollback-journal
    copy, written with the backup API as storage/backup.py does."""
    dest = template / BACKUP
    dest.parent.mkdir(exist_ok=True)
    source = sqlite3.connect(f"file:{template / DB}?mode=ro", uri=True)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()


def write_log_history(template: Path) -> None:
    """A few weeks of log lines: with an empty log, a report written over it would look like growth."""
    with open(template / "logs" / "liubao.log", "a", encoding="utf-8") as fh:
        fh.write("2020-12-31 17:00:00,000 INFO liubao_desktop.services.safety: 每日自动备份完成\n"
                 "2020-12-31 17:30:00,000 INFO liubao_desktop.ui.main_window: 窗口已关闭\n")


def write_settings(template: Path) -> None:
    """settings.ini as the window leaves it (QSettings' ini format); headless runs never write one."""
    (template / "settings.ini").write_text(
        "[General]\nlast_org=430102\nlast_period=2020-09\nmine_only=false\n"
        "geometry=@ByteArray(\\x1\\xd9\\xd0\\xcb\\0\\x3)\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------
# 1. Output paths that are (or resolve to) something in the data folder: all refused.


def _in_data(rel: str) -> Callable[[Scene, str], Path]:
    return lambda scene, command: scene.data / rel


def _new_file_in_data(scene: Scene, command: str) -> Path:
    return scene.data / f"{REPORT}{SUFFIX[command]}"


def _symlink_outside(scene: Scene, command: str) -> Path:
    link = scene.out / f"台账{SUFFIX[command]}"  # named like a report, so a suffix check cannot save the day
    link.symlink_to(scene.data / DB)
    return link


def _hard_link_outside(scene: Scene, command: str) -> Path:
    link = scene.out / f"台账{SUFFIX[command]}"
    try:
        os.link(scene.data / DB, link)
    except OSError as exc:
        scene.skip(f"hard links are not supported here: {exc}")
    return link


def _dotdot(scene: Scene, command: str) -> Path:
    return scene.data / "logs" / ".." / DB  # pathlib keeps the "..": the child sees it as typed


def _other_case(scene: Scene, command: str) -> Path:
    path = scene.data / DB.upper()
    if not path.exists():  # on a case-sensitive file system this is a different (new) file
        scene.skip("the file system is case-sensitive: LIUBAO.SQLITE3 is not the database here")
    return path


# (id, story, the output path, a window is open)
DATA_FOLDER_TARGETS: list[tuple[str, str, Callable[[Scene, str], Path], bool]] = [
    ("the-database", "the clerk's figures: overwritten, they are gone", _in_data(DB), False),
    ("the-wal-beside-an-open-window", "the -wal holds the window's latest commits", _in_data(DB + "-wal"), True),
    ("the-shm-beside-an-open-window", "the -shm is the open window's index into the -wal",
     _in_data(DB + "-shm"), True),
    ("the-lock-of-an-open-window", "replacing the lock lets a second copy write beside the window",
     _in_data(LOCK), True),
    ("settings.ini", "the window's settings", _in_data("settings.ini"), False),
    ("the-log", "the log is what support reads after a crash; it may grow, never be replaced",
     _in_data("logs/liubao.log"), False),
    ("a-backup", "a backup is the way back after a mistake", _in_data(BACKUP), False),
    ("the-backups-folder", "a folder, and the backups' folder at that", _in_data("backups"), False),
    ("the-data-folder", "the data folder itself", lambda scene, command: scene.data, False),
    ("a-new-file-in-the-data-folder", "the data folder belongs to the app: a report hidden there is swept "
     "into restores and never found by the clerk", _new_file_in_data, False),
    ("a-symlink-outside-to-the-database", "a link outside that points at the database is the database",
     _symlink_outside, False),
    ("a-dotdot-path-to-the-database", "logs/../liubao.sqlite3 is the database", _dotdot, False),
    ("the-database-in-other-case", "on Windows and macOS LIUBAO.SQLITE3 is the database", _other_case, False),
    ("a-hard-link-outside-to-the-database", "a hard link is the same file as the database",
     _hard_link_outside, False),
]


def data_folder_cases() -> list[Case]:
    cases = []
    for command in ("tasks", "export", "make-seed"):
        for name, story, target, window_open in DATA_FOLDER_TARGETS:
            holder: dict[str, Path] = {}

            def prepare(scene: Scene, target=target, command=command, holder=holder) -> None:  # noqa: ANN001
                holder["path"] = target(scene, command)

            cases.append(Case(
                id=f"{command}-out-{name}", story=f"refused: {story}", expect=REFUSE, prepare=prepare,
                argv=lambda scene, command=command, holder=holder: command_line(command, holder["path"]),
                window_open=window_open))
    return cases


# ---------------------------------------------------------------------------------------------------------
# 2. Output paths outside the data folder that are broken, strange or hold something else.


def _read_only_folder(scene: Scene, command: str) -> Path:
    folder = scene.out / "只读"
    folder.mkdir()
    make_read_only(scene, folder)
    return folder / f"{REPORT}{SUFFIX[command]}"


def _a_folder(scene: Scene, command: str) -> Path:
    folder = scene.out / f"{REPORT}{SUFFIX[command]}"  # a folder named like a report
    folder.mkdir()
    return folder


def _dev_full(scene: Scene, command: str) -> Path:
    if not Path("/dev/full").exists():
        scene.skip("this system has no /dev/full")
    scene.devices.append(Path("/dev/full"))
    return Path("/dev/full")


def _missing_parent(scene: Scene, command: str) -> Path:
    return scene.out / "没有这个文件夹" / f"{REPORT}{SUFFIX[command]}"


def _non_utf8_name(scene: Scene, command: str) -> Path:
    # A name in no valid encoding (what a GBK archive unpacked on Linux leaves); passed to the child as bytes.
    return scene.out / os.fsdecode(b"\xff\xfe" + SUFFIX[command].encode())


def _long_name(scene: Scene, command: str) -> Path:
    return scene.out / ("x" * (PATH_MAX - len(SUFFIX[command])) + SUFFIX[command])


def _holding(kind: str) -> Callable[[Scene, str], Path]:
    def build(scene: Scene, command: str) -> Path:
        path = scene.report(command)
        assert scene.earlier_pdf is not None and scene.earlier_xlsx is not None
        source = {"pdf": scene.earlier_pdf, "xlsx": scene.earlier_xlsx, "sqlite": scene.data / BACKUP}[kind]
        shutil.copyfile(source, path)
        scene.guarded.append(path)
        return path
    return build


def _earlier_report(scene: Scene, command: str) -> Path:
    path = scene.report(command)
    assert scene.earlier_pdf is not None and scene.earlier_xlsx is not None
    shutil.copyfile(scene.earlier_pdf if command == "tasks" else scene.earlier_xlsx, path)
    return path


def _full_disk(scene: Scene, command: str) -> Path:
    folder = scene.out / "满了的U盘"
    mount_nearly_full_disk(scene, folder)
    return folder / f"{REPORT}{SUFFIX[command]}"


# (id, expect, story, output path, words a refusal must contain, a window is open)
OUTPUT_PATHS: list[tuple[str, str, str, Callable[[Scene, str], Path], tuple[str, ...], bool]] = [
    ("a-plain-report", SUCCEED, "control: an ordinary report in an ordinary folder",
     lambda scene, command: scene.report(command), (), False),
    ("a-plain-report-beside-an-open-window", SUCCEED,
     "control: reports are read-only and run beside the open window", lambda scene, command: scene.report(command),
     (), True),
    ("an-earlier-report-of-the-same-kind", SUCCEED,
     "control: replacing last month's report with this month's is the everyday case", _earlier_report, (), False),
    ("a-folder", REFUSE, "a folder (named like a report) cannot become a file", _a_folder, (), False),
    ("a-read-only-folder", REFUSE, "nothing can be saved there; the clerk must be told", _read_only_folder,
     (), False),
    ("dev-full", REFUSE, "every write fails with 'no space left'; a silent 0-byte report would be a lie",
     _dev_full, (), False),
    ("a-full-disk", REFUSE, "a full U 盘: the clerk must read that the disk is full, and no stub is left",
     _full_disk, ("磁盘", "满"), False),
    ("a-missing-parent-folder", REFUSE, "a typo in the folder: say so rather than invent folders",
     _missing_parent, (), False),
    ("a-non-utf8-file-name", EITHER, "a legal Linux name in no encoding: write it, or refuse in Chinese",
     _non_utf8_name, (), False),
    ("a-4096-character-name", REFUSE, "longer than any file system allows", _long_name, (), False),
    ("a-report-path-holding-an-xlsx", REFUSE,
     "a .pdf that is really a workbook is not an earlier task list: overwriting it loses someone's work",
     _holding("xlsx"), (), False),
    ("a-report-path-holding-a-pdf", REFUSE,
     "an .xlsx that is really a PDF is not an earlier export: overwriting it loses someone's work",
     _holding("pdf"), (), False),
    ("a-report-path-holding-a-sqlite-database", REFUSE,
     "a SQLite file is a database (perhaps a copied ledger), never an earlier report", _holding("sqlite"),
     (), False),
]


def output_path_cases() -> list[Case]:
    cases = []
    for command in ("tasks", "export"):
        for name, expect, story, target, must_say, window_open in OUTPUT_PATHS:
            if name == "a-report-path-holding-an-xlsx" and command == "export":
                continue  # an .xlsx holding an xlsx is the control "an earlier report of the same kind"
            if name == "a-report-path-holding-a-pdf" and command == "tasks":
                continue
            holder: dict[str, Path] = {}

            def prepare(scene: Scene, target=target, command=command, holder=holder) -> None:  # noqa: ANN001
                holder["path"] = target(scene, command)

            cases.append(Case(
                id=f"{command}-out-{name}", story=f"{expect}: {story}", expect=expect, prepare=prepare,
                argv=lambda scene, command=command, holder=holder: command_line(command, holder["path"]),
                output=lambda scene, holder=holder: holder["path"], output_kind=SUFFIX[command][1:],
                must_say=must_say, window_open=window_open))
    return cases


# ---------------------------------------------------------------------------------------------------------
# 3. --data-dir pointing at something that is not a data folder.


def _a_regular_file(scene: Scene) -> None:
    path = scene.out / "笔记.txt"
    path.write_text("这是一份普通的文件，不是数据文件夹。\n", encoding="utf-8")
    scene.guarded.append(path)
    scene.data_dir_arg = path


def _inside_a_regular_file(scene: Scene) -> None:
    _a_regular_file(scene)
    assert scene.data_dir_arg is not None
    scene.data_dir_arg = scene.data_dir_arg / "数据"


def _dev_null(scene: Scene) -> None:
    scene.devices.append(Path("/dev/null"))
    scene.data_dir_arg = Path("/dev/null")


def _empty_read_only_folder(scene: Scene) -> None:
    folder = scene.out / "只读的空文件夹"
    folder.mkdir()
    make_read_only(scene, folder)
    scene.data_dir_arg = folder


def _move_data(scene: Scene, name: str) -> Path:
    """Move this case's data folder to another name; the guarded data folder moves with it."""
    moved = scene.root / name
    scene.data.rename(moved)
    scene.data = moved
    return moved


def _read_only_data(scene: Scene) -> None:
    make_read_only(scene, _move_data(scene, "光盘上的数据"))


def _non_utf8_folder(scene: Scene) -> None:
    _move_data(scene, os.fsdecode(b"\xc1\xf9\xb1\xa3-data"))  # "六保" in GBK: not UTF-8


def _long_path(scene: Scene) -> None:
    path = str(scene.out)
    while len(path) < PATH_MAX - 201:
        path += "/" + "d" * 200
    scene.data_dir_arg = Path(path + "/" + "e" * (PATH_MAX - len(path) - 1))
    assert len(str(scene.data_dir_arg)) == PATH_MAX


# (id, expect, story, prepare)
DATA_DIRS: list[tuple[str, str, str, Callable[[Scene], None]]] = [
    ("a-regular-file", REFUSE, "a file is no data folder; it must not be touched", _a_regular_file),
    ("a-path-inside-a-regular-file", REFUSE, "no folder can exist inside a file", _inside_a_regular_file),
    ("dev-null", REFUSE, "a device is no data folder", _dev_null),
    ("an-empty-read-only-folder", REFUSE, "nothing to read and no database can be created", _empty_read_only_folder),
    ("a-read-only-folder-holding-the-data", EITHER,
     "data on a CD or a read-only share: reading it is legitimate; if it cannot, say so in Chinese",
     _read_only_data),
    ("a-non-utf8-folder-holding-the-data", EITHER,
     "a data folder whose name is in GBK bytes is still the clerk's data: work, or refuse in Chinese",
     _non_utf8_folder),
    ("a-4096-character-path", REFUSE, "longer than any path Linux accepts", _long_path),
]


def data_dir_cases() -> list[Case]:
    cases = []
    for name, expect, story, prepare in DATA_DIRS:
        for command in ("plan", "tasks", "export"):
            if command == "plan":
                argv: Callable[[Scene], list[str | Path]] = lambda scene: ["plan", "--json"]  # noqa: E731
                output = None
            else:
                argv = lambda scene, command=command: command_line(command, scene.report(command))  # noqa: E731
                output = lambda scene, command=command: scene.report(command)  # noqa: E731
            cases.append(Case(
                id=f"{command}-data-dir-{name}", story=f"{expect}: {story}", expect=expect, prepare=prepare,
                argv=argv, output=output, output_kind="json" if command == "plan" else SUFFIX[command][1:]))
    return cases


# ---------------------------------------------------------------------------------------------------------
# 4. Bad values.


def value_cases() -> list[Case]:
    cases = []
    for command in ("tasks", "export"):
        for name, option, value, story in [
            ("month-13", "--period", "2020-13", "there is no 13th month"),
            ("period-abcd", "--period", "abcd", "not a month at all"),
            ("period-before-the-plan", "--period", "1999-01", "the plan runs from 2020; 1999 has no report"),
            ("no-such-org", "--org", "nosuchorg", "no 填报单位 of that name"),
        ]:
            def argv(scene: Scene, command=command, option=option, value=value) -> list[str | Path]:  # noqa: ANN001
                line = command_line(command, scene.report(command))
                if option in line:  # export already names an org and a period: replace them
                    line[line.index(option) + 1] = value
                else:
                    line += [option, value]
                return line

            cases.append(Case(id=f"{command}-{name}", story=f"refused: {story}", expect=REFUSE, argv=argv,
                              output=lambda scene, command=command: scene.report(command),
                              output_kind=SUFFIX[command][1:]))
    cases += [
        Case(id="tasks-a-10000-character-unit", expect=EITHER,
             story="either: no unit has that name; an empty list that says so, or a Chinese refusal",
             argv=lambda scene: [*command_line("tasks", scene.report("tasks")), "--unit", "局" * 10_000],
             output=lambda scene: scene.report("tasks"), output_kind="pdf"),
        Case(id="tasks-group-by-bogus", expect=REFUSE,
             story="refused: argparse's own refusal; it counts only if the clerk can read it (Chinese)",
             argv=lambda scene: [*command_line("tasks", scene.report("tasks")), "--group-by", "bogus"]),
        Case(id="tasks-without-out", expect=REFUSE, story="refused: --out is required (argparse's message)",
             argv=lambda scene: ["tasks"]),
        Case(id="export-without-org", expect=REFUSE, story="refused: --org is required (argparse's message)",
             argv=lambda scene: ["export", "--period", PERIOD, "--out", scene.report("export")]),
        Case(id="plan-misspelt-option", expect=REFUSE, story="refused: --jsn is no option (argparse's message)",
             argv=lambda scene: ["plan", "--jsn"]),
        Case(id="sample-data-no-such-org", expect=REFUSE,
             story="refused, before a single figure is written", argv=lambda scene: [
                 "sample-data", "--orgs", "nosuchorg", "--up-to", "2020-12"]),
        Case(id="sample-data-month-13", expect=REFUSE, story="refused, before a single figure is written",
             argv=lambda scene: ["sample-data", "--orgs", ORG, "--up-to", "2020-13"]),
        Case(id="sample-data-up-to-abcd", expect=REFUSE, story="refused, before a single figure is written",
             argv=lambda scene: ["sample-data", "--orgs", ORG, "--up-to", "abcd"]),
    ]
    return cases


def all_cases() -> list[Case]:
    cases = data_folder_cases() + output_path_cases() + data_dir_cases() + value_cases()
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases
