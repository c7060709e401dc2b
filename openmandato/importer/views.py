"""Back-office upload: a document in, a preview of the parsed tree (titles editable), then confirm."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openmandato.accountability.forms import StyledForm
from openmandato.accountability.permissions import can_edit_program, staff_municipalities
from openmandato.importer.errors import ImportRejected
from openmandato.importer.parsing import parse_blocks
from openmandato.importer.reading import MAX_DOCUMENT_BYTES, read_bytes
from openmandato.importer.revision import apply_revision
from openmandato.importer.services import find_revision, import_program
from openmandato.importer.tree import ProgramTree
from openmandato.programs.models import TITLE_MAX_LENGTH, Municipality

ALLOWED_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"}


class UploadForm(StyledForm):
    document = forms.FileField(
        label=gettext_lazy("Documento (PDF, DOCX, HTML, Markdown o testo; massimo 20 MB)")
    )
    municipality = forms.ModelChoiceField(label=gettext_lazy("Comune"), queryset=Municipality.objects.none())
    title = forms.CharField(
        label=gettext_lazy("Titolo del mandato (se diverso da quello nel documento)"),
        required=False,
        max_length=200,
    )
    period = forms.RegexField(
        label=gettext_lazy("Periodo (ad esempio 2024-2029)"),
        required=False,
        regex=r"^(19|20)\d{2}-(19|20)\d{2}$",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [m.pk for m in staff_municipalities(user) if can_edit_program(user, m.pk)]
        self.fields["municipality"].queryset = Municipality.objects.filter(pk__in=allowed).order_by("name")

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("Il file supera il limite di 20 MB."))
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _("Tipo di file non ammesso: carica PDF, DOCX, HTML, Markdown o testo.")
            )
        return upload


def _uploads_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep_abandoned_uploads(max_age_hours: int = 24) -> None:
    """Previews never confirmed leave their file behind: remove those older than a day."""
    limit = time.time() - max_age_hours * 3600
    for path in _uploads_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _parse(pending: dict) -> tuple[ProgramTree, object]:
    data = (_uploads_dir() / pending["stored"]).read_bytes()
    document = read_bytes(data, pending["filename"])
    tree = parse_blocks(document.blocks)
    tree.municipality = Municipality.objects.get(pk=pending["municipality"]).name
    tree.title = pending.get("title") or tree.title
    tree.period = pending.get("period") or tree.period
    return tree, document


@login_required
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        _sweep_abandoned_uploads()
        municipality = form.cleaned_data["municipality"]
        if not can_edit_program(request.user, municipality.pk):
            raise PermissionDenied
        token = uuid.uuid4().hex
        upload_file = form.cleaned_data["document"]
        stored = f"{token}{Path(upload_file.name).suffix.lower()}"
        with open(_uploads_dir() / stored, "wb") as target:
            for chunk in upload_file.chunks():
                target.write(chunk)
        pending = {
            "stored": stored,
            "filename": Path(upload_file.name).name,
            "municipality": municipality.pk,
            "title": form.cleaned_data["title"],
            "period": form.cleaned_data["period"],
        }
        accepted = False
        try:
            _parse(pending)
            accepted = True
        except ImportRejected as error:
            form.add_error("document", str(error))
        finally:
            if not accepted:
                (_uploads_dir() / stored).unlink(missing_ok=True)
        if accepted:
            request.session[f"import-{token}"] = pending
            return redirect("backoffice:import_preview", token=token)
    return render(request, "backoffice/import_upload.html", {"form": form})


def _sections_and_actions(tree: ProgramTree):
    sections = list(tree.all_sections())
    actions = []

    def walk(nodes, depth):
        for node in nodes:
            actions.append((depth, node))
            walk(node.actions, depth + 1)

    rows = []
    for section in sections:
        start = len(actions)
        walk(section.actions, 0)
        rows.append((section, [(start + i, depth, node) for i, (depth, node) in enumerate(actions[start:])]))
    return sections, actions, rows


@login_required
def preview(request, token):
    pending = request.session.get(f"import-{token}")
    if not pending:
        raise Http404
    if not can_edit_program(request.user, pending["municipality"]):
        raise PermissionDenied
    try:
        tree, document = _parse(pending)
    except ImportRejected as error:
        messages.error(request, str(error))
        return redirect("backoffice:import_upload")
    sections, actions, rows = _sections_and_actions(tree)
    errors = []
    if request.method == "POST":
        for index, section in enumerate(sections):
            value = request.POST.get(f"s-{index}", section.title).strip()
            if value and len(value) <= 255:
                section.title = value
            else:
                errors.append(_("Titolo di sezione non valido: «%(title)s»") % {"title": value[:60]})
        for index, (_depth, action) in enumerate(actions):
            value = request.POST.get(f"a-{index}", action.title).strip()
            if value and len(value) <= TITLE_MAX_LENGTH:
                action.title = value
            else:
                errors.append(
                    _("Il titolo di un'azione va da 1 a 160 caratteri: «%(title)s»") % {"title": value[:60]}
                )
        if not errors:
            municipality = Municipality.objects.get(pk=pending["municipality"])
            try:
                revision = find_revision(tree, document.sha256, municipality=municipality)
                if revision is not None:
                    apply_revision(
                        revision,
                        user=request.user,
                        source_filename=document.filename,
                        source_sha256=document.sha256,
                    )
                    messages.success(request, _("Revisione del programma applicata."))
                else:
                    outcome = import_program(
                        tree,
                        municipality=municipality,
                        user=request.user,
                        source_filename=document.filename,
                        source_sha256=document.sha256,
                    )
                    messages.success(
                        request,
                        _("Programma importato: %(n)d azioni.") % {"n": outcome.actions}
                        if outcome.created
                        else _("Nessuna modifica: questo documento era già importato."),
                    )
            except ImportRejected as error:
                errors.append(str(error))
            else:
                del request.session[f"import-{token}"]
                (_uploads_dir() / pending["stored"]).unlink(missing_ok=True)
                return redirect(
                    "portal:municipality", slug=Municipality.objects.get(pk=pending["municipality"]).slug
                )
    revision = find_revision(
        tree, document.sha256, municipality=Municipality.objects.get(pk=pending["municipality"])
    )
    context = {
        "tree": tree,
        "rows": [(index, section, items) for index, (section, items) in enumerate(rows)],
        "leaf_count": sum(1 for _leaf in tree.leaf_actions()),
        "section_count": len(sections),
        "revision": revision,
        "errors": errors,
        "pending": pending,
        "format": document.format,
    }
    return render(request, "backoffice/import_preview.html", context)
