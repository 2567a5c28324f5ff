"""First start and the checks that stop a slip of the finger."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.preferences import commands_operator, saved_preferences
from liubao_desktop.ui.org_dialog import OrgDialog
from liubao_desktop.ui.targets_model import COL_LOCAL, COL_PERIOD, COL_STATUS
from liubao_desktop.ui.window_preferences import window_preferences
from tests.conftest import close_and_delete

from .test_main_window import cell, type_into_cell


def test_first_start_asks_which_office_and_who_fills_in(qtbot, data_dir, monkeypatch):  # noqa: ANN001
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    ledger = Ledger.open(data_dir)
    try:
        dialog = OrgDialog(ledger, None, window_preferences(data_dir))
        qtbot.addWidget(dialog)
        dialog.org.setCurrentText("东岸街道")
        dialog.accept()  # no operator yet
        assert warnings and "填报人" in warnings[0] and dialog.chosen_code is None
        dialog.operator.setText("李四")
        dialog.accept()
        assert dialog.chosen_code is not None
        assert ledger.org(dialog.chosen_code).name == "东岸街道"
        assert ledger.operator == "李四" and commands_operator(data_dir) == "李四"  # kept in this PC's settings.ini
        assert saved_preferences(data_dir).office() == dialog.chosen_code  # so is the office
        assert ledger.setting("operator") is None and ledger.setting("current_org") is None  # not in the ledger
    finally:
        ledger.close()


@pytest.fixture
def upgraded_window(qtbot, data_dir, monkeypatch):  # noqa: ANN001, ANN201
    """The first start of this version on a ledger of v4, which kept its operator (李四) inside."""
    from liubao_desktop.storage.database import DB_FILENAME
    from liubao_desktop.ui.launch import open_window
    from tests.storage.test_migrations import V4_FIXTURE

    shutil.copyfile(V4_FIXTURE, data_dir / DB_FILENAME)
    asked: list[OrgDialog] = []
    monkeypatch.setattr(OrgDialog, "exec", lambda self: asked.append(self) or 0)
    ledger = Ledger.open(data_dir)
    win = open_window(data_dir, ledger)
    assert win is not None and not asked  # no first-start question
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    close_and_delete(win)
    ledger.close()


def test_after_the_upgrade_the_window_opens_without_asking_who_fills_in_again(upgraded_window) -> None:  # noqa: ANN001
    """The operator moves to this PC's settings.ini, and the window's edits are signed by the same clerk."""
    ledger, data_dir = upgraded_window.ledger, upgraded_window.data_dir
    assert commands_operator(data_dir) == "李四" and ledger.operator == "李四"
    assert ledger.setting("operator") is None


def test_changing_the_office_can_change_who_fills_in_on_this_pc(qtbot, window, monkeypatch):  # noqa: ANN001
    from liubao_desktop.ui import main_menus

    monkeypatch.setattr(OrgDialog, "exec", lambda self: (self.operator.setText("钱七"), self.accept())[1] or 1)
    main_menus.choose_org(window)
    assert window.ledger.operator == "钱七" and commands_operator(window.data_dir) == "钱七"


def test_a_figure_ten_times_the_target_asks_first_and_no_keeps_it_unsaved(qtbot, window, monkeypatch):  # noqa: ANN001
    asked: list[str] = []
    answer = {"value": QMessageBox.StandardButton.No}

    def question(parent, title, text, *rest):  # noqa: ANN001, ANN202
        asked.append(text)
        return answer["value"]

    monkeypatch.setattr(QMessageBox, "question", question)
    window.select_measure("2.3")
    window.set_period(Period(2020, 9))
    row = window.targets_model.row_of("2.3.2")  # 新改建乡镇卫生院 5个
    type_into_cell(qtbot, window, row, COL_PERIOD, "500")
    assert asked and "倍" in asked[0]
    assert cell(window, row, COL_PERIOD) == ""
    assert window.ledger.figure("430102", "2.3.2", Period(2020, 9)).is_blank
    answer["value"] = QMessageBox.StandardButton.Yes
    type_into_cell(qtbot, window, row, COL_PERIOD, "500")
    assert cell(window, row, COL_PERIOD) == "500"


def test_qt_own_buttons_speak_chinese(qtbot, window):  # noqa: ANN001
    from PySide6.QtWidgets import QDialogButtonBox

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert any("确定" in t for t in texts) and any("取消" in t for t in texts), texts


def test_a_local_target_that_looks_like_a_unit_slip_asks_first(qtbot, window, monkeypatch):  # noqa: ANN001
    from liubao_desktop.ui.targets_model import COL_LOCAL

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.No)
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_LOCAL, "1")  # meant 1万人, typed where 人 are counted
    assert asked and "千分之一" in asked[0]
    assert window.ledger.local_targets("430102") == {}
    # Still no 分解目标: the empty cell says what that means for a city amount, and offers nothing to edit.
    assert cell(window, row, COL_LOCAL) == "未分解"
    assert window.targets_model.index(row, COL_LOCAL).data(Qt.ItemDataRole.EditRole) == ""


def test_the_slip_question_is_asked_once_and_no_means_no(qtbot, window, monkeypatch):  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from .test_main_window import open_editor

    asked: list[str] = []

    def question(parent, title, text, *rest):  # noqa: ANN001, ANN202
        asked.append(text)
        # a dialog takes the focus from the cell's editor, as a real one does
        QApplication.focusWidget() and QApplication.focusWidget().clearFocus()
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    window.select_measure("2.3")
    row = window.targets_model.row_of("2.3.7")  # 新改扩建义务教育学校 25所, no 分解目标
    editor = open_editor(window, row, COL_PERIOD)
    qtbot.keyClicks(editor, "300")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert len(asked) == 1
    assert window.ledger.figure("430102", "2.3.7", window.period).is_blank
    assert editor.text() == "300"  # declined: the typing is kept to be corrected


def test_a_fraction_of_a_doctor_is_refused_before_any_question(qtbot, window, monkeypatch):  # noqa: ANN001
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    window.select_measure("2.3")
    row = window.targets_model.row_of("2.3.4")  # 每个乡镇卫生院配备全科医生 2名
    type_into_cell(qtbot, window, row, COL_PERIOD, "123.5")
    assert asked == [] and "只能填整数" in window.input_error.text()


def test_the_office_sets_its_own_status_thresholds(qtbot, window, monkeypatch):  # noqa: ANN001
    from liubao_desktop.domain.periods import Period
    from liubao_desktop.ui.thresholds_dialog import ThresholdsDialog

    window.select_measure("1.3")
    window.set_period(Period(2020, 9))
    # The district's share of the city's 1.4万人 (without one, the city amount would stay 未分解 and uncoloured).
    type_into_cell(qtbot, window, window.targets_model.row_of("1.3.1"), COL_LOCAL, "14000")
    type_into_cell(qtbot, window, window.targets_model.row_of("1.3.1"), COL_PERIOD, "4900")  # 35% vs 40%: 黄
    assert cell(window, window.targets_model.row_of("1.3.1"), COL_STATUS) == "黄"
    dialog = ThresholdsDialog(window.ledger, window)
    qtbot.addWidget(dialog)
    dialog.yellow.setValue(5.5)  # behind by 5 points is now still 绿
    dialog.red.setValue(20)
    dialog.accept()
    window.refresh()
    assert cell(window, window.targets_model.row_of("1.3.1"), COL_STATUS) == "绿"
    assert str(window.ledger.thresholds().yellow_behind_points) == "5.5"

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    dialog = ThresholdsDialog(window.ledger, window)
    qtbot.addWidget(dialog)
    dialog.yellow.setValue(30)  # yellow beyond red makes no sense
    dialog.accept()
    assert warned and "红色阈值" in warned[0] and dialog.result() == 0
