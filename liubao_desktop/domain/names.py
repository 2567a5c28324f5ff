"""The closest names to one a clerk typed (财政局 → 市财政局), for a refusal that helps instead of listing all."""
from __future__ import annotations

from collections.abc import Iterable


def closest_names(typed: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """Names containing what was typed (or contained in it) first, then the most alike by difflib."""
    typed = typed.strip()
    names = list(dict.fromkeys(names))
    if not typed:
        return []
    containing = [n for n in names if typed in n or n in typed]
    containing.sort(key=lambda n: (abs(len(n) - len(typed)), names.index(n)))
    import difflib  # only for a name that was not found: kept off the window's start

    alike = difflib.get_close_matches(typed, names, n=limit, cutoff=0.5)
    return list(dict.fromkeys([*containing, *alike]))[:limit]


def unknown_name(kind: str, typed: str, names: Iterable[str]) -> str:
    """"没有名为“财政局”的责任单位。是不是：市财政局？" — or, with nothing alike, where to look."""
    found = closest_names(typed, names)
    hint = f"是不是：{'、'.join(found)}？" if found else "请检查名称（可用 plan 命令列出方案中的全部名称）。"
    return f"没有名为“{typed}”的{kind}。{hint}"
