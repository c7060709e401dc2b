"""Plain text and Markdown."""

from __future__ import annotations

import re

from openmandato.importer.blocks import Block, split_marker
from openmandato.importer.text import is_boilerplate, normalise

MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
TABLE_ROW = re.compile(r"^\|?.+\|.*$")
TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}.*$")


def read_text(text: str) -> list[Block]:
    blocks: list[Block] = []
    raw_lines = text.splitlines()
    for index, raw in enumerate(raw_lines):
        line = normalise(raw)
        if not line or TABLE_RULE.match(line) and "|" in line:
            continue
        heading = MD_HEADING.match(line)
        if heading:
            blocks.append(Block("heading", _strip_md(heading.group(2)), level=len(heading.group(1))))
            continue
        if line.count("|") >= 1 and TABLE_ROW.match(line) and _looks_tabular(line):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
            continue
        marker, rest, is_item = split_marker(line)
        if is_item:
            indent = len(raw) - len(raw.lstrip(" \t"))
            depth = marker.count(".") - 1 if marker and marker.rstrip(".)").count(".") else 0
            level = max(indent // 2, max(depth, 0))
            blocks.append(Block("item", _strip_md(rest), level=level, marker=marker))
            continue
        if _continues(blocks, raw_lines, index, line):
            previous = blocks[-1]
            previous.text = _join(previous.text, line)
            continue
        blocks.append(Block("paragraph", _strip_md(line)))
    return blocks


def _looks_tabular(line: str) -> bool:
    cells = line.strip().strip("|").split("|")
    return len(cells) >= 2 and not is_boilerplate(line)


def _continues(blocks: list[Block], raw_lines: list[str], index: int, line: str) -> bool:
    """A wrapped line: the previous line broke mid-sentence and this one goes on in lower case."""
    if not blocks or blocks[-1].kind not in ("paragraph", "item") or index == 0:
        return False
    previous_raw = raw_lines[index - 1].strip()
    if not previous_raw:
        return False
    return (previous_raw.endswith("-") or not previous_raw.endswith((".", ":", ";", "!", "?"))) and line[
        :1
    ].islower()


def _join(first: str, second: str) -> str:
    if first.endswith("-") and not first.endswith(" -"):
        return first[:-1] + second
    return f"{first} {second}"


def _strip_md(text: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"(?<!\w)\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return text.replace("`", "").strip()
