"""How much the reader takes: a plan is tens of pages; a 5,000-page document is refused, never read slowly.

The .docx reader (``liubao_desktop.documents``) checks its own limits (file size, zip entries, paragraphs,
time) before and while opening the file; these hold for every document, a .txt included.
"""
from __future__ import annotations

from .errors import PlanReadError

MAX_BLOCKS = 20_000  # paragraphs and tables: a long plan has a few hundred; 20,000 is ~600 pages
MAX_CHARS = 2_000_000  # characters of text: ~1,000 pages of dense Chinese
MAX_TABLE_ROWS = 5_000  # rows of all tables together


def check_size(blocks: int, chars: int, table_rows: int = 0) -> None:
    if blocks > MAX_BLOCKS:
        raise PlanReadError(f"文件有{blocks}个段落，超过上限{MAX_BLOCKS}个，不像一份实施方案，未读取。")
    if chars > MAX_CHARS:
        raise PlanReadError(f"文件有{chars}个字，超过上限{MAX_CHARS}个字，不像一份实施方案，未读取。")
    if table_rows > MAX_TABLE_ROWS:
        raise PlanReadError(f"文件中的表格共有{table_rows}行，超过上限{MAX_TABLE_ROWS}行，未读取。")
