"""Back-office import: upload (parsed once), review and edit the tree, confirm as a draft, publish."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from openmandato.core.forms import StyledForm
from openmandato.core.permissions import (
    can_administer,
    can_administer_object,
    can_edit_object,
    can_edit_program,
    staff_municipalities,
)
from openmandato.core.tenancy import scoped_object
from openmandato.importer import editing
from openmandato.importer.errors import ImportRejected
from openmandato.importer.models import ProgramImport
from openmandato.importer.reading import MAX_DOCUMENT_BYTES
from openmandato.importer.services import (
    confirm_import,
    find_revision,
    publish_mandate,
    record_edit,
    start_import,
)
from openmandato.programs.models import Mandate, Municipality

ALLOWED_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"}
ITEMS_PER_PAGE = 60
REVIEW_LIST_MAX = 40
FLAG_LABELS = {
    "analysis": gettext_lazy("sembra analisi, non un impegno"),
    "prose": gettext_lazy("testo descrittivo"),
    "guessed_heading": gettext_lazy("titolo dedotto"),
    "toc": gettext_lazy("indice o sommario"),
    "orphan": gettext_lazy("fuori da ogni sezione"),
    "lead_in": gettext_lazy("introduce un elenco"),
    "details_folded": gettext_lazy("elenco accorpato nel testo"),
    "long": gettext_lazy("testo molto lungo"),
    "short": gettext_lazy("testo molto breve"),
}


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


@login_required
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data["document"]
        try:
            program_import = start_import(
                user=request.user,
                municipality=form.cleaned_data["municipality"],
                filename=Path(document.name).name,
                data=document.read(),
                title=form.cleaned_data["title"],
                period=form.cleaned_data["period"],
            )
        except ImportRejected as error:
            form.add_error("document", str(error))
        else:
            program_import.refresh_from_db(fields=["status", "error"])
            if program_import.status == ProgramImport.Status.FAILED:  # parsed at once (no separate worker)
                form.add_error("document", program_import.error)
                program_import.delete()
                return render(request, "importer/upload.html", {"form": form})
            if program_import.edits:
                n = len(program_import.edits)
                messages.info(
                    request,
                    ngettext(
                        "Stesso documento già caricato: ripristinata %(n)d modifica fatta allora.",
                        "Stesso documento già caricato: ripristinate %(n)d modifiche fatte allora.",
                        n,
                    )
                    % {"n": n},
                )
            return redirect("backoffice:import_preview", token=program_import.token)
    return render(request, "importer/upload.html", {"form": form})


def _editable_import(request, token) -> ProgramImport:
    queryset = ProgramImport.objects.select_related("municipality")
    return scoped_object(request, queryset, can_edit_object, token=token)


def _preview_url(token, page=None, item=None) -> str:
    query = {key: value for key, value in (("page", page), ("item", item)) if value}
    url = reverse("backoffice:import_preview", args=[token])
    return f"{url}?{urlencode(query)}#editor" if query else url


@login_required
def preview(request, token):
    program_import = _editable_import(request, token)
    if program_import.confirmed_at is not None:
        if program_import.mandate_id:
            return redirect("backoffice:import_mandate", pk=program_import.mandate_id)
        raise PermissionDenied
    if program_import.status != ProgramImport.Status.READY:
        response = render(request, "importer/parsing.html", {"program_import": program_import})
        if program_import.status == ProgramImport.Status.PARSING:
            response["X-Pending"] = "1"  # site.js reloads the page once this header is gone
        return response
    errors = []
    if request.method == "POST":
        choices = {
            key.removeprefix("title-"): value
            for key, value in request.POST.items()
            if key.startswith("title-")
        }
        try:
            confirmed = confirm_import(
                program_import,
                user=request.user,
                choices=choices,
                acknowledged=bool(request.POST.get("acknowledged")),
            )
        except ImportRejected as error:
            errors.append(str(error))
        else:
            if confirmed.revised:
                messages.success(
                    request, _("Revisione applicata: %(summary)s.") % {"summary": confirmed.summary}
                )
            elif confirmed.created:
                n = confirmed.mandate.actions.count()
                messages.success(
                    request,
                    ngettext(
                        "Programma importato come bozza: %(n)d azione. Controllalo, poi pubblicalo.",
                        "Programma importato come bozza: %(n)d azioni. Controllalo, poi pubblicalo.",
                        n,
                    )
                    % {"n": n},
                )
            else:
                messages.info(request, _("Nessuna modifica: questo documento era già importato."))
            return redirect("backoffice:import_mandate", pk=confirmed.mandate.pk)
    return render(request, "importer/preview.html", _preview_context(request, program_import, errors))


def _preview_context(request, program_import: ProgramImport, errors: list[str]) -> dict:
    items, meta, skipped = editing.apply_edits(program_import.tree, program_import.edits)
    tree, problems = editing.build_tree(program_import.tree, items, meta)
    position = {item["id"]: index for index, item in enumerate(items)}
    selected_id = request.GET.get("item", "")
    selected = items[position[selected_id]] if selected_id in position else None
    page_number = request.GET.get("page")
    if selected is not None and not page_number:
        page_number = position[selected_id] // ITEMS_PER_PAGE + 1
    page = Paginator(items, ITEMS_PER_PAGE).get_page(page_number)
    for item in items:
        item["flag_labels"] = [FLAG_LABELS.get(flag, flag) for flag in item["flags"]]
        if item.get("orphan"):
            item["flag_labels"].append(FLAG_LABELS["orphan"])
    review = editing.review_items(items)
    revision = None
    if not problems:
        revision = find_revision(
            tree,
            program_import.sha256,
            municipality=program_import.municipality,
            choices=program_import.choices,
            same_file=True,
        )
    confidence = editing.confidence_of(program_import.tree)
    return {
        "import": program_import,
        "municipality": None,
        "target": program_import.municipality,
        "meta": meta,
        "tree": tree,
        "page": page,
        "page_number": page.number,
        "selected": selected,
        "split_points": editing.split_points(selected["text"] or selected["title"]) if selected else [],
        "review": review[:REVIEW_LIST_MAX],
        "review_count": len(review),
        "problems": problems,
        "skipped": skipped,
        "revision": revision,
        "confidence": round(confidence * 100),
        "low_confidence": confidence < editing.LOW_DOCUMENT_CONFIDENCE,
        "layout": program_import.tree.get("layout", ""),
        "layout_reason": program_import.tree.get("layout_reason", ""),
        "leaf_count": sum(1 for _leaf in tree.leaf_actions()),
        "section_count": sum(1 for _section in tree.all_sections()),
        "excluded_count": sum(1 for item in items if item["excluded"]),
        "selected_position": position[selected_id] + 1 if selected is not None else None,
        "focus": bool(request.GET.get("focus")),
        "errors": errors,
    }


EDIT_FIELDS = ("code", "title", "text", "areas", "summary", "objective")


@login_required
@require_POST
def edit(request, token):
    program_import = _editable_import(request, token)
    op = request.POST.get("op", "")
    item_id = request.POST.get("id", "")
    edit = {"op": op}
    if op == "meta":
        edit["fields"] = {key: request.POST[key] for key in editing.META_FIELDS if key in request.POST}
    elif op != "undo":
        edit["id"] = item_id
        if op in ("to_section", "to_action"):
            edit = {"op": "kind", "id": item_id, "kind": op.removeprefix("to_")}
        elif op == "split":
            edit["at"] = request.POST.get("at", "")
        elif op == "edit":
            edit["fields"] = {key: request.POST[key] for key in EDIT_FIELDS if key in request.POST}
    if op == "delete":  # select the next item, so the keyboard user goes on from there
        items, _meta, _skipped = editing.apply_edits(program_import.tree, program_import.edits)
        ids = [item["id"] for item in items]
        following = ids[ids.index(item_id) + 1 :] if item_id in ids else []
    try:
        record_edit(program_import, user=request.user, edit=edit)
    except ImportRejected as error:
        messages.error(request, str(error))
    else:
        if op == "delete":
            item_id = following[0] if following else ""
    return redirect(_preview_url(program_import.token, request.POST.get("page"), item_id))


@login_required
def mandate(request, pk):
    mandate = scoped_object(request, Mandate.objects.select_related("municipality"), can_edit_object, pk=pk)
    context = {
        "mandate": mandate,
        "target": request.municipality,
        "section_count": mandate.sections.count(),
        "action_count": mandate.actions.active().count(),
        "can_publish": can_administer(request.user, mandate.municipality_id) and not mandate.is_published,
    }
    return render(request, "importer/mandate.html", context)


@login_required
@require_POST
def publish(request, pk):
    mandate = scoped_object(
        request, Mandate.objects.select_related("municipality"), can_administer_object, pk=pk
    )
    try:
        publish_mandate(mandate, user=request.user)
    except ImportRejected as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Mandato pubblicato: ora è visibile a tutti."))
    return redirect("backoffice:import_mandate", pk=mandate.pk)
