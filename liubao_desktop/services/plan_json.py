"""The plan as JSON for other tools: the shape is a published contract (see README), keep it stable."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ..domain.plan import Plan


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    # JSON numbers: integers stay integers; short decimals print exactly through float's shortest repr.
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {
        "plan": {
            "title": plan.title,
            "doc_number": plan.doc_number,
            "issuer": plan.issuer,
            "issued_on": _date(plan.issued_on),
            "effective_from": _date(plan.effective_from),
            "effective_to": _date(plan.effective_to),
        },
        "parts": [
            {
                "code": part.code,
                "title": part.title,
                "measures": [
                    {
                        "code": m.code,
                        "title": m.title,
                        "text": m.text,
                        "units": list(m.units),
                        "deadline": _date(m.deadline),
                        "targets": [
                            {
                                "code": t.code,
                                "label": t.label,
                                "value": _num(t.value),
                                "unit": t.unit,
                                "base_value": _num(t.base_value),
                                "base_unit": t.base_unit,
                                "comparator": t.comparator,
                                "deadline": _date(t.deadline),
                                "source": t.source,
                            }
                            for t in m.targets
                        ],
                    }
                    for m in part.measures
                ],
            }
            for part in plan.parts
        ],
    }
