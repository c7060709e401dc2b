"""Headed blocks: a heading, then "Obiettivo", "Macroazioni" and "Deleghe e aree coinvolte" fields.

Cremona's "Linee di Mandato" are written this way; a chapter heading with its introduction may
stand above the blocks and then holds them as sub-sections.
"""

from __future__ import annotations

import re

from openmandato.importer.text import (
    is_boilerplate,
    is_bullet,
    is_heading,
    make_title,
    split_areas,
    strip_bullet,
)
from openmandato.importer.tree import ActionNode, SectionNode

FIELDS = {
    "objective": re.compile(r"^obiettiv[oi](?:\s+strategic[oi])?\b\s*:?\s*", re.IGNORECASE),
    "actions": re.compile(r"^(?:macro-?\s?azioni|azioni previste)\b\s*:?\s*", re.IGNORECASE),
    "areas": re.compile(
        r"^(?:deleghe e aree coinvolte|aree coinvolte|aree responsabili|deleghe|settori coinvolti)\b\s*:?\s*",
        re.IGNORECASE,
    ),
}
# A label like "Azioni chiave:" introduces the details of the action just before it.
DETAIL_LABEL = re.compile(r"^azioni (?:chiave|principali|specifiche)$", re.IGNORECASE)


def parse(lines: list[str]) -> list[SectionNode]:
    lines = [line for line in lines if not is_boilerplate(line)]
    starts = [
        i for i, line in enumerate(lines) if i + 1 < len(lines) and _field_of(lines[i + 1]) == "objective"
    ]
    if len(starts) < 2 or _complete(lines, starts) < max(2, len(starts) / 2):
        return []  # a stray "Obiettivo:" line is not this layout: the blocks need their other fields
    roots: list[SectionNode] = []
    chapter: SectionNode | None = None
    section: SectionNode | None = None
    field: str | None = None
    collected: dict[str, list[str]] = {}

    def close_section() -> None:
        if section is not None:
            section.objective = "\n".join(collected.get("objective", []))
            section.actions = _actions(collected.get("actions", []))
            section.areas = split_areas("; ".join(collected.get("areas", [])))

    for i, line in enumerate(lines):
        if i in starts:
            close_section()
            section, field, collected = SectionNode(title=line), None, {}
            (chapter.sections if chapter else roots).append(section)
            continue
        name = _field_of(line)
        if name and section is not None:
            field = name
            rest = FIELDS[name].sub("", line, count=1).strip()
            if rest:
                collected.setdefault(field, []).append(rest)
            continue
        if (section is None or (field == "areas" and collected.get("areas"))) and is_heading(line):
            close_section()
            section, field, collected = None, None, {}
            chapter = SectionNode(title=line)
            roots.append(chapter)
            continue
        if section is None:
            if chapter is not None:
                chapter.summary = f"{chapter.summary}\n\n{line}".strip()
            continue
        if field is not None:
            collected.setdefault(field, []).append(line)
    close_section()
    return roots


def _complete(lines: list[str], starts: list[int]) -> int:
    """How many blocks carry an actions or areas field besides their objective."""
    bounds = [*starts, len(lines)]
    return sum(
        1
        for start, end in zip(bounds, bounds[1:], strict=False)
        if any(_field_of(line) in ("actions", "areas") for line in lines[start + 2 : end])
    )


def _field_of(line: str) -> str | None:
    for name, pattern in FIELDS.items():
        if pattern.match(line):
            return name
    return None


def _actions(lines: list[str]) -> list[ActionNode]:
    actions: list[ActionNode] = []
    holder: ActionNode | None = None
    for line in lines:
        if is_bullet(line):
            item = strip_bullet(line)
            (holder.actions if holder else actions).append(ActionNode(title=make_title(item), text=item))
        elif line.endswith(":") and len(line) <= 120:
            label = line[:-1].strip()
            if DETAIL_LABEL.match(label) and actions:
                holder = actions[-1]
            else:
                holder = ActionNode(title=make_title(label), text=label)
                actions.append(holder)
        else:
            holder = None
            actions.append(ActionNode(title=make_title(line), text=line))
    return actions
