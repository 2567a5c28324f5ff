"""Hand-checked trees of the three documents written for the reader, and how a proposal is scored on them.

A target is identified by its measure, value and unit (a 定性 target by its measure and its 定性 word); a unit by
its measure, name and role. Precision = found and expected / found; recall = found and expected / expected.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from liubao_desktop.domain.plan_reader import PlanProposal

D = Decimal
Y21 = date(2021, 12, 31)


@dataclass(frozen=True)
class T:
    value: Decimal | None  # None: 定性
    unit: str | None  # the 定性 word for a 定性 target
    comparator: str
    kind: str
    deadline: date | None


@dataclass(frozen=True)
class M:
    code: str
    title: str
    units: tuple[tuple[str, str], ...]  # (name, role)
    targets: tuple[T, ...] = ()


RESP, LEAD, COOP = "责任", "牵头", "配合"

# documents/articles.txt: 第X章 / 第X条, units as （牵头单位：…；配合单位：…）, "（…牵头，…配合）", "（…负责）".
ARTICLES = (
    M("1.1", "为稳定就业大局，根据国家和省有关规定，结合本市实际，制定本措施", ()),
    M("1.2", "本措施适用于本市行政区域内的用人单位和劳动者", ()),
    M("2.1", "减负稳岗", (("市人力资源社会保障局", LEAD), ("市财政局", COOP), ("市税务局", COOP)),
      (T(D(3000), "家", ">=", "cumulative", None),)),  # 返还…50% is a refund rate, not a target
    M("2.2", "扩大就业见习", (("市人力资源社会保障局", LEAD), ("市教育局", COOP), ("团市委", COOP)),
      (T(D(2000), "个", ">=", "cumulative", Y21), T(D(40), "%", ">=", "rate", Y21))),
    M("2.3", "降低企业用工成本", (("市人力资源社会保障局", RESP), ("市医保局", RESP)),
      (T(D(10), "亿元", ">=", "cumulative", Y21),)),
    M("3.1", "支持高校毕业生就业", (("市教育局", RESP), ("市人力资源社会保障局", RESP)),
      (T(D(500), "个", ">=", "cumulative", date(2021, 6, 30)), T(D(90), "%", ">=", "rate", Y21))),
    M("3.2", "帮扶就业困难人员", (("各区县（市）人民政府", RESP),),
      (T(D(5), "万人", ">=", "cumulative", Y21), T(D("4.5"), "%", "<=", "rate", Y21),
       T(None, "清零", "done", "done", Y21))),
    M("3.3", "促进农村劳动力转移就业", (("市农业农村局", LEAD), ("市人力资源社会保障局", COOP)),
      (T(D("1.2"), "万人", ">=", "cumulative", Y21),)),
    M("4.1", "本措施由市人力资源社会保障局负责解释", ()),
    M("4.2", "本措施自2021年3月1日起施行，有效期至2022年12月31日", ()),
)

# documents/numerals.txt: 一、/（一）/1．, targets in Chinese numerals, 一半, ranges, 月底前 / 年底前.
NUMERALS = (
    M("1.1", "压缩办理时限", (("县行政审批服务局", RESP), ("县市场监管局", RESP), ("县住房城乡建设局", RESP)),
      (T(D(1), "工作日", "<=", "stock", None), T(D(40), "工作日", "<=", "stock", None))),
    M("1.2", "扩大网上办理", (("县数据资源局", RESP),),
      (T(D(95), "%", ">=", "rate", None), T(None, "全覆盖", "done", "done", Y21))),
    M("2.1", "减税降费", (("县税务局", LEAD), ("县财政局", COOP), ("县发展改革局", COOP)),
      (T(D(3000), "万元", ">=", "cumulative", Y21), T(D(50), "%", "reduce_by", "rate", Y21))),
    # 每户一千元—两千元 is a subsidy standard: not expected (the reader proposes it, marked unsure).
    M("2.2", "融资支持", (("县金融办", LEAD), ("县财政局", COOP), ("人民银行岳阳县支行", COOP)),
      (T(D(2), "亿元", ">=", "cumulative", None), T(D(1), "家", ">=", "cumulative", None),
       T(D(1), "%", "<=", "rate", None))),
)

# tests/plan_reader/docs.py fengong_docx: a 分工表 with merged section rows.
FENGONG = (
    M("1.1", "稳定就业岗位", (("区人力资源社会保障局", LEAD), ("区财政局", COOP), ("各街道办事处", COOP)),
      (T(D(8000), "人", ">=", "cumulative", Y21), T(D("5.5"), "%", "<=", "rate", Y21))),
    M("1.2", "开展职业技能培训", (("区人力资源社会保障局", LEAD), ("区教育局", COOP)),
      (T(D("1.5"), "万人次", ">=", "cumulative", None),)),
    M("2.1", "推进老旧小区改造", (("区住房城乡建设局", LEAD), ("各街道办事处", COOP)),
      (T(D(42), "个", ">=", "cumulative", date(2021, 11, 30)), T(D("1.2"), "万户", ">=", "cumulative", date(2021, 11, 30)))),
    M("2.2", "巩固义务教育成果", (("区教育局", LEAD), ("区发展改革局", COOP), ("区财政局", COOP)),
      (T(D(100), "%", ">=", "rate", date(2021, 8, 31)), T(D(3000), "个", ">=", "cumulative", date(2021, 8, 31)))),
    M("2.3", "兜牢民生底线", (("区民政局", LEAD), ("区财政局", COOP)),
      (T(None, "应保尽保", "done", "done", None), T(D(500), "万元", ">=", "cumulative", None))),
)


def _target_key(code: str, value: Decimal | None, unit: str | None, source: str = "") -> tuple:
    if value is None:
        return (code, "定性", unit if unit and unit in source else unit)
    return (code, value, unit)


def score(proposal: PlanProposal, expected: tuple[M, ...]) -> dict[str, float | int | list]:
    want_t = {}
    for m in expected:
        for t in m.targets:
            want_t[_target_key(m.code, t.value, t.unit)] = t
    got_t = {}
    for m in proposal.measures():
        for t in m.targets:
            word = next((w for m_ in expected if m_.code == m.code for w_ in m_.targets
                         if w_.value is None and (w := w_.unit) and w in t.source), "定性") if t.value is None else None
            got_t[_target_key(m.code, t.value, word if t.value is None else t.unit)] = t
    hit_t = set(want_t) & set(got_t)
    exact = [k for k in hit_t if (got_t[k].comparator, got_t[k].kind, got_t[k].deadline)
             == (want_t[k].comparator, want_t[k].kind, want_t[k].deadline)]
    want_u = {(m.code, n, r) for m in expected for n, r in m.units}
    got_u = {(m.code, u.name, u.role) for m in proposal.measures() for u in m.units}
    hit_u = want_u & got_u
    return {
        "targets_expected": len(want_t), "targets_found": len(got_t), "targets_hit": len(hit_t),
        "targets_exact": len(exact),
        "target_precision": len(hit_t) / len(got_t) if got_t else 1.0,
        "target_recall": len(hit_t) / len(want_t) if want_t else 1.0,
        "unit_precision": len(hit_u) / len(got_u) if got_u else 1.0,
        "unit_recall": len(hit_u) / len(want_u) if want_u else 1.0,
        "missed": sorted(map(str, set(want_t) - set(got_t))),
        "extra": sorted(f"{k} unsure={bool(got_t[k].unsure)}" for k in set(got_t) - set(want_t)),
        "inexact": sorted(f"{k}: got {(got_t[k].comparator, got_t[k].kind, got_t[k].deadline)}"
                          for k in hit_t - set(exact)),
        "measures": [(m.code, m.title) for m in proposal.measures()] == [(m.code, m.title) for m in expected],
    }
