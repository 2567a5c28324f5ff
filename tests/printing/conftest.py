"""Printing tests: a ledger with 芙蓉区's sample figures, and PDFs written into the test's own folder."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.sample_data import fill_sample_data
from liubao_desktop.services.task_list import TaskList, TaskListOptions, build_task_list

PRINTED_ON = date(2020, 10, 8)
SEP = Period(2020, 9)


@pytest.fixture(autouse=True)
def _gui_app(qapp):  # noqa: ANN001, ANN202
    """Fonts need a QGuiApplication; let pytest-qt make the one QApplication of the session first."""
    return qapp


@pytest.fixture
def sample_ledger(ledger: Ledger) -> Ledger:
    fill_sample_data(ledger, ["芙蓉区"], Period(2021, 6))
    return ledger


@pytest.fixture
def task_list(sample_ledger: Ledger) -> Callable[..., TaskList]:
    def make(period: Period = SEP, **options: object) -> TaskList:
        return build_task_list(sample_ledger, "芙蓉区", period, TaskListOptions(**options),  # type: ignore[arg-type]
                               printed_on=PRINTED_ON)

    return make


@pytest.fixture
def pdf_path(tmp_path: Path) -> Callable[[str], Path]:
    return lambda name: tmp_path / f"{name}.pdf"
