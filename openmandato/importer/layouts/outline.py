"""Outline: sections from headings (any depth), actions from numbered or bulleted lists, from tables of
actions, or from plain paragraphs when a section has no list. Also reads DUP-style documents
("Missione 01 / Programma 02 / Obiettivo strategico / Obiettivo operativo")."""

from __future__ import annotations

import re

from openmandato.importer.blocks import Block, split_marker
from openmandato.importer.text import is_boilerplate, is_heading, is_proposal, make_title, split_areas
from openmandato.importer.tree import ActionNode, SectionNode

MISSION = re.compile(r"^missione\s+(\d{1,2})\b\s*[-–—:.]?\s*(.*)$", re.IGNORECASE)
PROGRAM = re.compile(r"^programma\s+(\d{1,2})\b\s*[-–—:.]?\s*(.*)$", re.IGNORECASE)
STRATEGIC = re.compile(r"^obiettivo\s+strategico\s*([\w.]*\d[\w.]*)?\s*[-–—:.]?\s*(.+)$", re.IGNORECASE)
OPERATIVE = re.compile(r"^obiettivo\s+operativo\s*([\w.]*\d[\w.]*)?\s*[-–—:.]?\s*(.+)$", re.IGNORECASE)
AREAS = re.compile(
    r"^(?:assessorat[oi]|assessor[ei]|settor[ei](?:\s+(?:responsabil[ei]|competent[ei]|coinvolt[ie]))?"
    r"|area\s+responsabile|aree\s+responsabili|responsabil[ei]|delega|deleghe|referent[ei]"
    r"|uffici?o?\s+(?:competent[ei]|responsabil[ei]|coinvolt[oi]|referent[ei])"
    r"|struttur[ae]\s+(?:competent[ei]|responsabil[ei])|soggetti\s+e\s+uffici\s+coinvolti)"
    r"\s*(?:\(\d+\)|\[\d+\]|[*¹²³⁴⁵⁶⁷⁸⁹\d])?\s*[:–-]\s*(.+)$",
    re.IGNORECASE,
)
OBJECTIVE = re.compile(r"^obiettiv[oi]\s*(?:generale)?\s*[:–-]\s*(.+)$", re.IGNORECASE)
CODE_HEADERS = re.compile(r"^(n[°º.]?|num(ero)?|#|cod(ice)?|id)$", re.IGNORECASE)
TEXT_HEADERS = re.compile(
    r"^(azion[ei]|intervent[oi]|descrizione|obiettiv[oi]|attività|impegn[oi]|progett[oi])", re.I
)
AREA_HEADERS = re.compile(r"^(responsabil|area|aree|assessor|settor|delega|ufficio)", re.IGNORECASE)
DUE_HEADERS = re.compile(r"^(scadenza|tempi|entro|termine|anno)", re.IGNORECASE)


class _Outline:
    def __init__(self):
        self.roots: list[SectionNode] = []
        self.stack: list[tuple[int, SectionNode]] = []
        self.paragraphs: dict[int, list[str]] = {}
        self.actions: list[tuple[int, ActionNode]] = []  # the open list items, with their depth
        self.label: ActionNode | None = None
        self.dup = {"mission": "", "program": ""}
        self.strategic: ActionNode | None = None
        self.has_headings = False
        self.page: int | None = None  # the page of the block being read (PDF only)
        self.pages: dict[str, int | None] = {}  # a paragraph's page

    @property
    def section(self) -> SectionNode | None:
        return self.stack[-1][1] if self.stack else None

    def open_section(self, title: str, level: int) -> SectionNode:
        section = SectionNode(title=title.rstrip(":"), source_text=title, source_page=self.page)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        (self.stack[-1][1].sections if self.stack else self.roots).append(section)
        self.stack.append((level, section))
        self.actions, self.label, self.strategic = [], None, None
        return section

    def ensure_section(self) -> SectionNode:
        return self.section or self.open_section("Programma", 1)

    def add_action(self, action: ActionNode, depth: int) -> None:
        action.dup_mission, action.dup_program = self.dup["mission"], self.dup["program"]
        action.source_page = action.source_page or self.page
        while self.actions and self.actions[-1][0] >= depth:
            self.actions.pop()
        if self.actions:
            self.actions[-1][1].actions.append(action)
        elif self.label is not None:
            self.label.actions.append(action)
        else:
            self.ensure_section().actions.append(action)
        self.actions.append((depth, action))


def parse(blocks: list[Block]) -> list[SectionNode]:
    blocks = [block for block in blocks if block.kind != "meta"]
    outline = _Outline()
    outline.has_headings = any(block.kind == "heading" for block in blocks)
    heading_levels = sorted({b.level for b in blocks if b.kind == "heading"})
    rank = {level: index + 1 for index, level in enumerate(heading_levels)}
    for index, block in enumerate(blocks):
        text = block.text.strip()
        if block.kind == "meta" or block.kind != "table" and (not text or is_boilerplate(text)):
            continue
        outline.page = block.page
        if block.kind == "heading":
            if not _dup(outline, text, heading=True):
                outline.open_section(text, rank[block.level] + (1 if outline.dup["mission"] else 0))
        elif block.kind == "table":
            _table(outline, block)
        elif block.kind == "item":
            _item(outline, block)
        elif not _dup(outline, text, heading=False):
            _paragraph(outline, blocks, index, text)
    for section in _walk(outline.roots):
        if not section.actions:
            _prose_actions(section, outline.paragraphs.get(id(section), []), outline.pages)
    return [s for s in outline.roots if any(True for _ in s.leaf_actions())]


def _prose_actions(section: SectionNode, paragraphs: list[str], pages: dict[str, int | None]) -> None:
    """A block with no list states its proposals in prose: one action per paragraph that commits to
    something. When no paragraph does and the section has no sub-sections, every paragraph is kept,
    with a low confidence."""
    if not paragraphs:
        return
    proposals = [p for p in paragraphs if is_proposal(p)]
    if not proposals and section.sections:
        return
    chosen = proposals or paragraphs
    section.actions = [
        ActionNode(
            title=make_title(p),
            text=p,
            confidence=0.6 if p in proposals else 0.35,
            flags=["prose"],
            source_page=pages.get(p),
        )
        for p in chosen
    ]
    section.summary = "\n\n".join(p for p in paragraphs if p not in chosen)


def _walk(sections):
    for section in sections:
        yield section
        yield from _walk(section.sections)


def _dup(outline: _Outline, text: str, heading: bool) -> bool:
    if match := MISSION.match(text):
        outline.dup = {"mission": match.group(1).zfill(2), "program": ""}
        outline.stack.clear()
        outline.open_section(text, 1)
        return True
    if match := PROGRAM.match(text):
        outline.dup["program"] = match.group(1).zfill(2)
        outline.open_section(text, 2)
        return True
    if match := STRATEGIC.match(text):
        action = ActionNode(
            title=make_title(match.group(2)), text=match.group(2), code=match.group(1) or None
        )
        outline.actions, outline.label = [], None
        outline.add_action(action, 0)
        outline.strategic = action
        return True
    if match := OPERATIVE.match(text):
        action = ActionNode(
            title=make_title(match.group(2)), text=match.group(2), code=match.group(1) or None
        )
        outline.add_action(action, 1 if outline.strategic else 0)
        return True
    return False


def _kind(marker: str | None) -> str:
    core = (marker or "").rstrip(".)")
    if not core:
        return "bullet"
    if re.fullmatch(r"\d+(\.\d+)*", core):
        return "number"
    if re.fullmatch(r"[ivx]{2,5}", core):
        return "roman"
    return "letter"


def _depth(marker: str | None, level: int, outline: _Outline) -> int:
    """Nesting: 1.2 is inside 1; a) inside the last number; i. inside the last letter; indentation adds."""
    kind = _kind(marker)
    if kind == "bullet":
        return level
    if kind == "number":
        return marker.rstrip(".)").count(".") + level
    open_kinds = [(depth, _kind(action.code)) for depth, action in outline.actions]
    wanted = {"letter": ("number",), "roman": ("letter", "number")}[kind]
    for parent_kind in wanted:
        parents = [depth for depth, k in open_kinds if k == parent_kind]
        if parents:
            return parents[-1] + 1
    same = [depth for depth, k in open_kinds if k == kind]
    return same[-1] if same else level


def _item(outline: _Outline, block: Block) -> None:
    text = block.text.strip()
    if block.marker and text.isupper() and len(text) <= 80:
        outline.open_section(f"{block.marker} {text}", 2)
        return
    code = block.marker.rstrip(".)") if block.marker else None
    action = ActionNode(title=make_title(text), text=text, code=code)
    outline.add_action(action, _depth(block.marker, block.level, outline))


def _paragraph(outline: _Outline, blocks: list[Block], index: int, text: str) -> None:
    if match := AREAS.match(text):
        section = outline.ensure_section()
        section.areas.extend(
            a for a in split_areas(match.group(1).replace(",", ";")) if a not in section.areas
        )
        return
    if match := OBJECTIVE.match(text):
        outline.ensure_section().objective = match.group(1).strip()
        return
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if text.endswith(":") and following is not None and following.kind == "item":
        label = ActionNode(title=make_title(text[:-1]), text=text[:-1], flags=["lead_in"])
        outline.actions = []
        outline.ensure_section().actions.append(label)
        outline.label = label
        return
    if _looks_like_heading(text, following):
        outline.open_section(text, 1 if text.isupper() else 2)
        outline.section.flags.append("guessed_heading")
        return
    if outline.section is None and outline.has_headings:
        return  # prose before the first heading is a preamble, not a section of its own
    outline.actions, outline.label = [], None
    section = outline.ensure_section()
    outline.paragraphs.setdefault(id(section), []).append(text)
    outline.pages[text] = outline.page
    if not section.actions:
        section.summary = f"{section.summary}\n\n{text}".strip()


def _looks_like_heading(text: str, following: Block | None) -> bool:
    return (
        following is not None
        and following.kind in ("item", "paragraph", "table")
        and is_heading(text)
        and len(text) <= 80
        and not split_marker(text)[2]
    )


def _table(outline: _Outline, block: Block) -> None:
    rows = [[cell.strip() for cell in row] for row in block.rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        return
    header = rows[0]
    roles = {}
    for column, name in enumerate(header):
        for role, pattern in (
            ("code", CODE_HEADERS),
            ("text", TEXT_HEADERS),
            ("areas", AREA_HEADERS),
            ("due", DUE_HEADERS),
        ):
            if role not in roles and pattern.match(name):
                roles[role] = column
                break
    if "text" not in roles:
        return
    section = outline.ensure_section()
    for row in rows[1:]:

        def cell(role, row=row):
            return row[roles[role]] if role in roles and roles[role] < len(row) else ""

        text = cell("text")
        if not text:
            continue
        action = ActionNode(title=make_title(text), text=text, code=cell("code") or None, due=cell("due"))
        action.areas = split_areas(cell("areas").replace(",", ";")) if cell("areas") else []
        action.dup_mission, action.dup_program = outline.dup["mission"], outline.dup["program"]
        action.source_page = block.page
        section.actions.append(action)
