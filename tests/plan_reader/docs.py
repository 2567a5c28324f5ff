"""The test documents that are made by code: the Changsha plan as a .docx with bold headings and as text
variants (牵头/配合 annotations, 1./2. numbering, half-width punctuation, page-break artifacts), and a 分工表."""
from __future__ import annotations

import re
from pathlib import Path

from liubao_desktop.domain.plan_reader import text_blocks
from liubao_desktop.domain.plan_reader.headings import heading_of

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = Path(__file__).resolve().parent / "documents"
CHANGSHA_TXT = REPO / "db" / "sources" / "changsha-2020-26.txt"


def changsha_text() -> str:
    return CHANGSHA_TXT.read_text(encoding="utf-8")


def changsha_docx(path: Path) -> Path:
    """Each paragraph of the text; every heading's number and title in a bold run, the rest plain."""
    import docx

    d = docx.Document()
    for p in text_blocks(changsha_text()):
        h = heading_of(p)
        para = d.add_paragraph()
        if h and h.title:
            i = p.text.index(h.title) + len(h.title)
            i += p.text[i:i + 1] == "。"
            para.add_run(p.text[:i]).bold = True
            para.add_run(p.text[i:])
        else:
            para.add_run(p.text)
    d.save(str(path))
    return path


def lead_and_cooperate(text: str) -> str:
    """（责任单位：A、B、C）→ （牵头单位：A；配合单位：B、C） and, every other measure, "（A牵头，B、C配合）"."""
    count = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal count
        names = m[2].split("、")
        count += 1
        if len(names) < 2:
            return m[0]
        if count % 2:
            return f"{m[1]}牵头单位：{names[0]}；配合单位：{'、'.join(names[1:])}{m[3]}"
        return f"{m[1]}{names[0]}牵头，{'、'.join(names[1:])}配合{m[3]}"

    return re.sub(r"([（(])责任单位[：:]([^）)]+)([）)])", swap, text)


def arabic_measures(text: str) -> str:
    """（一）/(一) → 1．/2． for measures."""
    cn = "一二三四五六七八九十"
    return re.sub(r"(?m)^[（(]\s*([一二三四五六七八九十])\s*[）)]\s*", lambda m: f"{cn.index(m[1]) + 1}．", text)


def half_width(text: str) -> str:
    return text.translate(str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";"}))


def page_artifacts(text: str) -> str:
    """Page numbers and running page breaks every 15 lines, mid-paragraph: "— 3 —", form feeds, hard wraps."""
    out, lines = [], text.split("\n")
    for i, line in enumerate(lines):
        if len(line) > 60 and i % 3 == 0:  # a hard wrap mid-sentence, as a copy from a PDF has
            cut = 37 if line[37] not in "。，" else 38
            out.extend([line[:cut], line[cut:]])
        else:
            out.append(line)
        if i % 15 == 14:
            out.extend(["", f"— {i // 15 + 1} —", "\f"])
    return "\n".join(out)


def fengong_docx(path: Path) -> Path:
    """A 分工表 as issued by a district: the plan is one table, section rows merged across it."""
    import docx

    d = docx.Document()
    d.add_paragraph("长沙市芙蓉区人民政府办公室文件")
    d.add_paragraph("芙政办发〔2021〕3号")
    d.add_paragraph("芙蓉区2021年“六稳六保”重点任务分工方案").runs[0].bold = True
    d.add_paragraph("为抓好“六稳六保”各项工作落实，现将重点任务分工如下：")
    header = ("序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限")
    rows = [
        "一、稳就业",
        ("1", "稳定就业岗位", "全年新增城镇就业8000人，城镇调查失业率控制在5.5%以内。", "区人力资源社会保障局",
         "区财政局、各街道办事处", "2021年12月底前"),
        ("2", "开展职业技能培训", "开展补贴性职业技能培训1.5万人次。", "区人力资源社会保障局", "区教育局", "长期坚持"),
        "二、保民生",
        ("3", "推进老旧小区改造", "完成老旧小区改造42个，惠及居民1.2万户。", "区住房城乡建设局", "各街道办事处",
         "2021年11月30日前"),
        ("4", "巩固义务教育成果", "实现适龄儿童入学率百分之百，新增学位3000个。", "区教育局", "区发展改革局、区财政局",
         "2021年8月底前"),
        ("5", "兜牢民生底线", "城乡低保对象动态管理，确保应保尽保；发放临时救助资金不少于500万元。", "区民政局", "区财政局",
         "持续推进"),
    ]
    table = d.add_table(rows=1 + len(rows), cols=len(header))
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, 1):
        if isinstance(row, str):
            merged = table.cell(r, 0).merge(table.cell(r, len(header) - 1))
            merged.text = row
            continue
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.add_paragraph("本方案自2021年3月1日起施行，有效期至2021年12月31日。")
    d.add_paragraph("长沙市芙蓉区人民政府办公室")
    d.add_paragraph("2021年2月25日")
    d.save(str(path))
    return path
