import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils.translation import gettext as _

from openmandato.importer.errors import ImportRejected
from openmandato.importer.parsing import parse_blocks
from openmandato.importer.reading import read_document
from openmandato.importer.revision import apply_revision
from openmandato.importer.services import find_revision, import_program, remember_titles
from openmandato.importer.tree import ActionNode, ProgramTree, SectionNode


class Command(BaseCommand):
    help = "Import a mandate program document (plain text) into the database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the program document")
        parser.add_argument(
            "--municipality", help="the municipality's name, when the document does not say it"
        )
        parser.add_argument("--dry-run", action="store_true", help="parse and print the tree; write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="output format")
        parser.add_argument("--title", help="the mandate's title, when the document's is missing or wrong")
        parser.add_argument("--period", help='the mandate\'s period, e.g. "2024-2029"')
        parser.add_argument(
            "--update", action="store_true", help="apply a revised document to the mandate imported before"
        )
        parser.add_argument(
            "--diff", action="store_true", help="show what a revised document would change, write nothing"
        )
        parser.add_argument("--user", help="the person importing, named in the audit log (username)")

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                self._fail(_("nessun utente attivo «%(user)s».") % {"user": options["user"]})
        options["user"] = user
        try:
            document = read_document(options["path"])
            tree = parse_blocks(document.blocks)
            for option in ("municipality", "title", "period"):
                if options[option]:
                    setattr(tree, option, options[option])
            if options["dry_run"] and not options["diff"]:
                self._print_tree(tree, options["format"])  # parsing only: the database is not touched
                return
            revision = find_revision(tree, document.sha256)
            if revision is not None or options["diff"]:
                self._revise(revision, document, options)
                return
            outcome = import_program(
                tree, source_filename=document.filename, source_sha256=document.sha256, user=user
            )
        except ImportRejected as exc:
            self._fail(str(exc))
        except DatabaseError as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self._fail(_("errore del database: %(detail)s") % {"detail": detail})
        mandate = outcome.mandate
        values = {
            "title": mandate.title,
            "municipality": mandate.municipality,
            "sections": outcome.sections,
            "actions": outcome.actions,
            "areas": outcome.areas,
        }
        if not outcome.created:
            message = (
                _("Nessuna modifica: «%(title)s» di %(municipality)s è già importato da questo file.")
                % values
            )
        else:
            message = (
                _(
                    "Importato «%(title)s» di %(municipality)s: "
                    "%(sections)d sezioni, %(actions)d azioni, %(areas)d aree."
                )
                % values
            )
        if options["format"] == "json":
            payload = {
                "created": outcome.created,
                "mandate": mandate.pk,
                "municipality": mandate.municipality.slug,
                "sections": outcome.sections,
                "actions": outcome.actions,
                "message": message,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            self.stdout.write(message)
        for warning in tree.warnings:
            self.stderr.write(_("attenzione: %(warning)s") % {"warning": warning})

    def _revise(self, revision, document, options) -> None:
        if revision is None:
            self.stdout.write(_("Nessun mandato precedente con questo titolo: sarebbe un nuovo programma."))
            return
        counts = {
            "added": len(revision.added),
            "changed": len(revision.changed),
            "removed": len(revision.removed),
            "title": revision.mandate.title,
        }
        summary = (
            _("«%(title)s»: %(added)d azioni nuove, %(changed)d modificate, %(removed)d da archiviare.")
            % counts
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps({**counts, "changes": revision.lines()}, ensure_ascii=False))
        else:
            self.stdout.write(summary)
            for line in revision.lines():
                self.stdout.write(line)
        if options["diff"] or options["dry_run"]:
            return
        if not options["update"]:
            self._fail(
                _(
                    "questo mandato è già importato da un altro documento: "
                    "usa --update per applicare le differenze."
                )
            )
        user = options["user"]
        titles = apply_revision(
            revision, user=user, source_filename=document.filename, source_sha256=document.sha256
        )
        remember_titles(
            revision.mandate, titles, user=user, filename=document.filename, sha256=document.sha256
        )
        self.stdout.write(_("Revisione applicata."))

    def _fail(self, message: str):
        self.stderr.write(f"import_program: {message}")
        sys.exit(1)

    def _print_tree(self, tree: ProgramTree, fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(tree.to_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{tree.title or '?'} — {tree.municipality or '?'} ({tree.period or '?'})")
        for principle in tree.principles:
            self.stdout.write("  " + _("principio: %(title)s") % {"title": principle.title})
        for section in tree.sections:
            self._print_section(section, 1)
        leaves = sum(1 for _leaf in tree.leaf_actions())
        sections = sum(1 for _s in tree.all_sections())
        self.stdout.write(
            _("%(sections)d sezioni, %(leaves)d azioni (foglie)") % {"sections": sections, "leaves": leaves}
        )
        for warning in tree.warnings:
            self.stdout.write(_("attenzione: %(warning)s") % {"warning": warning})

    def _print_section(self, section: SectionNode, depth: int) -> None:
        self.stdout.write("  " * depth + f"§ {section.title}")
        for action in section.actions:
            self._print_action(action, depth + 1)
        for child in section.sections:
            self._print_section(child, depth + 1)

    def _print_action(self, action: ActionNode, depth: int) -> None:
        self.stdout.write("  " * depth + f"- {(action.code + ' ') if action.code else ''}{action.title}")
        for child in action.actions:
            self._print_action(child, depth + 1)
