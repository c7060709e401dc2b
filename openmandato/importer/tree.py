"""The program tree: what a parsed document yields, before anything touches the database.

`ProgramTree.to_dict()` is the JSON shape printed by `import_program --dry-run --format json`.

Every section and action says how sure the parser is ("confidence", 0..1), why it doubts ("flags":
"analysis", "prose", "guessed_heading", "toc", …) and where it came from ("source": the original text
and, for PDFs, the page); the document says which layout was chosen and why, and its own confidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


def _quality(node) -> dict:
    original = node.source_text or node.title
    if getattr(node, "text", "") and not node.source_text:
        original = node.text
    return {
        "confidence": round(node.confidence, 2),
        "flags": list(node.flags),
        "source": {"page": node.source_page, "text": original},
    }


@dataclass
class ActionNode:
    title: str
    text: str
    code: str | None = None
    areas: list[str] = field(default_factory=list)
    actions: list[ActionNode] = field(default_factory=list)
    dup_mission: str = ""
    dup_program: str = ""
    due: str = ""
    confidence: float = 1.0
    flags: list[str] = field(default_factory=list)
    source_text: str = ""
    source_page: int | None = None

    def to_dict(self) -> dict:
        data = {
            "code": self.code,
            "title": self.title,
            "text": self.text,
            "areas": list(self.areas),
            "actions": [child.to_dict() for child in self.actions],
            **_quality(self),
        }
        for key in ("dup_mission", "dup_program", "due"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def leaves(self) -> Iterator[ActionNode]:
        if not self.actions:
            yield self
        for child in self.actions:
            yield from child.leaves()


@dataclass
class SectionNode:
    title: str
    summary: str = ""
    objective: str = ""
    areas: list[str] = field(default_factory=list)
    sections: list[SectionNode] = field(default_factory=list)
    actions: list[ActionNode] = field(default_factory=list)
    confidence: float = 1.0
    flags: list[str] = field(default_factory=list)
    source_text: str = ""
    source_page: int | None = None

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "summary": self.summary,
            "objective": self.objective,
            "areas": list(self.areas),
            "sections": [child.to_dict() for child in self.sections],
            "actions": [action.to_dict() for action in self.actions],
            **_quality(self),
        }

    def walk(self) -> Iterator[SectionNode]:
        yield self
        for child in self.sections:
            yield from child.walk()

    def leaf_actions(self) -> Iterator[ActionNode]:
        for action in self.actions:
            yield from action.leaves()
        for child in self.sections:
            yield from child.leaf_actions()


@dataclass
class PrincipleNode:
    title: str
    text: str

    def to_dict(self) -> dict:
        return {"title": self.title, "text": self.text}


@dataclass
class ProgramTree:
    municipality: str | None = None
    title: str | None = None
    period: str | None = None
    mayor: str | None = None
    principles: list[PrincipleNode] = field(default_factory=list)
    sections: list[SectionNode] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    confidence: float = 1.0
    layout: str = ""
    layout_reason: str = ""

    def to_dict(self) -> dict:
        return {
            "municipality": self.municipality,
            "title": self.title,
            "period": self.period,
            "mayor": self.mayor,
            "principles": [principle.to_dict() for principle in self.principles],
            "sections": [section.to_dict() for section in self.sections],
            "warnings": list(self.warnings),
            "confidence": round(self.confidence, 2),
            "layout": self.layout,
            "layout_reason": self.layout_reason,
        }

    def all_sections(self) -> Iterator[SectionNode]:
        for section in self.sections:
            yield from section.walk()

    def leaf_actions(self) -> Iterator[ActionNode]:
        for section in self.sections:
            yield from section.leaf_actions()

    def is_empty(self) -> bool:
        return not any(True for _ in self.leaf_actions())
