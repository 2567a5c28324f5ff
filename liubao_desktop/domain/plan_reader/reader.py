"""The reader: a document's blocks → metadata, an outline at the document's own depth, a proposed plan tree.

1. Paragraphs are split into the head (文件头, 文号, title, the notice), the body (from the first numbered
   heading or 分工表) and the tail (抄送, 附件, 本方案自…施行, the signature and date).
2. In the body, lines cut by a page break or a hard wrap are joined (a paragraph not ending a sentence is
   continued by the next one that is not a heading), then each heading opens a section at the depth its
   numbering style has in this document; units annotations and 完成时限 are taken out of the text.
3. The outline is fitted to the plan's two levels: the top sections are parts and the next ones measures,
   deeper ones folded into their measure (text, units, targets); a document of one level is one part.
4. Targets are found in each section's text (``targets.find_targets``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .blocks import Block, Paragraph, Table, text_blocks
from .dates import DATE_RE, deadline_of_phrase, deadlines_in, first_date
from .errors import PlanReadError
from .headings import heading_of, is_title_only
from .limits import check_size
from .numerals import cn_integer
from .proposal import PlanProposal, ProposedMeasure, ProposedPart, ProposedTarget, Section, Unit
from .tables import read_table
from .targets import Context, find_targets
from .text import CJK, TERMINATORS, to_full_width
from .units import trailing_units, units_paragraph

_NUMBERED = ("chapter", "article", "cn_comma", "cn_paren", "arabic_dot", "arabic_paren", "circled")
_TITLE_RE = re.compile(r"(?:方案|计划|规划|意见|办法|细则|措施|要点|清单|分工表|规定|通知|决定)(?:（(?:试行|暂行)）)?$")
_DOC_NUMBER_RE = re.compile(rf"[{CJK}]{{2,}}\s*[〔\[［【（]\s*\d{{4}}\s*[〕\]］】）]\s*\d+\s*号")
_TAIL_START = re.compile(r"^(?:抄送|主送|附件\s*[：:\d]|附件$|联系人|（此件|此件|（联系人)")
_CLOSING = re.compile(r"^本(?:实施)?(?:方案|办法|细则|计划|意见|规定|通知|措施|规划)[^。]{0,30}(?:施行|实施|执行|有效期)")
_ORG_LINE = re.compile(r"^[\u4e00-\u9fff（）]{4,30}(?:政府|办公厅|办公室|委员会|局|委|部|厅|管委会|领导小组)$")
_DUE_LABEL = re.compile(r"[；;，,]?\s*(?:完成时限|完成时间|时间节点|时限要求)\s*[：:]\s*([^；;，,。）)]+)")
_EFFECTIVE_FROM = re.compile(rf"自\s*({DATE_RE.pattern})\s*起(?:施行|实施|执行|生效)")
_FROM_ISSUE = re.compile(r"自(?:印发|发布|公布|下发)之日起(?:施行|实施|执行|生效)")
_EFFECTIVE_TO = re.compile(rf"有效期(?:至|到)\s*({DATE_RE.pattern})")
_VALID_YEARS = re.compile(r"有效期(?:为)?\s*([0-9一二三四五六七八九十两]+)\s*年")
_ISSUED = re.compile(rf"({DATE_RE.pattern})\s*(?:印发|发布)")


@dataclass
class _Node:
    style: str
    number: str
    title: str
    raw: str  # the heading paragraph as written (number included)
    texts: list[str] = field(default_factory=list)  # its body and the paragraphs under it
    units: list[Unit] = field(default_factory=list)
    due: str | None = None  # a stated 完成时限
    children: list[_Node] = field(default_factory=list)


def read_plan_text(text: str) -> PlanProposal:
    """A plain-text plan (as issued, page-break artifacts and all) read into a proposed plan tree."""
    return read_plan(text_blocks(text))


def read_plan(blocks: list[Block]) -> PlanProposal:
    chars = sum(len(b.text) if isinstance(b, Paragraph) else sum(map(len, (c for r in b.rows for c in r)))
                for b in blocks)
    check_size(len(blocks), chars, sum(len(b.rows) for b in blocks if isinstance(b, Table)))
    blocks = [b for b in blocks if not (isinstance(b, Paragraph) and not b.text.strip())]
    start = _body_start(blocks)
    if start is None:
        raise PlanReadError("文件中没有找到“一、”“（一）”“第一条”这样的标题，也没有分工表，无法识别为实施方案。")
    head = [b.text.strip() for b in blocks[:start] if isinstance(b, Paragraph)]
    end = _body_end(blocks, start)
    body, tail = blocks[start:end], [b.text.strip() for b in blocks[end:] if isinstance(b, Paragraph)]
    notes: list[str] = []
    meta = _metadata(head, tail, [b.text for b in body if isinstance(b, Paragraph)], notes)
    roots = _outline(_join_page_breaks(body), notes)
    year = next((d.year for d in (meta["issued_on"], meta["effective_from"]) if d), None)
    parts = _fit(roots, meta, year, notes)
    return PlanProposal(
        title=meta["title"], doc_number=meta["doc_number"], issuer=meta["issuer"], issued_on=meta["issued_on"],
        effective_from=meta["effective_from"], effective_to=meta["effective_to"], parts=tuple(parts),
        outline=tuple(_section(n, year) for n in roots), notes=tuple(notes))


# -- where the body is ---------------------------------------------------------------------------------------
def _body_start(blocks: list[Block]) -> int | None:
    for i, b in enumerate(blocks):
        if isinstance(b, Table) and read_table(b.rows):
            return i
        if isinstance(b, Paragraph):
            h = heading_of(b)
            if h and h.style in _NUMBERED:
                return i
    return None


def _is_date_line(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    return bool(re.fullmatch(rf"(?:{DATE_RE.pattern})(?:印发|发布)?", t))


def _body_end(blocks: list[Block], start: int) -> int:
    for i in range(start + 1, len(blocks)):
        b = blocks[i]
        if not isinstance(b, Paragraph):
            continue
        t = to_full_width(b.text.strip())
        if heading_of(b) and heading_of(b).style in _NUMBERED:  # type: ignore[union-attr]
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (_TAIL_START.match(t) or _CLOSING.match(t) or _is_date_line(t)
                or (_ORG_LINE.match(t) and isinstance(nxt, Paragraph) and _is_date_line(nxt.text))):
            return i
    return len(blocks)


def _join_page_breaks(body: list[Block]) -> list[Block]:
    """Glue paragraphs a page break or a hard wrap split mid-sentence ("建\\n\\n设。") back together."""
    out: list[Block] = []
    for b in body:
        prev = out[-1] if out else None
        prev_norm = to_full_width(prev.text.rstrip()) if isinstance(prev, Paragraph) else ""
        # Cut mid-sentence, or inside a bracket ("（牵头单位：…；配合单位：" at a page's foot).
        if (isinstance(b, Paragraph) and isinstance(prev, Paragraph)
                and (not prev_norm.endswith(TERMINATORS) or prev_norm.count("（") > prev_norm.count("）"))):
            h_prev, h_cur = heading_of(prev), heading_of(b)
            if h_cur is None and (h_prev is None or not is_title_only(h_prev)):
                out[-1] = Paragraph(prev.text.rstrip() + b.text.strip(), prev.bold_lead, prev.heading_level)
                continue
        out.append(b)
    return out


# -- the outline ---------------------------------------------------------------------------------------------
def _take_due(text: str) -> tuple[str, str | None]:
    m = _DUE_LABEL.search(to_full_width(text))
    if not m:
        return text, None
    return text[: m.start()] + text[m.end():], text[m.start(1):m.end(1)].strip()


def _annotations(text: str) -> tuple[str, list[Unit], str | None]:
    """Units and 完成时限 out of a paragraph: "（牵头单位：…；完成时限：2021年6月底前）"."""
    norm = to_full_width(text)
    due = None
    m = re.search(r"（[^（）]*(?:完成时限|完成时间|时间节点)[^（）]*）\s*[。；]?\s*$", norm)
    if m:
        inner, due = _take_due(text[m.start() + 1:m.end()].rstrip("。； ").rstrip("）)"))
        text = text[: m.start()] + "（" + inner.strip("；; ") + "）" if inner.strip("；; ") else text[: m.start()]
    body, units = trailing_units(text)
    return body, list(units), due


def _outline(body: list[Block], notes: list[str]) -> list[_Node]:
    roots: list[_Node] = []
    stack: list[_Node] = []

    def place(node: _Node) -> None:
        while stack and node.style in [n.style for n in stack] and stack[-1].style != node.style:
            stack.pop()
        if stack and stack[-1].style == node.style:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    for b in body:
        if isinstance(b, Table):
            rows = read_table(b.rows)
            if rows is None:
                notes.append("有一个表格不是分工表（没有“任务”列和“单位”列），未读取。")
                continue
            parent = stack[-1] if stack else None
            for r in rows:
                if r.heading:
                    place(_Node(r.heading.style, r.heading.number, r.heading.title, r.heading.body,
                                [r.heading.body]))
                    parent = stack[-1]
                    continue
                if r.group and (not stack or stack[-1].style != "table_group" or stack[-1].title != r.group):
                    place(_Node("table_group", "", r.group, r.group))
                    parent = stack[-1]
                node = _Node("row", r.number, r.title, r.text, [r.text], list(r.units), r.due or None)
                (parent.children if parent else roots).append(node)
            continue
        h = heading_of(b)
        text, units, due = _annotations(b.text.strip())
        if h is not None and (h.style in _NUMBERED or stack or roots):
            own, _, _ = _annotations(h.body)
            place(_Node(h.style, h.number, h.title, text, [own] if own else [], units, due))
            continue
        if not stack:
            notes.append(f"标题之前的段落未归入任何部分：{text[:20]}…")
            continue
        line_units = units_paragraph(text)
        if line_units:
            stack[-1].units.extend(line_units)
            continue
        only_due = _take_due(text)
        if only_due[1] and not only_due[0].strip():
            stack[-1].due = only_due[1]
            continue
        stack[-1].units.extend(units)
        stack[-1].due = stack[-1].due or due
        if text:
            stack[-1].texts.append(text)
    return roots


def _section(n: _Node, year: int | None) -> Section:
    due = deadline_of_phrase(n.due, year) if n.due else None
    return Section(n.style, n.number, n.title, "\n".join(n.texts), tuple(n.units),
                   due.day if due else None, due.phrase if due else None, bool(due),
                   tuple(_section(c, year) for c in n.children))


# -- fitted to parts and measures ----------------------------------------------------------------------------
def _descendants(n: _Node) -> list[_Node]:
    return [d for c in n.children for d in (c, *_descendants(c))]


def _measure(code: str, seq: int, node: _Node, meta: dict, year: int | None) -> ProposedMeasure:
    nodes = [node, *_descendants(node)]
    texts = ["\n".join(node.texts)] + ["\n".join([d.raw] if not d.texts else [d.raw]) for d in nodes[1:]]
    text = "\n".join(t for t in texts if t)
    units: list[Unit] = []
    for n in nodes:
        units.extend(u for u in n.units if u.name not in {x.name for x in units})
    targets: list[ProposedTarget] = []
    declared = deadline_of_phrase(node.due, year) if node.due else None
    for n in nodes:
        own = deadline_of_phrase(n.due, year) if n.due else declared
        ctx = Context(year, meta["effective_to"], own.day if own else None, own.phrase if own else None)
        body = "\n".join(n.texts)  # a sub-item's text without its number: "1．" is not a value
        targets.extend(find_targets(body, ctx))
    unsure: list[str] = []
    if declared:
        deadline, phrase = declared.day, (_canonical(declared.day) if declared.day else declared.phrase)
    else:
        dated = [d for d in deadlines_in(text, year) if d.day]
        last = max(dated, key=lambda d: d.day) if dated else None  # type: ignore[arg-type,return-value]
        deadline, phrase = (last.day, _canonical(last.day)) if last else (None, None)
    if not units:
        unsure.append("没有找到责任单位")
    return ProposedMeasure(code, seq, node.title, text, tuple(units), deadline, phrase, tuple(targets),
                           tuple(unsure))


def _canonical(day: date | None) -> str | None:
    return f"{day.year}年{day.month}月{day.day}日前" if day else None


def _fit(roots: list[_Node], meta: dict, year: int | None, notes: list[str]) -> list[ProposedPart]:
    parts: list[ProposedPart] = []
    if not any(r.children for r in roots):
        notes.append("文件只有一级标题：整份方案作为一个部分，每个标题作为一项措施。")
        measures = tuple(_measure(f"1.{i}", i, r, meta, year) for i, r in enumerate(roots, 1))
        return [ProposedPart("1", 1, meta["title"], measures, ("只有一级标题",))]
    for pi, root in enumerate(roots, 1):
        unsure: tuple[str, ...] = ()
        if root.children:
            if root.texts and any(find_targets("\n".join(root.texts), Context(year, meta["effective_to"]))):
                notes.append(f"第{pi}部分“{root.title}”标题下的导语中有指标，未归入任何措施。")
            measures = tuple(_measure(f"{pi}.{mi}", mi, c, meta, year) for mi, c in enumerate(root.children, 1))
        elif root.texts and (root.units or find_targets("\n".join(root.texts), Context(year, meta["effective_to"]))):
            measures = (_measure(f"{pi}.1", 1, root, meta, year),)
            unsure = ("部分下没有分项，整体作为一项措施",)
        else:
            measures = ()
        parts.append(ProposedPart(str(pi), pi, root.title, measures, unsure))
    return parts


# -- metadata --------------------------------------------------------------------------------------------------
def _join_cjk_space(text: str) -> str:
    # A title laid over two lines in the original leaves a space between Chinese characters.
    return re.sub(r"(?<=[\u4e00-\u9fff”])\s+(?=[\u4e00-\u9fff“])", "", text)


def _metadata(head: list[str], tail: list[str], body: list[str], notes: list[str]) -> dict:
    meta: dict = {}
    everything = head + body + tail
    meta["doc_number"] = next((re.sub(r"\s+", "", m[0]) for p in head + tail
                               for m in [_DOC_NUMBER_RE.search(to_full_width(p))] if m), "")
    if meta["doc_number"]:
        meta["doc_number"] = next(p[m.start():m.end()] for p in head + tail
                                  for m in [_DOC_NUMBER_RE.search(to_full_width(p))] if m).replace(" ", "")
    candidates = [_join_cjk_space(p) for p in head if len(p) <= 90 and "。" not in p and _TITLE_RE.search(p)]
    plans = [c for c in candidates if not c.endswith("通知") and not c.startswith("关于")]
    title = plans[-1] if plans else ""
    if not title:
        for c in candidates + head:
            m = re.search(r"《(.+?)》", c) or re.search(r"关于印发(.+?)的通知", c)
            if m:
                title = _join_cjk_space(m[1])
                break
    if not title:
        title = _join_cjk_space(head[0]) if head else ""
        notes.append("没有找到方案标题，按文件第一行。")
    meta["title"] = title
    issuer = ""
    if head and head[0].replace(" ", "").endswith("文件"):
        issuer = head[0].replace(" ", "").removesuffix("文件")
    else:
        orgs = [p for i, p in enumerate(tail) if _ORG_LINE.match(p.replace(" ", ""))
                and i + 1 < len(tail) and _is_date_line(tail[i + 1])]
        if orgs:
            issuer = orgs[-1].replace(" ", "")
        else:
            m = next((re.match(r"^(.+?)关于印发", c) for c in head if re.match(r"^(.+?)关于印发", c)), None)
            issuer = m[1].replace(" ", "") if m else ""
    meta["issuer"] = issuer
    issued = None
    for p in tail + head:
        m = _ISSUED.search(p.replace(" ", ""))
        if m:
            issued = first_date(m[1])
            break
    if issued is None:
        dated = [first_date(p) for p in tail if _is_date_line(p)]
        issued = dated[-1] if dated else None
        if issued:
            notes.append("印发日期按落款日期。")
    meta["issued_on"] = issued
    text = "\n".join(everything)
    compact = re.sub(r"[ \t]+", "", text)
    m = _EFFECTIVE_FROM.search(compact)
    frm = first_date(m[1]) if m else (issued if _FROM_ISSUE.search(compact) else None)
    if frm is None and issued:
        frm = issued
        notes.append("没有写明施行日期，按印发日期。")
    m = _EFFECTIVE_TO.search(compact)
    to = first_date(m[1]) if m else None
    if to is None and frm is not None:
        m = _VALID_YEARS.search(compact)
        if m:
            n = int(m[1]) if m[1].isdigit() else cn_integer(m[1])
            to = date.fromordinal(date(frm.year + n, frm.month, min(frm.day, 28)).toordinal() - 1)
        else:
            dues = [d.day for d in deadlines_in(text, frm.year) if d.day and d.day >= frm]
            to = max(dues) if dues else date(frm.year, 12, 31)
            notes.append(f"没有写明有效期，按{'最晚的完成时限' if dues else '当年年底'}（{to.isoformat()}）。")
    meta["effective_from"], meta["effective_to"] = frm, to
    return meta

