"""Re-import of a revised document into an existing mandate: match actions by code and text, show the
difference, apply it in one transaction. Matched actions keep their identity (and so their updates
and comments); actions no longer in the document are archived, never deleted."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openmandato.core.audit import record_audit
from openmandato.core.batching import write_batch
from openmandato.importer.areas import areas_named
from openmandato.importer.tree import ActionNode, ProgramTree, SectionNode
from openmandato.programs import rollup
from openmandato.programs.models import Action, Area, Mandate, Section

SAME_PLACE_THRESHOLD = 0.5
ANYWHERE_THRESHOLD = 0.75


@dataclass
class NewAction:
    node: ActionNode
    path: tuple[str, ...]
    parent: NewAction | None
    match: Action | None = None
    children: list[NewAction] = field(default_factory=list)
    # The staff changed the stored title since the last import (in the preview or the admin) ...
    title_edited: bool = False
    # ... and the document now prints another title: the staff choose which one to keep.
    title_conflict: bool = False
    keep_title: bool = False

    @property
    def new_title(self) -> str:
        return self.match.title if self.match is not None and self.keep_title else self.node.title[:160]

    @property
    def document_title(self) -> str:
        return getattr(self.node, "document_title", "") or self.node.title


@dataclass
class Revision:
    mandate: Mandate
    tree: ProgramTree
    new: list[NewAction]
    removed: list[Action]

    @property
    def added(self) -> list[NewAction]:
        return [item for item in self.new if item.match is None]

    @property
    def changed(self) -> list[NewAction]:
        return [item for item in self.new if item.match is not None and _differs(item)]

    @property
    def unchanged(self) -> list[NewAction]:
        return [item for item in self.new if item.match is not None and not _differs(item)]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    @property
    def title_conflicts(self) -> list[NewAction]:
        return [item for item in self.new if item.title_conflict]

    def summary(self) -> str:
        """ "3 azioni nuove, 1 modificata, 1 rimossa", in words a staff member reads at a glance."""
        added, changed, removed = len(self.added), len(self.changed), len(self.removed)
        return ", ".join(
            [
                ngettext("%(n)d azione nuova", "%(n)d azioni nuove", added) % {"n": added},
                ngettext("%(n)d modificata", "%(n)d modificate", changed) % {"n": changed},
                ngettext("%(n)d rimossa", "%(n)d rimosse", removed) % {"n": removed},
            ]
        )

    def changes(self) -> list[dict]:
        """Each changed action with its fields old → new."""
        rows = []
        for item in self.changed:
            action = item.match
            fields = []
            if (action.code or "") != (item.node.code or ""):
                fields.append((_("Numero"), action.code or "—", item.node.code or "—"))
            if action.title != item.new_title:
                fields.append((_("Titolo"), action.title, item.new_title))
            if action.text != item.node.text:
                fields.append((_("Testo"), action.text, item.node.text))
            if action.section_path_titles != item.path:
                fields.append((_("Sezione"), " › ".join(action.section_path_titles), " › ".join(item.path)))
            if not fields:
                fields.append((_("Posizione"), _("sotto un'altra azione"), _("spostata nel programma")))
            rows.append({"item": item, "action": action, "fields": fields})
        return rows

    def lines(self) -> list[str]:
        out = [f"+ {' > '.join(i.path)} | {i.node.code or ''} {i.node.title}".rstrip() for i in self.added]
        out += [f"~ {' > '.join(i.path)} | {i.node.code or ''} {i.node.title}".rstrip() for i in self.changed]
        out += [f"- {a.section.title} | {a.code} {a.title}".rstrip() for a in self.removed]
        return out


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def similarity(a: str, b: str, at_least: float = 0.0) -> float:
    """Similarity of two texts (0–1); 0 as soon as the cheap upper bounds say it cannot reach at_least."""
    matcher = difflib.SequenceMatcher(None, _norm(a), _norm(b), autojunk=False)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return 0.0
    return matcher.ratio()


def _section_path(section: Section, by_id: dict[int, Section]) -> tuple[str, ...]:
    path = []
    while section is not None:
        path.append(section.title)
        section = by_id.get(section.parent_id)
    return tuple(reversed(path))


def _differs(item: NewAction) -> bool:
    action = item.match
    expected_parent = item.parent.match.pk if item.parent and item.parent.match else None
    return (
        action.text != item.node.text
        or action.title != item.new_title
        or (action.code or "") != (item.node.code or "")
        or action.section_path_titles != item.path
        or (item.parent is not None and action.parent_id != expected_parent)
    )


def plan_revision(
    mandate: Mandate,
    tree: ProgramTree,
    document_titles: dict[str, str] | None = None,
    choices: dict[str, str] | None = None,
) -> Revision:
    """Match the tree's actions with the mandate's. `document_titles` (action pk -> the title the last
    imported document printed) tells which stored titles the staff edited since; an edited title is
    kept unless the document changed it too, and then `choices` (pk -> "mine" or "document") decides,
    keeping the staff's title by default."""
    sections = {s.pk: s for s in mandate.sections.all()}
    existing = list(mandate.actions.active().select_related("section"))
    for action in existing:
        action.section_path_titles = _section_path(action.section, sections)
    new: list[NewAction] = []

    def walk_actions(nodes, path, parent):
        for node in nodes:
            item = NewAction(node, path, parent)
            new.append(item)
            if parent:
                parent.children.append(item)
            walk_actions(node.actions, path, item)

    def walk_sections(nodes, prefix):
        for node in nodes:
            path = (*prefix, node.title)
            walk_actions(node.actions, path, None)
            walk_sections(node.sections, path)

    walk_sections(tree.sections, ())
    candidates = []
    for index, item in enumerate(new):
        for action in existing:
            same_place = action.section_path_titles == item.path and (action.code or "") == (
                item.node.code or ""
            )
            score = similarity(
                item.node.text, action.text, SAME_PLACE_THRESHOLD if same_place else ANYWHERE_THRESHOLD
            )
            if (same_place and score >= SAME_PLACE_THRESHOLD) or score >= ANYWHERE_THRESHOLD:
                candidates.append((same_place, score, index, action.pk, action))
    taken_new, taken_old = set(), set()
    for _same, _score, index, pk, action in sorted(candidates, key=lambda c: (not c[0], -c[1], c[2], c[3])):
        if index not in taken_new and pk not in taken_old:
            new[index].match = action
            taken_new.add(index)
            taken_old.add(pk)
    removed = [action for action in existing if action.pk not in taken_old]
    document_titles, choices = document_titles or {}, choices or {}
    for item in new:
        printed = document_titles.get(str(item.match.pk)) if item.match is not None else None
        if printed is None or item.match.title == printed:
            continue
        item.title_edited = True
        if item.document_title == printed or item.node.title == item.match.title:
            item.keep_title = True  # the document did not change it: the staff's title stays
        else:
            item.title_conflict = True
            item.keep_title = choices.get(str(item.match.pk), "mine") != "document"
    return Revision(mandate, tree, new, removed)


def apply_revision(
    revision: Revision, *, user=None, source_filename: str = "", source_sha256: str = ""
) -> dict[str, str]:
    """Apply the plan in one transaction; return each action's title as the document printed it."""
    mandate = revision.mandate
    printed: dict[str, str] = {}
    counts = {
        "added": len(revision.added),
        "changed": len(revision.changed),
        "removed": len(revision.removed),
    }
    with transaction.atomic(), write_batch(), rollup.deferred():
        Mandate.objects.select_for_update().get(pk=mandate.pk)
        sections = _ensure_sections(mandate, revision.tree.sections)
        areas: dict[str, Area] = {}
        for position, item in enumerate(revision.new):
            section = sections[item.path]
            parent = item.parent.match if item.parent else None
            action = item.match or Action(section=section)
            before = {"code": action.code, "title": action.title, "text": action.text} if item.match else None
            action.section, action.parent, action.position = section, parent, position
            action.code, action.title, action.text = (item.node.code or "", item.new_title, item.node.text)
            action.save()
            item.match = action
            printed[str(action.pk)] = item.document_title[:160]
            names = item.node.areas or _inherited_areas(revision.tree, item.path)
            if names:
                action.areas.set(areas_named(mandate.municipality, names, areas))
            if before is None or before != {"code": action.code, "title": action.title, "text": action.text}:
                record_audit(
                    user,
                    mandate.municipality_id,
                    "reimport",
                    action,
                    before=before,
                    after={"code": action.code, "title": action.title, "text": action.text},
                )
        now = timezone.now()
        for action in revision.removed:
            action.archived_at = now
            action.save()
            record_audit(user, mandate.municipality_id, "archive", action, before={"title": action.title})
        if source_sha256:
            Mandate.objects.filter(pk=mandate.pk).update(
                source_filename=source_filename, source_sha256=source_sha256, imported_at=now
            )
        record_audit(
            user,
            mandate.municipality_id,
            "revise",
            mandate,
            after={"file": source_filename, "sha256": source_sha256, **counts},
        )
    rollup.recompute_shares(mandate.pk)
    return printed


def _ensure_sections(mandate: Mandate, nodes: list[SectionNode]) -> dict[tuple[str, ...], Section]:
    by_id = {s.pk: s for s in mandate.sections.all()}
    existing = {_section_path(s, by_id): s for s in by_id.values()}
    result: dict[tuple[str, ...], Section] = {}

    def walk(items, prefix, parent):
        for position, node in enumerate(items):
            path = (*prefix, node.title)
            section = existing.get(path)
            if section is None:
                section = Section.objects.create(
                    mandate=mandate,
                    parent=parent,
                    position=position,
                    title=node.title,
                    summary=node.summary,
                    objective=node.objective,
                )
            elif (section.summary, section.objective) != (node.summary, node.objective):
                section.summary, section.objective = node.summary, node.objective
                section.save()
            result[path] = section
            walk(node.sections, path, section)

    walk(nodes, (), None)
    return result


def _inherited_areas(tree: ProgramTree, path: tuple[str, ...]) -> list[str]:
    nodes, found = tree.sections, []
    for title in path:
        node = next((n for n in nodes if n.title == title), None)
        if node is None:
            break
        found = node.areas or found
        nodes = node.sections
    return found
