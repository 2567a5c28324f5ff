"""Any plan document in: the blocks of a document (paragraphs, tables) read into a proposed plan tree.

No per-document code and no phrase list: structure, responsible units, deadlines and quantitative targets are
found from the shapes Chinese government plans are written in. What the reader is not sure of is marked, with
the reason, for a person to confirm before the proposal becomes a ``Plan`` (``PlanProposal.to_plan``).

Plain Python like the rest of the domain: the .docx file itself is opened by ``liubao_desktop.documents``,
which hands this package ``Paragraph`` and ``Table`` blocks.
"""
from __future__ import annotations

from .blocks import Block, Paragraph, Table, text_blocks
from .decisions import Decision, apply_decisions, decisions_from_json, decisions_to_json
from .errors import PlanReadError
from .limits import MAX_BLOCKS, MAX_CHARS
from .proposal import (
    ROLE_COOPERATE,
    ROLE_LEAD,
    ROLE_RESPONSIBLE,
    PlanProposal,
    ProposedMeasure,
    ProposedPart,
    ProposedTarget,
    Section,
    Unit,
)
from .reader import read_plan, read_plan_text

__all__ = [
    "MAX_BLOCKS", "MAX_CHARS", "ROLE_COOPERATE", "ROLE_LEAD", "ROLE_RESPONSIBLE", "Block", "Decision", "Paragraph",
    "PlanProposal", "PlanReadError", "ProposedMeasure", "ProposedPart", "ProposedTarget", "Section", "Table",
    "Unit", "apply_decisions", "decisions_from_json", "decisions_to_json", "read_plan", "read_plan_text",
    "text_blocks",
]
