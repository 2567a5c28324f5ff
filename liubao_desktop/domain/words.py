"""The few words a clerk reads for a state rather than a number, each written once.

A report, a workbook, the window and the audit trail must say the same word for the same state, so they all
import it from here instead of typing it again.
"""
from __future__ import annotations

NOT_APPLICABLE_TEXT = "不适用"  # a figure, or a target's status: this target does not concern the office
BLANK_TEXT = "空白"  # a figure cleared, as a saved message names it
REPORTED_TEXT = "已填报"
NOT_REPORTED_TEXT = "未填报"  # no figure for the month (a blank cell)
FOLLOWS_CITY_TEXT = "按市级目标"  # no 分解目标: completion is measured against the city's target
UNCHANGED_TEXT = "未改动"  # the message of an edit that changed nothing
UNSIGNED_TEXT = "未署名"  # the operator of a change when nobody gave a name
UNDECOMPOSED_TEXT = "未分解"  # an amount of the whole city with no 分解目标 for the office: no rate, no colour
NOT_INVOLVED_TEXT = "不涉及"  # a target whose measure is not the office's (switchable per target)
# 定性 targets take a state, never a number.
STATE_NOT_STARTED = "未开始"
STATE_IN_PROGRESS = "推进中"
STATE_DONE = "已完成"
STATES = (STATE_NOT_STARTED, STATE_IN_PROGRESS, STATE_DONE)
REACHED_TEXT = "达到"
NOT_REACHED_TEXT = "未达到"
