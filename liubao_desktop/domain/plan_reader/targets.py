"""Quantitative and 定性 targets found in a measure's text, with no list of phrases.

A target is a number with a unit (Arabic or Chinese numerals, a range, a percentage) or a 定性 word (清零,
全覆盖); its phrase is its clause, cut at 、 when a clause holds several. Around it the comparator (不低于, 以上,
不超过, 控制在…以内, 压减, 提升 …), the kind (a rate, a level held or built, a count built up over the months,
定性) and the deadline of its own sentence are read. Years (2020年), dates, section numbers (11.1), durations
(3个月) and anything inside quotation marks or 《》 are never taken for values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ..plan import KIND_CUMULATIVE, KIND_DONE, KIND_RATE, KIND_STOCK
from ..quantities import split_unit
from .dates import sentence_deadline
from .numerals import cn_decimal
from .proposal import ProposedTarget
from .text import to_full_width

# Base units, longest first; a negative look-ahead keeps 个月, 条件, 家庭, 人民, 项目 … out.
_BASE_UNITS = (
    "个百分点", "个工作日", "工作日", "千瓦时", "千瓦", "兆瓦", "公顷", "平方公里", "平方米", "立方米", "公里",
    "千米", "亩", "吨", "人次", "场次", "家次", "个(?!月|人|体|性|别|案|税)", "所(?!属|有|在|得|需|以)",
    "户(?!籍|口|外|型)", "家(?!庭|居|长|具|电|政|乡|门|属)", "条(?!件|例|款|线|块)", "列(?!入|为|出|车)",
    "名(?!单|义|称|录|牌|额)", "套(?!餐|路)", "辆", "台(?!账|阶|湾)", "项(?!目)", "场(?!所|景|地|馆|次)",
    "座(?!谈)", "间(?!隔)", "张(?!家)", "件(?!事)", "栋", "处(?!理|置|罚)", "支(?!持|付|出|撑)",
    "床", "艘", "架(?!构)", "元", "%", "‰", "小时", "天", "人(?!民|员|才|口|均|社|大|力|群|事)",
)
_SCALE = r"(?:(?:十|百|千)?(?:万|亿))"
UNIT_RE = rf"(?:{_SCALE}?(?:{'|'.join(_BASE_UNITS)}))"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CNUM = r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
_RANGE = r"(?:到|至|—|–|-|－|~|～)"
QUANTITY_RE = re.compile(
    rf"(?P<pct>百分之)(?P<pn>{_CNUM}|{_NUM})"
    rf"|(?P<half>一半)"
    rf"|(?P<n1>{_NUM}|{_CNUM})\s*(?P<u1>{UNIT_RE})?\s*(?:{_RANGE}\s*(?P<n2>{_NUM}|{_CNUM}))?\s*(?P<unit>{UNIT_RE})"
)
_QUALITATIVE_RE = re.compile(r"动态清零|全部清零|清零|全覆盖|全部消除|全面消除")

_LE_WORDS = ("不超过", "不高于", "不大于", "控制在", "低于", "少于", "压缩至", "压缩到", "降至", "降到", "降低到",
             "降低至", "减少到", "减少至", "缩短至", "缩短到", "控制到", "压减至", "压减到")
_REDUCE_WORDS = ("压减", "减少", "下降", "降低", "压缩", "缩减", "缩短", "削减")
_INCREASE_WORDS = ("提升", "增长", "提高", "增加", "上升")
_GE_WORDS = ("不低于", "不少于", "不小于", "达到", "超过", "至少", "突破", "扩大到", "扩大至", "提高到", "提高至",
             "提升到", "提升至", "增加到", "增加至", "扩充至", "扩充到", "增至", "达")
# A level held or built (仓容166万吨完好, 储备粮规模18万吨, 供电能力达到…, 每个卫生院2名): stock, not a sum.
_STOCK_WORDS = ("确保", "严守", "守住", "保持", "稳定在", "维持", "达到", "扩充至", "扩充到", "增加到", "增至",
                "提高到", "提高至", "提升到", "提升至", "扩大到", "扩大至", "建立", "规模", "保有", "总量", "存量")
# ... unless the phrase counts what is added over the period.
_FLOW_WORDS = ("新增", "累计", "全年", "年内", "每年", "年均")
# Before a single-character Chinese numeral (一, 两 …) only a verb makes it a number: "新增一个" but not "一人一档".
_COUNT_VERBS = ("达到", "不少于", "不低于", "新增", "增加", "建成", "建设", "新建", "培育", "打造", "创建", "完成",
                "开展", "举办", "引进", "至", "到", "各", "共", "设立", "建立", "配备")
_STANDARD_BEFORE = ("给予", "标准", "最高", "奖补", "一次性", "补助", "每人", "每户", "每月", "每年", "返还")
_STANDARD_AFTER = ("补贴", "奖励", "奖补", "补助", "的补贴", "的奖励", "/人", "/户")
_TIME_CLAUSE = re.compile(r"^(?:到|在|于)?\s*(?:\d{4}\s*年)?.{0,12}(?:前|之前|以前|年内|年底|全年|期间)$")
_FILLER_RE = re.compile(
    r"^(?:力争|确保|计划|实现|将|严守|保证|我市|全市|累计|再|并|共|全年|年内|\d{4}\s*年(?:内|至\d{4}\s*年)?|"
    r"到\d{4}年\d{1,2}月\d{1,2}日前|\d{4}年\d{1,2}月\d{1,2}日前)+"
)
_MASK = "□"


@dataclass(frozen=True)
class Context:
    year: int | None  # the plan's year: 全年 and 年底 mean this one
    plan_end: date | None
    declared_deadline: date | None = None  # the section's 完成时限, when it states one
    declared_phrase: str | None = None


def _masked(norm: str) -> str:
    """Quotations and 《titles》 blanked, offsets kept: "两不愁三保障", "一次告知", "监测全覆盖" are not targets."""
    def blank(m: re.Match[str]) -> str:
        return m[0][0] + _MASK * (len(m[0]) - 2) + m[0][-1]

    return re.sub(r"“[^“”]*”|《[^《》]*》|\"[^\"]*\"", blank, norm)


def _spans(text: str, seps: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in seps:
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return [(s, e) for s, e in out if e > s]


def _number(raw: str) -> tuple[Decimal, str]:
    """A number as written, and any 万/亿 of a Chinese numeral left for the unit: 三千万 → (3000, "万")."""
    raw = raw.replace(",", "")
    if raw[0].isdigit():
        return Decimal(raw), ""
    scale = ""
    if len(raw) > 1 and raw[-1] in "万亿" and raw[-2] not in "万亿":
        scale, raw = raw[-1], raw[:-1]
    return cn_decimal(raw), scale


def _last_word(text: str, words: tuple[str, ...]) -> tuple[int, int]:
    """Where the last of the words ends, and its length: the longer word wins a tie (不低于 over 低于)."""
    return max(((text.rfind(w) + len(w), len(w)) for w in words if w in text), default=(-1, 0))


def _comparator(before: str, after: str, is_share: bool) -> tuple[str, str | None]:
    """Comparator from the words around the number, and an unsure reason if the words say it is approximate."""
    if after.startswith(("以上", "及以上", "多")):
        return ">=", None
    if after.startswith(("以内", "以下", "之内")):
        return "<=", None
    if after.startswith("左右"):
        return "=", "约数（“左右”），按等于处理"
    le, ge = _last_word(before, _LE_WORDS), _last_word(before, _GE_WORDS)
    red, inc = _last_word(before, _REDUCE_WORDS), _last_word(before, _INCREASE_WORDS)
    best = max(le, ge, red, inc)
    if best[0] < 0:
        return ">=", None
    if best == le:
        return "<=", None
    if best == ge:
        return ">=", None
    if best == red:
        return "reduce_by", None
    return ("increase_by" if is_share else ">="), None


def _kind(seg: str, unit: str, comparator: str) -> str:
    if unit in ("%", "‰", "个百分点"):
        return KIND_RATE
    if comparator == "<=":
        return KIND_STOCK  # a ceiling (审批时间控制在40个工作日以内) is a level, not a sum
    if any(w in seg for w in _FLOW_WORDS):
        return KIND_CUMULATIVE
    if seg.startswith("每") or "每个" in seg or any(w in seg for w in _STOCK_WORDS):
        return KIND_STOCK
    return KIND_CUMULATIVE


def _label(source: str, quantity: str) -> str:
    text = to_full_width(source)
    head, comma, rest = text.partition("，")
    if comma and _TIME_CLAUSE.match(head.strip()):
        text = rest  # "2021年6月底前，开发基层服务岗位500个": the date is the deadline, not the name
    text = text.replace(quantity, "", 1)
    text = re.sub(r"^[\s，、]+", "", text)
    text = _FILLER_RE.sub("", text)
    for w in sorted(_LE_WORDS + _GE_WORDS + ("以上", "以内", "左右", "不低于", "的"), key=len, reverse=True):
        if text.endswith(w):
            text = text[: -len(w)]
    text = re.sub(r"(?:目标任务|任务|红线)$", "", text)
    for w in ("不低于", "不少于", "达到", "扩充至", "控制在"):
        text = text.replace(w, "")
    return text.strip("，、的 ") or source


def find_targets(text: str, ctx: Context) -> list[ProposedTarget]:
    norm = to_full_width(text)
    scan = _masked(norm)
    found: list[tuple[int, ProposedTarget]] = []
    for s_start, s_end in _spans(scan, "。！？；\n"):
        sentence = scan[s_start:s_end]
        clauses = _spans(sentence, "，：")
        for ci, (c_start, c_end) in enumerate(clauses):
            clause = sentence[c_start:c_end]
            # A date governs its own clause and those after it in the sentence, never one before it.
            due = sentence_deadline(norm[s_start:s_start + c_end], ctx.year, ctx.plan_end)
            quantities = [m for m in QUANTITY_RE.finditer(clause) if _is_value(clause, m)]
            base = s_start + c_start
            prev_end = 0
            for qi, m in enumerate(quantities):
                # The phrase: from the clause start (or the 、 after the previous quantity) to the end of the clause
                # (or, for all but the last quantity, to the end of its number and unit).
                start = prev_end
                if qi > 0:
                    sep = max(clause.rfind("、", prev_end, m.start()), clause.rfind("和", prev_end, m.start()))
                    start = sep + 1 if sep >= 0 else prev_end
                if qi == len(quantities) - 1:
                    end = len(clause)
                else:
                    tail = re.match(r"(?:及以上|以上|以内|以下|左右)?", clause[m.end():])
                    end = m.end() + (tail.end() if tail else 0)
                prev_end = end
                abs_start = base + start
                if qi == 0 and ci > 0:
                    p_start, p_end = clauses[ci - 1]
                    if _TIME_CLAUSE.match(sentence[p_start:p_end].strip()):
                        abs_start = s_start + p_start  # "到2020年12月31日前，力争完成…10万个"
                target = _quantity_target(text, norm, abs_start, base + end, base, m, due, ctx)
                if target:
                    found.append((base + m.start(), target))
            if not quantities:
                for q in _QUALITATIVE_RE.finditer(clause):
                    source = text[base:base + len(clause)].strip()
                    d, phrase = (due.day, due.phrase) if due else (ctx.declared_deadline, ctx.declared_phrase)
                    label = _FILLER_RE.sub("", to_full_width(source)).strip() or source
                    found.append((base + q.start(), ProposedTarget(
                        source=source, label=label, kind=KIND_DONE, comparator="done", value=None, unit=None,
                        deadline=d, deadline_phrase=phrase)))
                    break
    return [t for _, t in sorted(found, key=lambda x: x[0])]


def _is_value(clause: str, m: re.Match[str]) -> bool:
    if m["pct"] or m["half"]:
        return True
    n1 = m["n1"]
    if m["n2"] and not n1[0].isdigit() and len(n1) == 1:
        return True  # 一到两家: a range says it is a number
    before = clause[: m.start()]
    if before.endswith(("第", "前")) or re.search(r"[A-Za-z0-9.]$", before):
        return False  # 第3个, an ordinal; 5G, 11.1 — part of a name or a section number
    if _MASK in clause[m.start():m.end()]:
        return False
    if not n1[0].isdigit():
        if n1 in ("万", "亿", "十", "百", "千", "点") or n1[0] in "万亿点":
            return False
        if len(n1) == 1 and not before.rstrip().endswith(_COUNT_VERBS):
            return False
        if len(n1) > 1 and n1[0] == n1[1]:
            return False  # 一一对应
    return True


def _quantity_target(text: str, norm: str, start: int, end: int, base: int, m: re.Match[str], due,  # noqa: ANN001
                     ctx: Context) -> ProposedTarget | None:
    unsure: list[str] = []
    upper: Decimal | None = None
    try:
        if m["pct"]:
            value, unit = (Decimal(m["pn"]) if m["pn"][0].isdigit() else cn_decimal(m["pn"])), "%"
        elif m["half"]:
            value, unit = Decimal(50), "%"
        else:
            value, scale = _number(m["n1"])
            unit = scale + m["unit"].strip()
            if m["n2"]:
                upper, scale2 = _number(m["n2"])
                unit2 = scale2 + m["unit"].strip()
                if m["u1"] and m["u1"].strip() != unit2:
                    return None
                unit = unit2 if not scale else unit
                unsure.append(f"区间目标（{m['n1']}—{m['n2']}{m['unit']}），按下限{value}{unit}")
    except (InvalidOperation, ValueError):
        return None
    source = text[start:end].strip().rstrip("，、。；")
    before = norm[start:base + m.start()]
    after = norm[base + m.end():base + m.end() + 6]
    comparator, why = _comparator(before, after, unit in ("%", "‰", "个百分点"))
    if why:
        unsure.append(why)
    if upper is not None:
        comparator = ">="
    seg = to_full_width(source)
    kind = _kind(seg, unit, comparator)
    if comparator in ("reduce_by", "increase_by") and unit not in ("%", "‰", "个百分点"):
        unsure.append("增减的幅度不是百分比，请确认")
    money_or_share = unit in ("%", "‰") or unit.endswith("元")
    if money_or_share and (any(w in before for w in _STANDARD_BEFORE) or after.startswith(_STANDARD_AFTER)):
        unsure.append("像补贴、奖励的标准，可能不是目标")
    try:
        split_unit(unit)
    except ValueError:
        unsure.append(f"计量单位“{unit}”台账尚不能录入，需先登记")
    d, phrase = (due.day, due.phrase) if due else (ctx.declared_deadline, ctx.declared_phrase)
    quantity = to_full_width(norm[base + m.start():base + m.end()])
    return ProposedTarget(source=source, label=_label(source, quantity), kind=kind, comparator=comparator,
                          value=value, unit=unit, upper=upper, deadline=d, deadline_phrase=phrase,
                          unsure=tuple(unsure))
