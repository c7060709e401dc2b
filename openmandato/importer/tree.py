"""The program tree: what a parsed document yields, before anything touches the database.

`ProgramTree.to_dict()` is the JSON shape printed by `import_program --dry-run --format json`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


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

    def to_dict(self) -> dict:
        data = {
            "code": self.code,
            "title": self.title,
            "text": self.text,
            "areas": list(self.areas),
            "actions": [child.to_dict() for child in self.actions],
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

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "summary": self.summary,
            "objective": self.objective,
            "areas": list(self.areas),
            "sections": [child.to_dict() for child in self.sections],
            "actions": [action.to_dict() for action in self.actions],
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

    def to_dict(self) -> dict:
        return {
            "municipality": self.municipality,
            "title": self.title,
            "period": self.period,
            "mayor": self.mayor,
            "principles": [principle.to_dict() for principle in self.principles],
            "sections": [section.to_dict() for section in self.sections],
            "warnings": list(self.warnings),
        }

    def all_sections(self) -> Iterator[SectionNode]:
        for section in self.sections:
            yield from section.walk()

    def leaf_actions(self) -> Iterator[ActionNode]:
        for section in self.sections:
            yield from section.leaf_actions()

    def is_empty(self) -> bool:
        return not any(True for _ in self.leaf_actions())
