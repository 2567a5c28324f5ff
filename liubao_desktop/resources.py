"""Where the app's resources (icons, style sheet) live: the top-level resources/ folder, read as plain files."""
from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def resource_path(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


def read_text(*parts: str) -> str:
    path = resource_path(*parts)
    return path.read_text(encoding="utf-8") if path.exists() else ""
