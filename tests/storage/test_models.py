"""The peewee models and the SQL schema describe the same tables."""
from __future__ import annotations

import sqlite3

from liubao_desktop.storage.models import ALL_MODELS
from liubao_desktop.storage.seed_sql import SEED_PATH


def test_models_match_the_seed_schema(tmp_path) -> None:  # noqa: ANN001
    conn = sqlite3.connect(tmp_path / "x.sqlite3")
    conn.executescript(SEED_PATH.read_text(encoding="utf-8"))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {m._meta.table_name for m in ALL_MODELS}
    for model in ALL_MODELS:
        info = {r[1]: (r[3], r[5]) for r in conn.execute(f"PRAGMA table_info({model._meta.table_name})")}
        fields = {f.column_name: f for f in model._meta.sorted_fields}
        assert set(info) == set(fields), model
        for name, field in fields.items():
            notnull, pk = info[name]
            if not pk:
                assert bool(notnull) == (not field.null), (model, name)
