"""This PC as the audit trail names it (issue 16): the PC's name and the operator (经办人) filling in on it.

Both belong to the PC, not to the ledger: on a ledger shared on a PostgreSQL server every PC writes its own name
and its own operator into each row of the trail. The PC's name is the system's host name; the operator is kept in
this PC's settings.ini (``WindowPreferences.operator``). A ledger made before v5 kept the operator in its own
``setting`` table: ``adopt_operator`` moves it to settings.ini once, at the window's start (``preferences.
move_to_this_pc``, which moves the office the window opens on the same way).

A ``Ledger`` holds the ``Workstation`` its writes are signed with: the caller's (``Ledger.open(workstation=…)``),
else, for a data folder, this PC's name and that folder's settings.ini operator (``for_data_folder``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.words import UNSIGNED_TEXT
from .preferences import LEGACY_OPERATOR, WindowPreferences, commands_operator, move_to_this_pc

if TYPE_CHECKING:
    from .ledger import Ledger

PC_NAME_LIMIT = 64  # a DNS host name's label is at most 63 characters, a Windows computer name 15
OPERATOR_LIMIT = 40


def pc_name(raw: str) -> str:
    """A PC's name as the trail keeps it: whitespace and control characters folded to single spaces, trimmed, at
    most PC_NAME_LIMIT characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(text.split())[:PC_NAME_LIMIT]


def this_pc_name() -> str:
    """This computer's name: the host name (uname's node name where there is one: no socket module to load)."""
    uname = getattr(os, "uname", None)
    name = uname().nodename if uname is not None else ""
    if not name:
        import socket

        name = socket.gethostname()
    return pc_name(name)


def check_operator(name: str) -> str:
    """An operator's name as typed, trimmed; ValueError (in Chinese) when longer than OPERATOR_LIMIT characters."""
    name = " ".join(name.split())
    if len(name) > OPERATOR_LIMIT:
        raise ValueError(f"填报人姓名不超过 {OPERATOR_LIMIT} 个字。")
    return name


@dataclass(frozen=True)
class Workstation:
    """Who writes: the PC (``pc``, its name) and the operator on it ("" when nobody gave a name)."""

    pc: str
    operator: str = ""

    @property
    def signature(self) -> str:
        """The operator as the trail names them: 未署名 when nobody gave a name."""
        return self.operator or UNSIGNED_TEXT

    def signed_by(self, operator: str) -> Workstation:
        return replace(self, operator=check_operator(operator))


def for_data_folder(data_dir: Path | str, *, pc: str | None = None) -> Workstation:
    """This PC (or the PC named ``pc``) with the operator its settings.ini in ``data_dir`` names (read only: the
    headless commands, a ledger on a server opened beside a data folder)."""
    return Workstation(this_pc_name() if pc is None else pc_name(pc), commands_operator(Path(data_dir)))


def adopt_operator(ledger: Ledger, prefs: WindowPreferences) -> str:
    """At the window's start: sign ``ledger`` with this PC's operator from settings.ini (``prefs``) and return the
    operator it signs with — settings.ini's, else the one it was given (``Ledger.open(workstation=…)``); "" when
    there is none yet: the first start asks. A ledger file from before v5 kept the operator in its ``setting``
    table: ``move_to_this_pc`` moves it to settings.ini once (never from a server's ledger)."""
    operator = move_to_this_pc(ledger, prefs, LEGACY_OPERATOR, WindowPreferences.operator, _set_operator)
    if operator:
        ledger.sign_as(operator)
    return ledger.workstation.operator


def _set_operator(prefs: WindowPreferences, name: str) -> None:
    prefs.set_operator(check_operator(name[:OPERATOR_LIMIT]))
