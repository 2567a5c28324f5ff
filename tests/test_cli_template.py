"""`python main.py template`: exit 0 and one line on stdout when written, exit 1 and a Chinese sentence on stderr
when refused (nothing written)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from liubao_desktop.services.ledger import Ledger

from .conftest import REPO


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "main.py"), "template", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=120)


def test_template_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ledger = Ledger.open(data)
    try:
        hr = ledger.add_unit("芙蓉区", "区人社局").code
        ledger.add_unit("芙蓉区", "区民政局")
        ledger.assign(hr, "1.3.1")
    finally:
        ledger.close()
    out = tmp_path / "T.xlsx"
    done = cli(data, "--org", "芙蓉区", "--unit", "区人社局", "--period", "2020-09", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("已生成 芙蓉区 区人社局 2020年9月 的填报模板（1 项指标）") and out.exists()

    refused = cli(data, "--org", "芙蓉区", "--unit", "区民政局", "--period", "2020-09", "--out", str(tmp_path / "R.xlsx"))
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("错误：芙蓉区还没有给“区民政局”分配指标") and not (tmp_path / "R.xlsx").exists()

    bad_month = cli(data, "--org", "芙蓉区", "--period", "2019-01", "--out", str(tmp_path / "M.xlsx"))
    assert bad_month.returncode == 1 and "2019年1月 不在方案的执行期内" in bad_month.stderr

    batch = cli(data, "--org", "芙蓉区", "--all-units", "--period", "2020-09", "--out", str(tmp_path / "all"))
    assert batch.returncode == 0, batch.stderr
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        "芙蓉区-2020-09-填报模板.zip", "芙蓉区-区人社局-2020-09-填报模板.xlsx"]
    assert "区民政局 尚未分配指标" in batch.stdout

    both = cli(data, "--org", "芙蓉区", "--unit", "区人社局", "--all-units")
    assert both.returncode == 2 and "不能与 --unit 同时使用" in both.stderr
