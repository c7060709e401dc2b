"""Write a parsed program tree to the database, in one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openmandato.accountability import rollup
from openmandato.accountability.audit import record_audit
from openmandato.importer.errors import ImportRejected
from openmandato.importer.tree import ActionNode, ProgramTree, SectionNode
from openmandato.programs.models import (
    Action,
    Area,
    Mandate,
    Municipality,
    Principle,
    Section,
    municipality_slug,
)


@dataclass(frozen=True)
class ImportOutcome:
    mandate: Mandate
    created: bool
    sections: int
    actions: int
    areas: int


def import_program(
    tree: ProgramTree,
    *,
    municipality_name: str | None = None,
    municipality: Municipality | None = None,
    source_filename: str = "",
    source_sha256: str = "",
    user=None,
) -> ImportOutcome:
    """Create the mandate and its tree (and the municipality, when only a name is given, from the command
    line); re-importing the same file does nothing. The back-office passes the municipality the user was
    authorised for, so the name printed in the document can never redirect the import elsewhere."""
    name = (municipality_name or tree.municipality or "").strip()
    if municipality is None and not name:
        raise ImportRejected(_("Il documento non nomina il comune: indicalo con --municipality."))
    with transaction.atomic():
        municipality = municipality or find_or_create_municipality(name)
        if source_sha256:
            existing = Mandate.objects.filter(municipality=municipality, source_sha256=source_sha256).first()
            if existing:
                return ImportOutcome(existing, False, existing.sections.count(), existing.actions.count(), 0)
        title = tree.title or _("Programma di mandato")
        if Mandate.objects.filter(municipality=municipality, title=title).exists():
            raise ImportRejected(
                _("%(municipality)s ha già un mandato «%(title)s» importato da un altro documento.")
                % {"municipality": municipality.name, "title": title}
            )
        starts_on, ends_on = period_dates(tree.period)
        mandate = Mandate.objects.create(
            municipality=municipality,
            title=title,
            mayor=tree.mayor or "",
            starts_on=starts_on,
            ends_on=ends_on,
            is_current=not municipality.mandates.filter(is_current=True).exists(),
            source_filename=source_filename,
            source_sha256=source_sha256,
            imported_at=timezone.now(),
        )
        Principle.objects.bulk_create(
            Principle(mandate=mandate, title=p.title, text=p.text, position=i)
            for i, p in enumerate(tree.principles)
        )
        writer = _TreeWriter(mandate)
        with rollup.deferred():
            for position, node in enumerate(tree.sections):
                writer.section(node, parent=None, position=position, inherited_areas=[])
        rollup.recompute_shares(mandate.pk)
        record_audit(
            user,
            municipality.pk,
            "import",
            mandate,
            after={
                "file": source_filename,
                "sha256": source_sha256,
                "sections": writer.section_count,
                "actions": writer.action_count,
            },
        )
        return ImportOutcome(mandate, True, writer.section_count, writer.action_count, len(writer.areas))


def areas_named(
    municipality: Municipality, names: list[str], known: dict[str, Area] | None = None
) -> list[Area]:
    """The municipality's areas with these names, created when new; `known` caches them across calls."""
    known = {} if known is None else known
    for name in names:
        if name not in known:
            known[name], _created = Area.objects.get_or_create(municipality=municipality, name=name)
    return [known[name] for name in names]


def find_or_create_municipality(name: str) -> Municipality:
    slug = municipality_slug(name)
    municipality = Municipality.objects.filter(slug=slug).first()
    return municipality or Municipality.objects.create(name=name, slug=slug)


def period_dates(period: str | None) -> tuple[datetime.date | None, datetime.date | None]:
    """ "2020-2025" -> 1 Jan 2020, 31 Dec 2025: the document gives years only; staff can set exact dates."""
    if not period:
        return None, None
    first, _sep, last = period.partition("-")
    return datetime.date(int(first), 1, 1), datetime.date(int(last), 12, 31) if last else None


class _TreeWriter:
    def __init__(self, mandate: Mandate):
        self.mandate = mandate
        self.areas: dict[str, Area] = {}
        self.section_count = 0
        self.action_count = 0

    def area_objects(self, names: list[str]) -> list[Area]:
        return areas_named(self.mandate.municipality, names, self.areas)

    def section(
        self, node: SectionNode, parent: Section | None, position: int, inherited_areas: list[str]
    ) -> None:
        section = Section.objects.create(
            mandate=self.mandate,
            parent=parent,
            position=position,
            title=node.title[:255],
            summary=node.summary,
            objective=node.objective,
        )
        self.section_count += 1
        section.areas.set(self.area_objects(node.areas))
        areas = node.areas or inherited_areas
        for index, action in enumerate(node.actions):
            self.action(action, section, None, index, areas)
        for index, child in enumerate(node.sections):
            self.section(child, section, index, areas)

    def action(
        self, node: ActionNode, section: Section, parent: Action | None, position: int, inherited: list[str]
    ) -> None:
        action = Action.objects.create(
            section=section,
            parent=parent,
            position=position,
            code=node.code or "",
            title=node.title,
            text=node.text,
        )
        self.action_count += 1
        # An action without areas of its own is the responsibility of its section's areas.
        areas = node.areas or inherited
        action.areas.set(self.area_objects(areas))
        for index, child in enumerate(node.actions):
            self.action(child, section, action, index, areas)


def find_revision(tree: ProgramTree, source_sha256: str, municipality: Municipality | None = None):
    """When the document revises a mandate imported before (same municipality and title, other file),
    the plan of changes; otherwise None."""
    from openmandato.importer.revision import plan_revision

    if municipality is not None:
        mandates = Mandate.objects.filter(municipality=municipality)
    else:
        name = (tree.municipality or "").strip()
        if not name:
            return None
        mandates = Mandate.objects.filter(municipality__slug=municipality_slug(name))
    mandate = (
        mandates.filter(title=tree.title or _("Programma di mandato"))
        .exclude(source_sha256=source_sha256)
        .first()
    )
    return plan_revision(mandate, tree) if mandate else None
