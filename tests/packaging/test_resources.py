"""resources.find_data_root: the source tree, an installed wheel (package data) and the PyInstaller bundle."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import liubao_desktop
from liubao_desktop import resources
from liubao_desktop.resources import MissingResources, find_data_root, version_from_pyproject

REPO = Path(__file__).resolve().parents[2]


def _root(folder: Path) -> Path:
    (folder / "db").mkdir(parents=True)
    (folder / "db" / "seed.sql").write_text("-- seed", encoding="utf-8")
    (folder / "resources" / "icons").mkdir(parents=True)
    return folder


def test_source_tree(tmp_path: Path) -> None:
    package = tmp_path / "repo" / "liubao_desktop"
    package.mkdir(parents=True)
    _root(tmp_path / "repo")
    assert find_data_root(package) == tmp_path / "repo"


def test_wheel_package_data_wins_over_anything_beside_site_packages(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "liubao_desktop"
    _root(package / "_data")
    _root(tmp_path / "site-packages")  # a stray db/ beside the package is not ours
    assert find_data_root(package) == package / "_data"


def test_bundle_comes_first(tmp_path: Path) -> None:
    bundle = tmp_path / "_internal"
    _root(bundle / "liubao_desktop" / "_data")
    package = tmp_path / "elsewhere" / "liubao_desktop"
    _root(package / "_data")
    assert find_data_root(package, str(bundle)) == bundle / "liubao_desktop" / "_data"


def test_nothing_found_names_where_it_looked(tmp_path: Path) -> None:
    package = tmp_path / "liubao_desktop"
    package.mkdir()
    (tmp_path / "resources").mkdir()  # resources/ alone, without db/seed.sql, is not a root
    with pytest.raises(MissingResources, match="db/seed.sql") as caught:
        find_data_root(package, str(tmp_path / "bundle"))
    assert str(tmp_path / "bundle") in str(caught.value)


def test_this_checkout_uses_its_own_files() -> None:
    assert resources.data_root() == REPO
    assert resources.seed_path() == REPO / "db" / "seed.sql"
    assert resources.resource_path("icons", "app.svg").is_file()
    assert resources.resource_path("unicode", "EquivalentUnifiedIdeograph.txt").is_file()


def test_version_is_pyprojects() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    if sys.version_info >= (3, 11):
        import tomllib

        assert version_from_pyproject(text) == tomllib.loads(text)["project"]["version"]
    assert liubao_desktop.__version__ == version_from_pyproject(text)


def test_version_regex_reads_only_the_project_table() -> None:
    text = '[build-system]\nversion = "9"\n[project]\nname = "x"\nversion = "1.2.3"\n[tool.x]\nversion = "8"\n'
    assert version_from_pyproject(text) == "1.2.3"
    with pytest.raises(ValueError):
        version_from_pyproject('[tool.x]\nversion = "8"\n')


def test_version_command_prints_it() -> None:
    out = subprocess.run([sys.executable, str(REPO / "main.py"), "--version"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == f"liubao-desktop {version_from_pyproject((REPO / 'pyproject.toml').read_text('utf-8'))}"


def test_wheel_build_copies_the_same_files_as_the_spec() -> None:
    """setup.py (the wheel) and packaging/liubao.spec (the bundle) carry the same three things."""
    setup_text = (REPO / "setup.py").read_text(encoding="utf-8")
    assert 'DATA = ("resources", "db/seed.sql", "pyproject.toml")' in setup_text
    spec = (REPO / "packaging" / "liubao.spec").read_text(encoding="utf-8")
    for name in ("resources", "seed.sql", "pyproject.toml"):
        assert name in spec


def test_data_folder_is_qstandardpaths_app_data(tmp_path: Path) -> None:
    """app.default_data_dir: QStandardPaths' AppDataLocation for organisation liubao, application liubao-desktop —
    on Linux under XDG_DATA_HOME, on Windows %APPDATA%\\liubao\\liubao-desktop (Qt's rule; not run here)."""
    code = "from liubao_desktop.app import default_data_dir; print(default_data_dir())"
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                         timeout=60, cwd=REPO).stdout.strip()
    assert Path(out) == tmp_path / "xdg" / "liubao" / "liubao-desktop"
