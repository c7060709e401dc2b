"""The demo: both sample programs, a clearly-labelled invented progress history and a staff account."""

from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from openmandato.accountability.services import record_progress
from openmandato.importer.parsing import parse_text
from openmandato.importer.reading import read_document
from openmandato.importer.services import ImportOutcome, import_program
from openmandato.programs.models import Action, Mandate, Municipality
from openmandato.programs.status import Status

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_USERNAME = "demo"
DEMO_NOTE = "[DEMO] Dato dimostrativo generato automaticamente: non descrive l'attività reale del Comune."


@dataclass(frozen=True)
class DemoProgram:
    filename: str
    name: str
    province: str
    region: str
    istat_code: str
    period: str | None = None  # when the document itself does not say it


DEMO_PROGRAMS = [
    DemoProgram(
        "cremona-linee-di-mandato-2019.txt", "Cremona", "CR", "Lombardia", "019036", period="2019-2024"
    ),
    DemoProgram("valenza-programma-elettorale-2020-2025.txt", "Valenza", "AL", "Piemonte", "006174"),
]


def load_demo_programs() -> list[ImportOutcome]:
    outcomes = []
    for program in DEMO_PROGRAMS:
        with transaction.atomic():
            Municipality.objects.update_or_create(
                slug=program.name.lower(),
                defaults={
                    "name": program.name,
                    "province": program.province,
                    "region": program.region,
                    "istat_code": program.istat_code,
                },
            )
            document = read_document(DATA_DIR / program.filename)
            tree = parse_text(document.text)
            tree.period = tree.period or program.period
            outcome = import_program(
                tree,
                municipality_name=program.name,
                source_filename=document.filename,
                source_sha256=document.sha256,
            )
            add_demo_history(outcome.mandate)
        outcomes.append(outcome)
    return outcomes


def add_demo_history(mandate: Mandate, today: datetime.date | None = None) -> int:
    """Give every leaf action without updates a plausible invented history; returns the updates added."""
    today = today or timezone.localdate()
    start = mandate.starts_on or datetime.date(today.year - 4, 1, 1)
    end = min(mandate.ends_on or today, today)
    added = 0
    leaves = mandate.actions.leaves().filter(updates__isnull=True).select_related("section").order_by("pk")
    for action in leaves:
        for step in _invented_history(action, start, end):
            record_progress(action, note=DEMO_NOTE, is_demo=True, **step)
            added += 1
    return added


def _invented_history(action: Action, start: datetime.date, end: datetime.date) -> list[dict]:
    rng = random.Random(f"{action.mandate_id}:{action.section.position}:{action.position}:{action.code}")
    steps = rng.choices([0, 1, 2, 3, 4], weights=[12, 20, 30, 24, 14])[0]
    if steps == 0 or end <= start:
        return []
    outcome = rng.choices(
        [Status.DONE, Status.PARTIALLY_DONE, Status.IN_PROGRESS, Status.STALLED, Status.ABANDONED],
        weights=[28, 12, 40, 13, 7],
    )[0]
    span = (end - start).days
    days = sorted(rng.sample(range(30, max(span, 31 + steps)), steps))
    history, progress = [], 0
    for index, offset in enumerate(days):
        last = index == steps - 1
        if last and outcome == Status.DONE:
            status, progress = Status.DONE, 100
        else:
            progress = min(95, progress + rng.randint(10, 35))
            status = outcome if last else Status.IN_PROGRESS
            if status == Status.ABANDONED:
                progress = history[-1]["progress"] if history else 0
        history.append(
            {"date": start + datetime.timedelta(days=offset), "status": status, "progress": progress}
        )
    return history


def ensure_demo_staff() -> tuple[str, str]:
    """The demo staff account; its password is kept in var/demo_password so every run prints the same."""
    password_file = settings.VAR_DIR / "demo_password"
    if password_file.exists():
        password = password_file.read_text(encoding="utf-8").strip()
    else:
        password = secrets.token_urlsafe(12)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password, encoding="utf-8")
        password_file.chmod(0o600)
    user, _created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"first_name": "Staff", "last_name": "Demo"}
    )
    user.is_staff = True
    user.set_password(password)
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["programs", "accountability"])
    )
    return DEMO_USERNAME, password
