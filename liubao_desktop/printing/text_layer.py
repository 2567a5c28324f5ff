"""The PDF's text layer says what was printed: 长, not the radical ⻓ that shares its glyph.

CJK fonts (Noto Sans CJK, Microsoft YaHei, …) map a radical and its unified ideograph to one glyph. Qt's PDF
writer builds each font's ToUnicode map from glyph back to the *lowest* code point, so text copied, searched or
read back from our PDFs said ⻓沙 for 长沙 — on screen and paper the page looked right. This rewrites those maps
with Unicode's own equivalence (Equivalent_Unified_Ideograph, compatibility ideographs by NFC).
"""
from __future__ import annotations

import io
import re
import unicodedata
from functools import cache

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, StreamObject

from ..resources import resource_path

_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_SECTION = re.compile(rb"(begin(bfchar|bfrange)\s)(.*?)(\send\2)", re.S)


@cache
def equivalent_ideographs() -> dict[str, str]:
    """Radical or compatibility ideograph → the unified ideograph a reader means by it."""
    table: dict[str, str] = {}
    for line in resource_path("unicode", "EquivalentUnifiedIdeograph.txt").read_text("utf-8").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) != 2:
            continue
        first, _, last = fields[0].strip().partition("..")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            table[chr(cp)] = chr(int(fields[1], 16))
    for block in (range(0xF900, 0xFB00), range(0x2F800, 0x2FA20)):
        for cp in block:
            ideograph = unicodedata.normalize("NFC", chr(cp))
            if ideograph != chr(cp):
                table[chr(cp)] = ideograph
    return table


def _utf16(hex_digits: bytes) -> str:
    return bytes.fromhex(hex_digits.decode()).decode("utf-16-be", "surrogatepass")


def _hex(text: str) -> bytes:
    return b"<" + text.encode("utf-16-be", "surrogatepass").hex().upper().encode() + b">"


def _mapped(token: bytes, table: dict[str, str]) -> bytes:
    text = _utf16(token)
    fixed = "".join(table.get(ch, ch) for ch in text)
    return _hex(fixed) if fixed != text else b"<" + token + b">"


def _fix_line(line: bytes, kind: bytes, table: dict[str, str]) -> bytes:
    tokens = _HEX.findall(line)
    if kind == b"bfchar" and len(tokens) == 2:
        target = _mapped(tokens[1], table)
        return line if target[1:-1] == tokens[1] else b"<" + tokens[0] + b"> " + target
    if kind == b"bfrange" and len(tokens) >= 3:
        lo, hi = int(tokens[0], 16), int(tokens[1], 16)
        head = b"<" + tokens[0] + b"> <" + tokens[1] + b"> "
        if b"[" in line:
            targets = [_mapped(t, table) for t in tokens[2:]]
            if all(t[1:-1] == old for t, old in zip(targets, tokens[2:], strict=True)):
                return line
            return head + b"[" + b" ".join(targets) + b"]"
        # One destination that counts up: spell it out as a list only when a member needs mapping.
        start = _utf16(tokens[2])
        if len(start) != 1:
            return line
        members = [chr(ord(start) + i) for i in range(hi - lo + 1)]
        if not any(ch in table for ch in members):
            return line
        return head + b"[" + b" ".join(_hex(table.get(ch, ch)) for ch in members) + b"]"
    return line


def fix_to_unicode(cmap: bytes, table: dict[str, str] | None = None) -> bytes:
    """One ToUnicode CMap with every destination that is a radical or compatibility form made its ideograph."""
    table = equivalent_ideographs() if table is None else table

    def section(match: re.Match[bytes]) -> bytes:
        body = match.group(3)
        lines = [_fix_line(line, match.group(2), table) for line in body.split(b"\n")]
        return match.group(1) + b"\n".join(lines) + match.group(4)

    return _SECTION.sub(section, cmap)


def fix_text_layer(pdf: bytes) -> bytes:
    """The PDF with its fonts' ToUnicode maps fixed; the bytes unchanged when no map needed it."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    changed = False
    seen: set[int] = set()
    for page in writer.pages:
        fonts = page.get("/Resources", DictionaryObject()).get_object().get("/Font", DictionaryObject())
        for ref in fonts.get_object().values():
            font = ref.get_object()
            cmap = font.get("/ToUnicode")
            if cmap is None:
                continue
            stream = cmap.get_object()
            if id(stream) in seen or not isinstance(stream, StreamObject):
                continue
            seen.add(id(stream))
            old = stream.get_data()
            new = fix_to_unicode(old)
            if new != old:
                stream.set_data(new)
                changed = True
    if not changed:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
