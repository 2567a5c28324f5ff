"""The data file is named to SQLite as a URI (to open it read-only): it must work wherever an office keeps
its data — a mapped network drive, a UNC share, a folder named in Chinese with a space, # or ? in it."""
from __future__ import annotations

import sqlite3
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage.backup import list_backups, make_backup
from liubao_desktop.storage.database import DB_FILENAME, check_file, connect_read_only, sqlite_uri
from liubao_desktop.storage.schema import SCHEMA_VERSION

SEP = Period(2020, 9)


@pytest.mark.parametrize(("path", "uri"), [
    (PureWindowsPath(r"C:\Users\张三\AppData\Roaming\liubao\liubao.sqlite3"),
     "file:///C:/Users/%E5%BC%A0%E4%B8%89/AppData/Roaming/liubao/liubao.sqlite3?mode=ro"),
    # a mapped drive Z: that resolve() would have turned into \\fileserver\dfb\… (see below)
    (PureWindowsPath(r"Z:\六保\数据 #1\liubao.sqlite3"),
     "file:///Z:/%E5%85%AD%E4%BF%9D/%E6%95%B0%E6%8D%AE%20%231/liubao.sqlite3?mode=ro"),
    # UNC: an empty authority and the share in the path — never file://fileserver/…
    (PureWindowsPath(r"\\fileserver\dfb\六保台账\liubao.sqlite3"),
     "file:////fileserver/dfb/%E5%85%AD%E4%BF%9D%E5%8F%B0%E8%B4%A6/liubao.sqlite3?mode=ro"),
    (PureWindowsPath(r"\\?\UNC\fileserver\dfb\liubao.sqlite3"), "file:////fileserver/dfb/liubao.sqlite3?mode=ro"),
    (PureWindowsPath(r"\\?\D:\long path\liubao.sqlite3"), "file:///D:/long%20path/liubao.sqlite3?mode=ro"),
    (PurePosixPath("/home/zhang/数据 #1?%/liubao.sqlite3"),
     "file:///home/zhang/%E6%95%B0%E6%8D%AE%20%231%3F%25/liubao.sqlite3?mode=ro"),
])
def test_windows_drives_unc_shares_and_odd_folder_names_become_uris_sqlite_accepts(path, uri: str) -> None:  # noqa: ANN001
    assert sqlite_uri(path) == uri


def test_the_uri_of_a_share_has_no_authority_because_sqlite_refuses_one(tmp_path: Path) -> None:
    # what pathlib's as_uri() gives for a UNC path, and what SQLite says to it (the 已损坏 of the review)
    assert PureWindowsPath(r"\\fileserver\dfb\x.sqlite3").as_uri() == "file://fileserver/dfb/x.sqlite3"
    with pytest.raises(sqlite3.OperationalError, match="invalid uri authority"):
        sqlite3.connect("file://fileserver/dfb/x.sqlite3?mode=ro", uri=True)
    # the empty-authority form with a path starting with // is accepted (here: //tmp/… on POSIX)
    db = tmp_path / "x.sqlite3"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    conn = sqlite3.connect(f"file:///{db}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    finally:
        conn.close()


def test_a_relative_path_is_not_turned_into_a_uri() -> None:
    with pytest.raises(ValueError, match="absolute"):
        sqlite_uri(PureWindowsPath(r"data\liubao.sqlite3"))


def test_a_data_folder_named_with_chinese_a_space_a_hash_and_a_question_mark_works(tmp_path: Path) -> None:
    data_dir = tmp_path / "数据 #1?"
    led = Ledger.open(data_dir)
    try:
        led.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
        backup = make_backup(led.path, "manual")
    finally:
        led.close()
    assert check_file(data_dir / DB_FILENAME) == SCHEMA_VERSION
    conn = connect_read_only(data_dir / DB_FILENAME)
    try:
        assert conn.execute("SELECT base_value FROM figure").fetchall() == [("1523",)]
    finally:
        conn.close()
    (info,) = list_backups(data_dir)
    assert info.path == backup and info.ok and info.orgs == ("芙蓉区",)
    led = Ledger.open(data_dir)
    try:
        assert led.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1523)
    finally:
        led.close()


def test_a_relative_data_folder_is_named_by_its_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Ledger.open(Path("相对 #路径")).close()
    assert check_file(Path("相对 #路径") / DB_FILENAME) == SCHEMA_VERSION
