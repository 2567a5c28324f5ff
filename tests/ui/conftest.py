from __future__ import annotations

from pathlib import Path

import pytest

from liubao_desktop.services.ledger import Ledger
from tests.conftest import close_and_delete


@pytest.fixture
def window(qtbot, data_dir: Path):  # noqa: ANN001, ANN201
    from liubao_desktop.ui.launch import make_app, open_window
    from liubao_desktop.ui.window_preferences import window_preferences

    make_app()
    ledger = Ledger.open(data_dir)
    prefs = window_preferences(data_dir)  # this PC's office and operator, as the first start saved them
    prefs.set_office("430102")
    prefs.set_operator("张三")
    prefs.sync()
    win = open_window(data_dir, ledger)
    assert win is not None
    qtbot.addWidget(win)  # closed by pytest-qt before this fixture resumes, as the clerk would close it
    win.show()
    qtbot.waitExposed(win)
    yield win
    close_and_delete(win)
    ledger.close()
