"""A saved web page: the main content, without navigation, menus, cookie banners and footers."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from openmandato.importer.blocks import Block, split_marker
from openmandato.importer.text import normalise

DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "svg",
    "iframe",
    "template",
    "menu",
]
DROP_HINTS = re.compile(
    r"cookie|consent|banner|menu|navbar|nav-|breadcrumb|footer|social|share|sidebar|skip|modal", re.IGNORECASE
)
BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "dd", "dt", "figcaption"}


def read_html(html: str) -> list[Block]:
    soup = BeautifulSoup(html, "html.parser")
    title = normalise(soup.title.get_text(" ")) if soup.title else ""
    for tag in soup(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        hint = " ".join([tag.get("id") or "", *(tag.get("class") or []), tag.get("role") or ""])
        if DROP_HINTS.search(hint) and tag.name not in ("html", "body", "main"):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    # The page's <title> often names the comune or the candidate: metadata, not content.
    blocks: list[Block] = [Block("meta", title)] if title else []
    _walk(root, blocks, list_depth=-1)
    return blocks


def _text(tag: Tag) -> str:
    return normalise(tag.get_text(" "))


def _walk(node: Tag, blocks: list[Block], list_depth: int) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            text = normalise(str(child))
            if text and node.name in BLOCK_TAGS | {"body"}:
                blocks.append(Block("paragraph", text))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if re.fullmatch(r"h[1-6]", name):
            text = _text(child)
            if text:
                blocks.append(Block("heading", text, level=int(name[1])))
        elif name in ("ul", "ol"):
            _list(child, blocks, list_depth + 1)
        elif name == "table":
            rows = [[_text(cell) for cell in row.find_all(["td", "th"])] for row in child.find_all("tr")]
            rows = [row for row in rows if any(row)]
            if rows:
                blocks.append(Block("table", rows=rows))
        elif name == "p":
            text = _text(child)
            if text:
                marker, rest, is_item = split_marker(text)
                blocks.append(Block("item", rest, marker=marker) if is_item else Block("paragraph", text))
        elif name == "br":
            continue
        else:
            _walk(child, blocks, list_depth)


def _list(list_tag: Tag, blocks: list[Block], depth: int) -> None:
    number = int(list_tag.get("start", 1)) if str(list_tag.get("start", "1")).isdigit() else 1
    for item in list_tag.find_all("li", recursive=False):
        nested = item.find_all(["ul", "ol"], recursive=False)
        for sub in nested:
            sub.extract()
        text = _text(item)
        if text:
            printed, rest, is_item = split_marker(text)
            marker = printed if is_item and printed else (f"{number}." if list_tag.name == "ol" else None)
            blocks.append(Block("item", rest if is_item else text, level=depth, marker=marker))
        number += 1
        for sub in nested:
            _list(sub, blocks, depth + 1)
