"""Labelled actions: plans whose actions are announced by a numbered label, not by a list marker.

"Azione positiva 1: …", "Azione 2 – …", "DESCRIZIONE OBIETTIVO 3" (alone in a table cell, the text
below it), "Intervento 4: …". Plans adopted by a Giunta (performance plans, piani delle azioni positive)
are written this way. Each run of labelled actions belongs to the heading or numbered item just before
it; around them, "Finalità strategica:" is the section's objective, "Soggetti e Uffici coinvolti:",
"Ufficio responsabile:" its areas, "A chi è rivolto:" is read and left aside. Everything else before the
labels (laws, staff tables, premesse, principles) is not part of the program.
"""

from __future__ import annotations

import re

from openmandato.importer.blocks import Block
from openmandato.importer.text import make_title, split_areas
from openmandato.importer.tree import ActionNode, SectionNode

ACTION_LABEL = re.compile(
    r"^(?:descrizione\s+)?(?:azione(?:\s+positiva)?|obiettivo(?:\s+operativo)?|intervento|misura)"
    r"\s+(?:n\.?\s*)?(\d{1,3})\b\s*[:.–—-]?\s*",
    re.IGNORECASE,
)
OBJECTIVE_LABEL = re.compile(r"^finalit[àa]\s+strategic(?:a|he)\s*:\s*", re.IGNORECASE)
AREAS_LABEL = re.compile(
    r"^(?:soggetti\s+e\s+uffici\s+coinvolti|uffici\s+coinvolti|uffici?\s+responsabil[ei]|struttur[ae]\s+"
    r"responsabil[ei]|servizi\s+coinvolti)\s*\*?\s*:\s*",
    re.IGNORECASE,
)
TARGET_LABEL = re.compile(r"^(?:a\s+chi\s+è\s+rivolt[oa]|destinatari)\s*:\s*", re.IGNORECASE)
INLINE_LABELS = re.compile(
    r"(?<=[.;!?:])\s+(?=(?:Azione positiva \d|Finalit[àa] strategic|Soggetti e Uffici coinvolti|"
    r"A chi è rivolto|Ufficio responsabile\s*:|Uffici coinvolti\s*:))"
)
RESPONSIBLE = re.compile(r"^responsabile\s+(?!:)", re.IGNORECASE)
MIN_LABELS = 3


def split_inline_labels(blocks: list[Block]) -> list[Block]:
    """A label run on at the end of another paragraph starts its own paragraph."""
    out: list[Block] = []
    for block in blocks:
        if block.kind not in ("paragraph", "item") or not INLINE_LABELS.search(block.text):
            out.append(block)
            continue
        first, *rest = INLINE_LABELS.split(block.text)
        out.append(Block(block.kind, first, block.level, block.marker, page=block.page))
        out.extend(Block("paragraph", part, page=block.page) for part in rest)
    return out


def _label_text(block: Block) -> str | None:
    """The action's text when the block is a labelled action, else None."""
    if block.kind == "table":
        if not block.rows or not block.rows[0] or not block.rows[0][0]:
            return None
        first = block.rows[0][0]
        match = ACTION_LABEL.match(first)
        if not match or not first.lower().startswith("descrizione"):
            return None
        rest = first[match.end() :].strip()
        if not rest and len(block.rows) > 1:
            rest = block.rows[1][0]
        return rest or None
    text = block.text
    if block.kind in ("paragraph", "item") and not block.marker:
        match = ACTION_LABEL.match(text)
        if match and ":" in text[: match.end() + 1] or match and text.lower().startswith("azione"):
            rest = text[match.end() :].strip()
            return rest if len(rest) > 10 else None
    return None


def detect(blocks: list[Block]) -> int:
    return sum(1 for block in blocks if _label_text(block))


def _opens_section(block: Block) -> bool:
    """A heading or a numbered item ("1) Conciliazione …"); not a "RESPONSABILE …" line printed in bold,
    nor a wrapped "n. 145/2018" that looks like a lettered item."""
    if block.kind == "heading":
        return not RESPONSIBLE.match(block.text)
    return (
        block.kind == "item"
        and bool(block.marker)
        and block.marker.rstrip(".)").isdigit()
        and block.text[:1].isupper()
        and len(block.text) > 10
    )


def parse(blocks: list[Block]) -> list[SectionNode]:
    if detect(blocks) < MIN_LABELS:
        return []
    sections: list[SectionNode] = []
    opener: Block | None = None
    section: SectionNode | None = None
    pending: list[Block] = []  # blocks between the opener and the first label
    last: ActionNode | None = None
    for block in blocks:
        if block.kind == "meta":
            continue
        text = _label_text(block)
        if text is not None:
            if section is None:
                section = _open(opener, pending)
                sections.append(section)
            last = ActionNode(title=make_title(text), text=text)
            last.source_page = block.page
            section.actions.append(last)
            continue
        if _opens_section(block):
            opener, pending, section, last = block, [], None, None
            continue
        if section is None:
            pending.append(block)
            continue
        if block.kind == "table":
            continue  # phases and duplicated text boxes of the action just read
        if match := AREAS_LABEL.match(block.text):
            section.areas.extend(a for a in _areas(block.text[match.end() :]) if a not in section.areas)
            last = None
        elif match := OBJECTIVE_LABEL.match(block.text):
            section.objective = block.text[match.end() :].strip()
        elif TARGET_LABEL.match(block.text):
            last = None
        elif last is not None and block.kind == "paragraph" and block.text[:1].islower():
            last.text = f"{last.text} {block.text}"
    return [s for s in sections if s.actions]


def _areas(text: str) -> list[str]:
    return split_areas(text.replace(",", ";"))


def _open(opener: Block | None, pending: list[Block]) -> SectionNode:
    title, summary = "Programma", []
    if opener is not None:
        if opener.kind == "item":
            head, _sep, rest = opener.text.partition(". ")
            title = f"{opener.marker} {head.rstrip('.')}."
            if rest:
                summary.append(rest)
        else:
            title = opener.text
    section = SectionNode(
        title=title,
        source_text=opener.text if opener else "",
        source_page=opener.page if opener else None,
    )
    for block in pending:
        if block.kind == "table" or RESPONSIBLE.match(block.text):
            continue
        if match := OBJECTIVE_LABEL.match(block.text):
            section.objective = block.text[match.end() :].strip()
        elif match := AREAS_LABEL.match(block.text):
            section.areas.extend(_areas(block.text[match.end() :]))
        else:
            summary.append(block.text)
    section.summary = "\n\n".join(summary)
    return section
