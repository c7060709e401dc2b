"""A synthetic national data set: Italian-looking comuni with programs, areas, sections, actions,
update histories (with their evidence), indicators with measurements, and valid transparency logs.

Rows are written in bulk — COPY on PostgreSQL, executemany on SQLite — with ids allocated here, so the
log's entries (which name the ids) are hashed before anything is written. The signals that keep the
change markers and the home summary are bypassed; `generate()` rebuilds both at the end, signs one
checkpoint per mandate (tlog) and refreshes the planner's statistics.
"""

from __future__ import annotations

import datetime
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db import connection, models, transaction
from django.utils.text import slugify

from openmandato.accountability import ledger, tlog, verifier
from openmandato.accountability.models import (
    Evidence,
    Indicator,
    LedgerEntry,
    Measurement,
    ProgressUpdate,
)
from openmandato.programs.models import Action, Area, Mandate, Municipality, Section
from openmandato.programs.status import Status
from openmandato.programs.textsearch import document_terms

# Real regions with some of their provinces (name, sigla).
REGIONS = {
    "Piemonte": [("Torino", "TO"), ("Cuneo", "CN"), ("Alessandria", "AL"), ("Novara", "NO"), ("Asti", "AT")],
    "Lombardia": [("Milano", "MI"), ("Bergamo", "BG"), ("Brescia", "BS"), ("Cremona", "CR"), ("Pavia", "PV")],
    "Veneto": [("Venezia", "VE"), ("Verona", "VR"), ("Padova", "PD"), ("Vicenza", "VI"), ("Treviso", "TV")],
    "Liguria": [("Genova", "GE"), ("Savona", "SV"), ("La Spezia", "SP"), ("Imperia", "IM")],
    "Emilia-Romagna": [("Bologna", "BO"), ("Modena", "MO"), ("Parma", "PR"), ("Ravenna", "RA")],
    "Toscana": [("Firenze", "FI"), ("Pisa", "PI"), ("Siena", "SI"), ("Arezzo", "AR"), ("Lucca", "LU")],
    "Umbria": [("Perugia", "PG"), ("Terni", "TR")],
    "Marche": [("Ancona", "AN"), ("Macerata", "MC"), ("Pesaro e Urbino", "PU")],
    "Lazio": [("Roma", "RM"), ("Latina", "LT"), ("Frosinone", "FR"), ("Viterbo", "VT")],
    "Abruzzo": [("L'Aquila", "AQ"), ("Chieti", "CH"), ("Pescara", "PE"), ("Teramo", "TE")],
    "Molise": [("Campobasso", "CB"), ("Isernia", "IS")],
    "Campania": [("Napoli", "NA"), ("Salerno", "SA"), ("Caserta", "CE"), ("Avellino", "AV")],
    "Puglia": [("Bari", "BA"), ("Lecce", "LE"), ("Foggia", "FG"), ("Taranto", "TA")],
    "Basilicata": [("Potenza", "PZ"), ("Matera", "MT")],
    "Calabria": [("Cosenza", "CS"), ("Catanzaro", "CZ"), ("Reggio Calabria", "RC")],
    "Sicilia": [("Palermo", "PA"), ("Catania", "CT"), ("Messina", "ME"), ("Agrigento", "AG")],
    "Sardegna": [("Cagliari", "CA"), ("Sassari", "SS"), ("Nuoro", "NU")],
    "Trentino-Alto Adige": [("Trento", "TN"), ("Bolzano", "BZ")],
    "Friuli-Venezia Giulia": [("Udine", "UD"), ("Trieste", "TS"), ("Pordenone", "PN")],
    "Valle d'Aosta": [("Aosta", "AO")],
}
PREFIXES = ["", "", "", "San ", "Santa ", "Castel", "Monte", "Borgo ", "Villa", "Rocca", "Torre ", "Poggio "]
ROOTS = [
    "ferr",
    "lagh",
    "bosc",
    "verd",
    "fium",
    "sol",
    "pietr",
    "riv",
    "camp",
    "mont",
    "coll",
    "font",
    "prat",
    "val",
    "sass",
    "quer",
    "ulivet",
    "castagn",
    "mol",
    "pont",
    "marin",
    "piev",
    "cerr",
    "arc",
]
SUFFIXES = ["ano", "ello", "ino", "ate", "engo", "ago", "ara", "esco", "one", "eto", "iano", "asco"]
QUALIFIERS = ["", "", "", "", " di Sopra", " di Sotto", " al Piano", " sul Colle", " Marittimo", " in Valle"]
THEMES = [
    ("Ambiente e territorio", "Area ambiente"),
    ("Scuola, cultura e giovani", "Area istruzione e cultura"),
    ("Mobilità sostenibile", "Area lavori pubblici"),
    ("Welfare e coesione sociale", "Area servizi sociali"),
    ("Sicurezza e legalità", "Polizia locale"),
    ("Sviluppo economico e turismo", "Area attività produttive"),
    ("Sport e tempo libero", "Area sport"),
    ("Macchina comunale e partecipazione", "Area affari generali"),
]
VERBS = [
    "Riqualificare",
    "Realizzare",
    "Ampliare",
    "Potenziare",
    "Mettere in sicurezza",
    "Rinnovare",
    "Digitalizzare",
    "Promuovere",
    "Sostenere",
    "Completare",
    "Valorizzare",
    "Ristrutturare",
]
OBJECTS = [
    "la piazza del mercato",
    "il parco urbano",
    "la scuola primaria",
    "la pista ciclabile",
    "l'illuminazione pubblica a LED",
    "la biblioteca civica",
    "il centro anziani",
    "la rete fognaria",
    "il palazzetto dello sport",
    "gli orti urbani",
    "la raccolta differenziata porta a porta",
    "lo sportello unico per le imprese",
    "il trasporto scolastico",
    "la videosorveglianza",
    "il teatro comunale",
    "i percorsi pedonali",
    "l'asilo nido",
    "i servizi online del comune",
    "il cimitero comunale",
    "la casa della salute",
]
PLACES = [
    "",
    "",
    " nel centro storico",
    " nelle frazioni",
    " in via Roma",
    " nel quartiere nord",
    " al porto",
]
NOTES = [
    "Affidato l'incarico di progettazione.",
    "Approvato il progetto esecutivo.",
    "Lavori avviati.",
    "Pubblicato il bando di gara.",
    "Completata la prima fase.",
    "Finanziamento ottenuto.",
    "In attesa del parere della Soprintendenza.",
    "Intervento concluso e collaudato.",
]
INDICATORS = [("Utenti serviti", "persone"), ("Chilometri realizzati", "km"), ("Punti luce sostituiti", "n.")]


LAST_DAY = datetime.date(2024, 12, 31)


@dataclass
class Counters:
    """The next free id of each table (ids are allocated here so the log can be hashed first)."""

    next_id: dict = field(default_factory=dict)

    def take(self, model) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value


BULK_MODELS = [
    Municipality,
    Mandate,
    Area,
    Section,
    Action,
    Indicator,
    ProgressUpdate,
    Evidence,
    Measurement,
    LedgerEntry,
]
ACTION_AREAS = Action.areas.through


def _start_ids() -> Counters:
    counters = Counters()
    for model in [*BULK_MODELS, ACTION_AREAS]:
        top = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
        counters.next_id[model] = top + 1
    return counters


@lru_cache(maxsize=4096)
def _terms(text: str) -> str:
    return document_terms(text)


def _search_document(code, title, text, section_title) -> str:
    # document_terms works word by word, so the parts can be computed (and cached) separately.
    return " ".join(filter(None, (_terms(code), _terms(title), _terms(text), _terms(section_title))))


class Writer:
    """Rows per table, written in bulk at the end of each batch (COPY on PostgreSQL)."""

    def __init__(self):
        self.rows: dict = {}

    def add(self, model, values: dict) -> None:
        self.rows.setdefault(model, []).append(values)

    def flush(self) -> None:
        for model in [*BULK_MODELS[:5], ACTION_AREAS, *BULK_MODELS[5:]]:
            rows = self.rows.pop(model, [])
            if rows:
                write_rows(model, rows)


def write_rows(model, rows: list[dict]) -> None:
    fields = [f for f in model._meta.concrete_fields if f.attname in rows[0]]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([row[f.attname] for f in fields])
        return
    placeholders = ", ".join(["%s"] * len(fields))
    values = [[f.get_db_prep_save(row[f.attname], connection) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)  # noqa: S608


def _comune_names(count: int, rng: random.Random):
    seen_slugs: set[str] = set(Municipality.objects.values_list("slug", flat=True))
    while count:
        name = (
            rng.choice(PREFIXES)
            + (rng.choice(ROOTS) + rng.choice(SUFFIXES)).capitalize()
            + rng.choice(QUALIFIERS)
        ).replace("  ", " ")
        name = name[0].upper() + name[1:]
        slug = slugify(name)
        if slug in seen_slugs:
            slug = f"{slug}-{len(seen_slugs)}"
            name = f"{name} {len(seen_slugs)}"
        seen_slugs.add(slug)
        count -= 1
        yield name, slug


def _action_title(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(PLACES)}"


def _history(rng: random.Random, updates: int, start: datetime.date):
    """Dated (status, progress) steps that only move forward; the last one may be "done"."""
    steps = []
    progress = 0
    day = start
    finishes = rng.random() < 0.25
    for index in range(updates):
        day = min(day + datetime.timedelta(days=rng.randint(20, 160)), LAST_DAY)
        last = index == updates - 1
        if last and finishes:
            steps.append((day, Status.DONE, 100))
        else:
            progress = min(95, progress + rng.randint(5, 40))
            status = Status.STALLED if rng.random() < 0.05 else Status.IN_PROGRESS
            steps.append((day, status, progress))
    return steps


def generate(
    municipalities: int,
    actions_per_mandate: int,
    updates_per_action: int = 2,
    seed: int = 1,
    *,
    batch_size: int = 50,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    rng = random.Random(seed)
    counters = _start_ids()
    now = datetime.datetime(2025, 1, 1, 9, 0, tzinfo=datetime.UTC)
    regions = list(REGIONS.items())
    totals = dict.fromkeys(("municipalities", "actions", "updates", "entries", "measurements"), 0)
    mandate_ids: list[int] = []
    names = _comune_names(municipalities, rng)
    done = 0
    while done < municipalities:
        writer = Writer()
        batch = min(batch_size, municipalities - done)
        with transaction.atomic():
            for _ in range(batch):
                name, slug = next(names)
                mandate_ids.append(
                    _one_comune(
                        writer,
                        counters,
                        rng,
                        name,
                        slug,
                        regions,
                        now,
                        actions_per_mandate,
                        updates_per_action,
                        totals,
                    )
                )
            writer.flush()
        done += batch
        if progress:
            progress(done, municipalities)
    _finish(mandate_ids)
    return totals


def _one_comune(
    writer, counters, rng, name, slug, regions, now, actions_per_mandate, updates_per_action, totals
):
    region, provinces = rng.choice(regions)
    province, sigla = rng.choice(provinces)
    municipality_id = counters.take(Municipality)
    writer.add(
        Municipality,
        {
            "id": municipality_id,
            "name": name,
            "slug": slug,
            "province": sigla,
            "region": region,
            "istat_code": f"{municipality_id % 1000000:06d}",
            "logo": "",
            "website": "",
            "email": "",
            "pec": "",
            "phone": "",
            "privacy_notice": "",
            "legal_notes": "",
            "accessibility_statement_url": "",
        },
    )
    starts = datetime.date(rng.choice([2019, 2020, 2021, 2022]), rng.randint(1, 12), rng.randint(1, 28))
    mandate_id = counters.take(Mandate)
    writer.add(
        Mandate,
        {
            "id": mandate_id,
            "municipality_id": municipality_id,
            "title": f"Programma di mandato {starts.year}–{starts.year + 5}",
            "mayor": f"Sindaco di {name}",
            "starts_on": starts,
            "ends_on": starts.replace(year=starts.year + 5),
            "is_current": True,
            "is_published": True,
            "source_filename": "",
            "source_sha256": "",
            "imported_at": now,
        },
    )
    themes = rng.sample(THEMES, k=min(len(THEMES), max(3, min(8, actions_per_mandate // 8 or 3))))
    area_ids = []
    for _title, area_name in themes:
        area_id = counters.take(Area)
        area_ids.append(area_id)
        writer.add(Area, {"id": area_id, "municipality_id": municipality_id, "name": area_name})
    sections = []
    order = 0
    per_section = [actions_per_mandate // len(themes)] * len(themes)
    for index in range(actions_per_mandate - sum(per_section)):
        per_section[index] += 1
    live = [count for count in per_section if count]
    entries: list[tuple] = []  # (data, kind, update_id, measurement_id) in log order
    for position, ((title, _area), count) in enumerate(zip(themes, per_section, strict=True)):
        section_id = counters.take(Section)
        order += 1
        path = f"/{section_id}/"
        writer.add(
            Section,
            {
                "id": section_id,
                "municipality_id": municipality_id,
                "mandate_id": mandate_id,
                "parent_id": None,
                "position": position,
                "title": title,
                "summary": "",
                "objective": f"Obiettivo strategico: {title.lower()}.",
                "weight": Decimal(1),
                "path": path,
                "tree_order": order,
            },
        )
        sections.append(section_id)
        for number in range(count):
            order += 1
            action_id = counters.take(Action)
            code = f"{position + 1}.{number + 1}"
            action_title = _action_title(rng)
            text = f"{action_title}: intervento previsto dal programma per migliorare la vita dei cittadini."
            steps = _history(rng, updates_per_action, starts)
            status, progress = (steps[-1][1], steps[-1][2]) if steps else (Status.NOT_STARTED, 0)
            writer.add(
                Action,
                {
                    "id": action_id,
                    "municipality_id": municipality_id,
                    "mandate_id": mandate_id,
                    "section_id": section_id,
                    "parent_id": None,
                    "position": number,
                    "code": code,
                    "title": action_title,
                    "text": text,
                    "status": status,
                    "progress": progress,
                    "weight": Decimal(1),
                    "due_date": starts + datetime.timedelta(days=365 * rng.randint(1, 5)),
                    "budget": Decimal(rng.randint(10, 2000) * 1000),
                    "dup_mission": "",
                    "dup_program": "",
                    "progress_from_indicators": False,
                    "archived_at": None,
                    "section_path": path,
                    "rollup_share": 1 / len(live) / count,
                    "tree_order": order,
                    "search_document": _search_document(code, action_title, text, title),
                    "created_at": now,
                    "updated_at": now,
                },
            )
            writer.add(
                ACTION_AREAS,
                {
                    "id": counters.take(ACTION_AREAS),
                    "municipality_id": municipality_id,
                    "action_id": action_id,
                    "area_id": area_ids[position],
                },
            )
            for day, step_status, step_progress in steps:
                update_id = counters.take(ProgressUpdate)
                created = now - datetime.timedelta(days=(now.date() - day).days if day < now.date() else 0)
                note = rng.choice(NOTES)
                writer.add(
                    ProgressUpdate,
                    {
                        "id": update_id,
                        "municipality_id": municipality_id,
                        "action_id": action_id,
                        "date": day,
                        "status": step_status,
                        "progress": step_progress,
                        "note": note,
                        "note_html": f"<p>{note}</p>",
                        "spent_budget": None,
                        "corrects_id": None,
                        "from_indicators": False,
                        "author_id": None,
                        "is_demo": True,
                        "created_at": created,
                    },
                )
                evidence = []
                if step_status == Status.DONE:
                    item = {
                        "id": counters.take(Evidence),
                        "municipality_id": municipality_id,
                        "update_id": update_id,
                        "kind": "act",
                        "title": "",
                        "act_kind": "delibera_giunta",
                        "act_number": str(rng.randint(1, 300)),
                        "act_date": day,
                        "url": "",
                        "file": "",
                        "original_name": "",
                        "content_type": "",
                        "size": 0,
                        "sha256": "",
                        "created_at": created,
                    }
                    writer.add(Evidence, item)
                    evidence.append(item)
                data = {
                    "kind": "update",
                    "id": update_id,
                    "action": action_id,
                    "date": day.isoformat(),
                    "status": str(step_status),
                    "progress": step_progress,
                    "note": note,
                    "spent_budget": None,
                    "corrects": None,
                    "from_indicators": False,
                    "is_demo": True,
                    "recorded_at": created.isoformat(),
                    "evidence": [
                        {
                            "kind": e["kind"],
                            "title": e["title"],
                            "act_kind": e["act_kind"],
                            "act_number": e["act_number"],
                            "act_date": e["act_date"].isoformat(),
                            "url": e["url"],
                            "file_sha256": e["sha256"],
                        }
                        for e in evidence
                    ],
                }
                entries.append((data, "update", update_id, None))
                totals["updates"] += 1
            if number == 0:  # one indicator per section, measured twice
                _indicator(writer, counters, rng, municipality_id, action_id, starts, now, entries, totals)
            totals["actions"] += 1
    entries.sort(key=lambda item: item[0]["recorded_at"])
    prev_hash = ledger.GENESIS
    for seq, (data, kind, update_id, measurement_id) in enumerate(entries, start=1):
        body = ledger.canonical_json(data)
        entry_hash = ledger.chain_hash(data, prev_hash)
        writer.add(
            LedgerEntry,
            {
                "id": counters.take(LedgerEntry),
                "municipality_id": municipality_id,
                "mandate_id": mandate_id,
                "seq": seq,
                "update_id": update_id,
                "measurement_id": measurement_id,
                "kind": kind,
                "body": body,
                "leaf_hash": verifier.leaf_hash(body.encode()).hex(),
                "prev_hash": prev_hash,
                "hash": entry_hash,
                "created_at": now,
            },
        )
        prev_hash = entry_hash
    totals["entries"] += len(entries)
    totals["municipalities"] += 1
    return mandate_id


def _indicator(writer, counters, rng, municipality_id, action_id, starts, now, entries, totals):
    name, unit = rng.choice(INDICATORS)
    baseline = Decimal(rng.randint(0, 50))
    indicator_id = counters.take(Indicator)
    writer.add(
        Indicator,
        {
            "id": indicator_id,
            "municipality_id": municipality_id,
            "action_id": action_id,
            "name": name,
            "unit": unit,
            "baseline": baseline,
            "baseline_date": starts,
            "target": baseline + rng.randint(10, 500),
            "target_date": starts.replace(year=starts.year + 5),
            "direction": "up",
            "position": 0,
        },
    )
    value = baseline
    for step in range(2):
        value = value + rng.randint(1, 20)
        day = starts + datetime.timedelta(days=200 * (step + 1))
        created = now - datetime.timedelta(days=(now.date() - day).days if day < now.date() else 0)
        measurement_id = counters.take(Measurement)
        writer.add(
            Measurement,
            {
                "id": measurement_id,
                "municipality_id": municipality_id,
                "indicator_id": indicator_id,
                "date": day,
                "value": Decimal(value),
                "note": "",
                "author_id": None,
                "is_demo": True,
                "created_at": created,
            },
        )
        data = {
            "kind": "measurement",
            "id": measurement_id,
            "indicator": indicator_id,
            "action": action_id,
            "date": day.isoformat(),
            "value": f"{Decimal(value):.4f}",
            "note": "",
            "is_demo": True,
            "recorded_at": created.isoformat(),
        }
        entries.append((data, "measurement", None, measurement_id))
        totals["measurements"] += 1


def _finish(mandate_ids: list[int]) -> None:
    from django.core.management.color import no_style

    from openmandato.portal import changes

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [*BULK_MODELS, ACTION_AREAS]):
            cursor.execute(statement)
    for start in range(0, len(mandate_ids), 200):
        with transaction.atomic():
            for mandate in Mandate.objects.filter(pk__in=mandate_ids[start : start + 200]):
                tlog.sign_checkpoint(mandate)
    changes.rebuild_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def text_progress(stream=sys.stderr):
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} comuni")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show
