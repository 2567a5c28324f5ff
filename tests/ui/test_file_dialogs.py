"""Every file dialog in Chinese, starting where the clerk last went for that kind of file (issue 11)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QFileDialog, QLabel, QTreeView

from liubao_desktop.domain.periods import Period
from liubao_desktop.files.outputs import OutputError, make_output_folder
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.preferences import BACKUPS, PDFS, WORKBOOKS, WindowPreferences
from liubao_desktop.ui import file_dialogs
from liubao_desktop.ui.launch import make_app
from liubao_desktop.ui.print_dialog import TaskListPreviewDialog
from liubao_desktop.ui.window_preferences import window_preferences
from tests.conftest import close_and_delete

# A product name or a file ending may stay as it is; any other run of Latin letters is English left over.
ALLOWED = {"Excel", "PDF", "KB", "MB", "xlsx", "pdf", "sqlite3", "db"}


def english(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with what a clerk's 文档 holds: a sub-folder, a workbook, a PDF."""
    d = tmp_path / "文档"
    (d / "上月报表").mkdir(parents=True)
    (d / "芙蓉区-2020-08-六保进展.xlsx").write_bytes(b"PK\x03\x04" + b"x" * 3000)
    (d / "任务清单.pdf").write_bytes(b"%PDF-1.4")
    return d


@pytest.mark.parametrize("save", [True, False])
def test_qts_own_file_dialog_has_no_english_word(qtbot, folder: Path, save: bool) -> None:  # noqa: ANN001
    make_app()  # with Qt's Chinese translation installed, as the app runs
    dialog = file_dialogs.chinese_file_dialog(None, "保存报送报表", folder / "芙蓉区.xlsx",
                                              file_dialogs.WORKBOOK_FILTER, save=save)
    qtbot.addWidget(dialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog) or dialog.findChild(QTreeView)
    dialog.show()
    tree = dialog.findChild(QTreeView, "treeView")
    model = tree.model()
    qtbot.waitUntil(lambda: model.rowCount(tree.rootIndex()) == 2)  # the .pdf is filtered out
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    texts += [w.text() + w.toolTip() for w in dialog.findChildren(QAbstractButton)]
    texts += [c.itemText(i) for c in dialog.findChildren(QComboBox) if c.objectName() != "lookInCombo"
              for i in range(c.count())]
    texts += [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    rows = {model.index(r, 0, tree.rootIndex()).data(): [model.index(r, c, tree.rootIndex()).data()
                                                        for c in range(1, 4)]
            for r in range(model.rowCount(tree.rootIndex()))}
    texts += [str(cell) for row in rows.values() for cell in row]
    assert [w for t in texts for w in english(t)] == []
    assert {"查找范围(&I)：", "文件名(&N)：", "文件类型(&T)："} <= set(texts)
    assert ("保存(&S)" if save else "打开(&O)") in texts and "取消" in texts
    assert [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(4)] == ["名称", "大小", "类型", "修改日期"]
    assert rows["上月报表"][:2] == ["", "文件夹"]
    size, kind, date = rows["芙蓉区-2020-08-六保进展.xlsx"]
    assert (size, kind) == ("2.9 KB", "Excel 工作簿")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", date)  # never "6 12 2026"


def test_sizes_read_as_explorer_shows_them() -> None:
    assert [file_dialogs.size_text(n) for n in (12, 2048, 3000, 5 * 1024 ** 2, 3 * 1024 ** 3)] == \
        ["12 字节", "2 KB", "2.9 KB", "5 MB", "3 GB"]


class Asked:
    """Stands in for the modal loop: notes where each dialog started and answers with a file."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started: list[Path] = []
        self.answer: Path | None = None
        monkeypatch.setattr(file_dialogs, "run", self.run)

    def run(self, dialog: QFileDialog) -> Path | None:
        self.started.append(Path(dialog.directory().absolutePath()))
        return self.answer


@pytest.fixture
def prefs(data_dir: Path) -> Iterator[WindowPreferences]:
    make_app()
    yield window_preferences(data_dir)


def test_each_kind_of_file_starts_in_the_folder_last_used_for_it(
        prefs: WindowPreferences, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = Asked(monkeypatch)
    places = {kind: tmp_path / kind for kind in (WORKBOOKS, PDFS, BACKUPS)}
    for kind, place in places.items():
        place.mkdir()
        asked.answer = place / "x"
        file_dialogs.ask_save_path(None, prefs, kind, "保存", "", "x")
    asked.started.clear()
    asked.answer = None  # cancelled each time: the folders stay the ones last used
    file_dialogs.ask_save_path(None, prefs, PDFS, "另存为 PDF", file_dialogs.PDF_FILTER, "a.pdf")
    file_dialogs.ask_open_path(None, prefs, BACKUPS, "从文件恢复", file_dialogs.BACKUP_FILTER)
    file_dialogs.ask_save_path(None, prefs, WORKBOOKS, "保存报送报表", file_dialogs.WORKBOOK_FILTER, "b.xlsx")
    assert asked.started == [places[PDFS], places[BACKUPS], places[WORKBOOKS]]
    assert {kind: prefs.last_folder(kind) for kind in places} == places


def test_the_folders_are_kept_in_settings_ini_for_the_next_start(
        prefs: WindowPreferences, data_dir: Path, tmp_path: Path) -> None:
    prefs.set_last_folder(BACKUPS, tmp_path)
    prefs.sync()
    text = (data_dir / "settings.ini").read_text(encoding="utf-8")
    assert "[folders]" in text and "backup=" in text
    assert window_preferences(data_dir).last_folder(BACKUPS) == tmp_path
    assert window_preferences(data_dir).last_folder(PDFS) is None  # never used: 文档 is offered


def test_a_remembered_folder_that_is_gone_gives_way_to_documents(
        prefs: WindowPreferences, tmp_path: Path) -> None:
    prefs.set_last_folder(PDFS, tmp_path / "拔出的U盘")
    assert file_dialogs.start_folder(prefs, PDFS) == file_dialogs.documents_folder()


# -- 另存为 PDF from the print preview ------------------------------------------------------------------------------
@pytest.fixture
def preview(qtbot, ledger: Ledger) -> Iterator[TaskListPreviewDialog]:  # noqa: ANN001
    make_app()
    dlg = TaskListPreviewDialog(ledger, "芙蓉区", Period(2020, 9))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    yield dlg
    close_and_delete(dlg)


def test_save_as_pdf_starts_in_the_pdf_folder_and_confirms_with_the_path_and_its_folder(
        preview: TaskListPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdfs = tmp_path / "打印"
    pdfs.mkdir()
    preview.prefs.set_last_folder(PDFS, pdfs)
    asked = Asked(monkeypatch)
    asked.answer = pdfs / "任务清单.pdf"
    opened: list[str] = []
    monkeypatch.setattr(file_dialogs, "open_url", lambda url: opened.append(url.toLocalFile()) or True)
    assert not preview.open_saved.isVisible()
    preview.options_bar.save_pdf.click()
    assert asked.started == [pdfs]  # not the program's folder
    assert (pdfs / "任务清单.pdf").read_bytes().startswith(b"%PDF-")
    assert preview.status.currentMessage() == f"已保存 PDF：{pdfs / '任务清单.pdf'}"
    assert preview.open_saved.isVisible() and preview.open_saved.text() == "打开所在文件夹"
    preview.open_saved.click()
    assert opened == [str(pdfs)]


def test_where_no_file_manager_opens_the_bar_says_where_the_pdf_is(
        preview: TaskListPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_dialogs, "open_url", lambda url: False)  # Qt: "Unable to detect a launcher"
    preview.save_pdf(tmp_path / "清单.pdf")
    preview.open_saved.click()
    said = preview.status.currentMessage()
    assert said.count("。") == 0 and "清单.pdf" in said and str(tmp_path) in said and "没有能打开文件夹的程序" in said


# -- the folder the clerk agreed to create ------------------------------------------------------------------------
def test_a_missing_folder_is_made_with_its_parents(tmp_path: Path) -> None:
    assert make_output_folder(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert (tmp_path / "a" / "b").is_dir()


@pytest.mark.parametrize("inside", ["新文件夹", "新文件夹/更深", "backups/新文件夹"])
def test_no_folder_is_made_inside_a_data_folder(ledger: Ledger, inside: str) -> None:
    data = ledger.path.parent
    with pytest.raises(OutputError, match="数据文件夹"):
        make_output_folder(data / inside, data)
    assert not (data / inside.split("/")[0]).exists() or inside.startswith("backups")
    assert not (data / inside).exists()


def test_a_file_where_the_folder_should_be_is_named(tmp_path: Path) -> None:
    (tmp_path / "报表").write_text("x")
    with pytest.raises(OutputError, match="不是文件夹"):
        make_output_folder(tmp_path / "报表" / "十月")
