"""Documents on disk read into plain blocks for the plan reader: .txt, and .docx through python-docx (the only
package that imports it). A .doc or .wps is refused with "请另存为 .docx"; a file over the limits is refused
before or while it is read, never read slowly (``docx_file``)."""
from __future__ import annotations

from .reading import read_document, read_plan_file

__all__ = ["read_document", "read_plan_file"]
