"""Format-independent repairs of the blocks a reader made, before any layout reads them.

Real documents hide structure in running text: a numbered sector heading run on at the end of the
previous item ("… turistico. 5° - WELFARE"), several "*" items typed inside one paragraph, a
"-Ingresso …; -Ingresso …" list on one line. These passes make them headings and items again."""

from __future__ import annotations

import re

from openmandato.importer.blocks import Block, split_marker
from openmandato.importer.layouts.labelled import split_inline_labels
from openmandato.importer.text import is_metadata_line

# "1° - SETTORE TURISMO:", "20* - PARCO NAZIONALE", "10° – SCUOLA E FORMAZIONE."
SECTOR = re.compile(
    r"^(\d{1,2}\s*[°º*]\s*[-–—]\s*[^a-zà-ÿ]{3,}?[.:!]?)(?=\s+\*|\s+[A-ZÀ-Ý]?[’']?[a-zà-ÿ]|\s*$)"
)
SECTOR_INSIDE = re.compile(r"(?<=[.!;:])\s+(?=\d{1,2}\s*[°º*]\s*[-–—]\s*[A-ZÀ-Ý]{3})")
# An item typed inside a paragraph: " *Museo …", " ** Settore …", "; -Ingresso …".
INLINE_ITEM = re.compile(r"(?<=\S)\s+(?=\*{1,2}\s?[A-ZÀ-Ý0-9“\"«])|(?<=[:;])\s+(?=-\s?[A-ZÀ-Ý])")
LABEL_ONLY = re.compile(r"^[^a-zà-ÿ]{2,30}:\s*$|^\S.{0,25}:\s*$")


TOC_LINE = re.compile(r"^\D.{2,120}?(?:\s*\.{3,}|\s*…+|\s{2,}|\s+)\s*\d{1,3}$")


def refine(blocks: list[Block]) -> list[Block]:
    blocks = drop_tables_of_contents(split_inline_labels(blocks))
    out: list[Block] = []
    for block in blocks:
        if block.kind == "heading" and _slogan_or_fragment(block, out):
            continue
        if block.kind in ("heading", "paragraph") and _is_cover_line(block, out):
            out.append(Block("meta", block.text, page=block.page))
            continue
        if block.kind not in ("paragraph", "item", "heading"):
            out.append(block)
            continue
        for piece in _split_sectors(block):
            out.extend(_split_items(piece))
    return out


def _key(text: str) -> str:
    return re.sub(r"[\W\d_]+", " ", text).strip().lower()


def drop_tables_of_contents(blocks: list[Block]) -> list[Block]:
    """A table of contents or an index box repeats the theme names (with page numbers or dot leaders):
    a run of three or more short lines that are headings further on, or that end with a page number
    after dot leaders, is not content."""
    headings = {_key(b.text) for b in blocks if b.kind == "heading"}
    out: list[Block] = []
    run: list[Block] = []

    def is_entry(block: Block) -> bool:
        if block.kind not in ("paragraph", "item", "heading") or len(block.text) > 130:
            return False
        if TOC_LINE.match(block.text) and ("..." in block.text or "…" in block.text):
            return True
        name = _key(re.sub(r"[\s.…]+\d{1,3}$", "", block.text))
        return block.kind != "heading" and bool(name) and name in headings

    def flush() -> None:
        if len(run) >= 3:
            out.extend(Block("meta", b.text, page=b.page) for b in run)
        else:
            out.extend(run)
        run.clear()

    for block in blocks:
        if is_entry(block):
            run.append(block)
            continue
        flush()
        out.append(block)
    flush()
    return out


def _is_cover_line(block: Block, out: list[Block]) -> bool:
    """ "Sindaca: Maria Rossi", "Comune di …", "Candidato sindaco" and the name printed under it."""
    if is_metadata_line(block.text):
        return True
    previous = out[-1] if out else None
    return (
        previous is not None
        and previous.kind == "meta"
        and re.search(r"sindac[oa]\s*:?$", previous.text, re.IGNORECASE) is not None
        and len(block.text.split()) <= 4
    )


def _slogan_or_fragment(block: Block, out: list[Block]) -> bool:
    """An exclaimed heading is a slogan (kept for metadata only); a "heading" that starts in lower case
    is the end of the paragraph before it, printed in a larger or bold font."""
    if block.text.endswith("!") and len(block.text.split()) >= 3:
        out.append(Block("meta", block.text, page=block.page))
        return True
    if block.text[:1].islower() and out and out[-1].kind in ("paragraph", "item"):
        out[-1].text = f"{out[-1].text} {block.text}"
        return True
    return False


def _split_sectors(block: Block) -> list[Block]:
    parts = SECTOR_INSIDE.split(block.text) if block.kind != "heading" else [block.text]
    out: list[Block] = []
    for index, part in enumerate(parts):
        match = SECTOR.match(part)
        if not match:
            if index == 0:
                out.append(Block(block.kind, part, block.level, block.marker, page=block.page))
            else:
                out.append(Block("paragraph", part, page=block.page))
            continue
        heading = match.group(1).strip()
        out.append(Block("heading", heading, level=_sector_level(block), page=block.page))
        rest = part[match.end() :].strip()
        if rest:
            marker, text, is_item = split_marker(rest)
            out.append(
                Block("item", text, marker=marker, page=block.page)
                if is_item
                else Block("paragraph", rest, page=block.page)
            )
    return out


def _sector_level(block: Block) -> int:
    return 1  # numbered sectors are the document's top level, whatever their font


def _split_items(block: Block) -> list[Block]:
    if block.kind == "heading" or not INLINE_ITEM.search(block.text):
        return [block]
    pieces = INLINE_ITEM.split(block.text)
    out = [Block(block.kind, pieces[0], block.level, block.marker, page=block.page)]
    for piece in pieces[1:]:
        if LABEL_ONLY.match(out[-1].text):  # "GENNAIO: *Concerto di Capodanno" is one item
            out[-1].text = f"{out[-1].text} {piece}"
            continue
        if piece.startswith("-") and not piece.startswith("- "):
            piece = f"- {piece[1:]}"
        marker, text, is_item = split_marker(piece)
        if is_item and len(text) > 3:
            out.append(Block("item", text, level=block.level, marker=marker, page=block.page))
        else:
            out[-1].text = f"{out[-1].text} {piece}"
    return out
