"""Where the app's files that are not Python live — ``resources/`` (icon, the clerk's guide, the Unicode table),
``db/seed.sql`` and ``pyproject.toml`` (the version) — however the app was installed.

One function, ``data_root``, finds the folder that holds them, in this order:

1. the PyInstaller bundle: ``<sys._MEIPASS>/liubao_desktop/_data`` (packaging/liubao.spec puts them there);
2. an installed wheel: ``<site-packages>/liubao_desktop/_data`` (package data, copied by setup.py's build_py);
3. the source tree (``make run``, an editable install): the repository root beside the package.

The same three names under each root: ``resources/…``, ``db/seed.sql``, ``pyproject.toml``. No Qt here (the
layer contract), so a headless command and the tests find the same files the window does.
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIRNAME = "_data"  # inside the package, in a wheel and in the bundle
_MARKER = Path("db") / "seed.sql"  # every root has it; a stray "resources" folder elsewhere is not a root


class MissingResources(RuntimeError):
    """Neither a bundle, nor package data, nor a source tree: the installation is broken."""


def candidate_roots(package_dir: Path = PACKAGE_DIR, frozen_dir: str | None = None) -> list[Path]:
    """The folders data_root tries, in order. ``frozen_dir`` is PyInstaller's ``sys._MEIPASS`` (None when not frozen)."""
    roots = []
    if frozen_dir:
        roots.append(Path(frozen_dir) / "liubao_desktop" / DATA_DIRNAME)
    roots += [package_dir / DATA_DIRNAME, package_dir.parent]
    return roots


def find_data_root(package_dir: Path = PACKAGE_DIR, frozen_dir: str | None = None) -> Path:
    """The first of candidate_roots that holds ``db/seed.sql``; raises MissingResources naming where it looked."""
    roots = candidate_roots(package_dir, frozen_dir)
    for root in roots:
        if (root / _MARKER).is_file():
            return root
    raise MissingResources("找不到软件的数据文件（db/seed.sql），安装可能不完整，请重新安装。已查找："
                           + "、".join(str(r) for r in roots))


@lru_cache(maxsize=1)
def data_root() -> Path:
    """The root for this process: the bundle, the installed package data or the source tree."""
    return find_data_root(PACKAGE_DIR, getattr(sys, "_MEIPASS", None))


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``: ``resource_path("icons", "app.svg")``."""
    return data_root().joinpath("resources", *parts)


def seed_path() -> Path:
    """``db/seed.sql``: the schema and the whole plan a new database is made from."""
    return data_root() / _MARKER


def read_text(*parts: str) -> str:
    path = resource_path(*parts)
    return path.read_text(encoding="utf-8") if path.exists() else ""


_VERSION_RE = re.compile(r'^\[project\][^\[]*?^version\s*=\s*"([^"]+)"', re.MULTILINE | re.DOTALL)


def version_from_pyproject(text: str) -> str:
    """The ``version`` of the ``[project]`` table (a plain regex: tomllib is Python 3.11+, we support 3.10)."""
    match = _VERSION_RE.search(text)
    if not match:
        raise ValueError("pyproject.toml has no [project] version")
    return match.group(1)


@lru_cache(maxsize=1)
def app_version() -> str:
    """The version in pyproject.toml — the source tree's, or the copy in the wheel's or the bundle's ``_data``."""
    try:
        return version_from_pyproject((data_root() / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError, MissingResources):
        return "0+unknown"
