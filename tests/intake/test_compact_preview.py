"""What issue 12's memory work must not change: the guard still finds a DOCTYPE wherever the inflating chunks cut
it, a file is read whole whatever its size, and a preview's compact changes give back exactly the values read."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from liubao_desktop.domain.figures import BLANK, NOT_APPLICABLE, FigureValue
from liubao_desktop.intake import guard
from liubao_desktop.intake.guard import RefusedFile, check_bytes, read_file
from liubao_desktop.services.import_service import (
    _pack,
    _unpack,
    commit_import,
    preview_import,
    revert_import,
)
from liubao_desktop.services.ledger import Ledger

from .conftest import make_template
from .test_import_round_trips import SEP, fill, some_targets


def _zip_with(member: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", member)
    return out.getvalue()


@pytest.mark.parametrize("cut", [-12, -5, -1, 0, 1, 7])
@pytest.mark.parametrize("marker", [b"<!DOCTYPE", "<!ENTITY".encode("utf-16-le")])
def test_a_declaration_cut_by_the_chunks_is_still_found(cut: int, marker: bytes, tmp_path: Path) -> None:
    at = guard._CHUNK + cut  # the marker starts just before, at or after a chunk's start
    bom = b"\xff\xfe" if marker.startswith(b"<\x00") else b""
    member = bom + b" " * (at - len(bom)) + marker + b" " * 100
    with pytest.raises(RefusedFile, match="DOCTYPE"):
        check_bytes(tmp_path / "x.xlsx", _zip_with(member), "0" * 64)


@pytest.mark.parametrize("size", [0, 1, guard._CHUNK - 1, guard._CHUNK, 3 * guard._CHUNK + 5])
def test_a_file_is_read_whole(size: int, tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    data, _ = read_file(path)
    assert data == path.read_bytes()


@pytest.mark.parametrize("value", [FigureValue.of(Decimal("14000")), FigureValue.of(Decimal("0.8523")),
                                   FigureValue.of(Decimal("-3")), FigureValue.of(Decimal("1E+3")),
                                   FigureValue.of(Decimal("0.10")), FigureValue.of(Decimal(0)), NOT_APPLICABLE,
                                   FigureValue.of_state("推进中"), BLANK])
def test_a_packed_value_comes_back_exactly(value: FigureValue) -> None:
    back = _unpack(_pack(value))
    assert back == value and str(back.number) == str(value.number)


def test_unchanged_cells_are_counted_not_kept_and_undo_uses_the_kept_changes(ledger: Ledger, tmp_path: Path) -> None:
    count, ratio, _ = some_targets(ledger)
    path = fill(make_template(ledger, tmp_path / "t.xlsx"), {count: 1523, ratio: 50}, {count: "备注"})
    first = preview_import(ledger, [path])
    assert sorted((c.target, c.kind, c.sheet, c.org) for c in first.files[0].changes) == sorted(
        (t, "new", "填报表", "430102") for t in (count, ratio))
    result = commit_import(ledger, first)
    assert {c.target for c in result.files[0].written} == {count, ratio}  # the preview's own changes, no copy
    assert all(w is c for w, c in zip(result.files[0].written, first.files[0].changes, strict=True))
    fill(path, {count: 1524})
    again = preview_import(ledger, [path])
    f = again.files[0]
    assert f.count("unchanged") == 1 and f.count("changed") == 1 and len(f.changes) == 1
    c = f.changes[0]
    assert (c.old, c.new, c.old_note, c.new_note) == (FigureValue.of(Decimal(1523)), FigureValue.of(Decimal(1524)),
                                                      "备注", "备注")
    revert_import(ledger, result)
    assert ledger.figures("430102") == {} and ledger.notes("430102", SEP) == {}
