"""The report opens in a real word processor: LibreOffice converts it to PDF — A4 pages, 22 lines of at most 28
characters, the page numbers "— N —", a Chinese face embedded for the faces the document asks for."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from .test_report_draft import Written, written  # noqa: F401  (the module's report, written once)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                               "scripts/system-packages.sh test installs libreoffice-writer-nogui"),
]
CJK = ("CJK", "WenQuanYi", "SimSun", "Song", "FangSong", "Kai", "Hei", "YaHei")


def to_pdf(src: Path, outdir: Path) -> Path:
    profile = outdir / "profile"
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(outdir), str(src)],
                          capture_output=True, text=True, timeout=180)
    out = outdir / f"{src.stem}.pdf"
    if not out.exists() and "source file could not be loaded" in done.stdout + done.stderr:
        pytest.skip("LibreOffice Writer is not installed (apt-get install libreoffice-writer-nogui)")
    assert done.returncode == 0 and out.exists(), done.stdout + done.stderr
    return out


def width(line: str) -> float:
    """Characters of a line as the grid counts them: Latin letters and digits are half one."""
    text = line.replace(" ", "")
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def test_libreoffice_lays_it_out_on_a4(written: Written, tmp_path: Path) -> None:  # noqa: F811
    pdf = PdfReader(str(to_pdf(written.path, tmp_path)))
    pages = pdf.pages
    assert 3 <= len(pages) <= 20
    for page in pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    texts = [p.extract_text() for p in pages]
    assert "关于芙蓉区2020年10月六保任务" in texts[0].replace(" ", "")
    for i, text in enumerate(texts, 1):
        assert text.rstrip().endswith(f"— {i} —"), (i, text[-40:])
    body = texts[1].splitlines()[:-1]  # a page of body text, its page number left off
    assert 18 <= len(body) <= 22
    widths = [width(line) for line in body]
    # Full lines hold 28 (26 after the indent), not 15. How many a line really shows depends on the face LibreOffice
    # substitutes for 仿宋_GB2312 (digits and punctuation of another width), so the long lines need only reach 24.
    assert max(widths) <= 28 and sorted(widths)[-3] >= 24
    fonts = {str(f.get_object()["/BaseFont"]) for p in pages for f in p["/Resources"]["/Font"].values()}
    assert any(any(c.casefold() in f.casefold() for c in CJK) for f in fonts), fonts
    # what the document asks for, by name, for Word and WPS on an office PC
    doc = Document(str(written.path))
    asked = {el.get(qn("w:eastAsia")) for el in doc.element.body.iter(qn("w:rFonts"))}
    assert {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"} <= asked
