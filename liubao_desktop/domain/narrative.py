"""进展情况 / 存在问题 / 下步计划 for one measure, one org, one month."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Narrative:
    """A measure's 工作进展 for a month: 进展情况, 存在问题, 下步计划, and whether it is done."""

    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    done: bool = False  # the clerk's word that a qualitative measure is finished

    @property
    def is_empty(self) -> bool:
        return not (self.progress or self.problems or self.next_steps or self.done)


EMPTY_NARRATIVE = Narrative()
