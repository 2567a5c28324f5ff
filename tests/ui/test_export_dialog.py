"""导出 → 报送报表 as a clerk uses it: the month and office are already picked, the name is ready, one click."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox, QProgressDialog

from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.ui import export_dialog
from liubao_desktop.ui.export_dialog import ExportDialog, run_export_dialog
from tests.conftest import close_and_delete

SEP = Period(2020, 9)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Folders the dialog asked the file manager to show (none is really opened in a test)."""
    folders: list[Path] = []
    monkeypatch.setattr(export_dialog, "open_folder", lambda folder: folders.append(folder) or True)
    return folders


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    d = tmp_path / "报表"
    d.mkdir()
    return d


@pytest.fixture
def gaps_asked(monkeypatch: pytest.MonkeyPatch) -> list[list]:
    """The gaps question answered 仍然导出 without a box (the tests below drive the real one)."""
    asked: list[list] = []
    monkeypatch.setattr(ExportDialog, "_confirm_gaps", lambda self, gaps: asked.append(gaps) or True)
    return asked


@pytest.fixture
def dialog(qtbot, ledger: Ledger, out_dir: Path, opened: list[Path],  # noqa: ANN001
           gaps_asked: list[list]) -> Iterator[ExportDialog]:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "1523"))
    dlg = ExportDialog(ledger, "430102", SEP)
    qtbot.addWidget(dlg)
    dlg.folder.setText(str(out_dir))
    yield dlg
    close_and_delete(dlg)


@pytest.fixture
def asking(qtbot, ledger: Ledger, out_dir: Path, opened: list[Path]) -> Iterator[ExportDialog]:  # noqa: ANN001
    """The dialog with its real gaps question: 芙蓉区 reported only 1.3.1 for September."""
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "1523"))
    dlg = ExportDialog(ledger, "430102", SEP)
    qtbot.addWidget(dlg)
    dlg.folder.setText(str(out_dir))
    yield dlg
    close_and_delete(dlg)


def answer_gaps(qtbot, button: str | None, seen: list[QMessageBox]) -> None:  # noqa: ANN001
    """When the gaps question shows, note it and click button (None: press Enter)."""
    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box)
        if button is None:
            qtbot.keyClick(box, Qt.Key.Key_Return)
        else:
            next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, answer)


def test_gaps_are_listed_before_writing_and_back_to_filling_writes_nothing(
        qtbot, asking: ExportDialog, out_dir: Path, opened: list[Path]) -> None:  # noqa: ANN001
    asking.show()
    seen: list[QMessageBox] = []
    texts: list[tuple[str, str, list[str]]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box)
        texts.append((box.text(), box.detailedText(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text() == "返回填写").click()

    QTimer.singleShot(0, answer)
    asking.export()
    assert seen, "the gaps were not shown"
    text, details, buttons = texts[0]
    assert "缺漏" in text and "个应报指标本月未填报" in text
    assert "1.1.1 国有企业招聘应届毕业生占新增岗位比例：2020年9月未填报" in details.splitlines()
    assert "1.3.1 " not in details  # reported
    assert {"仍然导出", "返回填写"} <= set(buttons)
    assert list(out_dir.iterdir()) == [] and opened == []
    assert asking.result() == QDialog.DialogCode.Rejected and not asking.isVisible()
    assert asking.result_message.startswith("没有导出报送报表：2020年9月 有缺漏")


def test_enter_on_the_gaps_question_goes_back_to_filling(
        qtbot, asking: ExportDialog, out_dir: Path) -> None:  # noqa: ANN001
    asking.show()
    seen: list[QMessageBox] = []
    answer_gaps(qtbot, None, seen)
    asking.export()
    assert seen and list(out_dir.iterdir()) == []


def test_export_anyway_writes_the_workbook(qtbot, asking: ExportDialog, out_dir: Path) -> None:  # noqa: ANN001
    asking.show()
    seen: list[QMessageBox] = []
    answer_gaps(qtbot, "仍然导出", seen)
    asking.export()
    assert seen and (out_dir / "芙蓉区-2020-09-六保进展.xlsx").exists()
    assert asking.result() == QDialog.DialogCode.Accepted


def test_without_gaps_nothing_is_asked(asking: ExportDialog, out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("liubao_desktop.services.export_check.export_gaps", lambda ledger, orgs, period: [])
    monkeypatch.setattr(asking, "_confirm_gaps", lambda gaps: pytest.fail("asked without gaps"))
    asking.export()
    assert (out_dir / "芙蓉区-2020-09-六保进展.xlsx").exists()


def test_the_dialog_starts_on_the_windows_org_and_month_with_a_ready_file_name(dialog: ExportDialog) -> None:
    assert dialog.org.currentText() == "芙蓉区"
    assert dialog.period.currentText() == "2020年9月"
    assert dialog.name.text() == "芙蓉区-2020-09-六保进展.xlsx"
    assert dialog.period.count() == 17
    assert dialog.org.itemData(dialog.org.count() - 1) == export_dialog.ALL


def test_the_file_name_follows_org_and_month_until_the_clerk_types_one(dialog: ExportDialog) -> None:
    dialog.period.setCurrentIndex(dialog.period.findData("2020-10"))
    assert dialog.name.text() == "芙蓉区-2020-10-六保进展.xlsx"
    dialog.org.setCurrentIndex(dialog.org.findText("天心区"))
    assert dialog.name.text() == "天心区-2020-10-六保进展.xlsx"
    dialog.name.setText("十月报表")
    dialog.period.setCurrentIndex(dialog.period.findData("2020-11"))
    assert dialog.name.text() == "十月报表"
    assert dialog.target_path().name == "十月报表.xlsx"


def test_exporting_writes_the_workbook_opens_the_folder_and_remembers_it(
        qtbot, dialog: ExportDialog, out_dir: Path, opened: list[Path], ledger: Ledger) -> None:  # noqa: ANN001
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        qtbot.mouseClick(dialog.export_button, export_dialog.Qt.MouseButton.LeftButton)
    out = out_dir / "芙蓉区-2020-09-六保进展.xlsx"
    wb = load_workbook(out)
    assert wb["指标完成情况"]["A1"].value.endswith("（芙蓉区，2020年9月）")
    assert opened == [out_dir]
    assert dialog.result_message.startswith("已导出 芙蓉区 2020年9月")
    again = ExportDialog(ledger, "430102", SEP)
    qtbot.addWidget(again)
    assert again.folder.text() == str(out_dir)


def test_a_missing_folder_the_clerk_will_not_create_is_explained_in_the_dialog_which_stays_open(
        qtbot, dialog: ExportDialog, tmp_path: Path, opened: list[Path],  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog.show()
    monkeypatch.setattr(ExportDialog, "_confirm_create", lambda self, folder: False)
    dialog.folder.setText(str(tmp_path / "没有这个文件夹"))
    dialog.export()
    assert not (tmp_path / "没有这个文件夹").exists()
    assert dialog.message.isVisible()
    assert "不存在" in dialog.message.text()
    assert dialog.result() == 0 and dialog.isVisible()
    assert opened == []


def test_an_existing_file_is_replaced_only_when_the_clerk_agrees(
        dialog: ExportDialog, out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = out_dir / dialog.name.text()
    out.write_bytes(b"PK\x03\x04 last month")
    monkeypatch.setattr(dialog, "_confirm_overwrite", lambda path: False)
    dialog.export()
    assert out.read_bytes() == b"PK\x03\x04 last month"
    monkeypatch.setattr(dialog, "_confirm_overwrite", lambda path: True)
    dialog.export()
    assert load_workbook(out).sheetnames == ["汇总", "指标完成情况", "工作进展", "明细"]


def test_the_overwrite_question_names_the_file_says_what_no_does_and_defaults_to_no(
        dialog: ExportDialog, out_dir: Path) -> None:
    path = out_dir / dialog.name.text()
    box = dialog.overwrite_box(path)
    assert path.name in box.text()
    assert str(out_dir) in box.informativeText()
    assert "“否”" in box.informativeText() and "改一个文件名" in box.informativeText()
    assert box.standardButtons() == QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.No)
    # Only standard buttons, no text of our own: Qt's translation gives them their Chinese names.
    assert all(box.standardButton(b) != QMessageBox.StandardButton.NoButton for b in box.buttons())


def test_with_qts_chinese_translation_the_buttons_read_yes_and_no_in_chinese(
        dialog: ExportDialog, out_dir: Path) -> None:
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        pytest.skip("Qt's qtbase_zh_CN translation is not installed")
    app = QApplication.instance()
    app.installTranslator(translator)
    try:
        box = dialog.overwrite_box(out_dir / dialog.name.text())
        texts = {box.button(b).text().replace("&", "") for b in (QMessageBox.StandardButton.Yes,
                                                                   QMessageBox.StandardButton.No)}
    finally:
        app.removeTranslator(translator)
    assert {t[0] for t in texts} == {"是", "否"}, texts


def test_enter_on_the_overwrite_question_keeps_the_file_and_the_dialog_asks_for_another_name(
        qtbot, dialog: ExportDialog, out_dir: Path, opened: list[Path]) -> None:  # noqa: ANN001
    """Alt+X, Enter, Enter: the second Enter answers 否; the clerk is told why nothing was exported."""
    out = out_dir / dialog.name.text()
    out.write_bytes(b"PK\x03\x04 last month")
    dialog.show()
    asked: list[str] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    dialog.export()
    assert asked and out.name in asked[0]
    assert out.read_bytes() == b"PK\x03\x04 last month"
    assert opened == [] and dialog.isVisible()
    assert dialog.message.isVisible() and "没有导出" in dialog.message.text() and out.name in dialog.message.text()
    assert dialog.name.selectedText() == out.stem  # type a new name straight away


def test_cancel_in_the_progress_dialog_leaves_no_file(
        dialog: ExportDialog, out_dir: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Path]) -> None:
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    dialog.export()
    assert list(out_dir.iterdir()) == []
    assert "导出已取消" in dialog.message.text()
    assert opened == [] and dialog.result() == 0


def test_all_orgs_go_into_one_file(dialog: ExportDialog, out_dir: Path) -> None:
    dialog.open_after.setChecked(False)
    dialog.org.setCurrentIndex(dialog.org.findData(export_dialog.ALL))
    assert dialog.name.text() == "全部单位-2020-09-六保进展.xlsx"
    dialog.export()
    wb = load_workbook(out_dir / "全部单位-2020-09-六保进展.xlsx", read_only=True)
    assert "13个单位" in wb["汇总"]["A1"].value
    wb.close()


def test_the_main_window_entry_point_exports_and_says_so_in_the_status_bar(
        qtbot, ledger: Ledger, out_dir: Path, opened: list[Path], gaps_asked: list[list]) -> None:  # noqa: ANN001
    window = QMainWindow()
    qtbot.addWidget(window)
    seen: list[ExportDialog] = []

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ExportDialog)
        seen.append(dlg)
        dlg.folder.setText(str(out_dir))
        dlg.export_button.click()

    QTimer.singleShot(0, drive)
    run_export_dialog(window, ledger, "430102", Period(2020, 10))
    assert seen, "the dialog was not shown"
    assert (out_dir / "芙蓉区-2020-10-六保进展.xlsx").exists()
    assert window.statusBar().currentMessage().startswith("已导出 芙蓉区 2020年10月 的报送报表")
    assert gaps_asked, "the gaps question was not asked (nothing is reported in this ledger)"


def test_back_to_filling_from_the_main_window_says_why_nothing_was_exported(
        qtbot, ledger: Ledger, out_dir: Path, opened: list[Path]) -> None:  # noqa: ANN001
    window = QMainWindow()
    qtbot.addWidget(window)

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ExportDialog)
        dlg.folder.setText(str(out_dir))
        answer_gaps(qtbot, "返回填写", [])
        dlg.export_button.click()

    QTimer.singleShot(0, drive)
    run_export_dialog(window, ledger, "430102", Period(2020, 10))
    assert list(out_dir.iterdir()) == []
    assert window.statusBar().currentMessage().startswith("没有导出报送报表：2020年10月 有缺漏")


def test_opening_the_dialog_does_not_load_openpyxl() -> None:
    code = ("import sys; import liubao_desktop.ui.export_dialog; "
            "print('openpyxl' in sys.modules, 'peewee' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert done.stdout.split()[0] == "False"  # the workbook library loads when the clerk exports


def test_a_problem_message_makes_room_for_itself_instead_of_squeezing_the_form(dialog: ExportDialog) -> None:
    dialog.show()
    before = dialog.height()
    dialog.show_problem("保存位置“" + "很长的文件夹名" * 12 + "”不存在。请先建立这个文件夹，或换一个位置保存。")
    layout = dialog.layout()
    assert dialog.height() >= layout.totalHeightForWidth(dialog.width()) > before


def test_a_file_that_is_not_a_workbook_is_refused_before_any_overwrite_question(
        dialog: ExportDialog, out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = out_dir / dialog.name.text()
    out.write_bytes(b"SQLite format 3\x00 another office's ledger")
    asked: list[Path] = []
    monkeypatch.setattr(dialog, "_confirm_overwrite", lambda path: asked.append(path) or True)
    dialog.export()
    assert asked == [] and out.read_bytes().startswith(b"SQLite format 3")
    assert "不是Excel 工作簿" in dialog.message.text()


# -- issue 11: a missing folder, the focus, a PC without a file manager ----------------------------------------
def test_the_focus_is_on_export_when_the_dialog_opens(qtbot, dialog: ExportDialog) -> None:  # noqa: ANN001
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.export_button.hasFocus())
    assert dialog.export_button.isDefault()  # Enter exports wherever the focus goes next


def test_a_missing_folder_is_offered_created_yes_by_default_and_the_workbook_goes_into_it(
        qtbot, dialog: ExportDialog, tmp_path: Path) -> None:  # noqa: ANN001
    new = tmp_path / "新建" / "十月"
    dialog.show()
    dialog.folder.setText(str(new))
    seen: list[tuple[str, str]] = []

    def answer() -> None:  # the real question, answered with Enter
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), box.informativeText()))
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Yes)
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    dialog.export()
    assert seen and seen[0][0] == "文件夹不存在，是否创建？" and str(new) in seen[0][1]
    assert (new / "芙蓉区-2020-09-六保进展.xlsx").exists()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_no_to_creating_the_folder_writes_nothing(
        qtbot, dialog: ExportDialog, tmp_path: Path, opened: list[Path]) -> None:  # noqa: ANN001
    new = tmp_path / "新建"
    dialog.show()
    dialog.folder.setText(str(new / "十月"))
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().button(QMessageBox.StandardButton.No).click())
    dialog.export()
    assert not new.exists() and opened == []
    assert dialog.isVisible() and "不存在" in dialog.message.text()
    assert dialog.focusWidget() is dialog.folder  # where the clerk types another place


def test_a_folder_inside_the_data_folder_is_never_created(
        dialog: ExportDialog, ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ExportDialog, "_confirm_create", lambda self, folder: True)
    inside = ledger.path.parent / "报表"
    dialog.folder.setText(str(inside))
    dialog.export()
    assert not inside.exists()
    assert "数据文件夹" in dialog.message.text() and dialog.result() == 0


def test_where_no_file_manager_opens_the_clerk_is_told_where_the_file_is(
        qtbot, ledger: Ledger, out_dir: Path, gaps_asked: list[list],  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_dialog.file_dialogs, "open_url", lambda url: False)  # "Unable to detect a launcher"
    told: list[str] = []
    monkeypatch.setattr(export_dialog.QMessageBox, "information", lambda parent, title, text: told.append(text))
    window = QMainWindow()
    qtbot.addWidget(window)

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ExportDialog)
        dlg.folder.setText(str(out_dir))
        dlg.open_after.setChecked(True)
        dlg.export_button.click()

    QTimer.singleShot(0, drive)
    run_export_dialog(window, ledger, "430102", Period(2020, 10))
    assert (out_dir / "芙蓉区-2020-10-六保进展.xlsx").exists()
    assert len(told) == 1 and told[0].count("。") <= 1
    assert "芙蓉区-2020-10-六保进展.xlsx" in told[0] and str(out_dir) in told[0]
    assert told[0] in window.statusBar().currentMessage()


def test_the_city_is_offered_first_and_writes_its_rolled_up_workbook(
        dialog: ExportDialog, out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    assert (dialog.org.itemText(0), dialog.org.itemData(0)) == ("长沙市（汇总）", "430100")
    dialog.org.setCurrentIndex(0)
    assert dialog.name.text().startswith("长沙市")
    dialog.folder.setText(str(out_dir))
    monkeypatch.setattr(export_dialog, "export_gaps", lambda *a, **k: [], raising=False)
    dialog.export()
    written = out_dir / dialog.name.text()
    assert written.exists()
    assert {"分单位", "报送情况"} <= set(openpyxl.load_workbook(written, read_only=True).sheetnames)
