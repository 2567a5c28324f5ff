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


def _top_level_widgets() -> list:  # noqa: ANN202 -- QWidgets, if Qt's widgets were imported at all
    if "PySide6.QtWidgets" not in sys.modules:  # a domain or storage test: no Qt to clean up
        return []
    from PySide6.QtWidgets import QApplication

    return QApplication.topLevelWidgets() if QApplication.instance() is not None else []


def _address(widget: object) -> int:
    """The C++ object's address: a widget Qt made itself may come back in a new Python wrapper each time."""
    from shiboken6 import Shiboken

    return Shiboken.getCppPointer(widget)[0]


def delete_now() -> None:
    """Run the deleteLater()s already asked for. pytest-qt closes a widget given to qtbot.addWidget and calls
    deleteLater(), but only an event loop deletes it, and a test that never runs one left every window of the
    tests before it alive (each re-polished, every time the style sheet was set)."""
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def close_and_delete(widget: object) -> None:
    """What a fixture does with the window or dialog it made, once the test is over: close it as the clerk would,
    then delete it now (it may be gone already, with a parent deleted before it)."""
    from shiboken6 import Shiboken

    if Shiboken.isValid(widget):
        widget.close()  # type: ignore[attr-defined]
        widget.deleteLater()  # type: ignore[attr-defined]
    delete_now()


@pytest.fixture(autouse=True)
def no_window_outlives_its_test() -> Iterator[None]:
    """A window or dialog made during a test, by a fixture or the test itself, is deleted when the test ends (the
    fixtures close and delete their own; this catches one a test made by hand). Torn down before
    fail_on_swallowed_exceptions, so an exception raised while deleting still fails the test."""
    from_before = {_address(w) for w in _top_level_widgets()}
    yield
    delete_now()
    left = [w for w in _top_level_widgets() if _address(w) not in from_before and w.parentWidget() is None]
    for w in left:
        w.hide()  # not close(): a window's closeEvent may ask a question nobody is there to answer
        w.deleteLater()
    if left:
        delete_now()


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


ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(params=ENGINES)
def engine_location(request: pytest.FixtureRequest, data_dir: Path) -> str:
    """Where a first start's ledger is, on each engine: a data folder (its SQLite file made by opening it once), or
    the same ledger made on the test server by ``db init`` (a database of its own) — its URL."""
    from liubao_desktop.services.ledger import Ledger

    if request.param == "sqlite":
        Ledger.open(data_dir).close()
        return str(data_dir)
    from liubao_desktop.services.data_location import init_database

    url = request.getfixturevalue("pg_url")
    init_database(url)
    return url


@pytest.fixture
def engine_ledger(engine_location: str):  # noqa: ANN201
    """The ledger at ``engine_location``, opened (SQLite or PostgreSQL)."""
    from liubao_desktop.services.ledger import Ledger

    led = Ledger.open(engine_location)
    yield led
    led.close()


@pytest.fixture(scope="session")
def pg_server():  # noqa: ANN201
    """A real PostgreSQL server, started once per test process (tests/pg_server.py) and stopped at the end."""
    from . import pg_server as server

    running = server.start()
    yield running
    running.stop()


@pytest.fixture
def pg_url(pg_server, request: pytest.FixtureRequest) -> Iterator[str]:  # noqa: ANN001
    """A new, empty database on the test server for one test; dropped after it."""
    import re

    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:50] + f"_{os.getpid()}"
    pg_server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_server.admin(f'CREATE DATABASE "{name}"')
    yield pg_server.url(name)
    pg_server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
