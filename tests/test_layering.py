"""Imports only go downward: ui → services → storage | export → domain, and everything may use files (see
docs). Checked, not hoped."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "liubao_desktop"

FORBIDDEN = {
    "files": ("PySide6", "peewee", "playhouse", "openpyxl", "liubao_desktop.domain", "liubao_desktop.storage",
              "liubao_desktop.services", "liubao_desktop.export", "liubao_desktop.printing", "liubao_desktop.ui"),
    "domain": ("PySide6", "peewee", "playhouse", "openpyxl", "liubao_desktop.storage", "liubao_desktop.services",
               "liubao_desktop.export", "liubao_desktop.printing", "liubao_desktop.ui"),
    "storage": ("PySide6", "openpyxl", "liubao_desktop.services", "liubao_desktop.export",
                "liubao_desktop.printing", "liubao_desktop.ui"),
    "services": ("PySide6", "liubao_desktop.ui"),
    "export": ("PySide6", "peewee", "playhouse", "liubao_desktop.storage", "liubao_desktop.services",
               "liubao_desktop.ui", "liubao_desktop.printing"),
    "printing": ("PySide6.QtWidgets", "peewee", "playhouse", "openpyxl", "liubao_desktop.storage",
                 "liubao_desktop.ui"),
    "ui": ("peewee", "playhouse", "openpyxl", "liubao_desktop.storage"),
}


def imported_modules(path: Path) -> list[str]:
    module = "liubao_desktop." + ".".join(path.relative_to(PKG).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                out.append(".".join([*base, node.module] if node.module else base))
            else:
                out.append(node.module or "")
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downward(layer: str) -> None:
    bad = []
    for path in sorted((PKG / layer).rglob("*.py")):
        for name in imported_modules(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[layer]):
                bad.append(f"{path.relative_to(PKG.parent)} imports {name}")
    assert not bad, "\n".join(bad)


def test_the_checker_sees_relative_imports() -> None:
    names = imported_modules(PKG / "services" / "ledger.py")
    assert "liubao_desktop.storage.database" in names
