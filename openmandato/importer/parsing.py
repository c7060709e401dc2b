"""Blocks (or text) -> program tree. Pure functions: nothing here touches the database.

Every layout parser is tried on the whole document and on each top-level chapter; the reading that
finds the most actions wins, so documents that mix layouts chapter by chapter are read too."""

from __future__ import annotations

import re
from collections import Counter

from django.utils.translation import gettext as _

from openmandato.importer import limits
from openmandato.importer.blocks import Block, to_lines
from openmandato.importer.errors import ImportRejected
from openmandato.importer.layouts import headed_blocks, labelled, outline, stakeholder_tables
from openmandato.importer.quality import review
from openmandato.importer.readers.text import read_text
from openmandato.importer.refine import refine
from openmandato.importer.text import (
    detect_mayor,
    detect_municipality,
    detect_period,
    detect_title,
    normalise,
)
from openmandato.importer.tree import PrincipleNode, ProgramTree, SectionNode

MIN_ACTIONS = 2  # a single sentence under a heading is not a program
PRINCIPLE = re.compile(r"^[-–—•*]\s*([A-ZÀ-Ý][A-ZÀ-Ý' ]{2,40}):\s*(.+)$")


def parse_text(text: str) -> ProgramTree:
    return parse_blocks(read_text(text))


def parse_blocks(blocks: list[Block]) -> ProgramTree:
    """Parse a document's blocks; raise ImportRejected if no section with actions is found."""
    blocks = refine(blocks)
    lines = [normalise(line) for line in to_lines(blocks, include_meta=True)]
    lines = [line for line in lines if line]
    text = "\n".join(lines)
    tree = ProgramTree(
        municipality=detect_municipality(text),
        title=detect_title(lines),
        period=detect_period(text),
        mayor=detect_mayor(text),
        principles=[
            PrincipleNode(title=m.group(1).strip(), text=m.group(2).strip()) for m in _principles(lines)
        ],
    )
    tree.sections, tree.layout, tree.layout_reason = choose_reading(blocks)
    review(tree)
    if tree.layout != "labelled":
        tree.layout_reason = _reason(tree.layout, tree.sections)  # counted after what review left out
    if _leaves(tree.sections) < MIN_ACTIONS:
        raise ImportRejected(_("Nessun programma riconoscibile: non ho trovato sezioni con azioni."))
    limits.check_actions(_leaves(tree.sections))
    tree.warnings = tree.warnings + duplicate_code_warnings(tree)
    return tree


def _principles(lines: list[str]):
    return [match for match in map(PRINCIPLE.match, lines) if match]


def _leaves(sections: list[SectionNode]) -> int:
    return sum(1 for section in sections for _leaf in section.leaf_actions())


def _read(blocks: list[Block]) -> tuple[list[SectionNode], str]:
    """The specific layouts (headed blocks, stakeholder tables) win when they recognise the text: their
    cues are unambiguous. Otherwise the general outline reading applies."""
    lines = [line for line in (normalise(x) for x in to_lines(blocks)) if line]
    readings = [
        (headed_blocks.parse(lines), "headed_blocks"),
        (stakeholder_tables.parse(lines), "stakeholder_tables"),
    ]
    specific = max(readings, key=lambda reading: _leaves(reading[0]))
    return specific if _leaves(specific[0]) >= MIN_ACTIONS else (outline.parse(blocks), "outline")


def choose_reading(blocks: list[Block]) -> tuple[list[SectionNode], str, str]:
    """The sections, the layout's name and why it was chosen."""
    labels = labelled.detect(blocks)
    if labels >= labelled.MIN_LABELS:
        sections = labelled.parse(blocks)
        if _leaves(sections) >= MIN_ACTIONS:
            return (
                sections,
                "labelled",
                _("%(count)d azioni annunciate da un'etichetta numerata («Azione 1:»)") % {"count": labels},
            )
    sections, name = best_reading(blocks)
    return sections, name, _reason(name, sections)


def _reason(name: str, sections: list[SectionNode]) -> str:
    leaves = [leaf for section in sections for leaf in section.leaf_actions()]
    prose = sum(1 for leaf in leaves if "prose" in leaf.flags)
    values = {"sections": sum(1 for s in sections for _x in s.walk()), "actions": len(leaves), "prose": prose}
    if name == "headed_blocks":
        return _("blocchi con campi «Obiettivo», «Macroazioni», «Deleghe»: %(actions)d azioni") % values
    if name == "stakeholder_tables":
        return _("tabelle «N° | Azione» per ambito: %(actions)d azioni") % values
    return (
        _("%(sections)d sezioni dai titoli, %(actions)d azioni da elenchi e tabelle (%(prose)d da paragrafi)")
        % values
    )


def best_reading(blocks: list[Block]) -> tuple[list[SectionNode], str]:
    whole, name = _read(blocks)
    chapters = _chapters(blocks)
    if len(chapters) < 2:
        return whole, name
    mixed = [section for chapter in chapters for section in _chapter_reading(chapter)]
    return (mixed, "mixed") if _leaves(mixed) > _leaves(whole) else (whole, name)


def _chapters(blocks: list[Block]) -> list[list[Block]]:
    levels = [b.level for b in blocks if b.kind == "heading"]
    if not levels:
        return []
    top = min(levels)
    chapters: list[list[Block]] = []
    for block in blocks:
        if block.kind == "heading" and block.level == top or not chapters:
            chapters.append([])
        chapters[-1].append(block)
    if chapters and chapters[0][0].kind != "heading" and not any(b.kind == "item" for b in chapters[0]):
        chapters.pop(0)  # the prose before the first chapter is a preamble
    return chapters


def _chapter_reading(chapter: list[Block]) -> list[SectionNode]:
    reading, _name = _read(chapter)
    head = chapter[0]
    if head.kind != "heading" or any(section.title == head.text for section in reading):
        return reading
    # A chapter read by a line-based layout keeps its heading as the parent section.
    return [SectionNode(title=head.text, sections=reading)] if reading else []


def duplicate_code_warnings(tree: ProgramTree) -> list[str]:
    warnings = []
    for section in tree.all_sections():
        counts = Counter(action.code for action in section.actions if action.code)
        for code, count in counts.items():
            if count > 1:
                warnings.append(
                    _("%(count)d azioni numerate %(code)s in «%(section)s»")
                    % {"count": count, "code": code, "section": section.title}
                )
    return warnings
