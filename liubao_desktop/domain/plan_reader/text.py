"""Text as the reader compares it: half-width punctuation read as full-width, one character for one, so that an
offset found in the normalized text is the same offset in the text as written (phrases are cut from the latter)."""
from __future__ import annotations

_WIDTH = str.maketrans({
    "(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！",
    **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width digits → 0-9
    "％": "%", "．": ".", "\u3000": " ",
})
TERMINATORS = tuple("。！？；：”’）》")
CJK = r"\u4e00-\u9fff"


def to_full_width(text: str) -> str:
    """Same length, same offsets: (一) → （一）, 50％ → 50%, ２０ → 20."""
    return text.translate(_WIDTH)
