"""Narratives followed by tables of numbered actions.

Valenza's program first describes each stakeholder ("Stakeholder – Bambini e giovani. ...", with
continuation paragraphs), then lists the actions per stakeholder in tables ("N° | Azione |"). The
tables' titles need not repeat the narratives' names ("Bambini&Ragazzi"), so the two are paired by
the words they share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openmandato.importer.text import is_boilerplate, is_heading, make_title
from openmandato.importer.tree import ActionNode, SectionNode

TABLE_HEADER = re.compile(r"^(?:n[°º.]?|num(?:ero)?|#)\s*\|\s*azion[ei]\s*\|?$", re.IGNORECASE)
TABLE_ROW = re.compile(r"^(\d{1,3}[a-z]?)\s*\|\s*(.+?)\s*\|?$")
NARRATIVE = re.compile(r"^(?:stakeholder|tema|ambito)\s*[–—-]\s*([^.]{2,60})\.\s*(.*)$", re.IGNORECASE)
STOPWORDS = {"e", "ed", "di", "del", "della", "dei", "per", "il", "la", "le", "i", "gli"}


@dataclass
class Narrative:
    name: str
    paragraphs: list[str]


def parse(lines: list[str]) -> list[SectionNode]:
    lines = [line for line in lines if not is_boilerplate(line)]
    headers = [i for i, line in enumerate(lines) if TABLE_HEADER.match(line) and i > 0]
    if not headers:
        return []
    sections = [_table(lines, i) for i in headers]
    narratives = _narratives(lines[: headers[0]])
    for section, narrative in _pair(sections, narratives):
        section.summary = "\n\n".join(narrative.paragraphs)
    return sections


def _table(lines: list[str], header: int) -> SectionNode:
    section = SectionNode(title=lines[header - 1].rstrip(":"))
    for line in lines[header + 1 :]:
        row = TABLE_ROW.match(line)
        if not row:
            break
        text = row.group(2).strip()
        section.actions.append(ActionNode(code=row.group(1), title=make_title(text), text=text))
    return section


def _narratives(lines: list[str]) -> list[Narrative]:
    narratives: list[Narrative] = []
    current: Narrative | None = None
    for line in lines:
        match = NARRATIVE.match(line)
        if match:
            current = Narrative(name=match.group(1).strip(), paragraphs=[match.group(2).strip()])
            narratives.append(current)
        elif current is not None and not is_heading(line):
            current.paragraphs.append(line)
        else:
            current = None
    return narratives


def _words(name: str) -> set[str]:
    tokens = re.findall(r"[^\W\d_]+|\d+", name.lower().replace("&", " e "))
    return {token[:5] for token in tokens if token not in STOPWORDS}


def _pair(sections: list[SectionNode], narratives: list[Narrative]) -> list[tuple[SectionNode, Narrative]]:
    """Greedy best-first pairing by shared word stems (Jaccard), each side used once."""
    scored = []
    for s_index, section in enumerate(sections):
        for n_index, narrative in enumerate(narratives):
            a, b = _words(section.title), _words(narrative.name)
            score = len(a & b) / len(a | b) if a | b else 0.0
            if score > 0:
                scored.append((score, s_index, n_index))
    pairs, used_s, used_n = [], set(), set()
    for _score, s_index, n_index in sorted(scored, key=lambda item: (-item[0], item[1], item[2])):
        if s_index not in used_s and n_index not in used_n:
            pairs.append((sections[s_index], narratives[n_index]))
            used_s.add(s_index)
            used_n.add(n_index)
    return pairs
