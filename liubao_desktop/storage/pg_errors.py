"""psycopg's errors as the clerk's sentences (issue 16): what happened on the server, whether the edit in hand was
saved, and what to do — each a ``ServerError`` subclass (``errors.py``). ``PgDatabase`` (``pg.py``) and ``pg.connect``
call ``translate`` where they run SQL or connect, so the window and the commands get the same sentence.

The server names a failure by its SQLSTATE; libpq's failures to connect have none, so those are read from libpq's
own words (English, or the server's language for its FATAL lines — an unknown wording still becomes the general
"cannot connect" sentence). Every sentence is Chinese from start to end; the server's or libpq's own words follow it
in brackets, for the administrator (``ServerError.detail``), and go to the log with it. An error that is a bug (a
syntax error, a broken constraint) is not translated: it stays itself, as on SQLite.
"""
from __future__ import annotations

import psycopg

from .errors import (
    ServerBusyError,
    ServerError,
    ServerLoginError,
    ServerPermissionError,
    ServerUnreachableError,
)

# What became of the work in hand, said after what happened.
NOT_DONE = "刚才的操作没有完成，数据没有改动。"
NOT_SAVED = "刚才的修改没有保存（整个修改已撤销），其他数据没有改动。"
COMMIT_UNKNOWN = "连接在提交时断开，无法确定刚才的修改是否已经保存：恢复连接后请核对这项数据。"

_LOGIN_WORDS = ("password authentication failed", "no password supplied", "is not permitted to log in",
                "authentication failed", "no pg_hba.conf entry", "does not exist")  # role "x" does not exist
_BUSY_WORDS = ("too many clients", "remaining connection slots", "too many connections")
_LOST_STATES = {"57P01", "57P02", "57P03"}  # admin shutdown, crash shutdown, cannot connect now
_BUSY_STATES = {"40001": "与其他电脑的修改冲突（无法串行化）", "40P01": "与其他电脑的修改互相等待（死锁）",
                "55P03": "要修改的数据正被其他电脑锁定", "57014": "操作超时被服务器取消"}


def detail_of(exc: BaseException) -> str:
    """The server's or libpq's own words, on one line (kept for support; never holds the password)."""
    text = " ".join(str(exc).split())
    return text.removeprefix("connection failed: ")


def _lost(where: str, detail: str, outcome: str) -> ServerUnreachableError:
    return ServerUnreachableError(
        f"与数据库服务器 {where} 的连接断开了（服务器关闭或重启、网络中断，或被管理员断开）。{outcome}"
        "请检查网络，或请服务器管理员确认数据库服务正常；连接恢复后软件会自动重新连接，再做一次即可。", detail)


# Why a connection was not made, from libpq's words (it gives no SQLSTATE): the clerk's reason, first match wins.
_UNREACHABLE_WHY = (
    (("connection refused",), "那台电脑没有接受连接（数据库服务没有启动，或端口不对）"),
    (("could not translate host name", "name or service not known", "nodename nor servname", "no such host",
      "temporary failure in name resolution", "unknown host"), "找不到这个服务器地址（地址写错了，或网络不通）"),
    (("timeout expired", "timed out"), "连接超时（网络不通，或防火墙挡住了端口）"),
    (("no route to host", "network is unreachable", "host is unreachable"), "网络不通，到不了这台服务器"),
    (("starting up", "shutting down", "not currently accepting connections", "not yet accepting connections",
      "in recovery mode"), "数据库服务正在启动、关闭或恢复，暂时不接受连接"),
)


def _why_unreachable(lower: str) -> str:
    return next((why for words, why in _UNREACHABLE_WHY if any(w in lower for w in words)), "服务器没有回应")


def translate(exc: BaseException, where: str, *, connecting: bool = False, outcome: str = NOT_DONE,
              lost: bool = False) -> ServerError | None:
    """The ServerError for a psycopg error met at ``where`` (a URL without its password), or None for an error
    that is a bug. ``connecting``: raised by connect(); ``lost``: the connection is broken (psycopg knows);
    ``outcome``: what became of the work in hand (NOT_DONE, NOT_SAVED, COMMIT_UNKNOWN). The sentence is Chinese
    throughout; the server's or libpq's own words follow it in brackets (``ServerError.detail``)."""
    if not isinstance(exc, psycopg.Error):
        return None
    state = getattr(exc, "sqlstate", None) or ""
    detail = detail_of(exc)
    lower = detail.lower()
    if state == "3D000" or (connecting and not state and 'database "' in lower and "does not exist" in lower):
        return ServerLoginError(
            f"数据库服务器 {where} 上没有地址中的这个数据库。{NOT_DONE}请核对地址最后的数据库名；"
            "新的台账数据库由管理员建好后，先运行 main.py db init --database 地址。", detail)
    if state in ("28P01", "28000") or (connecting and not state and any(w in lower for w in _LOGIN_WORDS)):
        return ServerLoginError(
            f"数据库服务器 {where} 拒绝了登录（用户名或密码不对，或这个账号不能从这台电脑登录）。{NOT_DONE}"
            "请核对地址中的用户名，把正确的密码写进 ~/.pgpass（Windows 为 %APPDATA%\\postgresql\\pgpass.conf），"
            "或请管理员检查这个账号。", detail)
    if state == "42501":
        return ServerPermissionError(
            f"数据库服务器 {where} 不允许当前用户做这项操作。{outcome}"
            "请管理员给这个用户授予台账各表的读写权限（GRANT SELECT, INSERT, UPDATE, DELETE）。", detail)
    if state == "25006":
        return ServerPermissionError(
            f"数据库服务器 {where} 现在只能读、不能写（备用服务器或只读模式）。{outcome}请连接主服务器，或请管理员检查。",
            detail)
    if state in _BUSY_STATES:
        return ServerBusyError(
            f"数据库服务器 {where} {_BUSY_STATES[state]}。{outcome}其他电脑的修改不受影响。请稍后再做一次。", detail)
    if state.startswith("53") or (not state and any(w in lower for w in _BUSY_WORDS)):
        return ServerBusyError(
            f"数据库服务器 {where} 资源不足（连接数、磁盘或内存）。{outcome}请稍后再试，或请服务器管理员处理。", detail)
    if connecting and (not state or state.startswith("08") or state in _LOST_STATES):
        return ServerUnreachableError(
            f"无法连接数据库服务器 {where}：{_why_unreachable(lower)}。{NOT_DONE}"
            "请检查地址和网络，或请服务器管理员确认数据库服务已启动。", detail)
    if state in _LOST_STATES or state.startswith("08") or lost:
        return _lost(where, detail, outcome)
    return None


def reconnect_failed(where: str, lost: BaseException, failure: ServerError, outcome: str) -> ServerError:
    """The connection was lost and connecting again failed too: both said. A refusal that is not about reaching
    the server (a login refused, the database gone) keeps its own sentence and advice."""
    if not isinstance(failure, ServerUnreachableError):
        return failure
    return ServerUnreachableError(
        f"与数据库服务器 {where} 的连接断开了，重新连接也没有成功（服务器可能已关闭或正在重启，或网络中断）。{outcome}"
        "请检查网络，或请服务器管理员确认数据库服务正常，稍后再试。",
        f"{detail_of(lost)}；重新连接：{detail_of(failure.__cause__ or failure)}")
