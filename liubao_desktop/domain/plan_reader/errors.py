"""The one error of the reader: the document cannot be read as a plan; the message is a Chinese sentence."""
from __future__ import annotations


class PlanReadError(ValueError):
    """The document is not a plan the reader can propose a tree for, or is over the limits; says why, in Chinese."""
