"""Text -> program tree. Pure functions: nothing here touches the database."""

from __future__ import annotations

import re
from collections import Counter

from django.utils.translation import gettext as _

from openmandato.importer.errors import ImportRejected
from openmandato.importer.layouts import headed_blocks, stakeholder_tables
from openmandato.importer.text import (
    detect_mayor,
    detect_municipality,
    detect_period,
    detect_title,
    normalise,
)
from openmandato.importer.tree import PrincipleNode, ProgramTree, SectionNode

LAYOUTS = [headed_blocks.parse, stakeholder_tables.parse]
PRINCIPLE = re.compile(r"^[-–—•*]\s*([A-ZÀ-Ý][A-ZÀ-Ý' ]{2,40}):\s*(.+)$")


def parse_text(text: str) -> ProgramTree:
    """Parse a program document's text; raise ImportRejected if no section with actions is found."""
    lines = [normalise(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    tree = ProgramTree(
        municipality=detect_municipality(text),
        title=detect_title(lines),
        period=detect_period(text),
        mayor=detect_mayor(text),
        principles=[
            PrincipleNode(title=m.group(1).strip(), text=m.group(2).strip()) for m in _principles(lines)
        ],
        sections=_best_layout(lines),
    )
    if tree.is_empty():
        raise ImportRejected(_("Nessun programma riconoscibile: non ho trovato sezioni con azioni."))
    tree.warnings = duplicate_code_warnings(tree)
    return tree


def _principles(lines: list[str]):
    return [match for match in map(PRINCIPLE.match, lines) if match]


def _best_layout(lines: list[str]) -> list[SectionNode]:
    best: list[SectionNode] = []
    best_count = 0
    for layout in LAYOUTS:
        sections = layout(lines)
        count = sum(1 for section in sections for _leaf in section.leaf_actions())
        if count > best_count:
            best, best_count = sections, count
    return best


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
