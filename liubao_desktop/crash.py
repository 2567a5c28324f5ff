"""Crash reporting: unhandled exceptions go to a rotating log in the data folder, and (with a GUI) to a dialog."""
from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_NAME = "liubao.log"
log = logging.getLogger("liubao_desktop")

# The GUI installs a callback that shows a dialog; headless runs only log.
_notify: Callable[[str, Path], None] | None = None


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


def setup_file_logging(data_dir: Path) -> None:
    try:
        path = log_path(data_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError as exc:  # a read-only data folder must not stop the app from starting
        logging.getLogger(__name__).warning("cannot write log file: %s", exc)
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)


def set_notifier(callback: Callable[[str, Path], None] | None) -> None:
    global _notify
    _notify = callback


def install_excepthook(data_dir: Path) -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("未处理的异常：\n%s", text)
        if _notify is not None:
            try:
                _notify(f"{exc_type.__name__}: {exc}", log_path(data_dir))
            except Exception:  # never let the reporter itself take the app down
                log.exception("crash dialog failed")

    sys.excepthook = hook
