"""An outside attack on the newer commands — template, report, import, plan import, db copy — as a careless
colleague, an unlucky clerk or a hostile script would make it: outputs that are folders, links into the data folder,
``..``, names with a newline or too long, a read-only folder, a full disk (a small tmpfs, really full: nothing of the
app is mocked), inputs deleted or replaced while the command runs (the command frozen at that moment by
``stop_at.py``, the file changed, the command let go on).

For every case: the exit code the case expects (a refusal: non-zero, with a Chinese message, no traceback, no
system English); every file of the data folder byte-identical afterwards unless the case says what may change
(logs/ may only grow); the ledger sound; no half-written or temporary file left in the output folder, nothing at all
left there by a refusal; files outside that the case guards unchanged.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .attack_cases import (
    BACKUP,
    DB,
    ORG,
    REFUSE,
    SUCCEED,
    Scene,
    Skip,
    make_read_only,
    mount_nearly_full_disk,
)
from .command_scenes import (
    backups_are_whole,
    db_copy_of,
    filled_template,
    freeze,
    is_whole_zip,
    ledger_tables,
    main_py,
    make_data_folder,
    ok,
    part_files,
    plan_docx,
    tables,
    text,
)
from .test_attack import CJK, folder_changes, integrity, sha256, snapshot, stderr_problems

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="needs a POSIX system")]

EITHER = "either"
PERIOD = "2020-09"
LONG = "长" * 100 + ".xlsx"  # 305 bytes in UTF-8: longer than any file system's 255
NEWLINE = "报表\n第二行"


@dataclass(frozen=True)
class Inputs:
    data: Path  # the clerk's data folder each case copies
    workbook: Path  # 芙蓉区's filled 填报模板 for 2021-01
    other_workbook: Path  # the same, every value different
    plan: Path  # a plan document (.docx)
    hostile_plan: Path  # another plan (its own 文号) with a DTD in its body: the check refuses it


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    base = tmp_path_factory.mktemp("attack-new")
    data = make_data_folder(base / "template")
    workbook = filled_template(data, base / "芙蓉区-2021-01-已填.xlsx")
    other = filled_template(data, base / "芙蓉区-2021-01-改过.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(other)
    ws = wb["填报表"]
    for row in range(4, ws.max_row + 1):
        if isinstance(ws.cell(row, 7).value, int) and ws.cell(row, 6).value != "%":
            ws.cell(row, 7).value += 1000
    wb.save(other)
    hostile = ARTICLES_OTHER_NUMBER(plan_docx(base / "恶意.docx", doctype=True))
    return Inputs(data, workbook, other, plan_docx(base / "方案.docx"), hostile)


def ARTICLES_OTHER_NUMBER(path: Path) -> Path:  # noqa: N802 - reads as the name of the document it makes
    """The hostile document with a 文号 of its own, so that reading it instead of the checked one shows."""
    import zipfile

    rewritten = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace("湘政发〔2021〕7号".encode(), "恶政发〔2099〕9号".encode())
            dst.writestr(info, data)
    os.replace(rewritten, path)
    return path


# ---------------------------------------------------------------------------------------------------------
# The cases


@dataclass(frozen=True)
class Case:
    id: str
    story: str
    expect: str  # REFUSE, SUCCEED or EITHER
    argv: Callable[[Scene, Inputs], list[str | Path]]  # after `main.py --data-dir <scene.data>`
    prepare: Callable[[Scene, Inputs], None] | None = None
    output: Callable[[Scene], Path] | None = None  # the file a success leaves (checked whole)
    must_say: tuple[str, ...] = ()
    ledger_changes: bool = False  # a success writes the ledger (import): its files may change, a backup appear
    exit_code: int | None = None  # the refusal's exit code, when the command has one for it


def out(name: str) -> Callable[[Scene], Path]:
    return lambda scene: scene.out / name


def template_line(target: Path | str) -> list[str | Path]:
    return ["template", "--org", ORG, "--unit", "区人社局", "--period", PERIOD, "--out", target]


def all_units_line(target: Path | str) -> list[str | Path]:
    return ["template", "--org", ORG, "--all-units", "--period", PERIOD, "--out", target]


def report_line(target: Path | str) -> list[str | Path]:
    return ["report", "--org", ORG, "--period", PERIOD, "--date", "2020-10-05", "--no-chart", "--out", target]


def link(scene: Scene, name: str, to: Path) -> Path:
    path = scene.out / name
    path.symlink_to(to)
    return path


def read_only_folder(scene: Scene) -> Path:
    folder = scene.out / "只读"
    folder.mkdir()
    make_read_only(scene, folder)
    return folder


def full_disk(scene: Scene) -> Path:
    folder = scene.out / "满了的U盘"
    mount_nearly_full_disk(scene, folder)  # 8 KiB left: less than any of these files
    return folder


def room_for_one_template(scene: Scene) -> Path:
    """A U 盘 with 16 KiB left: one template (11 KiB) fits, the batch does not."""
    folder = scene.out / "满了的U盘"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        scene.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", folder], capture_output=True)
    if done.returncode != 0:
        scene.skip(f"mount -t tmpfs is not permitted here: {done.stderr.decode(errors='replace').strip()}")
    scene.cleanups.append(lambda: subprocess.run(["umount", "-l", folder], capture_output=True))
    fill_up(folder, 16 * 1024)
    scene.guarded.append(folder / "别人的文件.bin")
    return folder


def output_cases(command: str, line: Callable[[Path | str], list[str | Path]], suffix: str) -> list[Case]:
    """What a clerk may type after --out of a command that writes one file."""
    name = f"报表{suffix}"
    holder: dict[str, Path] = {}

    def at(make: Callable[[Scene], Path]) -> Callable[[Scene, Inputs], None]:
        def prepare(scene: Scene, inputs: Inputs) -> None:
            holder["out"] = make(scene)
        return prepare

    def argv(scene: Scene, inputs: Inputs) -> list[str | Path]:
        return line(holder["out"])

    def folder_named_like_the_file(scene: Scene) -> Path:
        (scene.out / name).mkdir()
        return scene.out / name

    def holding_a_database(scene: Scene) -> Path:
        shutil.copyfile(scene.data / BACKUP, scene.out / name)  # a copied ledger someone named like a report
        scene.guarded.append(scene.out / name)
        return scene.out / name

    cases = [
        ("a-plain-file", SUCCEED, "control: an ordinary file in an ordinary folder", lambda s: s.out / name, ()),
        ("a-folder", REFUSE, "a folder named like the file cannot become one", folder_named_like_the_file, ()),
        ("a-link-to-the-database", REFUSE, "a link named like a report that points at the ledger is the ledger",
         lambda s: link(s, name, s.data / DB), ()),
        ("a-link-to-a-backup", REFUSE, "a backup is the way back after a mistake",
         lambda s: link(s, name, s.data / BACKUP), ()),
        ("a-file-in-a-linked-data-folder", REFUSE, "a link to the data folder, then a new name in it",
         lambda s: link(s, "链接", s.data) / name, ()),
        ("dotdot-to-the-database", REFUSE, "out/../data/liubao.sqlite3 is the ledger",
         lambda s: s.out / ".." / "data" / DB, ()),
        ("dotdot-into-the-backups", REFUSE, "a file hidden among the backups is swept into restores",
         lambda s: s.out / ".." / "data" / "backups" / name, ()),
        ("a-name-with-a-newline", EITHER, "a legal Linux name: write it, or refuse in Chinese",
         lambda s: s.out / f"{NEWLINE}{suffix}", ()),
        ("a-name-too-long", REFUSE, "305 bytes: longer than the file system allows",
         lambda s: s.out / LONG.replace(".xlsx", suffix), ("太长",)),
        ("a-read-only-folder", REFUSE, "nothing can be saved there: say so", lambda s: read_only_folder(s) / name, ()),
        ("a-full-disk", REFUSE, "a full U 盘: say the disk is full, leave no stub",
         lambda s: full_disk(s) / name, ("磁盘", "满")),
        ("a-file-holding-a-database", REFUSE, "a SQLite file is never an earlier report: overwriting it loses data",
         holding_a_database, ()),
    ]
    return [Case(id=f"{command}-out-{cid}", story=story, expect=expect, prepare=at(make), argv=argv,
                 output=(lambda scene: holder["out"]) if expect != REFUSE else None, must_say=must_say)
            for cid, expect, story, make, must_say in cases]


def all_units_cases() -> list[Case]:
    holder: dict[str, Path] = {}

    def at(make: Callable[[Scene], Path]) -> Callable[[Scene, Inputs], None]:
        def prepare(scene: Scene, inputs: Inputs) -> None:
            holder["out"] = make(scene)
        return prepare

    def a_file(scene: Scene) -> Path:
        (scene.out / "模板").write_text("一份笔记\n", encoding="utf-8")
        scene.guarded.append(scene.out / "模板")
        return scene.out / "模板"

    cases = [
        ("a-new-folder", SUCCEED, "control: a new folder for the batch", lambda s: s.out / "模板", ()),
        ("a-file", REFUSE, "a file cannot hold the batch", a_file, ()),
        ("a-link-to-the-data-folder", REFUSE, "the data folder holds only the app's files",
         lambda s: link(s, "模板", s.data), ()),
        ("the-backups-folder", REFUSE, "templates among the backups", lambda s: s.data / "backups", ()),
        ("dotdot-to-the-data-folder", REFUSE, "out/../data is the data folder", lambda s: s.out / ".." / "data", ()),
        ("a-read-only-folder", REFUSE, "nothing can be saved there", lambda s: read_only_folder(s) / "模板", ()),
        ("a-full-disk", REFUSE, "a full U 盘: no template of the batch is left, nor the folder made for it",
         lambda s: full_disk(s) / "模板", ("磁盘", "满")),
        ("a-disk-with-room-for-one-template", REFUSE,
         "the first template fits, the second does not: the batch is refused whole, not half of it left",
         lambda s: room_for_one_template(s) / "模板", ("磁盘", "满")),
    ]
    return [Case(id=f"template-all-units-{cid}", story=story, expect=expect, prepare=at(make),
                 argv=lambda scene, inputs: all_units_line(holder["out"]),
                 output=(lambda scene: holder["out"] / "芙蓉区-2020-09-填报模板.zip") if expect == SUCCEED else None,
                 must_say=must_say)
            for cid, expect, story, make, must_say in cases]


def input_cases(command: str, line: Callable[[Path], list[str | Path]], given: Callable[[Inputs], Path],
                unreadable_exit: int, success_writes: bool) -> list[Case]:
    """What a clerk may hand a command that reads a file in."""
    holder: dict[str, Path] = {}

    def at(make: Callable[[Scene, Inputs], Path]) -> Callable[[Scene, Inputs], None]:
        def prepare(scene: Scene, inputs: Inputs) -> None:
            holder["in"] = make(scene, inputs)
        return prepare

    def copied(name: str) -> Callable[[Scene, Inputs], Path]:
        def make(scene: Scene, inputs: Inputs) -> Path:
            source = given(inputs)
            return Path(shutil.copyfile(source, scene.out / (name + source.suffix)))
        return make

    def a_folder(scene: Scene, inputs: Inputs) -> Path:
        (scene.out / ("文件夹" + given(inputs).suffix)).mkdir()
        return scene.out / ("文件夹" + given(inputs).suffix)

    cases = [
        ("a-plain-file", SUCCEED, "control", copied("填好的"), unreadable_exit),
        ("a-name-with-a-newline", SUCCEED, "a legal Linux name is read like any other", copied(NEWLINE), 0),
        ("a-folder", REFUSE, "a folder named like the file", a_folder, unreadable_exit),
        ("a-missing-file", REFUSE, "a typo", lambda s, i: s.out / ("没有这个文件" + given(i).suffix), unreadable_exit),
        ("the-ledger-itself", REFUSE, "the ledger is no input: refused, and not a byte of it changed",
         lambda s, i: s.data / DB, unreadable_exit),
        ("a-link-to-the-ledger", REFUSE, "a link named like the input that points at the ledger",
         lambda s, i: link(s, "台账" + given(i).suffix, s.data / DB), unreadable_exit),
        ("a-name-too-long", REFUSE, "305 bytes: no such file can exist",
         lambda s, i: s.out / LONG.replace(".xlsx", given(i).suffix), unreadable_exit),
    ]
    return [Case(id=f"{command}-in-{cid}", story=story, expect=expect, prepare=at(make),
                 argv=lambda scene, inputs: line(holder["in"]), ledger_changes=success_writes and expect == SUCCEED,
                 exit_code=code if expect == REFUSE else None)
            for cid, expect, story, make, code in cases]


def copy_cases() -> list[Case]:
    holder: dict[str, Path] = {}

    def at(make: Callable[[Scene], Path]) -> Callable[[Scene, Inputs], None]:
        def prepare(scene: Scene, inputs: Inputs) -> None:
            holder["to"] = make(scene)
        return prepare

    def a_file(scene: Scene) -> Path:
        (scene.out / "本机").write_text("一份笔记\n", encoding="utf-8")
        scene.guarded.append(scene.out / "本机")
        return scene.out / "本机"

    cases = [
        ("a-new-folder", SUCCEED, "control: a new folder on this PC", lambda s: s.out / "本机", ()),
        ("a-name-with-a-newline", EITHER, "a legal Linux name", lambda s: s.out / NEWLINE, ()),
        ("a-file", REFUSE, "a file is no folder", a_file, ()),
        ("the-data-folder-itself", REFUSE, "it holds a ledger already", lambda s: s.data, ()),
        ("a-link-to-the-data-folder", REFUSE, "a link to a folder holding a ledger",
         lambda s: link(s, "本机", s.data), ()),
        ("the-backups-folder", REFUSE, "a second ledger among the backups would be offered as one",
         lambda s: s.data / "backups", ("数据文件夹",)),
        ("the-logs-folder", REFUSE, "a ledger among the logs", lambda s: s.data / "logs", ("数据文件夹",)),
        ("a-new-folder-in-the-data-folder", REFUSE, "the data folder holds only the app's files",
         lambda s: s.data / "副本", ("数据文件夹",)),
        ("a-link-into-the-backups", REFUSE, "a link to the backups folder is the backups folder",
         lambda s: link(s, "本机", s.data / "backups"), ("数据文件夹",)),
        ("dotdot-into-the-backups", REFUSE, "out/../data/backups is the backups folder",
         lambda s: s.out / ".." / "data" / "backups" / "副本", ("数据文件夹",)),
        ("a-read-only-folder", REFUSE, "nothing can be saved there", lambda s: read_only_folder(s) / "本机", ()),
        ("a-name-too-long", REFUSE, "305 bytes", lambda s: s.out / LONG, ("太长",)),
        ("a-full-disk", REFUSE, "a full disk: no part of the copy is left, nor the folder made for it",
         lambda s: full_disk(s) / "本机", ("磁盘", "满")),
    ]
    return [Case(id=f"db-copy-to-{cid}", story=story, expect=expect, prepare=at(make),
                 argv=lambda scene, inputs: ["db", "copy", "--from", scene.data, "--to", holder["to"]],
                 output=(lambda scene: holder["to"] / DB) if expect != REFUSE else None, must_say=must_say)
            for cid, expect, story, make, must_say in cases]


CASES = {c.id: c for c in (
    output_cases("template", template_line, ".xlsx") + output_cases("report", report_line, ".docx")
    + all_units_cases()
    + input_cases("import", lambda f: ["import", f], lambda i: i.workbook, 2, True)
    + input_cases("plan-import", lambda f: ["plan", "import", f, "--json"], lambda i: i.plan, 2, False)
    + copy_cases())}


# ---------------------------------------------------------------------------------------------------------
# Running and judging one case


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    problems: list[str] = field(default_factory=list)


def make_scene(inputs: Inputs, root: Path) -> Scene:
    scene = Scene(root=root, data=root / "data", out=root / "out")
    scene.out.mkdir(parents=True)
    shutil.copytree(inputs.data, scene.data, symlinks=True)
    return scene


def entries(folder: Path) -> set[Path]:
    """Every file and folder under ``folder``; links are not followed (one points into the data folder)."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        found.update(Path(dirpath) / name for name in dirnames + filenames)
    return found


def whole(output: Path) -> bool:
    """A success's file is complete: a ledger that passes integrity_check, a zip package with every member."""
    if not output.is_file():
        return False
    if output.name == DB:
        return tables(output) != {}
    return is_whole_zip(output)


def judge(case: Case, done: subprocess.CompletedProcess[bytes]) -> list[str]:
    rc, err = done.returncode, text(done)
    problems = []
    if rc < 0:
        problems.append(f"killed by signal {-rc}")
    elif rc == 0 and case.expect == REFUSE:
        problems.append("exit 0: did what it should have refused")
    elif rc != 0 and case.expect == SUCCEED:
        problems.append(f"exit {rc}: refused a legitimate command")
    if rc != 0:
        if not CJK.search(err):
            problems.append("no Chinese message on stderr")
        missing = [w for w in case.must_say if w not in err]
        if missing:
            problems.append(f"the message does not say {'、'.join(missing)}")
        if case.exit_code is not None and rc != case.exit_code:
            problems.append(f"exit {rc}, not {case.exit_code}")
    return problems + stderr_problems(err)


@pytest.mark.parametrize("case_id", list(CASES))
def test_a_hostile_path_gets_a_chinese_answer_and_leaves_the_data_folder_as_it_was(
        case_id: str, inputs: Inputs, tmp_path: Path) -> None:
    case = CASES[case_id]
    scene = make_scene(inputs, tmp_path)
    try:
        try:
            if case.prepare is not None:
                case.prepare(scene, inputs)
        except Skip as exc:
            pytest.skip(str(exc))
        guarded = {p: sha256(p) for p in scene.guarded}
        out_before = entries(scene.out)
        before = snapshot(scene.data)
        done = main_py(scene.data, case.argv(scene, inputs))
        problems = judge(case, done)
        changes = folder_changes(before, snapshot(scene.data))
        if case.ledger_changes and done.returncode == 0:
            changes = [c for c in changes if c != f"{DB} changed" and not c.startswith("backups/")]
            problems += backups_are_whole(scene.data)
        problems += [f"data folder: {c}" for c in changes]
        problems += [f"{p.name} (outside the data folder) was changed" for p, digest in guarded.items()
                     if not p.is_file() or sha256(p) != digest]
        output = case.output(scene) if case.output is not None and done.returncode == 0 else None
        if output is not None and not whole(output):
            problems.append(f"exit 0, but {output.name!r} is not a whole file")
        for path in sorted(entries(scene.out) - out_before):
            if ".part" in path.name:
                problems.append(f"left the temporary file {path.name}")
            elif done.returncode != 0:
                problems.append(f"refused, yet left {path.relative_to(scene.out)}")
        check = integrity(scene.data, tmp_path / "integrity")
        if check != "ok":
            problems.append(check)
        assert not problems, f"{case_id} ({case.story}): exit {done.returncode}; stderr: {text(done)[:300]}; " + \
            "; ".join(problems)
    finally:
        for cleanup in reversed(scene.cleanups):
            cleanup()


# ---------------------------------------------------------------------------------------------------------
# Inputs that vanish or change while the command runs


def plans_in(data: Path) -> list[str]:
    listed = json.loads(ok(main_py(data, ["plan", "list", "--json"])))
    return [p["doc_number"] for p in listed["plans"]]


def test_a_plan_document_swapped_at_any_opening_is_never_read_unchecked(inputs: Inputs, tmp_path: Path) -> None:
    """The document is replaced, at each moment the command opens it, by one the check refuses (a DTD in its body,
    another 文号): the command reads the checked one or refuses the other — never saves what it did not check."""
    opened = 0
    for nth in range(1, 8):
        scene = make_scene(inputs, tmp_path / f"open{nth}")
        document = Path(shutil.copyfile(inputs.plan, scene.out / "方案.docx"))
        frozen = freeze(scene.data, ["plan", "import", document, "--yes"],
                        {"kind": "read", "match": r"out/方案\.docx$", "nth": nth, "then": "go"}, tmp_path / "note")
        if frozen.moment is None:
            frozen.go()
            break
        opened += 1
        shutil.copyfile(inputs.hostile_plan, document)
        done = frozen.go()
        saved = plans_in(scene.data)
        assert "恶政发〔2099〕9号" not in saved, f"opening {nth}: the swapped document was saved unchecked"
        if done.returncode == 0:
            assert "湘政发〔2021〕7号" in saved, text(done)
        else:
            assert done.returncode == 2 and "DTD" in text(done), text(done)
        assert stderr_problems(text(done)) == []
    assert opened >= 1, "the command never opened the document"


def test_a_plan_document_deleted_just_before_it_is_read(inputs: Inputs, tmp_path: Path) -> None:
    scene = make_scene(inputs, tmp_path)
    document = Path(shutil.copyfile(inputs.plan, scene.out / "方案.docx"))
    before = snapshot(scene.data)
    frozen = freeze(scene.data, ["plan", "import", document, "--yes"],
                    {"kind": "read", "match": r"out/方案\.docx$", "then": "go"}, tmp_path / "note")
    assert frozen.moment is not None
    document.unlink()
    done = frozen.go()
    assert done.returncode == 2 and "不存在" in text(done), text(done)
    assert stderr_problems(text(done)) == [], text(done)  # once: "无法打开文件：No such file or directory"
    assert folder_changes(before, snapshot(scene.data)) == []


def test_a_workbook_deleted_just_before_it_is_read(inputs: Inputs, tmp_path: Path) -> None:
    scene = make_scene(inputs, tmp_path)
    workbook = Path(shutil.copyfile(inputs.workbook, scene.out / "填好的.xlsx"))
    before = snapshot(scene.data)
    frozen = freeze(scene.data, ["import", workbook],
                    {"kind": "read", "match": r"out/填好的\.xlsx$", "then": "go"}, tmp_path / "note")
    assert frozen.moment is not None
    workbook.unlink()
    done = frozen.go()
    assert done.returncode == 2 and CJK.search(text(done)), text(done)
    assert stderr_problems(text(done)) == [], text(done)
    assert folder_changes(before, snapshot(scene.data)) == []


def test_a_workbook_replaced_after_it_was_checked_is_not_what_gets_written(inputs: Inputs, tmp_path: Path) -> None:
    """Replaced between the check and the write (at the backup made before writing): the figures written are the
    checked file's, and the audit trail names that file's SHA-256."""
    reference = make_scene(inputs, tmp_path / "reference")
    ok(main_py(reference.data, ["import", Path(shutil.copyfile(inputs.workbook, reference.out / "填好的.xlsx"))]))
    expected = ledger_tables(reference.data, tmp_path / "scratch-reference")
    scene = make_scene(inputs, tmp_path / "attack")
    workbook = Path(shutil.copyfile(inputs.workbook, scene.out / "填好的.xlsx"))
    checked = sha256(workbook)
    frozen = freeze(scene.data, ["import", workbook],
                    {"kind": "connect", "match": r"backups/.*\.part$", "then": "go"}, tmp_path / "note")
    assert frozen.moment is not None
    shutil.copyfile(inputs.other_workbook, workbook)
    done = frozen.go()
    assert done.returncode == 0, text(done)
    assert ledger_tables(scene.data, tmp_path / "scratch-attack") == expected
    conn = sqlite3.connect(db_copy_of(scene.data, tmp_path / "scratch-notes"))
    try:
        notes = {row[0] for row in conn.execute("SELECT note FROM audit_log WHERE source = 'import'")}
    finally:
        conn.close()
    assert notes and all(checked in note for note in notes), notes


def test_a_source_ledger_moved_away_while_db_copy_runs(inputs: Inputs, tmp_path: Path) -> None:
    scene = make_scene(inputs, tmp_path)
    dest = scene.out / "本机"
    before = snapshot(scene.data)
    frozen = freeze(scene.data, ["db", "copy", "--from", scene.data, "--to", dest],
                    {"kind": "connect", "match": r"本机/.*\.part$", "then": "go"}, tmp_path / "note")
    assert frozen.moment is not None
    os.rename(scene.data / DB, tmp_path / "moved.sqlite3")  # a colleague moves the folder's ledger
    try:
        done = frozen.go()
    finally:
        os.rename(tmp_path / "moved.sqlite3", scene.data / DB)
    assert done.returncode == 1 and "不见了" in text(done), text(done)  # once: "the copy's folder is read-only"
    assert stderr_problems(text(done)) == [], text(done)
    assert not dest.exists(), sorted(p.name for p in dest.iterdir())  # not the copy, not settings.ini, no folder
    assert folder_changes(before, snapshot(scene.data)) == []


# ---------------------------------------------------------------------------------------------------------
# The data folder's disk full while a command writes the ledger


def fill_up(disk: Path, leave: int) -> None:
    free = os.statvfs(disk)
    with open(disk / "别人的文件.bin", "wb") as fh:
        fh.write(b"\x01" * max(0, free.f_bavail * free.f_frsize - leave))


@pytest.mark.parametrize("command", ["import", "plan-import"])
def test_a_full_disk_under_the_data_folder_stops_the_write_whole(command: str, inputs: Inputs,
                                                                 tmp_path: Path) -> None:
    """The data folder on a small disk with a little more room left each time, from none to enough: whether the
    backup before the write cannot be made, the copy cannot leave WAL mode (SQLite's "disk I/O error" on its -shm)
    or the transaction itself cannot be written, the clerk reads that the disk is full, the ledger file is
    byte-identical and its tables unchanged, and nothing half-made is left — until the room suffices."""
    scene = Scene(root=tmp_path, data=tmp_path / "disk" / "data", out=tmp_path / "out")
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"mount -t tmpfs is not permitted here: {mounted.stderr.decode(errors='replace').strip()}")
    argv: list[str | Path] = ["import", inputs.workbook] if command == "import" else [
        "plan", "import", inputs.plan, "--yes"]
    size = (inputs.data / DB).stat().st_size

    def attempt(leave: int) -> str:
        """One run with ``leave`` bytes left: "written", or how it failed ("backup", "transaction")."""
        shutil.rmtree(scene.data, ignore_errors=True)
        (disk / "别人的文件.bin").unlink(missing_ok=True)
        shutil.copytree(inputs.data, scene.data)
        fill_up(disk, leave)
        before, ledger = snapshot(scene.data), (scene.data / DB).read_bytes()
        unchanged = ledger_tables(scene.data, tmp_path / "scratch-before")
        done = main_py(scene.data, argv)
        if done.returncode == 0:
            return "written"
        say = f"{leave // 1024} KiB left: {text(done)[:200]}"
        assert done.returncode == 1 and "磁盘" in text(done) and "满" in text(done), say
        assert stderr_problems(text(done)) == [], say
        assert (scene.data / DB).read_bytes() == ledger, say
        assert ledger_tables(scene.data, tmp_path / "scratch-after") == unchanged, say
        assert part_files(scene.data) == [], say
        assert backups_are_whole(scene.data) == [], say
        made = [c for c in folder_changes(before, snapshot(scene.data)) if not c.startswith("logs/")]
        assert all(c.startswith("backups/liubao-") and c.endswith("-before_bulk.sqlite3 appeared")
                   for c in made), f"{say}: {made}"
        return "transaction" if made else "backup"

    seen: list[str] = []
    try:
        # up in steps of 12 KiB from too little for the backup until it works, then back down 4 KiB at a time
        # through the narrow band where the backup is made and the transaction is what fails
        for leave in range(size + 12 * 1024, size + 160 * 1024, 12 * 1024):
            seen.append(attempt(leave))
            if seen[-1] == "written":
                for less in range(leave - 4 * 1024, leave - 13 * 1024, -4 * 1024):
                    seen.append(attempt(less))
                    if seen[-1] == "backup":
                        break
                break
    finally:
        subprocess.run(["umount", "-l", disk], capture_output=True)
    assert "written" in seen, seen  # with room enough it works: the harness tells the two apart
    assert "backup" in seen and "transaction" in seen, seen  # both ways of failing were met
