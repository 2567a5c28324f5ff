"""The limits an untrusted workbook is held to, checked before parsing (size, members, sheets, dimensions) and
while parsing (rows, cells, time). Generous for what this app reads — a district's 报送报表 of 17 months is
about 100 KB with 700 rows in 明细 — and small enough that a hostile file costs a second and some megabytes."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 20 * 1024 * 1024  # the file as stored
    members: int = 300  # entries in the zip
    member_bytes: int = 48 * 1024 * 1024  # one member, uncompressed
    shared_strings_bytes: int = 16 * 1024 * 1024  # sharedStrings.xml is held whole in memory by openpyxl
    small_member_bytes: int = 8 * 1024 * 1024  # workbook.xml, styles, properties, relationships
    total_bytes: int = 128 * 1024 * 1024  # every member together, uncompressed
    ratio: int = 200  # uncompressed ÷ compressed for a member above 1 MB: beyond it, a zip bomb
    sheets: int = 64
    rows: int = 20_000  # per sheet
    columns: int = 256  # per sheet
    cells: int = 400_000  # per file, every sheet
    seconds: float = 30.0  # per file, parsing included


DEFAULT_LIMITS = Limits()
