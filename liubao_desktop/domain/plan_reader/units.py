"""Responsible units in the forms plans write them, with 牵头 / 配合 kept as roles.

（责任单位：A、B）, （牵头单位：A；配合单位：B、C）, 责任部门：…, （A负责）, （A牵头，B、C配合）, and the same
as a paragraph of its own or as the columns of a 分工表. Lists are split on 、，和 及 — 和 and 及 only after a
name's own ending (局, 委, 政府…), so 市人力资源和社会保障局 stays one name.
"""
from __future__ import annotations

import re

from .proposal import ROLE_COOPERATE, ROLE_LEAD, ROLE_RESPONSIBLE, Unit
from .text import to_full_width

_LABELS = {
    "牵头单位": ROLE_LEAD, "牵头部门": ROLE_LEAD, "主责单位": ROLE_LEAD, "主责部门": ROLE_LEAD,
    "责任单位": ROLE_RESPONSIBLE, "责任部门": ROLE_RESPONSIBLE, "实施单位": ROLE_RESPONSIBLE,
    "配合单位": ROLE_COOPERATE, "配合部门": ROLE_COOPERATE, "协同单位": ROLE_COOPERATE,
    "协同部门": ROLE_COOPERATE, "参与单位": ROLE_COOPERATE, "协办单位": ROLE_COOPERATE,
}
_LABEL_RE = re.compile("(" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")\s*[：:]")
# The endings of an organisation's name after which 和 / 及 / 与 start another name.
_ORG_END = r"(?:政府|局|委|办|厅|部|院|会|中心|公司|集团|组|队|所|站|行|处|室|社|团|联|馆|署|委员会|管委会)"
_ROLE_WORDS_RE = re.compile(r"^(.+?)(牵头负责|牵头|负责)(?:[，,、]?(.+?)(配合|参与|协助|协同|共同负责)(?:落实)?)?$")
# The last bracketed group at the very end of a paragraph, one level of brackets inside allowed (区县（市）).
TRAILING_BRACKET_RE = re.compile(r"（((?:[^（）]|（[^（）]*）)*)）\s*[。；]?\s*$")


_ORG_END_RE = re.compile(rf"{_ORG_END}$")


def _split_joined(piece: str) -> list[str]:
    """"各区县市人民政府和园区管委会" → two names; "市人力资源和社会保障局" stays one."""
    for m in re.finditer(r"以及|和|及|与", piece):
        left, right = piece[: m.start()], piece[m.end():]
        if left and right and _ORG_END_RE.search(left):
            return [left, *_split_joined(right)]
    return [piece]


def split_names(raw: str) -> list[str]:
    names: list[str] = []
    for piece in re.split(r"[、，,；;/]", raw):
        piece = re.sub(r"\s+", "", piece).strip("。.")
        if not piece:
            continue
        names.extend(_split_joined(piece))
    return [to_full_width(n) for n in names]


def labelled_units(inner: str) -> tuple[Unit, ...] | None:
    """Units from a text with labels (责任单位：…；配合单位：…), or None when it has no label."""
    norm = to_full_width(inner)
    labels = list(_LABEL_RE.finditer(norm))
    if not labels or labels[0].start() != len(norm) - len(norm.lstrip()):
        return None
    units: list[Unit] = []
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(norm)
        role = _LABELS[m[1]]
        units.extend(Unit(n, role) for n in split_names(norm[m.end():end]))
    return tuple(units)


def worded_units(inner: str) -> tuple[Unit, ...] | None:
    """Units from 牵头/负责/配合 words: "市人社局牵头，市财政局配合", "各区县（市）人民政府负责"."""
    m = _ROLE_WORDS_RE.match(to_full_width(inner).strip())
    if not m or len(inner) > 200:
        return None
    lead_role = ROLE_LEAD if "牵头" in m[2] else ROLE_RESPONSIBLE
    lead = [Unit(n, lead_role) for n in split_names(m[1])]
    if not lead or any(not re.search(rf"{_ORG_END}$|单位$|部门$", u.name) for u in lead):
        return None  # "（…负责）" around words that are not names: not a units annotation
    coop = [Unit(n, ROLE_COOPERATE) for n in split_names(m[3])] if m[3] else []
    return tuple(lead + coop)


def trailing_units(text: str) -> tuple[str, tuple[Unit, ...]]:
    """The units annotation a paragraph ends with, and the text without it; ((text, ()) when there is none)."""
    norm = to_full_width(text)
    m = TRAILING_BRACKET_RE.search(norm)
    if not m:
        return text, ()
    units = labelled_units(m[1]) or worded_units(m[1])
    if not units:
        return text, ()
    return text[: m.start()].rstrip(), units


def units_paragraph(text: str) -> tuple[Unit, ...] | None:
    """A paragraph that is only a units line: "责任单位：市财政局、市税务局" or "牵头单位：…；配合单位：…"."""
    return labelled_units(text.strip())
