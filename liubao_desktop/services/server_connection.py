"""The window's ledger on a database server (issue 16): the address a clerk types in 数据 → 数据库连接… (kept in this
PC's settings.ini without a password), a connection tested and said in one Chinese sentence, the ledger opened.

psycopg is loaded only when a connection is made (``storage/pg.py``, through ``Ledger.open_url``): the window's start
on this PC's file never imports this module.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from ..storage.errors import (
    DatabaseTooNewError,
    DatabaseTooOldError,
    NotOurDatabaseError,
    PasswordRequiredError,
    ServerConnectError,
    StorageError,
)
from .data_location import is_database_url, place_text
from .ledger import Ledger

__all__ = ["DEFAULT_PORT", "DatabaseTooNewError", "DatabaseTooOldError", "NotOurDatabaseError",
           "PasswordRequiredError", "ServerAddress", "ServerConnectError", "StorageError", "check_connection",
           "open_server_ledger"]

DEFAULT_PORT = 5432
NAME_LIMIT = 63  # PostgreSQL's longest name (NAMEDATALEN - 1)


@dataclass(frozen=True)
class ServerAddress:
    """Where the server's ledger is: host, port, database, user — and never a password."""

    host: str
    port: int
    database: str
    user: str

    @classmethod
    def of(cls, host: str, port: int, database: str, user: str) -> ServerAddress:
        """The address as typed, checked; ValueError in Chinese."""
        host, database, user = host.strip(), database.strip(), user.strip()
        if not host:
            raise ValueError("请填写服务器地址（计算机名或 IP 地址，如 192.168.1.10）。")
        if any(c.isspace() or c in "/?#@" for c in host):
            raise ValueError(f"服务器地址“{host}”里有不能用的字符（空格、/、?、#、@）。")
        if not 1 <= port <= 65535:
            raise ValueError("端口应在 1 到 65535 之间（默认 5432）。")
        for what, name in (("数据库名", database), ("用户名", user)):
            if not name:
                raise ValueError(f"请填写{what}。")
            if len(name.encode("utf-8")) > NAME_LIMIT:
                raise ValueError(f"{what}“{name}”太长（最多 {NAME_LIMIT} 个字节）。")
        return cls(host, port, database, user)

    @classmethod
    def from_url(cls, url: str) -> ServerAddress:
        """A stored ``postgresql://user@host:port/db`` read back (a password in it is dropped)."""
        if not is_database_url(url):
            raise ValueError(f"“{url}”不是数据库服务器的地址（应为 postgresql://用户@服务器/数据库）。")
        try:
            parts = urlsplit(url)
            port = parts.port or DEFAULT_PORT
        except ValueError as exc:
            raise ValueError(f"数据库服务器的地址“{url}”写得不对（{exc}）。") from exc
        return cls.of(parts.hostname or "", port, unquote(parts.path.lstrip("/")), unquote(parts.username or ""))

    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address
        port = "" if self.port == DEFAULT_PORT else f":{self.port}"
        return f"postgresql://{quote(self.user, safe='')}@{host}{port}/{quote(self.database, safe='')}"

    def shown(self) -> str:
        """服务器 host/db, as the status bar says it."""
        return place_text(self.url())


def open_server_ledger(url: str, password: str | None = None) -> Ledger:
    """The ledger on the server, checked before anything reads it: an older schema (DatabaseTooOldError: the
    administrator runs main.py db migrate), a newer one, or a database that is not a ledger is refused, and
    nothing is written. ServerConnectError when it cannot be reached; PasswordRequiredError when it wants a
    password that ~/.pgpass, PGPASSWORD or ``password`` did not give."""
    return Ledger.open_url(url, password=password)


def check_connection(url: str, password: str | None = None) -> str:
    """数据库连接…'s 测试连接: connect, check, read the plans, close; what was found, in one sentence. Raises the
    errors of ``open_server_ledger``, each a sentence for the clerk; writes nothing."""
    ledger = open_server_ledger(url, password)
    try:
        plans = ledger.plans()
    finally:
        ledger.close()
    titles = "、".join(p.short_title for p in plans[:3]) + ("等" if len(plans) > 3 else "")
    return f"连接成功：{place_text(url)} 上的台账可以使用（方案 {len(plans)} 个：{titles}）。"
