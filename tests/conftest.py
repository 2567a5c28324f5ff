"""Test-wide set-up: offscreen Qt, temporary data folders, and no exception may vanish inside Qt."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def fail_on_swallowed_exceptions(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """PySide6 reports exceptions raised in slots and virtual methods (data(), setData(), event handlers)
    through sys.excepthook and carries on, so pytest would never see them. Record them and fail the test."""
    caught: list[str] = []

    def hook(exc_type, exc, tb):  # noqa: ANN001
        import traceback

        caught.append("".join(traceback.format_exception(exc_type, exc, tb)))

    monkeypatch.setattr(sys, "excepthook", hook)
    yield
    if caught:
        pytest.fail("Qt swallowed an exception:\n" + "\n".join(caught), pytrace=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def ledger(data_dir: Path):  # noqa: ANN201
    from liubao_desktop.services.ledger import Ledger

    led = Ledger.open(data_dir)
    yield led
    led.close()
