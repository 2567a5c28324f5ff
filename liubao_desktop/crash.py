"""Crash reporting: unhandled exceptions go to a rotating log in the data folder, and (with a GUI) to a dialog.

An exception never costs a committed figure: every edit is its own transaction, committed before the UI says
"已保存", so the dialog can truthfully say the data is safe. The app keeps running where it can (PySide6 hands
exceptions raised in slots to ``sys.excepthook`` and carries on). Worker threads report through
``threading.excepthook``; a hard crash in native code (a segfault in a driver) is written by ``faulthandler``
to ``logs/native-crash.log``.
"""
from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TextIO

LOG_NAME = "liubao.log"
NATIVE_LOG_NAME = "native-crash.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
log = logging.getLogger("liubao_desktop")

# The GUI installs a callback that shows a dialog; headless runs only log.
_notify: Callable[[str, Path, BaseException], None] | None = None
_native_log: TextIO | None = None


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


class RotatingLog(logging.FileHandler):
    """``liubao.log`` up to ``max_bytes``, then renamed to ``liubao.log.1`` (older ones to .2 … .``backups``, the
    oldest dropped) — logging.handlers.RotatingFileHandler's rule, without loading that module (and the socket,
    pickle and queue modules it brings) at every start."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8", delay=False)
        self.max_bytes, self.backups = max_bytes, backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        # Only a regular file rotates (not a device or a pipe someone put there).
        if self.max_bytes <= 0 or not os.path.isfile(self.baseFilename):
            return False
        self.stream.seek(0, 2)  # the end: the file may have been opened in append mode elsewhere too
        return self.stream.tell() + len(self.format(record) + self.terminator) >= self.max_bytes

    def _rotate(self) -> None:
        if self.stream:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        for i in range(self.backups - 1, 0, -1):
            older = f"{self.baseFilename}.{i}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{i + 1}")
        if self.backups > 0 and os.path.exists(self.baseFilename):
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


def setup_file_logging(data_dir: Path) -> None:
    global _native_log
    try:
        path = log_path(data_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingLog(path, LOG_MAX_BYTES, LOG_BACKUPS)
    except OSError as exc:  # a read-only data folder must not stop the app from starting
        logging.getLogger(__name__).warning("无法写入日志文件：%s", exc)
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    if _native_log is None and not faulthandler.is_enabled():  # python -X faulthandler or pytest: keep theirs
        try:
            _native_log = open(path.parent / NATIVE_LOG_NAME, "a", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
            faulthandler.enable(_native_log)
        except OSError as exc:
            logging.getLogger(__name__).warning("cannot write native crash log: %s", exc)


def set_notifier(callback: Callable[[str, Path, BaseException], None] | None) -> None:
    global _notify
    _notify = callback


def report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, data_dir: Path,
           where: str = "") -> None:
    """Log an unhandled exception with its traceback, then tell the user (if a notifier is installed)."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("未处理的异常%s：\n%s", f"（{where}）" if where else "", text)
    if _notify is None:  # headless: one Chinese line; the traceback is in the log file only
        with contextlib.suppress(Exception):
            print(f"程序出错了（{exc_type.__name__}），没有完成。错误经过已记录在 {log_path(data_dir)}，"
                  "请把它发给技术支持人员。", file=sys.stderr)
    if _notify is not None:
        try:
            _notify(f"{exc_type.__name__}: {exc}", log_path(data_dir), exc)
        except Exception:  # never let the reporter itself take the app down
            log.exception("crash dialog failed")


def install_excepthook(data_dir: Path) -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report(exc_type, exc, tb, data_dir)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread else "?"
        report(args.exc_type, args.exc_value, args.exc_traceback, data_dir, where=f"线程 {name}")

    sys.excepthook = hook
    threading.excepthook = thread_hook
