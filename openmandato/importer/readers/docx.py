"""Word documents: headings, numbered and bulleted lists with their levels (numbers rebuilt from the
document's own numbering definitions), tables, in document order."""

from __future__ import annotations

import io
import re
from collections import defaultdict

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from openmandato.importer.blocks import Block, split_marker
from openmandato.importer.text import normalise

ROMAN = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def read_docx(data: bytes) -> list[Block]:
    document = open_docx(io.BytesIO(data))
    formats = _numbering_formats(document)
    counters: dict[tuple[str, int], int] = defaultdict(int)
    blocks: list[Block] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            _paragraph(Paragraph(element, document), formats, counters, blocks)
        elif element.tag == qn("w:tbl"):
            table = Table(element, document)
            rows = [[normalise(cell.text) for cell in row.cells] for row in table.rows]
            blocks.append(Block("table", rows=[_dedupe(row) for row in rows if any(row)]))
    return blocks


def _dedupe(row: list[str]) -> list[str]:
    """Merged cells repeat their text in python-docx; keep one."""
    out: list[str] = []
    for cell in row:
        if not out or cell != out[-1] or not cell:
            out.append(cell)
    return out


def _paragraph(paragraph: Paragraph, formats, counters, blocks: list[Block]) -> None:
    text = normalise(paragraph.text)
    if not text:
        return
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    heading = re.match(r"(?:Heading|Titolo)\s*(\d)", style, re.IGNORECASE)
    if style.lower() in ("title", "titolo", "subtitle", "sottotitolo"):
        blocks.append(Block("meta", text))  # the document's title: metadata, not a section
        return
    if heading:
        blocks.append(Block("heading", text, level=int(heading.group(1))))
        return
    num_pr = paragraph._p.find(qn("w:pPr") + "/" + qn("w:numPr"))
    if num_pr is not None:
        num_id = (
            num_pr.find(qn("w:numId")).get(qn("w:val")) if num_pr.find(qn("w:numId")) is not None else "0"
        )
        ilvl_el = num_pr.find(qn("w:ilvl"))
        level = int(ilvl_el.get(qn("w:val"))) if ilvl_el is not None else 0
        blocks.append(Block("item", text, level=level, marker=_marker(num_id, level, formats, counters)))
        return
    if "list" in style.lower():
        level = int(m.group(1)) - 1 if (m := re.search(r"(\d)$", style)) else 0
        numbered = "number" in style.lower()
        marker = _marker(f"style:{style[:-1] if level else style}", level, {}, counters) if numbered else None
        blocks.append(Block("item", text, level=level, marker=marker))
        return
    marker, rest, is_item = split_marker(text)
    blocks.append(Block("item", rest, marker=marker) if is_item else Block("paragraph", text))


def _numbering_formats(document) -> dict[str, dict[int, tuple[str, str]]]:
    """numId -> level -> (numFmt, lvlText) from numbering.xml."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {}
    for node in numbering.findall(qn("w:abstractNum")):
        levels = {}
        for lvl in node.findall(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            text = lvl.find(qn("w:lvlText"))
            levels[int(lvl.get(qn("w:ilvl")))] = (
                fmt.get(qn("w:val")) if fmt is not None else "decimal",
                text.get(qn("w:val")) if text is not None else "%1.",
            )
        abstract[node.get(qn("w:abstractNumId"))] = levels
    formats = {}
    for num in numbering.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is not None:
            formats[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})
    return formats


def _marker(num_id: str, level: int, formats, counters) -> str | None:
    fmt, template = formats.get(num_id, {}).get(level, ("decimal", f"%{level + 1}."))
    if fmt in ("bullet", "none"):
        return None
    counters[(num_id, level)] += 1
    for deeper in [key for key in counters if key[0] == num_id and key[1] > level]:
        counters[deeper] = 0

    def render(match):
        lvl = int(match.group(1)) - 1
        value = counters[(num_id, lvl)] or 1
        lvl_fmt = formats.get(num_id, {}).get(lvl, ("decimal", ""))[0]
        return _format(value, lvl_fmt)

    return re.sub(r"%(\d)", render, template) or None


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = "", value
        for number, numeral in ROMAN:
            while rest >= number:
                out, rest = out + numeral, rest - number
        return out.upper() if fmt == "upperRoman" else out
    return str(value)
