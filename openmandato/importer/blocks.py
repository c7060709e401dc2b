"""The format-independent shape of a document: headings, paragraphs, list items and tables, in order.

Every reader (text, Markdown, HTML, DOCX, PDF) produces blocks; the layout parsers read blocks (or the
lines `to_lines` makes of them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NUMBER_MARKER = re.compile(
    r"^\s*(\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+|[a-z][.)]|[ivx]{1,5}[.)]"
    r"|[A-Z][.)](?=\s+[A-Z]))\s+(?=\S)"
)
# Bullets as extracted: ASCII and Unicode glyphs, "**", and symbol-font glyphs that come out as
# private-use characters (Wingdings/Symbol: U+F0B7, U+F0D8, U+F081, …).
SYMBOL_GLYPHS = "•▪◦●⚫■□◆◇►▶➢➤✓✔❖○\u25cf\u2022\ue000-\uf8ff"
# "*" and "**" glued to the text are bullets only when no closing "*" follows (Markdown emphasis).
BULLET_MARKER = re.compile(
    rf"^\s*(?:[-–—*]\s+|\*\*(?![^*]*\*)\s*|\*(?=[A-ZÀ-Ý“\"«])(?![^*]*\*)|[{SYMBOL_GLYPHS}]\s*)"
)


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "item", "table", or "meta" (running headers: for metadata only)
    text: str = ""
    level: int = 0  # heading level (1 = top) or list nesting (0 = top)
    marker: str | None = None  # a list item's number as printed ("1.", "1.2", "a)"), None for bullets
    rows: list[list[str]] = field(default_factory=list)
    page: int | None = None  # 1-based page of a PDF, None for other formats

    @property
    def numbered(self) -> bool:
        return self.marker is not None


def split_marker(text: str) -> tuple[str | None, str, bool]:
    """Split a list marker off: ("1.2", rest, True), (None, rest, True) for a bullet, (None, text, False)."""
    bullet = BULLET_MARKER.match(text)
    if bullet:
        return None, text[bullet.end() :].strip(), True
    number = NUMBER_MARKER.match(text)
    if number and len(text) > len(number.group(0)) + 2:
        return number.group(1), text[number.end() :].strip(), True
    return None, text, False


def to_lines(blocks: list[Block], include_meta: bool = False) -> list[str]:
    """Plain lines for the line-based layouts: tables become "cell | cell |" rows, bullets "- text"."""
    lines: list[str] = []
    for block in blocks:
        if block.kind == "meta" and not include_meta:
            continue
        if block.kind == "table":
            lines.extend(" | ".join(cell.strip() for cell in row) + " |" for row in block.rows if any(row))
        elif block.kind == "item":
            lines.append(f"{block.marker} {block.text}" if block.marker else f"- {block.text}")
        elif block.text:
            lines.append(block.text)
    return lines
