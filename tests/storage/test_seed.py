"""The seed is proven against the plan document as issued, not against itself."""
from __future__ import annotations

import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from liubao_desktop.domain.orgs import PRESET_ORGS
from liubao_desktop.domain.quantities import split_unit
from liubao_desktop.storage.seed_sql import SEED_PATH, SOURCES_DIR, changsha_plan, render_seed

from ..conftest import REPO

SOURCE = SOURCES_DIR / "changsha-2020-26.txt"
SHARED_SOURCE = REPO.parent / "shared" / "plan-source" / "changsha-2020-26.txt"


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("seed") / "seed.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(SEED_PATH.read_text(encoding="utf-8"))
    return conn


@pytest.fixture(scope="module")
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


def squash(text: str) -> str:
    return re.sub(r"\s+|\*\*", "", text)


def test_bundled_source_is_the_document_as_issued() -> None:
    if not SHARED_SOURCE.exists():
        pytest.skip("shared/plan-source is not beside this checkout")
    assert SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


def test_committed_seed_is_what_the_parser_makes_from_the_document() -> None:
    assert SEED_PATH.read_text(encoding="utf-8") == render_seed(changsha_plan(), PRESET_ORGS), (
        "db/seed.sql is stale: run `make seed`"
    )


def test_plan_metadata(seed_db: sqlite3.Connection) -> None:
    row = seed_db.execute(
        "SELECT title, doc_number, issuer, issued_on, effective_from, effective_to FROM plan"
    ).fetchone()
    assert row == (
        "长沙市全面落实“六保”任务做好当前重点工作的实施方案",
        "长政办发〔2020〕26号",
        "长沙市人民政府办公厅",
        "2020-07-31",
        "2020-08-01",
        "2021-12-31",
    )


def test_counts_match_the_headings_in_the_text(seed_db: sqlite3.Connection, source_text: str) -> None:
    parts = re.findall(r"^[一二三四五六七]、", source_text, re.M)
    measures = re.findall(r"^[（(]\s*[一二三四五六七八九十]+\s*[）)]", source_text, re.M)
    unit_lists = re.findall(r"责任单位：", source_text)
    assert len(parts) == 7 and len(measures) == 30
    assert seed_db.execute("SELECT count(*) FROM part").fetchone()[0] == 7
    assert seed_db.execute("SELECT count(*) FROM measure").fetchone()[0] == 30
    assert seed_db.execute("SELECT count(DISTINCT measure_id) FROM measure_unit").fetchone()[0] == len(unit_lists)
    per_part = [r[0] for r in seed_db.execute("SELECT count(*) FROM measure GROUP BY part_id ORDER BY part_id")]
    assert per_part == [4, 4, 5, 5, 5, 4, 3]
    assert seed_db.execute("SELECT count(*) FROM target").fetchone()[0] == 39


def test_every_measure_text_is_in_the_document_with_page_breaks_joined(
    seed_db: sqlite3.Connection, source_text: str
) -> None:
    flat = squash(source_text)
    for code, text in seed_db.execute("SELECT code, text FROM measure"):
        assert "\n" not in text and "**" not in text, code
        assert squash(text) in flat, code
    text_14 = seed_db.execute("SELECT text FROM measure WHERE code='1.4'").fetchone()[0]
    assert text_14.endswith("推进中国长沙人力资源服务产业园建设。")


def test_units_of_every_measure_in_document_order(seed_db: sqlite3.Connection, source_text: str) -> None:
    raw_lists = [squash(m) for m in re.findall(r"责任单位：(.+?)[）)]", source_text, re.S)]
    seeded = []
    for (measure_id,) in seed_db.execute(
        "SELECT DISTINCT measure_id FROM measure_unit ORDER BY measure_id"
    ).fetchall():
        names = [r[0] for r in seed_db.execute(
            "SELECT u.name FROM measure_unit mu JOIN unit u ON u.id = mu.unit_id WHERE mu.measure_id=? ORDER BY mu.seq",
            (measure_id,),
        )]
        seeded.append(names)
    assert len(seeded) == len(raw_lists)
    for raw, names in zip(raw_lists, seeded, strict=False):
        # Joining the names back gives the list as written (和 joins the last two where the text says so).
        assert raw in ("、".join(names), "、".join(names[:-1]) + "和" + names[-1]), (raw, names)
    leads = seed_db.execute(
        "SELECT count(*) FROM measure_unit WHERE role='lead' AND seq=1"
    ).fetchone()[0]
    assert leads == len(raw_lists)
    assert "园区管委会" in {r[0] for r in seed_db.execute("SELECT name FROM unit")}
    assert "各区县市人民政府" in {r[0] for r in seed_db.execute("SELECT name FROM unit")}


def test_every_target_phrase_is_in_its_measure_and_value_times_scale_is_base(seed_db: sqlite3.Connection) -> None:
    rows = seed_db.execute(
        "SELECT t.code, t.source, m.text, t.value, t.unit, t.base_value, t.base_unit, t.comparator "
        "FROM target t JOIN measure m ON m.id = t.measure_id"
    ).fetchall()
    for code, source, text, value, unit, base_value, base_unit, comparator in rows:
        assert source in text, code
        assert code.startswith(code.rsplit(".", 1)[0])
        if comparator == "done":
            assert value is None and base_value is None
            continue
        scale, expected_base_unit = split_unit(unit)
        assert Decimal(value) * scale == Decimal(base_value), code
        assert base_unit == expected_base_unit, code
        # The number as written is in the phrase ("百分之百" is the one written in words).
        assert value in source or (value == "100" and "百分之百" in source), code


@pytest.mark.parametrize(
    ("code", "value", "unit", "base", "comparator", "deadline"),
    [
        ("1.3.1", "1.4", "万人", "14000", ">=", "2020-12-31"),
        ("2.2.2", "10371", "万元", "103710000", ">=", None),
        ("2.4.1", "8.5", "亿元", "850000000", ">=", "2020-12-31"),
        ("4.2.2", "166", "万吨", "1660000", ">=", None),
        ("4.5.1", "1000", "万千瓦", "10000000", ">=", "2020-12-31"),
        ("6.3.2", "10", "%", "0.1", "increase_by", "2020-12-31"),
        ("6.4.1", "20", "%", "0.2", "reduce_by", "2020-12-31"),
    ],
)
def test_known_targets(seed_db: sqlite3.Connection, code: str, value: str, unit: str, base: str,
                       comparator: str, deadline: str | None) -> None:
    row = seed_db.execute(
        "SELECT value, unit, base_value, comparator, deadline FROM target WHERE code=?", (code,)
    ).fetchone()
    assert row == (value, unit, base, comparator, deadline)


def test_measure_deadlines(seed_db: sqlite3.Connection) -> None:
    rows = dict(seed_db.execute("SELECT code, deadline FROM measure WHERE deadline IS NOT NULL").fetchall())
    assert rows == {"4.5": "2020-12-31", "6.1": "2020-08-31", "6.4": "2020-08-31"}


def test_seed_has_the_offices_to_choose_from(seed_db: sqlite3.Connection) -> None:
    names = [r[0] for r in seed_db.execute("SELECT name FROM org WHERE kind != 'city' ORDER BY seq")]
    assert names[:9] == ["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区", "长沙县", "浏阳市", "宁乡市"]
    assert "湘江新区" in names and len(names) == 13
    # the city over them: every office reports to 长沙市
    parents = {r[0] for r in seed_db.execute(
        "SELECT p.name FROM org o JOIN org p ON p.id = o.parent_id WHERE o.kind != 'city'")}
    assert parents == {"长沙市"}
    assert seed_db.execute("SELECT code, parent_id FROM org WHERE kind = 'city'").fetchall() == [("430100", None)]


def test_seed_file_location_is_the_documented_one() -> None:
    assert Path(REPO) / "db" / "seed.sql" == SEED_PATH
