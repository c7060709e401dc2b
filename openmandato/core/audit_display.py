"""The audit log in words: field labels and human values instead of the stored JSON."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

VERBS = {
    "create": _("creazione"),
    "change": _("modifica"),
    "delete": _("eliminazione"),
    "invite": _("invito"),
    "assign": _("assegnazione di azioni"),
    "unassign": _("rimozione di azioni"),
    "spreadsheet": _("modifica da foglio di calcolo"),
    "reimport": _("nuova revisione del programma"),
    "archive": _("archiviazione"),
    "import": _("importazione"),
    "upload": _("caricamento di un documento"),
    "comment": _("commento"),
    "report": _("segnalazione di un commento"),
    "hide": _("commento nascosto"),
    "restore": _("commento ripristinato"),
    "dismiss": _("segnalazioni archiviate"),
    "support": _("sostegno"),
    "unsupport": _("sostegno ritirato"),
    "contest": _("segnalazione di inesattezza"),
    "answer": _("risposta"),
}
EXTRA_LABELS = {
    "update": _("aggiornamento"),
    "actions": _("azioni"),
    "email": _("e-mail"),
    "value": _("valore"),
    "reason": _("motivo"),
    "participant": _("partecipante (numero)"),
}
HIDDEN = {"id", "note_html", "section_path", "rollup_share", "path"}


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None
    after: str


def _field(model, name):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def _human(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("sì") if value else _("no"))
    if field is not None and getattr(field, "flatchoices", None):
        choices = {str(key): label for key, label in field.flatchoices}
        if isinstance(value, list):
            return ", ".join(str(choices.get(str(item), item)) for item in value)
        return str(choices.get(str(value), value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date_format(datetime.date.fromisoformat(value), "d/m/Y")
        except ValueError:
            return value
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _same(old, new) -> bool:
    if old == new:
        return True
    try:
        return Decimal(str(old)) == Decimal(str(new))  # "1.00" and "1" are the same weight
    except (InvalidOperation, ValueError):
        return False


def model_label(label_lower: str) -> str:
    try:
        return str(capfirst(apps.get_model(label_lower)._meta.verbose_name))
    except (LookupError, ValueError):
        return label_lower


def describe(entry) -> list[Change]:
    """What changed, field by field: all fields for a creation, only the differing ones otherwise."""
    try:
        model = apps.get_model(entry.model)
    except (LookupError, ValueError):
        model = None
    before, after = entry.before or {}, entry.after or {}
    changes = []
    for name in list(dict.fromkeys([*after, *before])):
        if name in HIDDEN or (name in before and name in after and _same(before[name], after[name])):
            continue
        field = _field(model, name)
        label = field.verbose_name if field is not None else EXTRA_LABELS.get(name, name.replace("_", " "))
        changes.append(
            Change(
                label=str(capfirst(label)),
                before=_human(field, before[name]) if name in before else None,
                after=_human(field, after[name]) if name in after else "—",
            )
        )
    return changes
