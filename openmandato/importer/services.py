"""Write a parsed program tree to the database, in one transaction."""

from __future__ import annotations

import datetime
import hashlib
import logging
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openmandato.core.batching import write_batch
from openmandato.core.permissions import can_administer, can_edit_program, require
from openmandato.importer.areas import areas_named
from openmandato.importer.editing import (
    LOW_DOCUMENT_CONFIDENCE,
    MAX_EDITS,
    apply_edit,
    apply_edits,
    build_tree,
    confidence_of,
)
from openmandato.importer.errors import ImportRejected
from openmandato.importer.models import ProgramImport
from openmandato.importer.parsing import parse_blocks
from openmandato.importer.reading import check_upload, detect_format, read_bytes
from openmandato.importer.revision import apply_revision, plan_revision
from openmandato.importer.tree import ActionNode, ProgramTree, SectionNode
from openmandato.programs import rollup
from openmandato.programs.models import (
    Action,
    Area,
    Mandate,
    Municipality,
    Principle,
    Section,
    municipality_slug,
)
from openmandato.taskqueue import background_task, enqueue_in_transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportOutcome:
    mandate: Mandate
    created: bool
    sections: int
    actions: int
    areas: int
    document_titles: dict = field(default_factory=dict)


def import_program(
    tree: ProgramTree,
    *,
    municipality_name: str | None = None,
    municipality: Municipality | None = None,
    source_filename: str = "",
    source_sha256: str = "",
    user=None,
    publish: bool = True,
    remember: bool = True,
) -> ImportOutcome:
    """Create the mandate and its tree (and the municipality, when only a name is given, from the command
    line); re-importing the same file does nothing. The back-office passes the municipality the user was
    authorised for, so the name printed in the document can never redirect the import elsewhere."""
    name = (municipality_name or tree.municipality or "").strip()
    if municipality is None and not name:
        raise ImportRejected(_("Il documento non nomina il comune: indicalo con --municipality."))
    with transaction.atomic(), write_batch():
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
            is_published=publish,
            source_filename=source_filename,
            source_sha256=source_sha256,
            imported_at=timezone.now(),
        )
        Principle.objects.bulk_create(
            Principle(
                mandate=mandate,
                municipality_id=mandate.municipality_id,
                title=p.title,
                text=p.text,
                position=i,
            )
            for i, p in enumerate(tree.principles)
        )
        writer = _TreeWriter(mandate)
        with rollup.deferred():
            for position, node in enumerate(tree.sections):
                writer.section(node, parent=None, position=position, inherited_areas=[])
        rollup.recompute_shares(mandate.pk)
        mandate.log_action(
            "import",
            user=user,
            after={
                "file": source_filename,
                "sha256": source_sha256,
                "sections": writer.section_count,
                "actions": writer.action_count,
            },
        )
        if remember:
            remember_titles(
                mandate, writer.document_titles, user=user, filename=source_filename, sha256=source_sha256
            )
        return ImportOutcome(
            mandate,
            True,
            writer.section_count,
            writer.action_count,
            len(writer.areas),
            writer.document_titles,
        )


def remember_titles(mandate: Mandate, titles: dict[str, str], *, user=None, filename="", sha256="") -> None:
    """Keep the titles an import (from the command line too) wrote as the document printed them, so a
    later revision can tell the titles the staff edited since (in the admin or the back-office)."""

    ProgramImport.objects.create(
        token=uuid.uuid4().hex,
        municipality_id=mandate.municipality_id,
        user=user if getattr(user, "is_authenticated", False) else None,
        filename=filename[:255],
        sha256=sha256,
        format="",
        tree={},
        mandate=mandate,
        document_titles=titles,
        confirmed_at=timezone.now(),
    )


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
        self.document_titles: dict[str, str] = {}

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
        self.document_titles[str(action.pk)] = (getattr(node, "document_title", "") or node.title)[:160]
        # An action without areas of its own is the responsibility of its section's areas.
        areas = node.areas or inherited
        action.areas.set(self.area_objects(areas))
        for index, child in enumerate(node.actions):
            self.action(child, section, action, index, areas)


def find_revision(
    tree: ProgramTree,
    source_sha256: str,
    municipality: Municipality | None = None,
    choices: dict[str, str] | None = None,
    same_file: bool = False,
):
    """When the document revises a mandate imported before (same municipality and title, other file),
    the plan of changes; otherwise None. With `same_file` (the back-office, where the staff may have
    edited the same document differently this time) the same file also counts as a revision. The titles
    printed by the last back-office import tell which titles the staff edited since (see plan_revision)."""
    if municipality is not None:
        mandates = Mandate.objects.filter(municipality=municipality)
    else:
        name = (tree.municipality or "").strip()
        if not name:
            return None
        mandates = Mandate.objects.filter(municipality__slug=municipality_slug(name))
    candidates = mandates.filter(title=tree.title or _("Programma di mandato"))
    if not same_file:
        candidates = candidates.exclude(source_sha256=source_sha256)
    mandate = candidates.first()
    if mandate is None:
        return None

    last = (
        ProgramImport.objects.filter(mandate=mandate, confirmed_at__isnull=False)
        .exclude(document_titles={})
        .order_by("-confirmed_at", "-pk")
        .values_list("document_titles", flat=True)
        .first()
    )
    return plan_revision(mandate, tree, document_titles=last or {}, choices=choices)


# --- the back-office flow: upload (parse once), review edits, confirm, publish -----------------------


@dataclass(frozen=True)
class Confirmed:
    mandate: Mandate
    created: bool
    revised: bool
    summary: str


def start_import(
    *, user, municipality: Municipality, filename: str, data: bytes, title: str = "", period: str = ""
):
    """Keep the uploaded document and have the worker parse it once (`parse_import`); the edits made on
    the same document (same SHA-256) for this municipality before are carried over. The cheap checks
    (size, empty, file type) answer at once with ImportRejected; what the parse refuses (pages, zip
    bombs, time, number of actions) is stored on the import and shown on its page."""

    require(can_edit_program(user, municipality.pk))
    check_upload(data, filename)
    sha256 = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        ProgramImport.objects.filter(
            confirmed_at__isnull=True, created_at__lt=timezone.now() - datetime.timedelta(days=30)
        ).delete()
        earlier = (
            ProgramImport.objects.filter(municipality=municipality, sha256=sha256)
            .exclude(edits=[])
            .order_by("-pk")
            .first()
        )
        program_import = ProgramImport.objects.create(
            token=uuid.uuid4().hex,
            municipality=municipality,
            user=user if getattr(user, "is_authenticated", False) else None,
            filename=filename[:255],
            sha256=sha256,
            format=detect_format(data, filename),
            status=ProgramImport.Status.PARSING,
            document=data,
            tree={"title": title, "period": period} if title or period else {},
            edits=list(earlier.edits) if earlier else [],
            choices=dict(earlier.choices) if earlier else {},
        )
        program_import.log_action("upload", user=user, after={"sha256": sha256})
        enqueue_in_transaction(parse_uploaded_program, program_import.pk, translation.get_language() or "")
    return program_import


def parse_import(program_import_id: int) -> ProgramImport | None:
    """Parse an uploaded document once and keep its tree (run by the worker). A document the parser
    refuses leaves the import FAILED with the one-line reason; the uploaded bytes are dropped either way."""

    program_import = ProgramImport.objects.filter(
        pk=program_import_id, status=ProgramImport.Status.PARSING
    ).first()
    if program_import is None:
        return None  # already parsed (a retried task), or deleted meanwhile
    overrides = program_import.tree
    try:
        document = read_bytes(bytes(program_import.document), program_import.filename)
        program = parse_blocks(document.blocks)
    except ImportRejected as error:
        program_import.status, program_import.error = ProgramImport.Status.FAILED, str(error)[:500]
    except Exception:  # a document our parser trips on: say so once, do not retry it five times
        log.exception("Parsing import %s (%s) failed", program_import.pk, program_import.filename)
        program_import.status = ProgramImport.Status.FAILED
        program_import.error = _(
            "Non è stato possibile leggere il documento: prova a salvarlo in un altro formato."
        )
    else:
        tree = program.to_dict()
        for key in ("confidence", "layout", "layout_reason"):
            if key not in tree and getattr(program, key, None) is not None:
                tree[key] = getattr(program, key)
        tree.update({key: value for key, value in overrides.items() if value})
        program_import.status, program_import.tree = ProgramImport.Status.READY, tree
    program_import.document = b""
    ProgramImport.objects.filter(pk=program_import.pk, status=ProgramImport.Status.PARSING).update(
        status=program_import.status, error=program_import.error, tree=program_import.tree, document=b""
    )
    return program_import


@background_task
def parse_uploaded_program(program_import_id: int, language: str = "") -> None:
    """The worker's side of `start_import`, in the uploader's language (for the error messages)."""
    with translation.override(language or None):
        parse_import(program_import_id)


def _lock_for_review(program_import) -> ProgramImport:
    """The import, locked for this transaction, if it is parsed and not confirmed yet."""
    locked = ProgramImport.objects.select_for_update().get(pk=program_import.pk)
    if locked.confirmed_at is not None:
        raise ImportRejected(_("Questa importazione è già stata confermata."))
    if locked.status != ProgramImport.Status.READY:
        raise ImportRejected(_("Il documento non è ancora stato analizzato: riprova tra poco."))
    return locked


def record_edit(program_import, *, user, edit: dict) -> None:
    """Apply one review operation; a rejected one (EditRejected) is not stored."""

    require(can_edit_program(user, program_import.municipality_id))
    with transaction.atomic():
        locked = _lock_for_review(program_import)
        if edit.get("op") != "undo" and len(locked.edits) >= MAX_EDITS:
            raise ImportRejected(_("Troppe modifiche su questa importazione: carica di nuovo il documento."))
        if edit.get("op") == "undo":
            locked.edits = locked.edits[:-1]
        else:
            items, meta, _skipped = apply_edits(locked.tree, locked.edits)
            apply_edit(items, meta, edit)  # raises EditRejected, nothing stored
            locked.edits = [*locked.edits, edit]
        locked.save(update_fields=["edits"])
        locked.log_action("change", user=user, after={"edit": edit.get("op", "")})
        program_import.edits = locked.edits


def confirm_import(
    program_import, *, user, choices: dict[str, str] | None = None, acknowledged: bool = False
) -> Confirmed:
    """Write the reviewed tree: a new mandate lands as a draft; a revision of an imported mandate is
    applied with the staff's title choices. One transaction, audited."""
    require(can_edit_program(user, program_import.municipality_id))
    with transaction.atomic():
        locked = _lock_for_review(program_import)
        if choices:
            locked.choices = {
                **locked.choices,
                **{str(pk): value for pk, value in choices.items() if value in ("mine", "document")},
            }
        if confidence_of(locked.tree) < LOW_DOCUMENT_CONFIDENCE and not acknowledged:
            raise ImportRejected(
                _("Il documento non è stato strutturato con sicurezza: conferma di aver controllato le voci.")
            )
        items, meta, _skipped = apply_edits(locked.tree, locked.edits)
        tree, problems = build_tree(locked.tree, items, meta)
        if problems:
            raise ImportRejected(problems[0])
        municipality = locked.municipality
        revision = find_revision(
            tree, locked.sha256, municipality=municipality, choices=locked.choices, same_file=True
        )
        if revision is not None:
            summary = revision.summary()
            titles = apply_revision(
                revision, user=user, source_filename=locked.filename, source_sha256=locked.sha256
            )
            confirmed = Confirmed(revision.mandate, False, True, summary)
        else:
            outcome = import_program(
                tree,
                municipality=municipality,
                user=user,
                source_filename=locked.filename,
                source_sha256=locked.sha256,
                publish=False,
                remember=False,
            )
            titles = outcome.document_titles
            confirmed = Confirmed(outcome.mandate, outcome.created, False, "")
        locked.mandate = confirmed.mandate
        locked.confirmed_at = timezone.now()
        if titles:
            locked.document_titles = titles
        locked.save(update_fields=["mandate", "confirmed_at", "document_titles", "choices"])
        return confirmed


def publish_mandate(mandate: Mandate, *, user) -> None:
    """Make a draft mandate public (administrators of its municipality), audited."""

    require(can_administer(user, mandate.municipality_id))
    with transaction.atomic():
        locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if locked.is_published:
            raise ImportRejected(_("Il mandato è già pubblicato."))
        locked.is_published = True
        if not Mandate.objects.filter(municipality_id=locked.municipality_id, is_current=True).exists():
            locked.is_current = True
        locked.save(update_fields=["is_published", "is_current"])
        locked.log_action("publish", user=user, before={"is_published": False}, after={"is_published": True})
        mandate.is_published, mandate.is_current = True, locked.is_current
