from __future__ import annotations

from pathlib import Path

import pytest

from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.template_service import write_template_file


def make_template(ledger: Ledger, out: Path, org: str = "430102", unit: str | None = None,
                  period: str = "2020-09") -> Path:
    office = ledger.org(org)
    return write_template_file(ledger, office, ledger.org(unit) if unit else None, Period.parse(period), out).path


@pytest.fixture
def template_bytes(ledger: Ledger, tmp_path: Path) -> bytes:
    return make_template(ledger, tmp_path / "base.xlsx").read_bytes()
