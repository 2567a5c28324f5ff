"""The rotating log in the data folder (crash.RotatingLog): the stdlib's rotation rule, without logging.handlers."""
from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from liubao_desktop.crash import RotatingLog


def test_the_log_rotates_at_its_size_keeping_the_newest_backups(tmp_path: Path) -> None:
    path = tmp_path / "liubao.log"
    handler = RotatingLog(path, max_bytes=200, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("test_log_rotation")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for i in range(30):
            logger.warning("第 %02d 行：一条足够长的日志，写满一个文件需要几条", i)
    finally:
        logger.removeHandler(handler)
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["liubao.log", "liubao.log.1", "liubao.log.2"]  # the oldest beyond 2 backups are gone
    for p in tmp_path.iterdir():
        assert len(p.read_text(encoding="utf-8")) < 200
    assert "第 29 行" in path.read_text(encoding="utf-8")
    newer, older = (tmp_path / "liubao.log.1").read_text(encoding="utf-8"), (tmp_path / "liubao.log.2").read_text(
        encoding="utf-8")
    assert max(newer.split("第 ")[1:]) > max(older.split("第 ")[1:])  # .1 is newer than .2


def test_logging_to_the_data_folder_loads_no_logging_handlers(tmp_path: Path) -> None:
    code = ("import sys, logging; from pathlib import Path; from liubao_desktop.crash import setup_file_logging; "
            f"setup_file_logging(Path({str(tmp_path)!r})); logging.getLogger('x').warning('好'); "
            "print('logging.handlers' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]
    assert "好" in (tmp_path / "logs" / "liubao.log").read_text(encoding="utf-8")
