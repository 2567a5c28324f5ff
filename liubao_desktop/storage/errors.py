"""The storage layer's errors: each ``str()`` is a message for the clerk, in Chinese."""
from __future__ import annotations


class StorageError(Exception):
    """A problem with the database file; ``str()`` is a message for the clerk, in Chinese."""


class DatabaseTooNewError(StorageError):
    pass


class DatabaseDamagedError(StorageError):
    pass


class DatabaseTooOldError(StorageError):
    """A server's ledger of an older schema: the app does not migrate a server at start, its administrator does
    (``main.py db migrate``)."""


class ServerError(StorageError):
    """A problem with the PostgreSQL server or the connection to it (issue 16; ``storage/pg_errors.py`` words it).

    ``str()`` is the clerk's sentence (``sentence``: what happened, what became of the work in hand, what to do — in
    Chinese only), then the server's or libpq's own words (``detail``, often English) in brackets at its end, for the
    administrator the clerk sends it to."""

    def __init__(self, sentence: str, detail: str = "") -> None:
        super().__init__(f"{sentence}（供管理员参考：{detail}）" if detail else sentence)
        self.sentence, self.detail = sentence, detail


class ServerConnectError(ServerError):
    """The database server could not be reached or refused the connection (down, wrong address, no such database,
    the password refused)."""


class PasswordRequiredError(ServerConnectError):
    """The server asks for a password that neither ~/.pgpass nor PGPASSWORD gave (``refused`` False), or refused
    the one given (``refused`` True; the server's words are in the message)."""

    def __init__(self, message: str, *, refused: bool, detail: str = "") -> None:
        super().__init__(message, detail)
        self.refused = refused


class NotOurDatabaseError(DatabaseDamagedError):
    """A sound SQLite file that is not this app's data (another program's database, an empty schema)."""


class ReadOnlyError(StorageError):
    """The data folder or file cannot be written (read-only medium, permissions, another program's lock)."""


class DiskFullError(StorageError):
    pass


def network_folder_message(folder: object) -> str:
    """Why a ledger on a network share is not opened, and what to do instead: the one wording of it."""
    from ..files.os_errors import shown

    return (f"数据文件夹 {shown(folder)} 在网络共享文件夹上（另一台电脑的磁盘）。SQLite 数据文件放在共享文件夹上时，"
            "文件锁不可靠，几台电脑同时使用会损坏数据，所以软件不在这里打开它，也没有改动它。"
            "台账必须放在本机的磁盘上，或者放在服务器上。可以把它复制到本机再用："
            f"python main.py db copy --from {shown(folder)} --to 本机文件夹（窗口中点“复制到本机…”）。")


class NetworkFolderError(StorageError):
    """The ledger's folder is on another computer (a UNC path, a mapped drive, a cifs/nfs mount): SQLite's
    locking and WAL are not to be trusted there, so it is never opened."""

    def __init__(self, folder: object) -> None:
        super().__init__(network_folder_message(folder))
        self.folder = folder


class LedgerFileLostError(StorageError):
    """The open database's file is no longer at its path (deleted, moved, or another file put there).
    ``deleted`` tells a file gone from one replaced."""

    def __init__(self, path: object, *, deleted: bool) -> None:
        from ..files.os_errors import shown

        what = "被删除或移走了" if deleted else "被另一个文件替换了"
        super().__init__(f"数据文件 {shown(path)} 在软件打开期间{what}（不是本软件做的），刚才的修改没有保存。")
        self.path = path
        self.deleted = deleted


# -- what else can go wrong on a server (``storage/pg_errors.py`` words each) -----------------------------------
class ServerUnreachableError(ServerConnectError):
    """The server cannot be reached, or the connection to it was lost (shut down, restarted, network cut)."""


class ServerLoginError(ServerConnectError):
    """The server refused the login (user or password), or has no database of that name."""


class ServerPermissionError(ServerError):
    """The user may not read or change a table of the ledger, or the server is read-only (a standby)."""


class ServerBusyError(ServerError):
    """The server cancelled the statement: a timeout, a deadlock, a serialization failure, a lock not granted, or
    too few resources (connections, disk, memory). Trying again later usually works."""
