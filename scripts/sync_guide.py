"""Copy the clerk's guide (resources/help/guide.md, shown by 帮助 → 使用说明) into README.md between its markers.

The guide is written once, in resources/help/guide.md; tests/ui/test_help.py fails while README.md holds another
text. Run `python scripts/sync_guide.py` after editing the guide.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "resources" / "help" / "guide.md"
README = ROOT / "README.md"
BEGIN = "<!-- 使用说明 begin: resources/help/guide.md, copied by scripts/sync_guide.py -->"
END = "<!-- 使用说明 end -->"


def readme_guide(readme: str) -> str:
    """The guide as README.md holds it (the text between the markers)."""
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[start:end].strip("\n") + "\n"


def synced(readme: str, guide: str) -> str:
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + guide.strip("\n") + "\n" + readme[end:]


def main() -> int:
    readme = README.read_text(encoding="utf-8")
    new = synced(readme, GUIDE.read_text(encoding="utf-8"))
    if new != readme:
        README.write_text(new, encoding="utf-8")
        print("README.md: the guide copied in")
    return 0


if __name__ == "__main__":
    sys.exit(main())
