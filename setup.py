"""Only for the package data: the metadata is in pyproject.toml.

A wheel carries the files the app reads at run time — resources/, db/seed.sql and pyproject.toml (the version) —
inside the package as liubao_desktop/_data/, where liubao_desktop/resources.py looks for them. They stay at the
top of the source tree (an editable install and `make run` read them there), so build_py copies them.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = ("resources", "db/seed.sql", "pyproject.toml")  # packaging/liubao.spec bundles the same three


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the source tree
        target = Path(self.build_lib) / "liubao_desktop" / "_data"
        for name in DATA:
            src, dst = ROOT / name, target / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, dst)


setup(cmdclass={"build_py": BuildPyWithData})
