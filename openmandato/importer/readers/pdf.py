"""PDF with a text layer (pdfplumber): reading order with columns, running headers/footers and page
numbers removed, hyphenation across lines joined, headings by font size, tables kept as tables."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

import pdfplumber
from django.utils.translation import gettext as _
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from openmandato.importer import limits
from openmandato.importer.blocks import Block, split_marker
from openmandato.importer.errors import ImportRejected
from openmandato.importer.text import normalise

PAGE_NUMBER = re.compile(
    r"^(pag(ina|\.)?\s*)?[-–—]?\s*\d{1,4}\s*([-–—]|(di|/|of)\s*\d{1,4})?$", re.IGNORECASE
)
MARGIN = 0.09


def ENCRYPTED() -> str:  # noqa: N802 - reads like the message it returns
    return _(
        "Il PDF è cifrato: salvane una copia senza password e riprova."
    )  # share of the page height where running headers and footers live


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int


def read_pdf(data: bytes) -> list[Block]:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = list(pdf.pages)
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise ImportRejected(ENCRYPTED()) from error
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds of errors on broken files
        chain = f"{type(error).__name__} {error!r} {type(error.__cause__).__name__}".lower()
        if "password" in chain or "encrypt" in chain:
            raise ImportRejected(ENCRYPTED()) from error
        raise ImportRejected(_("Il PDF è danneggiato o non leggibile.")) from error
    limits.check_pdf_pages(len(pages))
    with pdf:
        page_items = [_page_items(page, number) for number, page in enumerate(pages)]
    lines = [item for items in page_items for item in items if isinstance(item, Line)]
    if sum(len(line.text) for line in lines) < 20 and not any(
        isinstance(i, Block) for p in page_items for i in p
    ):
        raise ImportRejected(_("Il PDF non ha uno strato di testo (è una scansione?): esegui prima l'OCR."))
    running = _running_texts(page_items, len(pages))
    body_size = _body_size(lines)
    sizes = sorted({round(line.size) for line in lines if line.size >= body_size + 1.5}, reverse=True)
    # Running headers are not content, but they often name the comune and the period.
    blocks: list[Block] = [Block("meta", text) for text in _running_originals(page_items, running)]
    previous: Line | None = None
    for items in page_items:
        previous = None
        for item in items:
            if isinstance(item, Block):
                blocks.append(item)
                previous = None
                continue
            if _key(item.text) in running or (
                item.text and PAGE_NUMBER.match(item.text) and _in_margin(item)
            ):
                continue
            _add_line(blocks, item, previous, body_size, sizes)
            previous = item
    return blocks


def _page_items(page, number: int) -> list:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    words = [
        w
        for w in page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
        if not any(
            b[0] - 1 <= w["x0"] and w["x1"] <= b[2] + 1 and b[1] - 1 <= w["top"] and w["bottom"] <= b[3] + 1
            for b in boxes
        )
    ]
    columns = _columns(words, page.width)
    items: list = []
    for column in columns:
        items.extend(_lines(column, number, page.height))
    for table in tables:
        rows = [[normalise(cell or "") for cell in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if rows:
            items.append((table.bbox[1], Block("table", rows=rows, page=number + 1)))
    # Tables go where they stand on the page, among the lines of the first column.
    ordered: list = []
    pending = sorted([i for i in items if isinstance(i, tuple)], key=lambda pair: pair[0])
    for item in [i for i in items if isinstance(i, Line)]:
        while pending and pending[0][0] < item.top and item.x0 < page.width / 2:
            ordered.append(pending.pop(0)[1])
        ordered.append(item)
    ordered.extend(block for _top, block in pending)
    for line in ordered:
        if isinstance(line, Line):
            line.page_height = page.height
    return ordered


def _columns(words: list[dict], width: float) -> list[list[dict]]:
    """Two columns when the rows that have words on both halves almost never have a word across the
    middle of the page (an empty gutter)."""
    middle = width / 2
    rows: dict[int, list[dict]] = {}
    for word in words:
        rows.setdefault(round(word["top"] / 3), []).append(word)
    two_sided = [
        row
        for row in rows.values()
        if any(w["x1"] < middle for w in row) and any(w["x0"] > middle for w in row)
    ]
    crossing = [row for row in two_sided if any(w["x0"] < middle - 3 and w["x1"] > middle + 3 for w in row)]
    if len(two_sided) >= 5 and len(crossing) <= 0.1 * len(two_sided):
        return [[w for w in words if w["x0"] < middle], [w for w in words if w["x0"] >= middle]]
    return [words]


def _lines(words: list[dict], page: int, height: float) -> list[Line]:
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) <= 2.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        _symbol_bullet(row)
        lines.append(
            Line(
                text=normalise(" ".join(w["text"] for w in row)),
                x0=row[0]["x0"],
                x1=row[-1]["x1"],
                top=min(w["top"] for w in row),
                bottom=max(w["bottom"] for w in row),
                size=max(w["size"] for w in row),
                bold=all("bold" in w["fontname"].lower() for w in row),
                page=page,
            )
        )
    margin = min((line.x0 for line in lines), default=0.0)
    right = max((line.x1 for line in lines), default=0.0)
    for line in lines:
        line.page_height = height
        line.margin = margin
        line.right = right
    return lines


SYMBOL_FONT = re.compile(r"wingding|webding|symbol|dingbat|zapf|courier", re.IGNORECASE)


def _symbol_bullet(row: list[dict]) -> None:
    """A bullet drawn with a symbol font comes out as a letter ("n" for Wingdings ■, "o" for Word's
    Courier bullet) or a private-use character: make it a plain bullet when it starts a line."""
    first = row[0]
    glyph = first["text"]
    if (
        len(row) > 1
        and len(glyph) == 1
        and SYMBOL_FONT.search(first.get("fontname", ""))
        and (glyph in "nloqvwüØ§" or not glyph.isalnum())
    ):
        first["text"] = "•"


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _in_margin(line: Line) -> bool:
    height = getattr(line, "page_height", 842)
    return line.top < height * MARGIN or line.bottom > height * (1 - MARGIN)


def _running_texts(page_items: list[list], pages: int) -> set[str]:
    """Lines in the top or bottom margin that repeat on at least half the pages (2 at least)."""
    if pages < 2:
        return set()
    seen = Counter()
    for items in page_items:
        seen.update({_key(i.text) for i in items if isinstance(i, Line) and _in_margin(i)})
    return {text for text, count in seen.items() if count >= max(2, pages / 2)}


def _running_originals(page_items: list[list], running: set[str]) -> list[str]:
    seen: dict[str, str] = {}
    for items in page_items:
        for item in items:
            if isinstance(item, Line) and _key(item.text) in running:
                seen.setdefault(_key(item.text), item.text)
    return list(seen.values())


def _body_size(lines: list[Line]) -> float:
    sizes = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _add_line(blocks: list[Block], line: Line, previous: Line | None, body: float, sizes: list[int]) -> None:
    text = line.text
    if line.size >= body + 1.5 and len(text) <= 120:
        level = sizes.index(round(line.size)) + 1 if round(line.size) in sizes else 1
        if (
            blocks
            and blocks[-1].kind == "heading"
            and previous
            and _close(previous, line)
            and previous.size == line.size
        ):
            blocks[-1].text = f"{blocks[-1].text} {text}"
        else:
            blocks.append(Block("heading", text, level=level, page=line.page + 1))
        return
    marker, rest, is_item = split_marker(text)
    if is_item:
        indent = max(0, int((line.x0 - getattr(line, "margin", line.x0)) // 14))
        blocks.append(Block("item", rest, level=indent, marker=marker, page=line.page + 1))
        return
    continues = (
        previous is not None
        and _close(previous, line)
        and (not _ends_short(previous) or previous.text.endswith("-") or text[:1].islower())
    )
    if (
        line.bold
        and len(text) <= 90
        and not text.endswith((".", ";", ",", "!"))
        and not text[:1].islower()
        and not continues
    ):
        blocks.append(Block("heading", text, level=len(sizes) + 1, page=line.page + 1))
        return
    last = blocks[-1] if blocks else None
    if last is not None and last.kind in ("paragraph", "item") and continues:
        last.text = _join(last.text, text)
        return
    blocks.append(Block("paragraph", text, page=line.page + 1))


def _ends_short(line: Line) -> bool:
    """A line that stops well before the right margin ends its paragraph (justified or not)."""
    right = getattr(line, "right", line.x1)
    return line.x1 < right - max(60.0, (right - getattr(line, "margin", 0.0)) * 0.2)


def _close(previous: Line, line: Line) -> bool:
    gap = line.top - previous.bottom
    return previous.page == line.page and -1 <= gap <= (previous.bottom - previous.top) * 0.9


def _join(first: str, second: str) -> str:
    if re.search(r"[A-Za-zÀ-ÿ]-$", first) and second[:1].islower():
        return first[:-1] + second
    return f"{first} {second}"
