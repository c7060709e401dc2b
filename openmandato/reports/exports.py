"""Open data: one row per action (plus updates and measurements) as CSV, JSON and XLSX, with a data
dictionary. The rows are the ones the API serves, so every surface shows the same figures."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from openmandato.accountability.models import Evidence, Measurement, ProgressUpdate
from openmandato.api import serialize
from openmandato.participation import serialize as participation_rows
from openmandato.participation.models import Contest, Proposal
from openmandato.programs.models import Mandate
from openmandato.programs.status import Status
from openmandato.security.formulas import TRIGGERS, neutralise

LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}


@dataclass(frozen=True)
class Column:
    key: str
    description: object  # lazy translation


ACTION_COLUMNS = [
    Column("id", _("Identificativo dell'azione in OpenMandato")),
    Column("municipality", _("Comune (slug)")),
    Column("mandate", _("Titolo del mandato")),
    Column("section_path", _("Percorso della sezione, dal capitolo alla sottosezione, separato da « > »")),
    Column("code", _("Numero dell'azione come stampato nel programma (può ripetersi)")),
    Column("title", _("Titolo breve")),
    Column("text", _("Testo completo dell'azione")),
    Column("areas", _("Aree responsabili, separate da « ; »")),
    Column("status", _("Stato (codice): not_started, in_progress, partially_done, done, stalled, abandoned")),
    Column("status_label", _("Stato in italiano")),
    Column("progress", _("Avanzamento dichiarato, da 0 a 100")),
    Column("weight", _("Peso nel calcolo dell'avanzamento della sezione")),
    Column("budget", _("Budget previsto in euro")),
    Column("due_date", _("Scadenza (AAAA-MM-GG)")),
    Column("last_update", _("Data dell'ultimo aggiornamento (AAAA-MM-GG)")),
    Column("dup_mission", _("Missione DUP")),
    Column("dup_program", _("Programma DUP")),
    Column("url", _("Pagina pubblica dell'azione")),
    Column("supports", _("Cittadini a cui l'azione sta a cuore")),
]
UPDATE_COLUMNS = [
    Column("id", _("Identificativo dell'aggiornamento")),
    Column("action_id", _("Azione a cui si riferisce")),
    Column("date", _("Data dell'aggiornamento")),
    Column("status", _("Stato dichiarato")),
    Column("progress", _("Avanzamento dichiarato")),
    Column("note", _("Nota (Markdown)")),
    Column("spent_budget", _("Spesa sostenuta in euro")),
    Column("corrects", _("Aggiornamento corretto da questo")),
    Column("sources", _("Fonti: atti e documenti, separati da « ; »")),
    Column("ledger_hash", _("Impronta nel registro a prova di manomissione")),
    Column("recorded_at", _("Momento della registrazione")),
    Column("is_demo", _("Dato dimostrativo (true/false)")),
]
MEASUREMENT_COLUMNS = [
    Column("id", _("Identificativo della misurazione")),
    Column("action_id", _("Azione")),
    Column("indicator", _("Nome dell'indicatore")),
    Column("unit", _("Unità di misura")),
    Column("baseline", _("Valore iniziale")),
    Column("target", _("Target")),
    Column("date", _("Data della misurazione")),
    Column("value", _("Valore misurato")),
]


COMMENT_COLUMNS = [
    Column("id", _("Identificativo del commento")),
    Column("action_id", _("Azione commentata")),
    Column("parent_id", _("Commento a cui risponde")),
    Column("author", _("Nome pubblico di chi scrive")),
    Column("body", _("Testo (Markdown)")),
    Column("is_official", _("Risposta ufficiale del Comune (true/false)")),
    Column("created_at", _("Momento della pubblicazione")),
    Column("edited_at", _("Momento dell'ultima modifica")),
]
PROPOSAL_COLUMNS = [
    Column("id", _("Identificativo della proposta")),
    Column("kind", _("Tipo: new_action (nuova azione) o improvement (miglioramento)")),
    Column("action_id", _("Azione da migliorare")),
    Column("title", _("Titolo")),
    Column("body", _("Testo (Markdown)")),
    Column("author", _("Nome pubblico di chi propone")),
    Column("created_at", _("Momento della presentazione")),
    Column("supports", _("Sostegni")),
    Column("status", _("Stato: open, evaluating, accepted, rejected")),
    Column("answer", _("Risposta del Comune")),
    Column("answered_at", _("Momento della risposta")),
    Column("linked_action_id", _("Azione collegata alla proposta accolta")),
]
CONTEST_COLUMNS = [
    Column("id", _("Identificativo della segnalazione")),
    Column("update_id", _("Aggiornamento contestato")),
    Column("action_id", _("Azione")),
    Column("claim", _("Che cosa è contestato: status, progress, source")),
    Column("reason", _("Motivo")),
    Column("link", _("Link a una fonte")),
    Column("document_sha256", _("SHA-256 del documento allegato")),
    Column("created_at", _("Momento della segnalazione")),
    Column("answer", _("Risposta del Comune")),
    Column("answered_at", _("Momento della risposta")),
    Column("ledger_seq", _("Voce della segnalazione nel registro a prova di manomissione")),
    Column("answer_ledger_seq", _("Voce della risposta nel registro")),
]


def comment_records(mandate: Mandate) -> list[dict]:
    actions = mandate.actions.filter(archived_at__isnull=True).values("pk")
    return [participation_rows.comment_row(c) for c in participation_rows.public_comments(actions)]


def proposal_records(mandate: Mandate) -> list[dict]:
    proposals = Proposal.objects.filter(municipality_id=mandate.municipality_id).order_by("pk")
    rows = [participation_rows.proposal_row(p) for p in participation_rows.proposals_queryset(proposals)]
    return [{k: v for k, v in row.items() if k != "municipality"} for row in rows]


def contest_records(mandate: Mandate) -> list[dict]:
    contests = Contest.objects.filter(update__action__mandate=mandate).order_by("pk")
    return [participation_rows.contest_row(c) for c in participation_rows.contests_queryset(contests)]


def action_records(mandate: Mandate) -> list[dict]:
    actions = list(serialize.actions_queryset(mandate.actions.active().leaves()).order_by("tree_order", "pk"))
    labels = dict(Status.choices)
    records = []
    for row in serialize.action_rows(actions):
        records.append(
            {
                "id": row["id"],
                "municipality": mandate.municipality.slug,
                "mandate": mandate.title,
                "section_path": " > ".join(row["section_path"]),
                "code": row["code"],
                "title": row["title"],
                "text": row["text"],
                "areas": "; ".join(row["areas"]),
                "status": row["status"],
                "status_label": str(labels[row["status"]]),
                "progress": row["progress"],
                "weight": row["weight"],
                "budget": row["budget"],
                "due_date": row["due_date"],
                "last_update": row["last_update"],
                "dup_mission": row["dup_mission"],
                "dup_program": row["dup_program"],
                "url": row["url"],
                "supports": row["supports"],
            }
        )
    return records


def update_records(mandate: Mandate) -> list[dict]:
    updates = (
        ProgressUpdate.objects.filter(action__mandate=mandate)
        .select_related("ledger_entry")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("action_id", "date", "pk")
    )
    return [
        {
            "id": u.pk,
            "action_id": u.action_id,
            "date": u.date,
            "status": u.status,
            "progress": u.progress,
            "note": u.note,
            "spent_budget": float(u.spent_budget) if u.spent_budget is not None else None,
            "corrects": u.corrects_id,
            "sources": "; ".join(f"{e.label} <{e.url}>" if e.url else e.label for e in u.evidence.all()),
            "ledger_hash": u.ledger_entry.hash if hasattr(u, "ledger_entry") else "",
            "recorded_at": u.created_at,
            "is_demo": u.is_demo,
        }
        for u in updates
    ]


def measurement_records(mandate: Mandate) -> list[dict]:
    measurements = (
        Measurement.objects.filter(indicator__action__mandate=mandate)
        .select_related("indicator")
        .order_by("indicator__action_id", "indicator_id", "date", "pk")
    )
    return [
        {
            "id": m.pk,
            "action_id": m.indicator.action_id,
            "indicator": m.indicator.name,
            "unit": m.indicator.unit,
            "baseline": float(m.indicator.baseline),
            "target": float(m.indicator.target),
            "date": m.date,
            "value": float(m.value),
        }
        for m in measurements
    ]


def to_csv(records: list[dict], columns: list[Column]) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs open accented text correctly; text that a spreadsheet
    would run as a formula is neutralised (see `formulas.py`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[c.key for c in columns], extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({k: ("" if v is None else neutralise(v)) for k, v in record.items()})
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_json(mandate: Mandate) -> bytes:
    document = {
        "licence": LICENCE,
        "municipality": {
            "slug": mandate.municipality.slug,
            "name": mandate.municipality.name,
            "istat_code": mandate.municipality.istat_code,
        },
        "mandate": {"id": mandate.pk, "title": mandate.title, "period": mandate.period},
        "actions": action_records(mandate),
        "updates": update_records(mandate),
        "measurements": measurement_records(mandate),
        "comments": comment_records(mandate),
        "proposals": proposal_records(mandate),
        "contests": contest_records(mandate),
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")


def to_xlsx(mandate: Mandate) -> bytes:
    workbook = Workbook()
    sheets = [
        ("azioni", action_records(mandate), ACTION_COLUMNS),
        ("aggiornamenti", update_records(mandate), UPDATE_COLUMNS),
        ("misurazioni", measurement_records(mandate), MEASUREMENT_COLUMNS),
        ("commenti", comment_records(mandate), COMMENT_COLUMNS),
        ("proposte", proposal_records(mandate), PROPOSAL_COLUMNS),
        ("segnalazioni", contest_records(mandate), CONTEST_COLUMNS),
    ]
    workbook.remove(workbook.active)
    for title, records, columns in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append([c.key for c in columns])
        for record in records:
            sheet.append([_cell(record.get(c.key)) for c in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):  # text stays text: never a formula
                    cell.data_type = "s"
                    cell.quotePrefix = cell.value.startswith(TRIGGERS)
    licence = workbook.create_sheet("licenza")
    licence.append([f"{LICENCE['name']} — {LICENCE['url']}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value
