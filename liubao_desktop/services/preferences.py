"""Every setting the app keeps, each with a typed getter and setter, in one of its two stores.

- ``LedgerPreferences``: what belongs to the office's data and travels with the ledger file (the ``setting``
  table), the same for every PC that opens it: each office's own responsible units, the 黄/红 thresholds, the day
  each month's report is due (报送截止日), how many backups to keep, the sample-data mark.
- ``WindowPreferences``: what belongs to this PC, in ``settings.ini`` beside the ledger (QSettings' ini format, so
  files written by earlier versions read the same): the operator (经办人) who fills in here and the office the
  window opens on — on a ledger shared on a server each PC has its own; ledgers kept both before, see
  ``move_to_this_pc`` —, the window's geometry and splitters, the last measure, office, month and plan, 只看本单位,
  the folder last used for each kind of file (workbooks, PDFs, backups), whether to open the export's folder
  afterwards, and the server chosen in 数据 → 数据库连接….

Keys are written here only. No Qt here: the window hands over its QSettings (any object with ``value`` /
``setValue`` / ``sync``) and the type it keeps byte blobs as (QByteArray), so nothing about the file changes.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..domain.periods import Period
from ..domain.progress import Thresholds
from ..files.data_folder import settings_file
from ..storage.backup import KEEP_SETTING, keep_count
from ..storage.errors import StorageError

if TYPE_CHECKING:
    from .ledger import Ledger

log = logging.getLogger(__name__)

# -- the ledger's settings ---------------------------------------------------------------------------------------
# What ledgers kept for the PC before it moved to settings.ini (``move_to_this_pc``): read only to move it.
LEGACY_OPERATOR = "operator"  # the operator, before v5; now settings.ini's OPERATOR
LEGACY_OFFICE = "current_org"  # the office the window opens on, until it moved to the PC (issue 16); now LAST_ORG
OWN_UNITS_PREFIX = "own_units:"
RED_BEHIND = "red_behind_points"
YELLOW_BEHIND = "yellow_behind_points"
BACKUP_KEEP = KEEP_SETTING
SAMPLE_DATA = "sample_data"
REPORT_DUE_DAY = "report_due_day"  # 每月N日前: a month's figures are due on day N of the next month
DEFAULT_DUE_DAY = 5
# An office's choices a restore keeps where the restored file has none (made after the backup was taken; see
# safety.restore_backup). Per office, not per PC: every PC of the office shares them, so they stay in the ledger.
KEPT_IF_MISSING_PREFIXES = (OWN_UNITS_PREFIX,)


class SettingStore(Protocol):
    """The ledger's key → text store (``Ledger.setting`` / ``Ledger.set_setting``)."""

    def setting(self, key: str, default: str | None = None) -> str | None: ...

    def set_setting(self, key: str, value: str) -> None: ...


def _decimal(text: str | None, default: Decimal) -> Decimal:
    try:
        return Decimal(text) if text else default
    except InvalidOperation:
        return default


class LedgerPreferences:
    """Typed access to the ledger's ``setting`` table."""

    def __init__(self, store: SettingStore) -> None:
        self._store = store

    def legacy(self, key: str) -> str:
        """What a ledger of an earlier version kept for the PC under ``key`` (LEGACY_OPERATOR, LEGACY_OFFICE; ""
        when it keeps none): read only to move it to settings.ini (``move_to_this_pc``)."""
        return (self._store.setting(key, "") or "").strip()

    def own_units(self, org: str) -> list[str] | None:
        """The responsible units an office counts as its own (只看本单位); None: never chosen."""
        saved = self._store.setting(OWN_UNITS_PREFIX + org)
        if not saved:
            return None
        import json  # here, not at the top: most starts have no list saved and need no json (~1.5 ms)

        return list(json.loads(saved))

    def set_own_units(self, org: str, units: list[str]) -> None:
        import json

        self._store.set_setting(OWN_UNITS_PREFIX + org, json.dumps(list(units), ensure_ascii=False))

    def thresholds(self) -> Thresholds:
        return Thresholds(red_behind_points=_decimal(self._store.setting(RED_BEHIND), Decimal(10)),
                          yellow_behind_points=_decimal(self._store.setting(YELLOW_BEHIND), Decimal(0)))

    def set_thresholds(self, thresholds: Thresholds) -> None:
        """The office's own 黄/红 thresholds (percentage points behind 序时), saved together by the caller's
        transaction (``Ledger.set_thresholds``)."""
        for points in (thresholds.red_behind_points, thresholds.yellow_behind_points):
            if not Decimal(0) <= points <= Decimal(100):
                raise ValueError("阈值应在 0 到 100 个百分点之间。")
        self._store.set_setting(RED_BEHIND, format(thresholds.red_behind_points.normalize(), "f"))
        self._store.set_setting(YELLOW_BEHIND, format(thresholds.yellow_behind_points.normalize(), "f"))

    def report_due_day(self) -> int:
        """报送截止日: the day of the next month a month's report is due (每月5日前 → 5); 1–31, default 5."""
        text = self._store.setting(REPORT_DUE_DAY)
        try:
            day = int(text) if text else DEFAULT_DUE_DAY
        except ValueError:
            return DEFAULT_DUE_DAY
        return day if 1 <= day <= 31 else DEFAULT_DUE_DAY

    def set_report_due_day(self, day: int) -> None:
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
            raise ValueError("报送截止日应为每月 1 日到 31 日之间（月份较短时取该月最后一天）。")
        self._store.set_setting(REPORT_DUE_DAY, str(day))

    def backup_keep(self) -> int:
        """How many automatic backups to keep."""
        return keep_count(self._store.setting(BACKUP_KEEP))

    def set_backup_keep(self, keep: int) -> None:
        if not 1 <= keep <= 999:
            raise ValueError("保留的备份份数应在 1 到 999 之间。")
        self._store.set_setting(BACKUP_KEEP, str(keep))

    def is_sample(self) -> bool:
        """Whether the ledger was filled with 示例数据 (the window title and every report say so)."""
        return self._store.setting(SAMPLE_DATA) == "1"

    def mark_sample(self) -> None:
        self._store.set_setting(SAMPLE_DATA, "1")


# -- this PC's settings ----------------------------------------------------------------------------------------------
OPERATOR = "operator"
GEOMETRY = "geometry"
SPLITTERS = ("splitter", "detail_splitter")
LAST_MEASURE = "last_measure"
LAST_ORG = "last_org"  # the office (or unit, or 长沙市) the window last showed: where it opens next time
LAST_PERIOD = "last_period"
LAST_PLAN = "last_plan"
MINE_ONLY = "mine_only"
EXPORT_FOLDER = "export/folder"
OPEN_AFTER_EXPORT = "export/open_folder"
# The folder each kind of file was last saved to or opened from: every file dialog for that kind starts there.
WORKBOOKS, PDFS, BACKUPS = "workbooks", "pdfs", "backups"
FOLDER_KEYS = {WORKBOOKS: EXPORT_FOLDER, PDFS: "folders/pdf", BACKUPS: "folders/backup"}
# The ledger on a server (数据 → 数据库连接…): the address last typed, and whether the window opens it. A URL
# without a password, always (set_database drops one): the password is asked for, or read from ~/.pgpass.
SERVER_URL = "database/server_url"
USE_SERVER = "database/use_server"


def settings_path(data_dir: Path) -> Path:
    """The window settings of this data folder (so a test's temporary folder keeps its own): the one place the
    path of settings.ini is built."""
    return settings_file(data_dir)


class WindowStore(Protocol):
    """What ``QSettings`` offers (and a dict-backed stand-in in tests)."""

    def value(self, key: str) -> object: ...

    def setValue(self, key: str, value: object) -> None: ...  # noqa: N802 - Qt's name

    def sync(self) -> None: ...


def _flag(value: object, default: bool) -> bool:
    # QSettings' ini format reads a bool back as "true"/"false"
    if value is None or value == "":
        return default
    return str(value).lower() == "true"


class WindowPreferences:
    """Typed access to settings.ini. ``wrap_bytes`` turns bytes into what the store keeps blobs as (QByteArray
    for QSettings, so the file reads ``@ByteArray(…)`` as it always has)."""

    def __init__(self, store: WindowStore, wrap_bytes: Callable[[bytes], object] = bytes) -> None:
        self._store = store
        self._wrap = wrap_bytes

    def operator(self) -> str:
        """Who fills in on this PC, as given ("" before the first start's question)."""
        return str(self._store.value(OPERATOR) or "").strip()

    def set_operator(self, name: str) -> None:
        self._store.setValue(OPERATOR, name.strip())

    def _bytes(self, key: str) -> bytes | None:
        value = self._store.value(key)
        if isinstance(value, (bytes, bytearray)):
            return bytes(value)
        data = getattr(value, "data", None)  # a QByteArray
        return bytes(data()) if callable(data) else None

    def geometry(self) -> bytes | None:
        return self._bytes(GEOMETRY)

    def set_geometry(self, state: bytes) -> None:
        self._store.setValue(GEOMETRY, self._wrap(bytes(state)))

    def splitter_state(self, name: str) -> bytes | None:
        """``name``: one of SPLITTERS."""
        return self._bytes(name)

    def set_splitter_state(self, name: str, state: bytes) -> None:
        self._store.setValue(name, self._wrap(bytes(state)))

    def last_measure(self) -> str | None:
        value = self._store.value(LAST_MEASURE)
        return str(value) if value else None

    def set_last_measure(self, code: str | None) -> None:
        self._store.setValue(LAST_MEASURE, code or "")

    def office(self) -> str | None:
        """The code of the office (or unit, or 长沙市) the window opens on: the one it last showed on this PC, chosen
        at the first start; None before that choice. This PC's alone: on a ledger several PCs share, another
        clerk's choice never moves this window."""
        value = self._store.value(LAST_ORG)
        return str(value) if value else None

    def set_office(self, code: str) -> None:
        """The office the window opens on from now on (the first start's choice, 切换填报单位); the month last shown
        was another office's, so it is forgotten when the office changes."""
        if self.office() != code:
            self._store.setValue(LAST_PERIOD, "")
        self._store.setValue(LAST_ORG, code)

    def last_period(self, org: str, periods: list[Period]) -> Period | None:
        """The month the window showed when it last closed, if it showed this office and the month is in the plan."""
        saved = self._store.value(LAST_PERIOD)
        if not saved or self._store.value(LAST_ORG) != org:
            return None
        try:
            period = Period.parse(str(saved))
        except ValueError:
            return None
        return period if period in periods else None

    def set_last_place(self, org: str, period: Period) -> None:
        self._store.setValue(LAST_ORG, org)
        self._store.setValue(LAST_PERIOD, str(period))

    def last_plan(self) -> str | None:
        """The code of the plan the window last showed (the commands' --plan default); None before any."""
        value = self._store.value(LAST_PLAN)
        return str(value) if value else None

    def set_last_plan(self, code: str) -> None:
        self._store.setValue(LAST_PLAN, code)

    def mine_only(self) -> bool:
        return _flag(self._store.value(MINE_ONLY), False)

    def set_mine_only(self, on: bool) -> None:
        self._store.setValue(MINE_ONLY, bool(on))

    def last_folder(self, kind: str) -> Path | None:
        """The folder a file of ``kind`` (WORKBOOKS, PDFS, BACKUPS) was last saved to or opened from, while it
        still is a folder."""
        saved = str(self._store.value(FOLDER_KEYS[kind]) or "")
        return Path(saved) if saved not in ("", ".") and Path(saved).is_dir() else None

    def set_last_folder(self, kind: str, folder: Path) -> None:
        self._store.setValue(FOLDER_KEYS[kind], str(folder))

    def export_folder(self) -> Path | None:
        """The folder of the last export, while it still is a folder."""
        return self.last_folder(WORKBOOKS)

    def set_export_folder(self, folder: Path) -> None:
        self.set_last_folder(WORKBOOKS, folder)

    def server_url(self) -> str | None:
        """The server's URL when the window is to open the ledger there (数据 → 数据库连接…), else None: this PC's
        file."""
        return self.saved_server_url() if _flag(self._store.value(USE_SERVER), False) else None

    def saved_server_url(self) -> str | None:
        """The server address last saved, also while this PC's file is chosen (the dialog offers it again)."""
        value = str(self._store.value(SERVER_URL) or "")
        return value or None

    def set_database(self, url: str | None) -> None:
        """Open the ledger on the server at ``url`` from the next start, or this PC's file (None; the server
        address is kept for next time). A password in ``url`` is never written."""
        if url is not None:
            self._store.setValue(SERVER_URL, without_password(url))
        self._store.setValue(USE_SERVER, "true" if url is not None else "false")

    def open_after_export(self) -> bool:
        return _flag(self._store.value(OPEN_AFTER_EXPORT), True)

    def set_open_after_export(self, on: bool) -> None:
        self._store.setValue(OPEN_AFTER_EXPORT, "true" if on else "false")

    def sync(self) -> None:
        self._store.sync()


def without_password(url: str) -> str:
    """``url`` with any password taken out (what settings.ini may hold)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password is None and ":@" not in parts.netloc:
        return url
    user, _, host = parts.netloc.rpartition("@")
    return parts._replace(netloc=f"{user.partition(':')[0]}@{host}").geturl()


_INI_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "0": "\0"}
_HEX = frozenset("0123456789abcdefABCDEF")


def ini_text(raw: str) -> str:
    """A text value as QSettings writes it into an ini file, read back: quotes around it (or part of it) dropped,
    its backslash escapes decoded (a backslash, a quote, a tab, a control character in hex), a leading @@ (its
    escape of @) read as @ — so a name or a Windows path reads as the window saved it."""
    text, out, i = raw.strip(), [], 0
    while i < len(text):
        ch = text[i]
        i += 1
        if ch == '"':
            continue
        if ch == "\\" and i < len(text):
            ch = text[i]
            i += 1
            if ch == "x":
                start = i
                while i < len(text) and i - start < 4 and text[i] in _HEX:  # a UTF-16 unit at most
                    i += 1
                ch = chr(int(text[start:i], 16)) if i > start else "x"
            else:
                ch = _INI_ESCAPES.get(ch, ch)
        out.append(ch)
    value = "".join(out)
    return value[1:] if value.startswith("@@") else value


class IniReader:
    """settings.ini read without Qt, for the headless commands (a WindowStore that only reads). QSettings writes
    the top-level keys under [General] and "a/b" keys as [a] b; a file that cannot be read reads as empty."""

    def __init__(self, path: Path) -> None:
        import configparser

        self._ini = configparser.ConfigParser(interpolation=None, strict=False)
        self._ini.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
        try:
            self._ini.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            self._ini.clear()

    def value(self, key: str) -> object:
        section, _, name = key.rpartition("/")
        text = self._ini.get(section or "General", name, fallback=None)
        return None if text is None else ini_text(text)

    def setValue(self, key: str, value: object) -> None:  # noqa: N802 - Qt's name
        raise PermissionError("settings.ini is read-only here")

    def sync(self) -> None:
        return None


def saved_preferences(data_dir: Path) -> WindowPreferences:
    """The data folder's settings.ini as it is on disk, read without Qt (the headless commands; a value read back
    after it was written)."""
    return WindowPreferences(IniReader(settings_path(data_dir)))


def commands_plan(data_dir: Path) -> str | None:
    """The plan a command without --plan reads: the one the window last showed (settings.ini), else None (the
    file's first plan)."""
    return saved_preferences(data_dir).last_plan()


def commands_operator(data_dir: Path) -> str:
    """This PC's operator as the window saved it in the data folder's settings.ini ("" when none)."""
    return saved_preferences(data_dir).operator()


def commands_period(data_dir: Path, org: str, periods: list[Period], default: Period) -> Period:
    """The month a command without --period reports: the month the window last showed this office, else
    ``default`` (the latest month with data, else the plan's first) — the same rule the window opens with."""
    shown = saved_preferences(data_dir).last_period(org, periods)
    return shown or default


def commands_office(data_dir: Path, ledger: Ledger) -> str | None:
    """The office a command without --org reads: the one the window opens on, on this PC (settings.ini) — else,
    for a ledger file from before the office moved there whose window has not started since, the one the file kept
    (never a server's: that would be another PC's choice). None when neither names one."""
    office = saved_preferences(data_dir).office()
    if office or ledger.on_server:
        return office
    return ledger.preferences.legacy(LEGACY_OFFICE) or None


def commands_server(data_dir: Path) -> str | None:
    """The server a command without --database opens: the one the window opens (数据 → 数据库连接…, settings.ini),
    else None (the data folder's file)."""
    return saved_preferences(data_dir).server_url()


# -- what ledgers kept for the PC, moved once to its settings.ini ------------------------------------------------
def move_to_this_pc(ledger: Ledger, prefs: WindowPreferences, legacy_key: str,
                    get: Callable[[WindowPreferences], str | None],
                    put: Callable[[WindowPreferences, str], None]) -> str:
    """At the window's start: what settings.ini (``prefs``) holds for a setting that ledgers of earlier versions
    kept in their ``setting`` table under ``legacy_key`` (the operator, the office the window opens on), moved there
    once; "" when neither holds one.

    When settings.ini holds nothing, the ledger's value is written to it (``put``). The ledger's copy is forgotten
    once settings.ini is read back from the file holding a value (``get``) — so nothing is lost when the file could
    not be written — and is never read again. A server's ledger is never asked: its settings are every PC's, so the
    value there would be another PC's."""
    here = get(prefs) or ""
    legacy = "" if ledger.on_server else ledger.preferences.legacy(legacy_key)
    if legacy and not here:
        put(prefs, legacy)
        prefs.sync()
        here = get(prefs) or ""
        log.info("%s moved from the ledger's settings to settings.ini", legacy_key)
    if legacy and get(saved_preferences(ledger.path.parent)):
        try:
            ledger.forget_legacy_setting(legacy_key)
        except StorageError as exc:  # harmless: settings.ini holds it, the ledger's copy is not read again
            log.warning("the ledger's old %s setting was not removed: %s", legacy_key, exc)
    return here


def adopt_office(ledger: Ledger, prefs: WindowPreferences) -> str | None:
    """At the window's start: the office it opens on, from this PC's settings.ini (moved there from a ledger file
    that kept it: ``move_to_this_pc``); None before the first start's choice."""
    return move_to_this_pc(ledger, prefs, LEGACY_OFFICE, WindowPreferences.office, WindowPreferences.set_office) or None
