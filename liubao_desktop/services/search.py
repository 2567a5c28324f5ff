"""Finding measures as a clerk types: by words, by responsible unit, or by pinyin initials (jyfw → 就业服务)."""
from __future__ import annotations

import re
from functools import lru_cache

_LETTERS = re.compile(r"^[a-z]+$")


@lru_cache(maxsize=4096)
def pinyin_initials(text: str) -> str:
    """就业服务 → "jyfw". Other characters are kept lower-cased so mixed text still lines up."""
    from pypinyin import (  # its dictionaries are large: loaded on the first letter search only
        Style,
        lazy_pinyin,
    )

    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(x[:1] for x in letters).lower()


def matches(query: str, text: str) -> bool:
    """True when every space-separated word of the query is found in the text, directly or by initials."""
    for word in query.lower().split():
        if word in text.lower():
            continue
        if _LETTERS.match(word) and word in pinyin_initials(text):
            continue
        return False
    return True
