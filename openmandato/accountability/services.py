"""Recording progress, evidence, indicators and measurements; every write is permission-checked,
chained in the ledger and written to the audit log, in one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openmandato.accountability import ledger
from openmandato.accountability.markup import render_markdown
from openmandato.accountability.models import (
    CLAIM_STATUSES,
    ActKind,
    Evidence,
    EvidenceKind,
    Indicator,
    Measurement,
    ProgressUpdate,
)
from openmandato.accountability.signals import measurement_recorded, progress_recorded
from openmandato.accountability.uploads import check_upload
from openmandato.core.batching import write_batch
from openmandato.core.permissions import can_update_action, require
from openmandato.programs.models import Action, Mandate
from openmandato.programs.status import Status, check_status_progress

LATEST = object()  # sentinel: "whatever the latest update is"


class StaleUpdate(ValidationError):
    """Someone else updated the action after the form was opened."""


@dataclass
class EvidenceInput:
    kind: str
    title: str = ""
    act_kind: str = ""
    act_number: str = ""
    act_date: datetime.date | None = None
    url: str = ""
    upload: object = None  # an UploadedFile for documents


def current_update(action: Action) -> ProgressUpdate | None:
    """The latest update that no later update corrects."""
    return action.updates.current().first()


def record_progress(
    action: Action,
    *,
    user,
    status: str,
    progress: int,
    date: datetime.date,
    note: str = "",
    spent_budget: Decimal | None = None,
    evidence: list[EvidenceInput] = (),
    corrects: ProgressUpdate | None = None,
    based_on=LATEST,
    from_indicators: bool = False,
    is_demo: bool = False,
    system: bool = False,
) -> ProgressUpdate:
    """Append an update. `based_on` is the id of the update the author saw (None: none yet)."""
    if not system:
        require(can_update_action(user, action))
    _validate(action, status, progress, date, evidence, corrects, from_indicators)
    checked = [
        (item, check_upload(item.upload) if item.kind == EvidenceKind.DOCUMENT else None) for item in evidence
    ]
    stored: list[Evidence] = []
    try:
        with transaction.atomic(), write_batch():
            mandate = Mandate.objects.select_for_update().get(pk=action.mandate_id)
            action = Action.objects.select_for_update().get(pk=action.pk)
            before = current_update(action)
            if based_on is not LATEST and (before.pk if before else None) != based_on:
                raise StaleUpdate(
                    _("Nel frattempo l'azione è stata aggiornata da un'altra persona: rileggi e riprova."),
                    code="stale",
                )
            update = ProgressUpdate.objects.create(
                action=action,
                date=date,
                status=status,
                progress=progress,
                note=note,
                note_html=render_markdown(note),
                spent_budget=spent_budget,
                corrects=corrects,
                from_indicators=from_indicators,
                author=user if getattr(user, "is_authenticated", False) else None,
                is_demo=is_demo,
            )
            for item, upload in checked:
                stored.append(_store_evidence(update, item, upload))
            ledger.append(mandate, update=update)
            _sync_action(action)
            update.log_action("create", user=user, before=_state(before), after=_state(update))
            progress_recorded.send(sender=ProgressUpdate, update=update, previous=before)
    except Exception:
        # The database rolled back; files already written to storage must go too.
        for item in stored:
            if item.file:
                item.file.storage.delete(item.file.name)
        raise
    return update


def _validate(action, status, progress, date, evidence, corrects, from_indicators) -> None:
    if status not in Status.values:
        raise ValidationError(_("Stato non valido."), code="status")
    if not 0 <= int(progress) <= 100:
        raise ValidationError(_("L'avanzamento va da 0 a 100."), code="progress")
    if date > timezone.localdate():
        raise ValidationError(_("La data non può essere nel futuro."), code="date")
    if action.archived_at is not None:
        raise ValidationError(_("L'azione è archiviata."), code="archived")
    if action.children.exists():
        raise ValidationError(
            _("L'avanzamento di un'azione con sotto-azioni è calcolato da queste."), code="parent"
        )
    if corrects is not None and corrects.action_id != action.pk:
        raise ValidationError(
            _("Si può correggere solo un aggiornamento della stessa azione."), code="corrects"
        )
    check_status_progress(status, progress)
    if from_indicators:
        return
    sources = [item for item in evidence if item.kind in (EvidenceKind.ACT, EvidenceKind.DOCUMENT)]
    if status in CLAIM_STATUSES and not sources:
        raise ValidationError(
            _(
                "Per dichiarare un'azione realizzata o parzialmente realizzata serve una fonte: "
                "un atto o un documento."
            ),
            code="source",
        )
    for item in evidence:
        _validate_evidence(item)


def _validate_evidence(item: EvidenceInput) -> None:
    if item.kind not in EvidenceKind.values:
        raise ValidationError(_("Tipo di fonte non valido."), code="evidence")
    # An act is identified by kind, number and date; its link (albo pretorio links expire) is optional.
    if item.kind == EvidenceKind.LINK or (item.kind == EvidenceKind.ACT and item.url):
        try:
            URLValidator(schemes=["http", "https"])(item.url)
        except ValidationError:
            raise ValidationError(
                _("Indirizzo della fonte non valido: %(url)s") % {"url": item.url}
            ) from None
    incomplete_act = (
        item.act_kind not in ActKind.values or not item.act_number.strip() or item.act_date is None
    )
    if item.kind == EvidenceKind.ACT and incomplete_act:
        raise ValidationError(_("Per un atto servono tipo, numero e data."), code="act")
    if item.kind == EvidenceKind.DOCUMENT and item.upload is None:
        raise ValidationError(_("Manca il file del documento."), code="document")


def _store_evidence(update: ProgressUpdate, item: EvidenceInput, upload) -> Evidence:
    evidence = Evidence(
        update=update,
        kind=item.kind,
        title=item.title[:200],
        act_kind=item.act_kind if item.kind == EvidenceKind.ACT else "",
        act_number=item.act_number.strip() if item.kind == EvidenceKind.ACT else "",
        act_date=item.act_date if item.kind == EvidenceKind.ACT else None,
        url=item.url if item.kind != EvidenceKind.DOCUMENT else "",
    )
    if upload is not None:
        evidence.original_name = upload.original_name
        evidence.content_type = upload.content_type
        evidence.size = upload.size
        evidence.sha256 = upload.sha256
        evidence.title = evidence.title or upload.original_name
        evidence.file.save(upload.storage_name, upload.upload, save=False)
    evidence.save()
    return evidence


def _sync_action(action: Action) -> None:
    latest = current_update(action)
    status, progress = (latest.status, latest.progress) if latest else (Status.NOT_STARTED, 0)
    Action.objects.filter(pk=action.pk).update(status=status, progress=progress)


def _state(update: ProgressUpdate | None) -> dict | None:
    if update is None:
        return None
    return {
        "update": update.pk,
        "date": update.date.isoformat(),
        "status": update.status,
        "progress": update.progress,
    }


def add_indicator(action: Action, *, user, system: bool = False, **fields) -> Indicator:
    if not system:
        require(can_update_action(user, action))
    indicator = Indicator(action=action, **fields)
    indicator.full_clean()
    with transaction.atomic():
        indicator.save()
        indicator.log_action("create", user=user, after=_indicator_state(indicator))
    return indicator


def _indicator_state(indicator: Indicator) -> dict:
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline": str(indicator.baseline),
        "target": str(indicator.target),
        "direction": indicator.direction,
    }


def derived_progress(action: Action) -> int | None:
    """Mean over the action's measured indicators of the way from baseline to target."""
    values = []
    for indicator in action.indicators.all():
        latest = indicator.measurements.order_by("-date", "-created_at", "-pk").first()
        if latest is not None:
            values.append(indicator.progress_for(latest.value))
    return round(sum(values) / len(values)) if values else None


def add_measurement(
    indicator: Indicator,
    *,
    user,
    date: datetime.date,
    value: Decimal,
    note: str = "",
    is_demo: bool = False,
    system: bool = False,
) -> Measurement:
    action = indicator.action
    if not system:
        require(can_update_action(user, action))
    if date > timezone.localdate():
        raise ValidationError(_("La data non può essere nel futuro."), code="date")
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().get(pk=action.mandate_id)
        measurement = Measurement.objects.create(
            indicator=indicator,
            date=date,
            value=value,
            note=note[:500],
            author=user if getattr(user, "is_authenticated", False) else None,
            is_demo=is_demo,
        )
        ledger.append(mandate, measurement=measurement)
        measurement.log_action("create", user=user, after={"value": str(value)})
        measurement_recorded.send(sender=Measurement, measurement=measurement)
        if action.progress_from_indicators:
            _derive(action, user, date, is_demo)
    return measurement


def _derive(action: Action, user, date: datetime.date, is_demo: bool) -> None:
    progress = derived_progress(action)
    latest = current_update(action)
    if progress is None or (latest.progress if latest else 0) == progress:
        return
    status = latest.status if latest else Status.NOT_STARTED
    if status == Status.DONE:
        return  # a completion was declared with a source; indicators do not take it back
    if status == Status.NOT_STARTED and progress > 0:
        status = Status.IN_PROGRESS
    if progress == 100:
        progress = 99  # indicators at target: declaring the action done needs an update with a source
    record_progress(
        action,
        user=user,
        status=status,
        progress=progress,
        date=max(date, latest.date) if latest else date,
        note=("[DEMO] " if is_demo else "") + _("Avanzamento calcolato dagli indicatori."),
        from_indicators=True,
        is_demo=is_demo,
        system=True,
    )
