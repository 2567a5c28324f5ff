"""The floor for the app's start (issue 9): the least a PySide6 program must do to show what the app's first window shows.

It opens the same ledger file (``liubao.sqlite3`` in a data folder the app created) with the stdlib ``sqlite3``,
builds the plan tree (parts → measures) and the first measure's targets table, with the current office's figures
of the newest month, as QStandardItemModels (CJK text, as the clerk reads it) and shows them in a QMainWindow: a
tree and a table in a splitter. No ORM, no domain objects, no style sheet, no font choice: what is left between
this and the app is the app's own cost. ``bench/startup.py`` times the app against it.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/floor.py --data-dir DIR
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTableView, QTreeView

TARGET_HEADERS = ("指标", "市级目标", "计量单位", "分解目标", "本期完成", "备注")


def read_ledger(path: Path, org_code: str) -> tuple[str, list[tuple[str, list[tuple[str, str]]]], list[tuple[str, ...]]]:
    """(plan title, [(part, [(measure code, measure title)])], rows of the first measure's targets table for the
    office ``org_code``)."""
    conn = sqlite3.connect(path)
    try:
        plan_id, title = conn.execute("SELECT id, short_title FROM plan ORDER BY id LIMIT 1").fetchone()
        parts: dict[int, tuple[str, list[tuple[str, str]]]] = {}
        for part_id, part_title in conn.execute("SELECT id, title FROM part WHERE plan_id = ? ORDER BY seq", (plan_id,)):
            parts[part_id] = (part_title, [])
        first_measure = None
        for measure_id, part_id, code, measure_title in conn.execute(
                "SELECT m.id, m.part_id, m.code, m.title FROM measure m JOIN part p ON p.id = m.part_id "
                "WHERE p.plan_id = ? ORDER BY p.seq, m.seq", (plan_id,)):
            parts[part_id][1].append((code, measure_title))
            first_measure = measure_id if first_measure is None else first_measure
        org_id = conn.execute("SELECT id FROM org WHERE code = ?", (org_code,)).fetchone()
        period = conn.execute("SELECT max(period) FROM figure WHERE org_id = ?", (org_id[0] if org_id else -1,)).fetchone()
        rows = conn.execute(
            "SELECT t.label, coalesce(t.value, ''), coalesce(t.unit, ''), coalesce(l.base_value, ''), "
            "coalesce(f.base_value, ''), coalesce(f.note, '') FROM target t "
            "LEFT JOIN local_target l ON l.target_id = t.id AND l.org_id = ? "
            "LEFT JOIN figure f ON f.target_id = t.id AND f.org_id = ? AND f.period = ? "
            "WHERE t.measure_id = ? ORDER BY t.seq",
            (org_id[0] if org_id else -1, org_id[0] if org_id else -1, period[0], first_measure)).fetchall()
    finally:
        conn.close()
    return title, list(parts.values()), rows


def current_office(data_dir: Path) -> str:
    """The office the window opens on: this PC's settings.ini (``last_org`` under [General]), read as plain text."""
    import configparser

    ini = configparser.ConfigParser(interpolation=None)
    ini.read(data_dir / "settings.ini", encoding="utf-8")
    return ini.get("General", "last_org", fallback="")


def build_window(data_dir: Path) -> QMainWindow:
    title, parts, rows = read_ledger(data_dir / "liubao.sqlite3", current_office(data_dir))
    tree_model = QStandardItemModel()
    tree_model.setHorizontalHeaderLabels(["任务"])
    for part_title, measures in parts:
        part_item = QStandardItem(part_title)
        for code, measure_title in measures:
            part_item.appendRow(QStandardItem(f"{code} {measure_title}"))
        tree_model.appendRow(part_item)
    table_model = QStandardItemModel(len(rows), len(TARGET_HEADERS))
    table_model.setHorizontalHeaderLabels(list(TARGET_HEADERS))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table_model.setItem(r, c, QStandardItem(text))
    window = QMainWindow()
    window.setWindowTitle(f"六保任务台账 — {title}")
    splitter = QSplitter()
    tree = QTreeView()
    tree.setModel(tree_model)
    tree.expandAll()
    table = QTableView()
    table.setModel(table_model)
    splitter.addWidget(tree)
    splitter.addWidget(table)
    splitter.setSizes([420, 940])
    window.setCentralWidget(splitter)
    window.resize(1360, 860)
    window._models = (tree_model, table_model)  # type: ignore[attr-defined]  # kept alive with the window
    return window


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "--data-dir":
        print("usage: floor.py --data-dir DIR", file=sys.stderr)
        return 2
    app = QApplication([sys.argv[0]])
    window = build_window(Path(argv[1]))
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
