"""Program round trip through a spreadsheet: the open-data export (CSV or XLSX, one row per action) is
edited and imported back. A dry run reports every change; an unchanged file changes nothing; any bad
row stops the whole import."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openmandato.accountability.services import record_progress
from openmandato.core.audit import snapshot
from openmandato.core.permissions import can_edit_program, can_update_action, require
from openmandato.importer.areas import areas_named
from openmandato.importer.errors import ImportRejected
from openmandato.programs.models import TITLE_MAX_LENGTH, Action, Mandate
from openmandato.programs.status import Status, check_status_progress
from openmandato.security.formulas import restore

TEXT_FIELDS = ("code", "title", "text")
REQUIRED_COLUMNS = {"id", "code", "title", "areas", "weight", "budget", "due_date", "status", "progress"}


@dataclass
class RowChange:
    row: int
    action: Action
    fields: dict[str, tuple] = field(default_factory=dict)  # name -> (before, after)

    def describe(self) -> str:
        parts = [f"{name}: {before!s} → {after!s}" for name, (before, after) in self.fields.items()]
        return _("riga %(row)d, azione %(id)d: %(changes)s") % {
            "row": self.row,
            "id": self.action.pk,
            "changes": "; ".join(parts),
        }


@dataclass
class SpreadsheetPlan:
    mandate: Mandate
    changes: list[RowChange]
    errors: list[str]


def read_rows(data: bytes, filename: str) -> list[dict]:
    if filename.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds of errors on bad files
            raise ImportRejected(_("Il file Excel non è leggibile.")) from error
        rows = list(sheet.iter_rows(values_only=True))
        if not rows:
            raise ImportRejected(_("Il foglio è vuoto."))
        header = [str(cell or "").strip() for cell in rows[0]]
        return [dict(zip(header, ["" if v is None else v for v in row], strict=False)) for row in rows[1:]]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="strict")
    return [{k: restore(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def plan_spreadsheet(mandate: Mandate, rows: list[dict], user=None) -> SpreadsheetPlan:
    if not rows:
        raise ImportRejected(_("Il file non contiene righe."))
    missing = REQUIRED_COLUMNS - set(rows[0].keys())
    if missing:
        raise ImportRejected(_("Mancano le colonne: %(columns)s") % {"columns": ", ".join(sorted(missing))})
    actions = {a.pk: a for a in mandate.actions.prefetch_related("areas")}
    changes, errors = [], []
    for number, row in enumerate(rows, start=2):
        try:
            change = _row_change(number, row, actions)
            if change.fields and change.action.archived_at is not None:
                raise ValidationError(_("l'azione è archiviata"))
            if "status" in change.fields and not can_update_action(user, change.action):
                raise ValidationError(_("non puoi registrare l'avanzamento di questa azione"))
        except ValidationError as error:
            errors.append(_("riga %(row)d: %(error)s") % {"row": number, "error": " ".join(error.messages)})
            continue
        if change.fields:
            changes.append(change)
    return SpreadsheetPlan(mandate, changes, errors)


def _row_change(number: int, row: dict, actions: dict[int, Action]) -> RowChange:
    try:
        pk = int(str(row.get("id", "")).strip())
    except ValueError:
        raise ValidationError(_("identificativo mancante o non valido")) from None
    action = actions.get(pk)
    if action is None:
        raise ValidationError(_("l'azione %(id)s non appartiene a questo mandato") % {"id": pk})
    change = RowChange(number, action)
    for name in TEXT_FIELDS:
        if name in row:
            value = str(row[name]).strip()
            if name == "title" and not 0 < len(value) <= TITLE_MAX_LENGTH:
                raise ValidationError(_("il titolo deve avere da 1 a 160 caratteri"))
            if value != (getattr(action, name) or ""):
                change.fields[name] = (getattr(action, name), value)
    areas = sorted(a.strip() for a in str(row["areas"]).split(";") if a.strip())
    current_areas = sorted(a.name for a in action.areas.all())
    if areas != current_areas:
        change.fields["areas"] = ("; ".join(current_areas), "; ".join(areas))
    weight = _decimal(row["weight"], _("peso"), required=True)
    if weight != action.weight:
        change.fields["weight"] = (action.weight, weight)
    budget = _decimal(row["budget"], _("budget"))
    if budget != action.budget:
        change.fields["budget"] = (action.budget, budget)
    due = _date(row["due_date"])
    if due != action.due_date:
        change.fields["due_date"] = (action.due_date, due)
    status = str(row["status"]).strip()
    if status not in Status.values:
        raise ValidationError(_("stato sconosciuto «%(status)s»") % {"status": status})
    progress = _int(row["progress"])
    if (status, progress) != (action.status, action.progress):
        if status in (Status.DONE, Status.PARTIALLY_DONE):
            raise ValidationError(
                _("per «%(status)s» serve una fonte: registra l'aggiornamento nel back-office")
                % {"status": Status(status).label}
            )
        check_status_progress(status, progress)
        if action.children.exists():
            raise ValidationError(_("l'avanzamento di un'azione con sotto-azioni è calcolato"))
        change.fields["status"] = ((action.status, action.progress), (status, progress))
    return change


def _decimal(value, label, required=False) -> Decimal | None:
    text = str(value).strip().replace(",", ".") if value is not None else ""
    if not text:
        if required:
            raise ValidationError(_("%(field)s mancante") % {"field": label})
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("%(field)s non valido «%(value)s»") % {"field": label, "value": value}
        ) from None
    if number < 0:
        raise ValidationError(_("%(field)s negativo") % {"field": label})
    return number.quantize(Decimal("0.01"))


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise ValidationError(_("data non valida «%(value)s» (usa AAAA-MM-GG)") % {"value": value}) from None


def _int(value) -> int:
    try:
        number = int(float(str(value).strip()))
    except ValueError:
        raise ValidationError(_("avanzamento non valido «%(value)s»") % {"value": value}) from None
    if not 0 <= number <= 100:
        raise ValidationError(_("l'avanzamento va da 0 a 100"))
    return number


def apply_spreadsheet(plan: SpreadsheetPlan, *, user) -> int:
    """Apply every change in one transaction; status and progress become new progress updates."""
    require(can_edit_program(user, plan.mandate.municipality_id))
    if plan.errors:
        raise ImportRejected(plan.errors[0])
    with transaction.atomic():
        for change in plan.changes:
            action = Action.objects.select_for_update().get(pk=change.action.pk)
            before = snapshot(action)
            for name, (_old, new) in change.fields.items():
                if name in TEXT_FIELDS + ("weight", "budget", "due_date"):
                    setattr(action, name, new)
            action.save()
            if "areas" in change.fields:
                names = [n for n in change.fields["areas"][1].split("; ") if n]
                action.areas.set(areas_named(plan.mandate.municipality, names))
            action.log_action("spreadsheet", user=user, before=before, after=snapshot(action))
            if "status" in change.fields:
                status, progress = change.fields["status"][1]
                record_progress(
                    action,
                    user=user,
                    status=status,
                    progress=progress,
                    date=timezone.localdate(),
                    note=_("Aggiornato da foglio di calcolo."),
                )
    return len(plan.changes)
